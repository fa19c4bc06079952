// The typed client of the govqm API (service.md §3; the server's own document is
// /api/v1/openapi.json). Only the fields the dashboard reads are typed.

export type Role = 'admin' | 'supervisor' | 'operator' | 'auditor';

export interface Me {
  user: string;
  role: Role;
  scope: { region: string | null; depts: string[] };
  csrf: string;
}

export type Keys = Record<string, string | null>;
/** One row of `indicators --format json`: the group keys, indicator and value. */
export interface IndicatorRow {
  indicator: string;
  value: number | null;
  suppressed?: boolean;
  [key: string]: string | number | boolean | null | undefined;
}

export interface ScoreNode {
  code: string;
  level: 'matrix' | 'block' | 'cell' | 'stage' | 'dimension' | string;
  parent: string;
  score: number | null;
  weight: number;
}
export interface ScoreIndicator {
  code: string;
  parent: string;
  value: number | null;
  score: number | null;
  weight: number;
  rule: string;
}
export interface ScoreUnit {
  unit: string;
  name: string | null;
  sample: number | null;
  index: number | null;
  grade: string | null;
  grade_en: string | null;
  rank: number | null;
  rank_note: string | null;
  below_min_sample?: boolean;
  suppressed?: boolean;
  rank_uncertainty?: { median: number; p05: number; p95: number };
  stages: Record<string, number | null>;
  dimensions: Record<string, number | null>;
  nodes?: ScoreNode[];
  indicators?: ScoreIndicator[];
  context?: Record<string, number | null>;
}
export interface Score {
  framework: { name: string; version: string };
  period: { from: string; to: string };
  by: string;
  min_sample: number;
  notes: string[];
  units: ScoreUnit[];
}

export interface ExplainIndicator {
  code: string;
  name: string | null;
  name_en: string | null;
  parent: string;
  value: number | null;
  score: number | null;
  weight: number;
  effective_weight: number;
  direction: string;
  rule_text: string;
  reason: string | null;
  source: string;
  base?: {
    measure: string;
    numerator?: number;
    numerator_counts?: string;
    denominator?: number;
    denominator_counts?: string;
    sample?: number;
    agrees?: boolean;
  };
  records?: { counted_in: string[]; not_counted_in: string[]; detail: string | null } | null;
  org_periods?: { unit: string; period: string; value: number; evidence: string | null }[];
}
export interface Explain {
  unit: ScoreUnit;
  target: { kind: string; level: string; code: string; name: string; name_en: string; score: number | null };
  show_records: boolean;
  indicators: ExplainIndicator[];
}

export interface Disparity {
  of: string;
  by: string;
  units: number;
  left_out: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  gini: number | null;
  theil: number | null;
  theil_between?: number | null;
  theil_within?: number | null;
  cv: number | null;
  max_min_ratio: number | null;
  groups?: { group: string; units: number; mean: number; share_of_total: number; theil_within: number }[];
  grades?: Record<string, number>;
}

export interface Records {
  kind: string;
  total: number;
  offset: number;
  limit: number;
  columns: string[];
  rows: (string | number | boolean | null)[][];
}

export interface CaseRow {
  id: string;
  region_code: string;
  dept_code: string | null;
  reviewed_at: string;
  score: number;
  state: string;
  since: string;
  next_step: string | null;
  deadline: string | null;
  overdue: boolean;
  contact?: string | null;
  history?: { event: string; at: string; actor: string; note: string | null; revisit_score?: number | null }[];
  [key: string]: unknown;
}
export interface CaseGroup {
  cases: number;
  open: number;
  verified: number;
  rectified: number;
  revisited: number;
  closed: number;
  invalid: number;
  overdue: number;
  [key: string]: string | number;
}
export interface Cases {
  at: string;
  cases?: CaseRow[];
  by?: string;
  groups?: CaseGroup[];
}

export interface Alert {
  rule: string;
  kind: string;
  keys: Keys;
  day: string | null;
  value: number | null;
  limit: number | null;
  evidence: { n: number | null; mu0: number | null; sigma0: number | null };
  path: string;
}

export interface DiagItem {
  level: string;
  code: string;
  name: string | null;
  name_en: string | null;
  value: number | null;
  score: number | null;
  target: number | null;
  peers_median: number | null;
  rank: number | null;
  compared: number | null;
  quartile: string | null;
  loss: number | null;
  history?: { from: string; to: string; value: number | null; score: number | null; rank: number | null }[];
}
export interface Diagnosis {
  unit: ScoreUnit;
  compared_units: number;
  notes: string[];
  weak_points: DiagItem[];
  difficulties: DiagItem[];
  highlights: DiagItem[];
  pain_points: {
    evaluations: number;
    bad_reviews: number;
    with_reasons: number;
    commented: number;
    reasons: { code: string; count: number; share: number; examples?: { id: string; comment: string }[] }[];
    words?: { word: string; comments: number; occurrences: number; share: number; examples?: { id: string; comment: string }[] }[];
  };
}

export interface ImportResult {
  import_id: string;
  kind: string;
  read: number;
  loaded: number;
  replaced: number;
  rejected: number;
  rejects_file: string | null;
  files: { file: string; format: string; encoding: string; read: number; rejected: number; ignored_columns: string[]; warnings: string[] }[];
  unknown_codes: Record<string, string[] | number>;
  atomic_refused: boolean;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  object: string;
  detail: string;
  hash: string;
}

export interface User {
  name: string;
  role: Role;
  region?: string | null;
  depts?: string[];
  disabled?: boolean;
  [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown = null,
  ) {
    super(message);
  }
}

type Params = Record<string, string | number | boolean | null | undefined>;

export function query(params: Params): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === false || v === '') continue;
    q.set(k, v === true ? '1' : String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

let csrf = '';
/** The CSRF token of the session (from sign-in or /me), sent with every state-changing request. */
export function setCsrf(token: string): void {
  csrf = token;
}

async function request<T>(method: string, path: string, body?: BodyInit | null, contentType?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (contentType) headers['Content-Type'] = contentType;
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(`/api/v1${path}`, { method, headers, body: body ?? null, credentials: 'same-origin' });
  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(res.status, err?.code ?? String(res.status), err?.message ?? (text.slice(0, 200) || res.statusText), json);
  }
  return json as T;
}

export const api = {
  get: <T>(path: string, params: Params = {}) => request<T>('GET', path + query(params)),
  signIn: (user: string, password: string) =>
    request<Me>('POST', '/session', JSON.stringify({ user, password }), 'application/json'),
  signOut: () => request<unknown>('DELETE', '/session'),
  me: () => request<Me>('GET', '/me'),
  indicators: (p: Params) => request<IndicatorRow[]>('GET', '/indicators' + query(p)),
  publicIndicators: (p: Params) => request<IndicatorRow[]>('GET', '/public/indicators' + query(p)),
  score: (p: Params) => request<Score>('GET', '/score' + query(p)),
  publicScore: (p: Params) => request<Score>('GET', '/public/score' + query(p)),
  explain: (p: Params) => request<Explain>('GET', '/explain' + query(p)),
  disparity: (p: Params) => request<Disparity>('GET', '/disparity' + query(p)),
  records: (kind: string, p: Params) => request<Records>('GET', `/records/${encodeURIComponent(kind)}` + query(p)),
  cases: (p: Params) => request<Cases>('GET', '/cases' + query(p)),
  caseShow: (id: string, p: Params = {}) => request<CaseRow>('GET', `/cases/${encodeURIComponent(id)}` + query(p)),
  caseAct: (id: string, body: { action: string; note?: string; reason?: string; revisit_score?: number }) =>
    request<CaseRow>('POST', `/cases/${encodeURIComponent(id)}/actions`, JSON.stringify(body), 'application/json'),
  alerts: (p: Params) => request<{ alerts: Alert[] }>('GET', '/alerts' + query(p)),
  diagnosis: (p: Params) => request<Diagnosis>('GET', '/diagnosis' + query(p)),
  importFile: (kind: string, file: Blob, p: Params) =>
    request<ImportResult>('POST', `/imports/${encodeURIComponent(kind)}` + query(p), file, 'application/octet-stream'),
  audit: (p: Params) => request<AuditEntry[]>('GET', '/audit' + query(p)),
  users: () => request<unknown>('GET', '/users'),
  addUser: (u: { name: string; role: string; region?: string; depts?: string[]; password: string }) =>
    request<unknown>('POST', '/users', JSON.stringify(u), 'application/json'),
  disableUser: (name: string) => request<unknown>('POST', `/users/${encodeURIComponent(name)}/disable`),
  sameSource: (p: Params) => request<unknown>('GET', '/same-source' + query(p)),
};

/** The URL of a bulletin download (GET /api/v1/reports/bulletin). */
export function bulletinUrl(p: { from: string; to: string; by: string; format: 'html' | 'xlsx'; lang: string }): string {
  return `/api/v1/reports/bulletin${query(p)}`;
}

/** Indicator rows → value by group key and indicator: map.get(key)?.get(code). */
export function pivot(rows: IndicatorRow[], key: string): Map<string, Map<string, IndicatorRow>> {
  const out = new Map<string, Map<string, IndicatorRow>>();
  for (const r of rows) {
    const k = r[key] === null || r[key] === undefined ? '' : String(r[key]);
    let m = out.get(k);
    if (!m) out.set(k, (m = new Map()));
    m.set(r.indicator, r);
  }
  return out;
}
