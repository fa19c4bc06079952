// Alerts of the server's rules over the period (GET /api/v1/alerts?from&to&at), the deadline
// warnings taken at the period's end.
import { api, ApiError, type Alert } from '../api';
import { scoped, type Page } from '../app';
import { chart } from '../charts';
import { names, nameOf } from '../data';
import { h, notice, section, table } from '../dom';
import { fmtInt, fmtNum, fmtValue } from '../format';
import { label, t } from '../i18n';

/** The indicator an alert is about, from its drill-down path (…&only=CODE). */
function indicatorOf(a: Alert): string {
  const m = /[?&]only=([a-z0-9_]+)/.exec(a.path);
  return m ? m[1] : '';
}

export const alertsPage: Page = {
  id: 'alerts',
  title: 'alerts.title',
  who: scoped,
  period: true,
  async render(el, ctx) {
    let alerts: Alert[];
    try {
      alerts = (await api.alerts({ from: ctx.from, to: ctx.to, at: ctx.to })).alerts;
    } catch (e) {
      el.appendChild(notice(e instanceof ApiError ? t('app.error', { message: e.message }) : String(e), 'error'));
      return;
    }
    const [regionNames, deptNames] = await Promise.all([names(ctx.from, ctx.to, 'region'), names(ctx.from, ctx.to, 'dept')]);
    const kinds = [...new Set(alerts.map((a) => a.kind))];
    const key = (k: string, v: string | null) => {
      if (k === 'dept') return nameOf(deptNames, v);
      if (k === 'region' || k === 'city') return nameOf(regionNames, v);
      if (k === 'transaction') return `${label('kind', 'transactions')} ${v ?? ''}`;
      if (k === 'case') return `${t('reviews.id')} ${v ?? ''}`;
      return `${k}=${v ?? ''}`;
    };
    const group = (a: Alert) => Object.entries(a.keys).map(([k, v]) => key(k, v)).join(' · ');
    // Deadline warnings carry no indicator: their value and limit are plain numbers.
    const num = (a: Alert, v: number | null) => (indicatorOf(a) ? fmtValue(indicatorOf(a), v) : fmtNum(v, 2));
    el.appendChild(section(t('alerts.summary', { n: alerts.length }),
      chart({
        grid: { left: 150, right: 40, top: 10, bottom: 30 },
        tooltip: {},
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: kinds.map((k) => label('alertKind', k)) },
        series: [{ type: 'bar', name: t('common.count'), data: kinds.map((k) => alerts.filter((a) => a.kind === k).length), label: { show: true, position: 'right' } }],
      }, t('alerts.summary', { n: alerts.length }), Math.max(120, kinds.length * 36 + 40), { id: 'alerts-chart' }),
      table(t('alerts.title'), [
        { head: t('alerts.rule'), cell: (a: Alert) => a.rule },
        { head: t('alerts.kind'), cell: (a) => label('alertKind', a.kind) },
        { head: t('alerts.group'), cell: (a) => group(a) },
        { head: t('ctl.indicator'), cell: (a) => (indicatorOf(a) ? label('ind', indicatorOf(a)) : '—') },
        { head: t('alerts.day'), cell: (a) => a.day ?? '—' },
        { head: t('common.value'), cell: (a) => num(a, a.value), num: true },
        { head: t('alerts.limit'), cell: (a) => num(a, a.limit), num: true },
        { head: t('alerts.n'), cell: (a) => fmtInt(a.evidence?.n), num: true },
        { head: t('alerts.drill'), cell: (a) => (a.path ? h('a', { href: a.path, target: '_blank', rel: 'noopener' }, 'JSON') : '') },
      ], alerts.slice(0, 1000), { id: 'alerts-table', empty: t('common.noData') })));
  },
};
