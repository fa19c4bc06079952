// Overview: the index and grade per unit, the trend by month, and the stage × dimension heatmap
// with its drill-down: a cell → its indicators per unit → one unit's explanation → the records.
import { api, type IndicatorRow, type Score, type ScoreUnit } from '../api';
import { may, scoped, type Ctx, type Page } from '../app';
import { chart, gradeColours, type Chart } from '../charts';
import { monthsOf, score, scoredUnits, twelveMonths } from '../data';
import { append, button, clear, folded, h, notice, section, select, table } from '../dom';
import { fmtInt, fmtScore, fmtValue } from '../format';
import { cellLabel, label, t, unitName } from '../i18n';
import { recordKind, recordsView } from '../records';

export const stages = ['guidance', 'application', 'handling', 'delivery', 'feedback'];
export const dimensions = ['convenience', 'timeliness', 'accuracy', 'responsiveness', 'inclusiveness', 'satisfaction'];
/** The heatmap's plot area, in pixels from the chart's edges (the e2e test clicks cells by it). */
export const heatmapGrid = { left: 110, right: 90, top: 10, bottom: 40 };

const trendChoices = ['index', 'on_time_rate', 'positive_rate', 'online_rate', 'one_visit_rate', 'avg_handling_days', 'reply_rate', 'mean_score'];

function cellScore(u: ScoreUnit, cell: string): number | null {
  return u.nodes?.find((n) => n.code === cell)?.score ?? null;
}

function ranking(units: ScoreUnit[]): HTMLElement {
  const ranked = [...units].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || (b.index ?? -1) - (a.index ?? -1));
  const withIndex = ranked.filter((u) => u.index !== null);
  const means = withIndex.map((u) => u.index!);
  const mean = means.length ? means.reduce((a, b) => a + b, 0) / means.length : null;
  const kpis = h('dl', { class: 'kpis', id: 'kpis' },
    h('div', {}, h('dt', {}, t('overview.kpi.units')), h('dd', {}, fmtInt(units.length))),
    h('div', {}, h('dt', {}, t('overview.kpi.mean')), h('dd', {}, fmtScore(mean))),
    h('div', {}, h('dt', {}, t('overview.kpi.best')), h('dd', {}, withIndex[0] ? `${unitName(withIndex[0].unit, withIndex[0].name)} ${fmtScore(withIndex[0].index)}` : '—')),
    h('div', {}, h('dt', {}, t('overview.kpi.worst')), h('dd', {}, withIndex.length ? `${unitName(withIndex[withIndex.length - 1].unit, withIndex[withIndex.length - 1].name)} ${fmtScore(withIndex[withIndex.length - 1].index)}` : '—')));
  const shown = withIndex.slice(0, 40);
  const option = {
    grid: { left: 120, right: 40, top: 10, bottom: 30 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', min: 0, max: 100 },
    yAxis: { type: 'category', inverse: true, data: shown.map((u) => unitName(u.unit, u.name)), axisLabel: { interval: 0 } },
    series: [{
      type: 'bar',
      name: t('common.index'),
      data: shown.map((u) => ({ value: Number(u.index!.toFixed(1)), itemStyle: { color: gradeColours[u.grade ?? ''] ?? '#455a64' } })),
      label: { show: true, position: 'right', formatter: (p: { value: number }) => p.value.toFixed(1) },
    }],
  };
  const tbl = table(t('overview.ranking'), [
    { head: t('common.rank'), cell: (u: ScoreUnit) => (u.rank === null ? t('common.notRanked') : String(u.rank)), num: true },
    { head: t('common.unit'), cell: (u) => unitName(u.unit, u.name), attrs: (u) => ({ 'data-unit': u.unit }) },
    { head: t('common.index'), cell: (u) => fmtScore(u.index), num: true, attrs: () => ({ 'data-col': 'index' }) },
    { head: t('common.grade'), cell: (u) => (u.grade ? label('grade', u.grade) : '—'), attrs: () => ({ 'data-col': 'grade' }) },
    { head: t('common.sample'), cell: (u) => fmtInt(u.sample), num: true },
  ], ranked, { id: 'ranking-table', empty: t('common.noData'), rowAttrs: (u) => ({ 'data-unit': u.unit }) });
  return section(t('overview.ranking'), kpis,
    chart(option, t('overview.rankingChart'), Math.max(200, shown.length * 22 + 50), { id: 'ranking-chart' }),
    folded(ranked.length, tbl, ranked.length <= 20));
}

type Series = { name: string; data: (number | null)[] };

/** The trend's data: one line per city (whatever the level) and the province's. Fetched at once. */
async function trendData(ctx: Ctx, which: string): Promise<{ months: string[]; series: (names: Map<string, string>) => Series[] }> {
  const span = twelveMonths(ctx.to);
  const months = monthsOf(span.from, span.to);
  if (which === 'index') {
    const scores = await Promise.all(months.map((m, i) => score(`${m}-01`, i + 1 < months.length ? `${months[i + 1]}-01` : span.to, 'city')));
    const codes = [...new Set(scores.flatMap((s) => scoredUnits(s).map((u) => u.unit)))];
    return {
      months,
      series: (names) => codes.map((c) => ({
        name: unitName(c, names.get(c) ?? scores[0].units.find((u) => u.unit === c)?.name),
        data: scores.map((s) => {
          const v = s.units.find((u) => u.unit === c)?.index;
          return v === null || v === undefined ? null : Number(v.toFixed(1));
        }),
      })),
    };
  }
  const [byCity, total] = await Promise.all([
    api.indicators({ from: span.from, to: span.to, by: 'city,month', only: which }),
    api.indicators({ from: span.from, to: span.to, by: 'month', only: which }),
  ]);
  const cities = [...new Set(byCity.map((r) => String(r.city)))];
  const val = (rows: IndicatorRow[], m: string, city?: string) => rows.find((r) => r.month === m && (city === undefined || r.city === city))?.value ?? null;
  return {
    months,
    series: (names) => [
      { name: t('common.province'), data: months.map((m) => val(total, m)) },
      ...cities.map((c) => ({ name: unitName(c, names.get(c)), data: months.map((m) => val(byCity, m, c)) })),
    ],
  };
}

function trendBox(ctx: Ctx, which: string, months: string[], series: Series[]): HTMLElement {
  const box = section(t('overview.trend'));
  box.appendChild(select(t('ctl.indicator'), trendChoices.map((c) => ({ value: c, label: c === 'index' ? t('overview.trendIndex') : label('ind', c) })), which,
    (v) => ctx.go({ trend: v }), { id: 'trend-select' }));
  const isRate = which !== 'index' && fmtValue(which, 0.5).endsWith('%');
  box.appendChild(chart({
    grid: { left: 60, right: 140, top: 20, bottom: 40 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => (which === 'index' ? fmtScore(v) : fmtValue(which, v)) },
    legend: { type: 'scroll', orient: 'vertical', right: 0, top: 0 },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', scale: true, axisLabel: { formatter: (v: number) => (isRate ? `${(v * 100).toFixed(0)}%` : String(v)) } },
    series: series.map((s, i) => ({ type: 'line', name: s.name, data: s.data, connectNulls: false, lineStyle: { width: i === 0 ? 3 : 1.5 }, symbolSize: i === 0 ? 6 : 3 })),
  }, t('overview.trend'), 340, { id: 'trend-chart' }));
  box.appendChild(folded(series.length,
    table(t('overview.trend'), [
      { head: t('common.unit'), cell: (s: Series) => s.name },
      ...months.map((m, i) => ({ head: m, num: true, cell: (s: Series) => (which === 'index' ? fmtScore(s.data[i]) : fmtValue(which, s.data[i])) })),
    ], series, { rowHeader: true, id: 'trend-table' })));
  return box;
}

function heatmapBox(ctx: Ctx, s: Score, drill: HTMLElement): HTMLElement {
  const units = scoredUnits(s).filter((u) => u.index !== null);
  const of = ctx.params.get('heat') ?? '';
  const unit = units.find((u) => u.unit === of);
  const values: [number, number, number | null][] = [];
  stages.forEach((st, y) => dimensions.forEach((d, x) => {
    const code = `${st}/${d}`;
    let v: number | null;
    if (unit) v = cellScore(unit, code);
    else {
      const vs = units.map((u) => cellScore(u, code)).filter((x): x is number => x !== null);
      v = vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : null;
    }
    values.push([x, y, v === null ? null : Number(v.toFixed(1))]);
  }));
  const box = section(t('overview.heatmap'), h('p', { class: 'hint' }, t('overview.heatmapHint')));
  box.appendChild(select(t('overview.heatmapOf'), [{ value: '', label: t('common.average') }, ...units.map((u) => ({ value: u.unit, label: unitName(u.unit, u.name) }))], of,
    (v) => ctx.go({ heat: v || null }), { id: 'heat-unit' }));
  const open = (cell: string) => {
    ctx.params.set('cell', cell);
    void cellDrill(ctx, s, cell, drill);
  };
  box.appendChild(chart({
    grid: { ...heatmapGrid, show: true, backgroundColor: '#eceff1', borderColor: '#cfd6dd' },
    tooltip: { formatter: (p: { value: [number, number, number | null] }) => `${cellLabel(`${stages[p.value[1]]}/${dimensions[p.value[0]]}`)}: ${fmtScore(p.value[2])}` },
    xAxis: { type: 'category', data: dimensions.map((d) => label('dim', d)), axisLabel: { interval: 0 } },
    yAxis: { type: 'category', data: stages.map((st) => label('stage', st)), inverse: true },
    visualMap: { min: 0, max: 100, calculable: false, text: ['100', '0'], orient: 'vertical', right: 0, top: 'center', itemHeight: 160, inRange: { color: ['#e57373', '#fff59d', '#81c784'] } },
    series: [{
      type: 'heatmap',
      name: t('common.score'),
      data: values.filter((v) => v[2] !== null),
      label: { show: true, color: '#111', formatter: (p: { value: [number, number, number] }) => p.value[2].toFixed(1) },
      emphasis: { itemStyle: { borderColor: '#111', borderWidth: 2 } },
      itemStyle: { borderColor: '#fff', borderWidth: 1 },
    }],
  }, t('overview.heatmap'), 330, { id: 'heatmap-chart' }, (c: Chart) => {
    c.on('click', (p) => {
      const v = p.value as [number, number, number];
      open(`${stages[v[1]]}/${dimensions[v[0]]}`);
    });
  }));
  // The same cells as a table of buttons: for the keyboard, screen readers and printing.
  const tbl = h('table', { id: 'heatmap-table' }, h('caption', {}, t('overview.cellTable')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), dimensions.map((d) => h('th', { scope: 'col' }, label('dim', d))))),
    h('tbody', {}, stages.map((st, y) => h('tr', {}, h('th', { scope: 'row' }, label('stage', st)), dimensions.map((d, x) => {
      const v = values[y * dimensions.length + x][2];
      return h('td', { class: 'num' }, v === null ? '' : button(fmtScore(v), () => open(`${st}/${d}`), { 'data-cell': `${st}/${d}`, 'aria-label': `${cellLabel(`${st}/${d}`)} ${fmtScore(v)}` }));
    })))));
  box.appendChild(h('details', { class: 'data-table' }, h('summary', {}, t('overview.cellTable')), h('div', { class: 'table-wrap' }, tbl)));
  return box;
}

async function cellDrill(ctx: Ctx, s: Score, cell: string, drill: HTMLElement): Promise<void> {
  clear(drill);
  const units = scoredUnits(s);
  const codes = [...new Set(units.flatMap((u) => (u.indicators ?? []).filter((i) => i.parent === cell).map((i) => i.code)))];
  const explainBox = h('div', { id: 'explain' });
  const sec = section(t('overview.cellUnits', { cell: cellLabel(cell) }));
  sec.id = 'cell-drill';
  sec.appendChild(table(t('overview.cell', { cell: cellLabel(cell) }), [
    { head: t('common.unit'), cell: (u: ScoreUnit) => unitName(u.unit, u.name) },
    { head: t('common.score'), cell: (u) => fmtScore(cellScore(u, cell)), num: true, attrs: () => ({ 'data-col': 'cell-score' }) },
    ...codes.map((c) => ({ head: label('ind', c), num: true, cell: (u: ScoreUnit) => fmtValue(c, u.indicators?.find((i) => i.code === c)?.value ?? null), attrs: () => ({ 'data-col': c }) })),
    { head: '', cell: (u) => button(t('overview.explainBtn'), () => void explain(ctx, u, cell, explainBox), { 'data-explain': u.unit }) },
  ], units, { rowHeader: true, id: 'cell-table', rowAttrs: (u) => ({ 'data-unit': u.unit }) }));
  append(drill, sec, explainBox);
  sec.scrollIntoView({ block: 'start' });
  (sec.querySelector('h2') as HTMLElement | null)?.setAttribute('tabindex', '-1');
  (sec.querySelector('h2') as HTMLElement | null)?.focus({ preventScroll: true });
}

async function explain(ctx: Ctx, u: ScoreUnit, cell: string, box: HTMLElement): Promise<void> {
  clear(box);
  const title = t('overview.explain', { unit: unitName(u.unit, u.name), cell: cellLabel(cell) });
  const sec = section(title);
  sec.id = 'explain-card';
  box.appendChild(sec);
  const recordsBox = h('div');
  try {
    const e = await api.explain({ from: ctx.from, to: ctx.to, by: ctx.by, unit: u.unit, cell });
    append(sec, h('p', {}, `${t('common.score')}: `, h('strong', { id: 'explain-score' }, fmtScore(e.target.score))));
    const key = ctx.by === 'dept' ? 'dept' : 'region';
    sec.appendChild(table(title, [
      { head: t('ctl.indicator'), cell: (i) => label('ind', i.code) },
      { head: t('common.value'), cell: (i) => fmtValue(i.code, i.value), num: true, attrs: () => ({ 'data-col': 'value' }) },
      { head: t('common.score'), cell: (i) => fmtScore(i.score), num: true },
      { head: t('common.weight'), cell: (i) => i.effective_weight.toFixed(3), num: true },
      { head: t('overview.ruleText'), cell: (i) => i.rule_text },
      { head: t('overview.base'), cell: (i) => (i.base && i.base.numerator !== undefined ? `${fmtInt(i.base.numerator)} / ${fmtInt(i.base.denominator)} (${i.base.numerator_counts ?? ''} / ${i.base.denominator_counts ?? ''})` : i.base?.sample !== undefined ? `n = ${fmtInt(i.base.sample)}` : '—') },
      { head: t('overview.recordIds'), cell: (i) => (i.records?.counted_in?.length ? i.records.counted_in.join(', ') : '—') },
      ...(may.records(ctx.me) && e.show_records
        ? [{ head: t('common.records'), cell: (i: (typeof e.indicators)[number]) => button(t('overview.recordsBtn'), () => {
            clear(recordsBox);
            const kind = recordKind(i.code);
            recordsBox.appendChild(recordsView(kind, unitName(u.unit, u.name), { from: ctx.from, to: ctx.to, [key]: u.unit }));
            recordsBox.scrollIntoView({ block: 'start' });
          }, { 'data-records': i.code }) }]
        : []),
    ], e.indicators, { rowHeader: true, id: 'explain-table', rowAttrs: (i) => ({ 'data-indicator': i.code }) }));
    sec.appendChild(recordsBox);
    sec.scrollIntoView({ block: 'start' });
  } catch (err) {
    sec.appendChild(notice(t('app.error', { message: (err as Error).message }), 'error'));
  }
}

export const overviewPage: Page = {
  id: 'overview',
  title: 'overview.title',
  who: scoped,
  level: true,
  period: true,
  async render(el, ctx) {
    // Everything the first screen needs is asked for at once.
    const which = ctx.params.get('trend') ?? 'on_time_rate';
    const sP = score(ctx.from, ctx.to, ctx.by);
    const cityP = ctx.by === 'city' ? sP : score(ctx.from, ctx.to, 'city');
    const trendP = Promise.all([trendData(ctx, which), cityP]).then(([d, cs]) =>
      trendBox(ctx, which, d.months, d.series(new Map(cs.units.map((u) => [u.unit, u.name ?? u.unit])))));
    trendP.catch(() => undefined);
    const s = await sP;
    const units = scoredUnits(s);
    const stale = units.filter((u) => (u.context?.freshness_hours ?? 0) > 48).length;
    if (stale) el.appendChild(notice(t('overview.stale', { n: stale, h: 48 }), 'warn'));
    for (const n of s.notes) el.appendChild(notice(n, 'info'));
    const drill = h('div', { id: 'drill' });
    const grid = h('div', { class: 'grid-2' });
    el.appendChild(grid);
    grid.appendChild(ranking(units));
    grid.appendChild(heatmapBox(ctx, s, drill));
    el.appendChild(drill);
    // The trend lies below the fold: the first screen does not wait for it.
    ctx.later(trendP.then((box) => el.insertBefore(box, drill)));
    const cell = ctx.params.get('cell');
    if (cell) void cellDrill(ctx, s, cell, drill);
  },
};
