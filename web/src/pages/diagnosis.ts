// Diagnosis of one unit among its peers (GET /api/v1/diagnosis): 弱点 weak points, 难点
// difficulties, 痛点 pain points and 亮点 highlights, each with its evidence.
import { api, type DiagItem } from '../api';
import { scoped, type Page } from '../app';
import { chart } from '../charts';
import { score, scoredUnits } from '../data';
import { h, notice, section, select, table } from '../dom';
import { fmtInt, fmtNum, fmtScore, fmtValue } from '../format';
import { getLang, label, nodeLabel, t, unitName } from '../i18n';

function itemName(i: DiagItem): string {
  if (i.level === 'indicator') return label('ind', i.code);
  return getLang() === 'en' ? (i.name_en ?? nodeLabel(i.code)) : nodeLabel(i.code);
}

/** Values: indicators in their unit, nodes (cells, blocks, …) as scores. */
function itemValue(i: DiagItem, v: number | null): string {
  return i.level === 'indicator' ? fmtValue(i.code, v) : fmtScore(v);
}

function items(caption: string, id: string, list: DiagItem[], history = false): HTMLElement {
  return table(caption, [
    { head: t('diagnosis.item'), cell: (i: DiagItem) => itemName(i) },
    { head: t('common.value'), cell: (i) => itemValue(i, i.value), num: true },
    { head: t('common.target'), cell: (i) => itemValue(i, i.target), num: true },
    { head: t('common.peersMedian'), cell: (i) => itemValue(i, i.peers_median), num: true },
    { head: t('common.rank'), cell: (i) => (i.rank === null ? '—' : `${i.rank}/${i.compared}`), num: true },
    { head: t('common.loss'), cell: (i) => fmtNum(i.loss, 2), num: true },
    ...(history ? [{ head: t('diagnosis.history'), cell: (i: DiagItem) => h('span', { title: (i.history ?? []).map((p) => `${p.from} – ${p.to}`).join('; ') }, (i.history ?? []).map((p) => `${itemValue(i, p.value)} (${p.rank ?? '—'})`).join(' · ')) }] : []),
  ], list, { rowHeader: true, id, empty: t('common.none'), rowAttrs: (i) => ({ 'data-code': i.code }) });
}

export const diagnosisPage: Page = {
  id: 'diagnosis',
  title: 'diagnosis.title',
  who: scoped,
  level: true,
  period: true,
  async render(el, ctx) {
    const s = await score(ctx.from, ctx.to, ctx.by);
    const units = scoredUnits(s).filter((u) => u.index !== null).sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9));
    if (!units.length) {
      el.appendChild(notice(t('common.noData')));
      return;
    }
    const unit = units.find((u) => u.unit === ctx.params.get('unit')) ?? units[units.length - 1];
    el.appendChild(h('div', { class: 'controls' }, select(t('ctl.unit'), units.map((u) => ({ value: u.unit, label: `${unitName(u.unit, u.name)} (${fmtScore(u.index)})` })), unit.unit, (v) => ctx.go({ unit: v }), { id: 'diag-unit' })));
    const d = await api.diagnosis({ from: ctx.from, to: ctx.to, by: ctx.by, unit: unit.unit });
    const pp = d.pain_points;
    el.appendChild(h('p', { id: 'diag-summary' }, t('diagnosis.summary', { unit: unitName(unit.unit, unit.name), evaluations: fmtInt(pp.evaluations), bad: fmtInt(pp.bad_reviews), n: d.compared_units })));
    for (const n of d.notes) el.appendChild(notice(n));
    const grid = h('div', { class: 'grid-2' });
    el.appendChild(grid);
    grid.appendChild(section(t('diagnosis.weak'),
      chart({
        grid: { left: 160, right: 40, top: 10, bottom: 30 },
        tooltip: {},
        xAxis: { type: 'value', name: t('common.loss') },
        yAxis: { type: 'category', inverse: true, data: d.weak_points.slice(0, 10).map(itemName), axisLabel: { interval: 0, width: 150, overflow: 'truncate' } },
        series: [{ type: 'bar', name: t('common.loss'), itemStyle: { color: '#c0392b' }, data: d.weak_points.slice(0, 10).map((i) => Number((i.loss ?? 0).toFixed(2))) }],
      }, t('diagnosis.weak'), Math.max(140, Math.min(10, d.weak_points.length) * 26 + 50), { id: 'weak-chart' }),
      items(t('diagnosis.weak'), 'weak-table', d.weak_points)));
    grid.appendChild(section(t('diagnosis.difficulties'), items(t('diagnosis.difficulties'), 'difficulties-table', d.difficulties, true)));
    const examples = (ex?: { id: string; comment: string }[]) => (ex?.length ? h('ul', { class: 'examples' }, ex.map((x) => h('li', {}, h('q', {}, x.comment), ' ', h('span', { class: 'hint' }, x.id)))) : '');
    grid.appendChild(section(t('diagnosis.pain'),
      table(t('diagnosis.reasons'), [
        { head: t('diagnosis.reasons'), cell: (r: (typeof pp.reasons)[number]) => label('reason', r.code) },
        { head: t('common.count'), cell: (r) => fmtInt(r.count), num: true },
        { head: t('common.share'), cell: (r) => `${(r.share * 100).toFixed(1)}%`, num: true },
        { head: t('diagnosis.examples'), cell: (r) => examples(r.examples) },
      ], pp.reasons, { rowHeader: true, id: 'reasons-table', empty: t('common.none') }),
      table(t('diagnosis.words'), [
        { head: t('diagnosis.words'), cell: (w: NonNullable<typeof pp.words>[number]) => w.word },
        { head: t('common.count'), cell: (w) => fmtInt(w.occurrences), num: true },
        { head: t('common.share'), cell: (w) => `${(w.share * 100).toFixed(1)}%`, num: true },
        { head: t('diagnosis.examples'), cell: (w) => examples(w.examples) },
      ], pp.words ?? [], { rowHeader: true, id: 'words-table', empty: t('common.none') })));
    grid.appendChild(section(t('diagnosis.highlights'), items(t('diagnosis.highlights'), 'highlights-table', d.highlights)));
  },
};
