// The supply side (供给侧内部协调): the three blocks' scores per unit (score JSON's block nodes),
// their indicators, and one unit's evidence (explain with block=…: the org periods behind a value).
import { api, type ScoreUnit } from '../api';
import { scoped, type Ctx, type Page } from '../app';
import { chart } from '../charts';
import { score, scoredUnits } from '../data';
import { button, clear, h, notice, section, table } from '../dom';
import { fmtScore, fmtValue } from '../format';
import { label, t, unitName } from '../i18n';

export const blocks = ['organization', 'assurance', 'institution'];

function blockScore(u: ScoreUnit, b: string): number | null {
  return u.nodes?.find((n) => n.code === b && n.level === 'block')?.score ?? null;
}

async function evidence(ctx: Ctx, u: ScoreUnit, block: string, box: HTMLElement): Promise<void> {
  clear(box);
  const title = t('supply.evidence', { unit: unitName(u.unit, u.name), block: label('block', block) });
  const sec = section(title);
  sec.id = 'evidence';
  box.appendChild(sec);
  try {
    const e = await api.explain({ from: ctx.from, to: ctx.to, by: ctx.by, unit: u.unit, block });
    const rows = e.indicators.flatMap((i) => (i.org_periods ?? []).map((p) => ({ code: i.code, ...p })));
    sec.appendChild(table(title, [
      { head: t('ctl.indicator'), cell: (r: (typeof rows)[number]) => label('ind', r.code) },
      { head: t('supply.period'), cell: (r) => r.period },
      { head: t('common.value'), cell: (r) => fmtValue(r.code, r.value), num: true },
      { head: t('supply.evidenceCol'), cell: (r) => r.evidence ?? '—' },
    ], rows, { rowHeader: true, id: 'evidence-table', empty: t('common.none') }));
    sec.scrollIntoView({ block: 'start' });
  } catch (err) {
    sec.appendChild(notice(t('app.error', { message: (err as Error).message }), 'error'));
  }
}

export const supplyPage: Page = {
  id: 'supply',
  title: 'supply.title',
  who: scoped,
  level: true,
  period: true,
  async render(el, ctx) {
    const s = await score(ctx.from, ctx.to, ctx.by);
    const units = scoredUnits(s).filter((u) => blocks.some((b) => blockScore(u, b) !== null));
    const codes = [...new Set(units.flatMap((u) => (u.indicators ?? []).filter((i) => blocks.includes(i.parent)).map((i) => i.code)))];
    const shown = units.slice(0, 40);
    const box = h('div', { id: 'evidence-box' });
    el.appendChild(section(t('supply.blocks'),
      chart({
        grid: { left: 120, right: 30, top: 30, bottom: 30 },
        legend: { top: 0 },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'value', min: 0, max: 100 },
        yAxis: { type: 'category', inverse: true, data: shown.map((u) => unitName(u.unit, u.name)), axisLabel: { interval: 0 } },
        series: blocks.map((b) => ({ type: 'bar', name: label('block', b), data: shown.map((u) => { const v = blockScore(u, b); return v === null ? null : Number(v.toFixed(1)); }) })),
      }, t('supply.blocks'), Math.max(220, shown.length * 40 + 60), { id: 'blocks-chart' }),
      table(t('supply.blocks'), [
        { head: t('common.unit'), cell: (u: ScoreUnit) => unitName(u.unit, u.name) },
        ...blocks.map((b) => ({ head: label('block', b), num: true, cell: (u: ScoreUnit) => button(fmtScore(blockScore(u, b)), () => void evidence(ctx, u, b, box), { class: 'link', 'data-block': b, 'aria-label': `${unitName(u.unit, u.name)} ${label('block', b)} ${fmtScore(blockScore(u, b))}` }), attrs: () => ({ 'data-col': b }) })),
      ], units, { rowHeader: true, id: 'blocks-table', rowAttrs: (u) => ({ 'data-unit': u.unit }) })));
    el.appendChild(box);
    el.appendChild(section(t('supply.indicators'),
      table(t('supply.indicators'), [
        { head: t('common.unit'), cell: (u: ScoreUnit) => unitName(u.unit, u.name) },
        ...codes.map((c) => ({ head: label('ind', c), num: true, cell: (u: ScoreUnit) => fmtValue(c, u.indicators?.find((i) => i.code === c)?.value ?? null), attrs: () => ({ 'data-col': c }) })),
      ], units, { rowHeader: true, id: 'supply-indicators-table', rowAttrs: (u) => ({ 'data-unit': u.unit }) })));
  },
};
