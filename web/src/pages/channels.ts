// Channels: online vs offline parity (indicators by mode and by channel) and the digital divide
// (by age band; the elderly's gaps per unit).
import { api, pivot, type IndicatorRow } from '../api';
import { scoped, type Page } from '../app';
import { chart } from '../charts';
import { names, nameOf } from '../data';
import { h, section, table } from '../dom';
import { fmtValue } from '../format';
import { label, t } from '../i18n';

const parity = ['volume', 'online_rate', 'zero_visit_rate', 'one_visit_rate', 'on_time_rate', 'avg_handling_days', 'positive_rate', 'mean_score', 'unrated_rate'];
const bars = ['zero_visit_rate', 'one_visit_rate', 'on_time_rate', 'positive_rate', 'unrated_rate'];
const divide = ['volume', 'online_rate', 'positive_rate', 'mean_score'];
const gaps = ['elderly_online_gap', 'elderly_satisfaction_gap'];
const ageBands = ['<30', '30-44', '45-59', '60-69', '70+', ''];

function byKeyTable(caption: string, id: string, rows: IndicatorRow[], key: string, codes: string[], name: (k: string) => string, keyHead: string, order?: string[]): HTMLElement {
  const p = pivot(rows, key);
  const keys = order ? order.filter((k) => p.has(k)) : [...p.keys()];
  return table(caption, [
    { head: keyHead, cell: (k: string) => name(k) },
    ...codes.map((c) => ({ head: label('ind', c), num: true, cell: (k: string) => fmtValue(c, p.get(k)?.get(c)?.value ?? null), attrs: () => ({ 'data-col': c }) })),
  ], keys, { rowHeader: true, id, rowAttrs: (k) => ({ 'data-key': k }) });
}

function groupedBars(rows: IndicatorRow[], key: string, name: (k: string) => string, codes: string[], id: string, title: string, order?: string[]): HTMLElement {
  const p = pivot(rows, key);
  const keys = order ? order.filter((k) => p.has(k)) : [...p.keys()];
  return chart({
    grid: { left: 50, right: 20, top: 40, bottom: 60 },
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${(v * 100).toFixed(1)}%` },
    xAxis: { type: 'category', data: codes.map((c) => label('ind', c)), axisLabel: { interval: 0, rotate: 20 } },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
    series: keys.map((k) => ({ type: 'bar', name: name(k), data: codes.map((c) => p.get(k)?.get(c)?.value ?? null) })),
  }, title, 300, { id });
}

export const channelsPage: Page = {
  id: 'channels',
  title: 'channels.title',
  who: scoped,
  level: true,
  period: true,
  async render(el, ctx) {
    const p = { from: ctx.from, to: ctx.to };
    const [byMode, byChannel, byAge, byUnit, unitNames] = await Promise.all([
      api.indicators({ ...p, by: 'mode', only: parity.join(',') }),
      api.indicators({ ...p, by: 'channel', only: parity.join(',') }),
      api.indicators({ ...p, by: 'age_band', only: divide.join(',') }),
      api.indicators({ ...p, by: ctx.by, only: [...gaps, 'online_rate', 'mean_score'].join(',') }),
      names(ctx.from, ctx.to, ctx.by),
    ]);
    const mode = (k: string) => label('mode', k);
    const channel = (k: string) => label('channel', k);
    const age = (k: string) => (k === '' ? t('age.none') : k);
    const grid = h('div', { class: 'grid-2' });
    el.appendChild(grid);
    grid.appendChild(section(t('channels.mode'),
      groupedBars(byMode, 'mode', mode, bars, 'mode-chart', t('channels.mode')),
      byKeyTable(t('channels.mode'), 'mode-table', byMode, 'mode', parity, mode, t('channels.modeHead'))));
    grid.appendChild(section(t('channels.channel'),
      groupedBars(byChannel, 'channel', channel, bars, 'channel-chart', t('channels.channel')),
      byKeyTable(t('channels.channel'), 'channel-table', byChannel, 'channel', parity, channel, t('channels.channelHead'))));
    const ap = pivot(byAge, 'age_band');
    const bands = ageBands.filter((b) => ap.has(b));
    grid.appendChild(section(t('channels.divide'),
      chart({
        grid: { left: 50, right: 50, top: 40, bottom: 30 },
        legend: { top: 0 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: bands.map(age) },
        yAxis: [
          { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
          { type: 'value', min: 1, max: 5 },
        ],
        series: [
          { type: 'bar', name: label('ind', 'online_rate'), data: bands.map((b) => ap.get(b)?.get('online_rate')?.value ?? null) },
          { type: 'line', yAxisIndex: 1, name: label('ind', 'mean_score'), data: bands.map((b) => ap.get(b)?.get('mean_score')?.value ?? null) },
        ],
      }, t('channels.divide'), 280, { id: 'age-chart' }),
      byKeyTable(t('channels.divide'), 'age-table', byAge, 'age_band', divide, age, t('channels.ageHead'), ageBands)));
    const up = pivot(byUnit, ctx.by);
    const unitKeys = [...up.keys()].filter((k) => gaps.some((g) => up.get(k)?.get(g)?.value !== null && up.get(k)?.get(g)?.value !== undefined));
    grid.appendChild(section(t('channels.gaps'),
      h('p', { class: 'hint' }, t('channels.gapNote')),
      chart({
        grid: { left: 120, right: 30, top: 30, bottom: 30 },
        legend: { top: 0 },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${(v * 100).toFixed(0)}pp` } },
        yAxis: { type: 'category', inverse: true, data: unitKeys.slice(0, 40).map((k) => nameOf(unitNames, k)), axisLabel: { interval: 0 } },
        series: [{ type: 'bar', name: label('ind', 'elderly_online_gap'), data: unitKeys.slice(0, 40).map((k) => up.get(k)?.get('elderly_online_gap')?.value ?? null) }],
      }, t('channels.gaps'), Math.max(200, Math.min(40, unitKeys.length) * 22 + 60), { id: 'gap-chart' }),
      byKeyTable(t('channels.gaps'), 'gap-table', byUnit, ctx.by, [...gaps, 'online_rate', 'mean_score'], (k) => nameOf(unitNames, k), label('level', ctx.by), unitKeys)));
  },
};
