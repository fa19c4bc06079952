// Record-level rows (GET /api/v1/records/{kind}), masked by the server per role and audited; a
// page of rows at a time.
import { api, type Records } from './api';
import { append, button, clear, h, notice } from './dom';
import { fmtTime } from './format';
import { label, t } from './i18n';

/** The kind of record behind an indicator (docs/INDICATORS.md: each family's anchor). */
export function recordKind(indicator: string): string {
  if (['evaluations', 'positive_rate', 'negative_rate', 'top2_rate', 'mean_score', 'active_positive_rate', 'elderly_satisfaction_gap'].includes(indicator)) return 'evaluations';
  if (['reply_rate', 'rectification_rate', 'rectification_on_time_rate', 'revisit_rate', 'revisit_satisfaction'].includes(indicator)) return 'rectifications';
  if (['availability', 'latency_p95_ms'].includes(indicator)) return 'probes';
  if (['same_source_rate', 'field_match_rate', 'catalog_coverage'].includes(indicator)) return 'guides';
  if (['staff_per_window', 'integrated_window_share', 'training_hours_per_staff', 'platform_budget_share', 'rules_in_force', 'standardized_item_share'].includes(indicator)) return 'org';
  return 'transactions';
}

const timeColumn = /_at$/;

function cellText(column: string, v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (typeof v === 'string' && timeColumn.test(column)) return fmtTime(v);
  return String(v);
}

/**
 * A records browser for one unit: `filter` is {region} or {dept} (the unit's key), the period
 * from the page. Pages of `limit` rows.
 */
export function recordsView(kind: string, unitLabel: string, params: Record<string, string>, limit = 20): HTMLElement {
  const box = h('section', { class: 'card', id: 'records', 'aria-live': 'polite' });
  let offset = 0;
  const load = async () => {
    clear(box);
    append(box, h('h3', {}, t('overview.records', { kind: label('kind', kind), unit: unitLabel })), h('p', { class: 'hint' }, t('overview.recordsMasked')));
    let r: Records;
    try {
      r = await api.records(kind, { ...params, limit, offset });
    } catch (e) {
      box.appendChild(notice(t('app.error', { message: (e as Error).message }), 'error'));
      return;
    }
    const pages = Math.max(1, Math.ceil(r.total / limit));
    const page = Math.floor(offset / limit) + 1;
    const thead = h('thead', {}, h('tr', {}, r.columns.map((c) => h('th', { scope: 'col' }, c))));
    const tbody = h('tbody', {}, r.rows.map((row) => h('tr', {}, row.map((v, i) => (i === 0 ? h('th', { scope: 'row' }, cellText(r.columns[i], v)) : h('td', {}, cellText(r.columns[i], v)))))));
    append(
      box,
      h('div', { class: 'table-wrap' }, h('table', { id: 'records-table', 'data-total': r.total }, h('caption', {}, t('ctl.page', { page, pages, total: r.total })), thead, tbody)),
      h('div', { class: 'pager' },
        button(t('ctl.prev'), () => { offset = Math.max(0, offset - limit); void load(); }, { disabled: offset === 0 }),
        button(t('ctl.next'), () => { offset += limit; void load(); }, { disabled: offset + limit >= r.total })),
    );
  };
  void load();
  return box;
}
