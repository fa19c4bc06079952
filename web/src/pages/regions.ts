// Regions: the ranking with its uncertainty (rank intervals under perturbed weights), the grade
// distribution, disparity (Gini, Theil with the between/within split) and the tile map of the cities.
import { api, type ScoreUnit } from '../api';
import { scoped, type Page } from '../app';
import { chart, gradeColours } from '../charts';
import { score, scoredUnits } from '../data';
import { h, notice, section, select, table } from '../dom';
import { fmtInt, fmtNum, fmtScore, fmtValue, lowerIsBetter } from '../format';
import { label, t, unitName } from '../i18n';
import { tileMap } from '../tilemap';

export const uncertaintyRuns = 100;
export const uncertaintySeed = 1;
const mapChoices = ['index', 'on_time_rate', 'online_rate', 'positive_rate', 'one_visit_rate', 'avg_handling_days', 'reply_rate', 'same_source_rate', 'sync_rate', 'elderly_online_gap'];
const grades = ['非常高', '高', '中', '低'];

function uncertaintyBox(units: ScoreUnit[]): HTMLElement {
  const ranked = units.filter((u) => u.rank !== null && u.rank_uncertainty).sort((a, b) => a.rank! - b.rank!);
  const shown = ranked.slice(0, 40);
  const names = shown.map((u) => unitName(u.unit, u.name));
  const n = Math.max(1, ranked.length);
  // A band from p05 to p95 as a stacked bar on an invisible base, the median as a point.
  const option = {
    grid: { left: 120, right: 30, top: 30, bottom: 30 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', min: 1, max: n, inverse: false, name: t('common.rank') },
    yAxis: { type: 'category', inverse: true, data: names, axisLabel: { interval: 0 } },
    series: [
      { type: 'bar', stack: 'band', silent: true, itemStyle: { color: 'transparent' }, data: shown.map((u) => u.rank_uncertainty!.p05), tooltip: { show: false } },
      { type: 'bar', stack: 'band', name: t('regions.rankInterval'), itemStyle: { color: 'rgba(31,95,168,0.35)' }, data: shown.map((u) => Math.max(0.2, u.rank_uncertainty!.p95 - u.rank_uncertainty!.p05)) },
      { type: 'scatter', name: t('regions.median'), symbolSize: 9, itemStyle: { color: '#1f5fa8' }, data: shown.map((u) => u.rank_uncertainty!.median) },
      { type: 'scatter', name: t('common.rank'), symbol: 'diamond', symbolSize: 9, itemStyle: { color: '#c0392b' }, data: shown.map((u) => u.rank) },
    ],
  };
  return section(t('regions.uncertainty', { n: uncertaintyRuns, seed: uncertaintySeed }),
    chart(option, t('regions.uncertainty', { n: uncertaintyRuns, seed: uncertaintySeed }), Math.max(220, shown.length * 22 + 70), { id: 'uncertainty-chart' }),
    h('details', { class: 'data-table' }, h('summary', {}, t('regions.rankInterval')),
      table(t('regions.rankInterval'), [
        { head: t('common.unit'), cell: (u: ScoreUnit) => unitName(u.unit, u.name) },
        { head: t('common.index'), cell: (u) => fmtScore(u.index), num: true },
        { head: t('common.rank'), cell: (u) => String(u.rank), num: true, attrs: () => ({ 'data-col': 'rank' }) },
        { head: t('regions.median'), cell: (u) => String(u.rank_uncertainty!.median), num: true },
        { head: t('regions.rankInterval'), cell: (u) => `${u.rank_uncertainty!.p05}–${u.rank_uncertainty!.p95}`, num: true, attrs: () => ({ 'data-col': 'interval' }) },
      ], ranked, { rowHeader: true, id: 'uncertainty-table', rowAttrs: (u) => ({ 'data-unit': u.unit }) })));
}

export const regionsPage: Page = {
  id: 'regions',
  title: 'regions.title',
  who: scoped,
  level: true,
  period: true,
  async render(el, ctx) {
    const within = ctx.by === 'city' ? 'macro_region' : 'city';
    const colour = ctx.params.get('map') ?? 'index';
    const [u, disp, cities, values] = await Promise.all([
      score(ctx.from, ctx.to, ctx.by, { uncertainty: uncertaintyRuns, seed: uncertaintySeed }),
      api.disparity({ from: ctx.from, to: ctx.to, by: ctx.by, score: 'index', within }),
      score(ctx.from, ctx.to, 'city'),
      colour === 'index' ? Promise.resolve([]) : api.indicators({ from: ctx.from, to: ctx.to, by: 'city', only: colour }),
    ]);
    const units = scoredUnits(u);
    const grid = h('div', { class: 'grid-2' });
    el.appendChild(grid);
    grid.appendChild(uncertaintyBox(units));

    // Grade distribution.
    const counts = grades.map((g) => disp.grades?.[g] ?? units.filter((x) => x.grade === g).length);
    const gradeBox = section(t('regions.grades'),
      chart({
        grid: { left: 50, right: 20, top: 20, bottom: 30 },
        tooltip: {},
        xAxis: { type: 'category', data: grades.map((g) => label('grade', g)) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [{ type: 'bar', name: t('common.count'), data: counts.map((c, i) => ({ value: c, itemStyle: { color: gradeColours[grades[i]] } })), label: { show: true, position: 'top' } }],
      }, t('regions.grades'), 220, { id: 'grades-chart' }),
      table(t('regions.grades'), [
        { head: t('common.grade'), cell: (i: number) => label('grade', grades[i]) },
        { head: t('common.count'), cell: (i) => fmtInt(counts[i]), num: true, attrs: (i) => ({ 'data-grade': grades[i] }) },
      ], [0, 1, 2, 3], { rowHeader: true, id: 'grades-table' }));
    grid.appendChild(gradeBox);

    // Disparity.
    const dl = h('dl', { class: 'kpis', id: 'disparity' },
      ...([
        ['regions.gini', disp.gini, 'gini'], ['regions.theil', disp.theil, 'theil'], ['regions.between', disp.theil_between, 'between'],
        ['regions.within', disp.theil_within, 'within'], ['regions.cv', disp.cv, 'cv'], ['regions.maxmin', disp.max_min_ratio, 'maxmin'],
      ] as const).map(([k, v, id]) => h('div', {}, h('dt', {}, t(k)), h('dd', { 'data-stat': id }, v === null || v === undefined ? '—' : fmtNum(v, 4)))));
    const dispBox = section(t('regions.disparity'), dl,
      h('p', { class: 'hint' }, t('regions.dispNote', { level: label('level', ctx.by), n: disp.units, within: within === 'city' ? t('level.city') : t('level.macro') })));
    if (disp.groups?.length) {
      const cityNames = new Map(cities.units.map((x) => [x.unit, x.name ?? x.unit]));
      dispBox.appendChild(table(t('regions.groups'), [
        { head: t('common.unit'), cell: (g: NonNullable<typeof disp.groups>[number]) => unitName(g.group, cityNames.get(g.group) ?? g.group) },
        { head: t('overview.kpi.units'), cell: (g) => fmtInt(g.units), num: true },
        { head: t('common.mean'), cell: (g) => fmtScore(g.mean), num: true },
        { head: t('common.share'), cell: (g) => `${(g.share_of_total * 100).toFixed(1)}%`, num: true },
        { head: t('regions.within'), cell: (g) => fmtNum(g.theil_within, 4), num: true },
      ], disp.groups, { rowHeader: true, id: 'groups-table' }));
    }
    grid.appendChild(dispBox);

    // The tile map of the cities: by the index or any indicator of the framework.
    const choices = [...new Set([...mapChoices, ...scoredUnits(cities).flatMap((c) => (c.indicators ?? []).map((i) => i.code))])];
    const tiles = scoredUnits(cities).map((c) => {
      const v = colour === 'index' ? c.index : (values.find((r) => r.city === c.unit)?.value ?? null);
      return { code: c.unit, name: unitName(c.unit, c.name), value: v, text: colour === 'index' ? fmtScore(v) : fmtValue(colour, v) };
    });
    const mapBox = section(t('regions.map'),
      select(t('ctl.colourBy'), choices.map((c) => ({ value: c, label: c === 'index' ? t('common.index') : label('ind', c) })), colour, (v) => ctx.go({ map: v }), { id: 'map-select' }),
      tiles.length ? tileMap(tiles, `${t('regions.map')} · ${colour === 'index' ? t('common.index') : label('ind', colour)}`, !lowerIsBetter(colour), (code) => ctx.go({ by: 'city', heat: code }, 'overview'))
        : notice(t('common.noData')),
      h('p', { class: 'hint' }, t('regions.mapNote')));
    grid.appendChild(mapBox);
  },
};
