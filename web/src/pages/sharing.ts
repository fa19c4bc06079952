// Data sharing: same-source guides by department (with the mismatching fields), the sync of
// transactions to the province, and the freshness and completeness of every feed.
import { api, ApiError, pivot } from '../api';
import { scoped, type Page } from '../app';
import { chart } from '../charts';
import { names, nameOf } from '../data';
import { folded, h, notice, section, table } from '../dom';
import { fmtValue } from '../format';
import { label, t } from '../i18n';

const sameSource = ['same_source_rate', 'field_match_rate', 'catalog_coverage'];
const sync = ['volume', 'sync_rate', 'sync_lag_p95_hours'];
const feeds = ['freshness_hours', 'eval_freshness_hours', 'completeness_rate'];
/** A feed older than this at the end of the period is flagged. */
export const staleHours = 48;

interface SameSource {
  to: string;
  fields: string[];
  depts: { dept: string; items: number; compared: number; mismatching: number; by_field: Record<string, number> }[];
  mismatches: { item: string; platform_region: string; platform_dept: string; source: string; source_dept: string; fields: string[] }[];
}

export const sharingPage: Page = {
  id: 'sharing',
  title: 'sharing.title',
  who: scoped,
  level: true,
  period: true,
  async render(el, ctx) {
    const p = { from: ctx.from, to: ctx.to };
    const [byDept, byUnit, deptNames, unitNames, mismatch] = await Promise.all([
      api.indicators({ ...p, by: 'dept', only: [...sameSource, ...sync].join(',') }),
      api.indicators({ ...p, by: ctx.by, only: [...feeds, ...sync].join(',') }),
      names(ctx.from, ctx.to, 'dept'),
      names(ctx.from, ctx.to, ctx.by),
      (api.sameSource({ to: ctx.to }) as Promise<SameSource>).catch((e: unknown) => e as Error),
    ]);
    const dp = pivot(byDept, 'dept');
    const rate = (d: string) => dp.get(d)?.get('same_source_rate')?.value ?? 2;
    // Worst first: the chart shows the 20 departments with the lowest same-source rate.
    const depts = [...dp.keys()].filter((d) => sameSource.some((c) => dp.get(d)?.get(c)?.value !== null && dp.get(d)?.get(c)?.value !== undefined))
      .sort((a, b) => rate(a) - rate(b) || a.localeCompare(b));
    const grid = h('div', { class: 'grid-2' });
    el.appendChild(grid);
    const ssBox = section(t('sharing.sameSource'),
      chart({
        grid: { left: 170, right: 30, top: 30, bottom: 30 },
        legend: { top: 0 },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${(v * 100).toFixed(1)}%` },
        xAxis: { type: 'value', min: (v: { min: number }) => Math.max(0, Math.floor(v.min * 20) / 20), max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
        yAxis: { type: 'category', inverse: true, data: depts.slice(0, 20).map((d) => nameOf(deptNames, d)), axisLabel: { interval: 0, width: 160, overflow: 'truncate' } },
        series: sameSource.map((c) => ({ type: 'bar', name: label('ind', c), data: depts.slice(0, 20).map((d) => dp.get(d)?.get(c)?.value ?? null) })),
      }, t('sharing.sameSource'), Math.max(240, Math.min(20, depts.length) * 26 + 60), { id: 'same-source-chart' }),
      folded(depts.length, table(t('sharing.sameSource'), [
        { head: t('level.dept'), cell: (d: string) => nameOf(deptNames, d) },
        ...sameSource.map((c) => ({ head: label('ind', c), num: true, cell: (d: string) => fmtValue(c, dp.get(d)?.get(c)?.value), attrs: () => ({ 'data-col': c }) })),
      ], depts, { rowHeader: true, id: 'same-source-table', rowAttrs: (d) => ({ 'data-key': d }) })));
    grid.appendChild(ssBox);

    const mmBox = section(t('sharing.mismatch'));
    if (mismatch instanceof Error) {
      mmBox.appendChild(notice(mismatch instanceof ApiError && mismatch.status === 404 ? t('app.notYet', { path: 'GET /api/v1/same-source' }) : t('app.error', { message: mismatch.message }), 'info'));
    } else {
      const bad = mismatch.depts.filter((d) => d.mismatching > 0).sort((x, y) => y.mismatching - x.mismatching || x.dept.localeCompare(y.dept));
      mmBox.appendChild(table(t('sharing.byField'), [
        { head: t('level.dept'), cell: (d: SameSource['depts'][number]) => nameOf(deptNames, d.dept) },
        { head: t('sharing.items'), cell: (d) => String(d.items), num: true },
        { head: t('sharing.compared'), cell: (d) => String(d.compared), num: true },
        { head: t('sharing.mismatching'), cell: (d) => String(d.mismatching), num: true, attrs: () => ({ 'data-col': 'mismatching' }) },
        ...mismatch.fields.map((f) => ({ head: label('field', f), num: true, cell: (d: SameSource['depts'][number]) => (d.by_field[f] ? h('strong', {}, String(d.by_field[f])) : '') })),
      ], bad, { rowHeader: true, id: 'mismatch-table', empty: t('common.none'), rowAttrs: (d) => ({ 'data-key': d.dept }) }));
      mmBox.appendChild(folded(mismatch.mismatches.length, table(t('sharing.list'), [
        { head: t('level.dept'), cell: (m: SameSource['mismatches'][number]) => nameOf(deptNames, m.platform_dept) },
        { head: t('diagnosis.item'), cell: (m) => m.item },
        { head: t('sharing.source'), cell: (m) => m.source },
        { head: t('sharing.fields'), cell: (m) => m.fields.map((f) => label('field', f)).join('、') },
      ], mismatch.mismatches, { rowHeader: true, id: 'mismatch-list' })));
    }
    el.appendChild(mmBox); // full width: a column per field

    const up = pivot(byUnit, ctx.by);
    const units = [...up.keys()];
    grid.appendChild(section(t('sharing.sync'),
      table(t('sharing.sync'), [
        { head: label('level', ctx.by), cell: (k: string) => nameOf(unitNames, k) },
        ...sync.map((c) => ({ head: label('ind', c), num: true, cell: (k: string) => fmtValue(c, up.get(k)?.get(c)?.value), attrs: () => ({ 'data-col': c }) })),
      ], units, { rowHeader: true, id: 'sync-table', rowAttrs: (k) => ({ 'data-key': k }) })));
    grid.appendChild(section(t('sharing.feeds'),
      table(t('sharing.feeds'), [
        { head: label('level', ctx.by), cell: (k: string) => nameOf(unitNames, k) },
        ...feeds.map((c) => ({
          head: label('ind', c),
          num: true,
          cell: (k: string) => {
            const v = up.get(k)?.get(c)?.value ?? null;
            const stale = c !== 'completeness_rate' && v !== null && v > staleHours;
            return stale ? h('span', { class: 'flag-stale' }, `${fmtValue(c, v)} · ${t('sharing.staleFlag')}`) : fmtValue(c, v);
          },
          attrs: () => ({ 'data-col': c }),
        })),
      ], units, { rowHeader: true, id: 'feeds-table', rowAttrs: (k) => ({ 'data-key': k }) })));
  },
};
