// Number and time formatting. Rates are fractions in the API and shown as percentages.
import { getLang, t } from './i18n';

/** The unit of each indicator (docs/INDICATORS.md), for formatting. */
const units: Record<string, 'rate' | 'count' | 'score' | 'num' | 'gap'> = {
  volume: 'count', completed: 'count', open_overdue: 'count', evaluations: 'count', rules_in_force: 'count',
  online_rate: 'rate', zero_visit_rate: 'rate', one_visit_rate: 'rate', material_exemption_rate: 'rate',
  cross_region_rate: 'rate', instant_rate: 'rate', long_wait_rate: 'rate', sync_rate: 'rate', on_time_rate: 'rate',
  time_compression_rate: 'rate', positive_rate: 'rate', negative_rate: 'rate', top2_rate: 'rate',
  active_positive_rate: 'rate', unrated_rate: 'rate', reply_rate: 'rate', rectification_rate: 'rate',
  rectification_on_time_rate: 'rate', revisit_rate: 'rate', revisit_satisfaction: 'rate', availability: 'rate',
  same_source_rate: 'rate', field_match_rate: 'rate', catalog_coverage: 'rate', completeness_rate: 'rate',
  integrated_window_share: 'rate', platform_budget_share: 'rate', standardized_item_share: 'rate',
  elderly_online_gap: 'gap',
  mean_score: 'num', elderly_satisfaction_gap: 'num', avg_visits: 'num', avg_wait_minutes: 'num',
  avg_handling_days: 'num', p90_handling_days: 'num', sync_lag_p95_hours: 'num', latency_p95_ms: 'num',
  freshness_hours: 'num', eval_freshness_hours: 'num', staff_per_window: 'num', training_hours_per_staff: 'num',
};

export function isRate(code: string): boolean {
  return units[code] === 'rate' || units[code] === 'gap';
}

function locale(): string {
  return getLang() === 'zh' ? 'zh-CN' : 'en-GB';
}

export function fmtNum(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return v.toLocaleString(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtInt(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return Math.round(v).toLocaleString(locale());
}

/** A fraction as a percentage with one decimal: 0.9933 → 99.3%. */
export function fmtPct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined) return '—';
  return `${(v * 100).toFixed(digits)}%`;
}

/** A score 0–100 with one decimal. */
export function fmtScore(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return v.toFixed(1);
}

/** An indicator's value in its unit. */
export function fmtValue(code: string, v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  switch (units[code]) {
    case 'rate':
      return fmtPct(v);
    case 'gap':
      return `${v > 0 ? '+' : ''}${(v * 100).toFixed(1)} pp`;
    case 'count':
      return fmtInt(v);
    default:
      return Math.abs(v) >= 100 ? fmtNum(v, 0) : fmtNum(v, 2);
  }
}

/** The value of an indicator row, or the public view's suppression note. */
export function fmtCell(code: string, v: number | null | undefined, suppressed?: boolean, k = 10): string {
  if (suppressed) return t('common.suppressed', { k });
  return fmtValue(code, v);
}

/** An ISO instant as date and time in the browser's time zone. */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale(), {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  });
}

const lowerBetter = new Set([
  'avg_visits', 'avg_wait_minutes', 'long_wait_rate', 'avg_handling_days', 'p90_handling_days', 'sync_lag_p95_hours',
  'latency_p95_ms', 'negative_rate', 'unrated_rate', 'open_overdue', 'freshness_hours', 'eval_freshness_hours',
]);

/** Whether a lower value of the indicator is better (the catalog's direction). */
export function lowerIsBetter(code: string): boolean {
  return lowerBetter.has(code);
}
