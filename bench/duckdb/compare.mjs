// compare.mjs GOVQM.csv DUCKDB.csv — check govqm's long CSV (region,indicator,value) against
// DuckDB's for the 17 intake + completion indicators: counts exactly, rates and means within
// 1e-9 relative, percentiles within 1% relative; null must match null. Prints every
// disagreement (region, indicator, both values) and a summary; exit 1 when any.
import { readFileSync } from 'node:fs';

const COUNTS = new Set(['volume', 'completed']);
const PCTS = new Set(['sync_lag_p95_hours', 'p90_handling_days']);
const CODES = ['volume', 'online_rate', 'zero_visit_rate', 'one_visit_rate', 'avg_visits',
  'material_exemption_rate', 'cross_region_rate', 'instant_rate', 'avg_wait_minutes',
  'long_wait_rate', 'sync_rate', 'sync_lag_p95_hours', 'completed', 'on_time_rate',
  'avg_handling_days', 'p90_handling_days', 'time_compression_rate'];

function read(file) {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.length);
  const header = lines.shift().split(',');
  const ri = header.indexOf('region'), ii = header.indexOf('indicator'), vi = header.indexOf('value');
  if (ri < 0 || ii < 0 || vi < 0) throw new Error(`${file}: header must have region,indicator,value`);
  const m = new Map();
  for (const l of lines) {
    const f = l.split(',');
    if (!CODES.includes(f[ii])) continue;
    m.set(`${f[ri]}\t${f[ii]}`, f[vi]);
  }
  return m;
}

const [gFile, dFile] = process.argv.slice(2);
const g = read(gFile), d = read(dFile);
const keys = [...new Set([...g.keys(), ...d.keys()])].sort();
const bad = [];
let maxRel = { rate: 0, pct: 0 };
for (const k of keys) {
  const [region, ind] = k.split('\t');
  const gv = g.get(k), dv = d.get(k);
  const show = (v) => (v === undefined ? '(absent)' : v === '' ? '(null)' : v);
  if (gv === undefined || dv === undefined || (gv === '') !== (dv === '')) {
    bad.push({ region, ind, gv: show(gv), dv: show(dv), why: 'presence/null' });
    continue;
  }
  if (gv === '') continue;
  const a = Number(gv), b = Number(dv);
  if (COUNTS.has(ind)) {
    if (gv !== dv && a !== b) bad.push({ region, ind, gv, dv, why: 'count differs' });
    continue;
  }
  const den = Math.max(Math.abs(a), Math.abs(b));
  const rel = den === 0 ? 0 : Math.abs(a - b) / den;
  const tol = PCTS.has(ind) ? 0.01 : 1e-9;
  const kind = PCTS.has(ind) ? 'pct' : 'rate';
  if (rel > maxRel[kind]) maxRel[kind] = rel;
  if (!(rel <= tol)) bad.push({ region, ind, gv, dv, why: `rel ${rel.toExponential(3)} > ${tol}` });
}
const regions = new Set(keys.map((k) => k.split('\t')[0]));
console.log(`compared ${keys.length} (region, indicator) values over ${regions.size} regions and ${CODES.length} indicators`);
console.log(`max relative difference: rates/means ${maxRel.rate.toExponential(3)}, percentiles ${maxRel.pct.toExponential(3)}`);
if (bad.length) {
  console.log(`DISAGREEMENTS: ${bad.length}`);
  console.log('region\tindicator\tgovqm\tduckdb\twhy');
  for (const x of bad) console.log(`${x.region}\t${x.ind}\t${x.gv}\t${x.dv}\t${x.why}`);
  const byInd = {};
  for (const x of bad) byInd[x.ind] = (byInd[x.ind] || 0) + 1;
  console.log('by indicator: ' + JSON.stringify(byInd));
  process.exit(1);
}
console.log('AGREEMENT: all values equal within tolerance');
