// query.mjs DB FROM TO [--out FILE] — intake + completion indicators by region (domain.md §3)
// from a DuckDB file written by load.mjs, in a fresh process.
//
// Benchmark yardstick only (not part of govqm's build or tests).
//
// Period [FROM, TO): dates are local midnights in Asia/Shanghai (the session zone).
// Intake anchor: submitted_at; completion: status = 'completed' and completed_at in period.
// Each formula uses only the rows where every field it reads is present; a rate or mean over an
// empty denominator is null (printed empty). Percentiles: quantile_cont (linear interpolation
// p·(n−1)), exact.
// Output: long CSV region,indicator,value (stdout, or --out FILE). A region appears for the
// intake indicators when it has intake rows and for the completion ones when it has completions.
// The elapsed seconds of the process work (open + query + fetch) go to stderr as
// "query_seconds S" (and the peak RSS of the process as "maxrss_kb K").
import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';

const t0 = process.hrtime.bigint();
const argv = process.argv.slice(2);
let out = null;
const pos = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--out') out = argv[++i];
  else pos.push(argv[i]);
}
if (pos.length !== 3 || !/^\d{4}-\d{2}-\d{2}$/.test(pos[1]) || !/^\d{4}-\d{2}-\d{2}$/.test(pos[2])) {
  console.error('usage: node query.mjs DB FROM TO [--out FILE]   (FROM/TO as YYYY-MM-DD)');
  process.exit(2);
}
const [dbPath, from, to] = pos;

const inst = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
const con = await inst.connect();
await con.run("SET TimeZone = 'Asia/Shanghai'");

const F = `CAST(DATE '${from}' AS TIMESTAMPTZ)`; // local midnight in the session zone
const T = `CAST(DATE '${to}' AS TIMESTAMPTZ)`;
const ONLINE = "channel IN ('web', 'app', 'miniprogram')";
const OFFLINE = "channel IN ('hall', 'kiosk')";
// durations between instants, microsecond exact
const HOURS = (a, b) => `((epoch_us(${a}) - epoch_us(${b})) / 3600e6)`;
const DAYS = (a, b) => `((epoch_us(${a}) - epoch_us(${b})) / 86400e6)`;
const rate = (num, den) => `(CAST(${num} AS DOUBLE) / nullif(${den}, 0))`;

const intake = `
  SELECT region_code AS region,
    count(*) AS volume,
    ${rate(`count(*) FILTER (WHERE ${ONLINE})`, 'count(*)')} AS online_rate,
    ${rate('count(*) FILTER (WHERE visits = 0)', 'count(visits)')} AS zero_visit_rate,
    ${rate('count(*) FILTER (WHERE visits <= 1)', 'count(visits)')} AS one_visit_rate,
    avg(visits) AS avg_visits,
    ${rate('sum(materials_exempted) FILTER (WHERE materials_required > 0 AND materials_exempted IS NOT NULL)',
           'sum(materials_required) FILTER (WHERE materials_required > 0 AND materials_exempted IS NOT NULL)')} AS material_exemption_rate,
    ${rate('count(*) FILTER (WHERE cross_region)', 'count(cross_region)')} AS cross_region_rate,
    ${rate('count(*) FILTER (WHERE promised_days = 0)', 'count(promised_days)')} AS instant_rate,
    avg(wait_minutes) FILTER (WHERE ${OFFLINE}) AS avg_wait_minutes,
    ${rate(`count(*) FILTER (WHERE ${OFFLINE} AND wait_minutes > 30)`,
           `count(wait_minutes) FILTER (WHERE ${OFFLINE})`)} AS long_wait_rate,
    ${rate('count(reported_at)', 'count(*)')} AS sync_rate,
    quantile_cont(${HOURS('reported_at', 'submitted_at')}, 0.95) AS sync_lag_p95_hours
  FROM transactions
  WHERE submitted_at >= ${F} AND submitted_at < ${T}
  GROUP BY region_code`;

const completion = `
  SELECT region_code AS region,
    count(*) AS completed,
    ${rate('count(*) FILTER (WHERE completed_at <= due_at)', 'count(due_at)')} AS on_time_rate,
    avg(${DAYS('completed_at', 'accepted_at')}) AS avg_handling_days,
    quantile_cont(${DAYS('completed_at', 'accepted_at')}, 0.9) AS p90_handling_days,
    avg(1 - CAST(promised_days AS DOUBLE) / statutory_days)
      FILTER (WHERE statutory_days > 0 AND promised_days IS NOT NULL) AS time_compression_rate
  FROM transactions
  WHERE status = 'completed' AND completed_at >= ${F} AND completed_at < ${T}
  GROUP BY region_code`;

const INTAKE = ['volume', 'online_rate', 'zero_visit_rate', 'one_visit_rate', 'avg_visits',
  'material_exemption_rate', 'cross_region_rate', 'instant_rate', 'avg_wait_minutes',
  'long_wait_rate', 'sync_rate', 'sync_lag_p95_hours'];
const COMPLETION = ['completed', 'on_time_rate', 'avg_handling_days', 'p90_handling_days',
  'time_compression_rate'];

// Both aggregates are run as one statement (one scan plan, both parts in parallel).
const sql = `
  WITH i AS (${intake}), c AS (${completion})
  SELECT coalesce(i.region, c.region) AS region, (i.region IS NOT NULL) AS has_i,
         (c.region IS NOT NULL) AS has_c,
         ${INTAKE.map((k) => `i.${k}`).join(', ')}, ${COMPLETION.map((k) => `c.${k}`).join(', ')}
  FROM i FULL OUTER JOIN c ON i.region = c.region
  ORDER BY 1`;
const reader = await con.runAndReadAll(sql);
const rows = reader.getRowsJS();
const secs = Number(process.hrtime.bigint() - t0) / 1e9;

const fmt = (v) => (v === null || v === undefined ? '' : typeof v === 'bigint' ? v.toString() : String(Number(v)));
const lines = ['region,indicator,value'];
for (const r of rows) {
  const [region, hasI, hasC, ...vals] = r;
  if (hasI) INTAKE.forEach((k, j) => lines.push(`${region},${k},${fmt(vals[j])}`));
  if (hasC) COMPLETION.forEach((k, j) => lines.push(`${region},${k},${fmt(vals[INTAKE.length + j])}`));
}
const text = lines.join('\n') + '\n';
if (out) writeFileSync(out, text);
else process.stdout.write(text);
console.error(`query_seconds ${secs.toFixed(3)}`);
console.error(`maxrss_kb ${process.resourceUsage().maxRSS}`);
