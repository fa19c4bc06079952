// Shared loaders: the score of a period (cached, since several pages and the unit names need
// it), the default period, and small helpers over the API's rows.
import { api, type Score, type ScoreUnit } from './api';
import { unitName } from './i18n';

const scoreCache = new Map<string, Promise<Score>>();

/** The score JSON of a period and level (one request per distinct query while the page lives). */
export function score(from: string, to: string, by: string, extra: Record<string, string | number> = {}): Promise<Score> {
  const key = JSON.stringify([from, to, by, extra]);
  let p = scoreCache.get(key);
  if (!p) {
    p = api.score({ from, to, by, ...extra });
    p.catch(() => scoreCache.delete(key));
    scoreCache.set(key, p);
  }
  return p;
}

export function clearCache(): void {
  scoreCache.clear();
}

/** Units that take part (not the root of a city grouping, which has no records of its own). */
export function scoredUnits(s: Score): ScoreUnit[] {
  return s.units.filter((u) => u.sample !== 0 || u.index !== null);
}

/** Names of the units of a level, from the score of the period. */
export async function names(from: string, to: string, by: string): Promise<Map<string, string>> {
  try {
    const s = await score(from, to, by);
    return new Map(s.units.map((u) => [u.unit, u.name ?? u.unit]));
  } catch {
    return new Map();
  }
}

export function nameOf(map: Map<string, string>, code: string | null | undefined): string {
  if (!code) return '—';
  return unitName(code, map.get(code));
}

function ymd(y: number, m: number, d = 1): string {
  const dt = new Date(Date.UTC(y, m, d));
  return dt.toISOString().slice(0, 10);
}

/**
 * The latest full month of the data: the newest transaction is found from freshness_hours over
 * everything up to tomorrow (the public route, so it works before sign-in). Its month is full
 * when the newest record lies in the month's last day; otherwise the month before it is taken.
 * Dates are the store's local dates: they are handled as UTC midnights, so the browser's own
 * zone does not shift them.
 */
export async function latestFullMonth(): Promise<{ from: string; to: string }> {
  const now = new Date();
  const tomorrow = ymd(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  let newest = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) - 1;
  try {
    const rows = await api.publicIndicators({ from: '2000-01-01', to: tomorrow, only: 'freshness_hours' });
    const h = rows.find((r) => r.indicator === 'freshness_hours')?.value;
    if (typeof h === 'number') newest = Date.parse(`${tomorrow}T00:00:00Z`) - h * 3600e3;
  } catch {
    /* no data yet: the month before this one */
  }
  const d = new Date(newest);
  let y = d.getUTCFullYear();
  let m = d.getUTCMonth();
  if (Date.UTC(y, m + 1, 1) - newest > 24 * 3600e3) {
    m -= 1;
    if (m < 0) {
      m = 11;
      y -= 1;
    }
  }
  return { from: ymd(y, m), to: ymd(y, m + 1) };
}

/** The 12 months that end with the period's last month: [from, to). */
export function twelveMonths(to: string): { from: string; to: string } {
  const [y, m, d] = to.split('-').map(Number);
  // `to` is exclusive: a period ending 2025-01-01 ends with December 2024.
  const endMonth = d === 1 ? new Date(Date.UTC(y, m - 1, 1)) : new Date(Date.UTC(y, m, 1));
  const start = new Date(Date.UTC(endMonth.getUTCFullYear(), endMonth.getUTCMonth() - 12, 1));
  return { from: start.toISOString().slice(0, 10), to: endMonth.toISOString().slice(0, 10) };
}

/** Months of [from, to) as YYYY-MM. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  const end = to.slice(0, 7);
  for (let i = 0; i < 240; i++) {
    const s = `${y}-${String(m).padStart(2, '0')}`;
    if (s >= end && !(s === end && to.slice(8) !== '01')) break;
    out.push(s);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}
