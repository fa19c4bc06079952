#!/usr/bin/env bash
# compare.sh N — govqm vs DuckDB, end to end, on N generated transactions (seed 1).
#
#   1. govqm generate --scale N --seed 1 into a work dir under /tmp
#   2. govqm init + import of all nine kinds (timed one by one; transactions is the mark)
#   3. govqm indicators --by region in fresh processes: full catalog, and --only the 17
#      intake + completion codes; 3 runs each
#   4. DuckDB: load.mjs (CSV -> persisted table), query.mjs 3 runs (fresh process each)
#   5. compare.mjs: govqm's 17 values per region against DuckDB's
#
# Env: GOVQM (binary, default ../../build/govqm), WORK (default /tmp/govqm-bench-N),
#      FROM / TO (default 2024-01-01 / 2025-01-01), KEEP=1 keeps an existing generated set.
# Runs everything one after the other (the benchmark machine has 2 cores).
set -euo pipefail

N=${1:?usage: compare.sh N}
HERE=$(cd "$(dirname "$0")" && pwd)
GOVQM=${GOVQM:-$HERE/../../build/govqm}
WORK=${WORK:-/tmp/govqm-bench-$N}
FROM=${FROM:-2024-01-01}
TO=${TO:-2025-01-01}
ONLY=volume,online_rate,zero_visit_rate,one_visit_rate,avg_visits,material_exemption_rate,cross_region_rate,instant_rate,avg_wait_minutes,long_wait_rate,sync_rate,sync_lag_p95_hours,completed,on_time_rate,avg_handling_days,p90_handling_days,time_compression_rate
KINDS="regions departments items transactions evaluations rectifications probes guides org"

[ -x "$GOVQM" ] || { echo "govqm binary not found: $GOVQM" >&2; exit 1; }
[ -d "$HERE/node_modules/@duckdb/node-api" ] || (cd "$HERE" && npm ci --no-audit --no-fund)
mkdir -p "$WORK"
DATA=$WORK/data
TIMEF=$WORK/time.txt
declare -A T M   # seconds and peak RSS (kB) per step

# run NAME CMD... : time CMD (wall seconds, max RSS) with /usr/bin/time
run() {
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$TIMEF" "$@"
  read -r T[$name] M[$name] < "$TIMEF"
}

echo "== work dir $WORK, N=$N, period [$FROM, $TO)"
echo "== govqm binary $GOVQM, modified $(date -r "$GOVQM" '+%F %T'), repo HEAD $(git -C "$HERE" rev-parse --short HEAD 2>/dev/null || echo ?)"
if [ "${KEEP:-0}" = 1 ] && [ -s "$DATA/transactions.csv" ]; then
  echo "== reusing $DATA"
else
  rm -rf "$DATA"; mkdir -p "$DATA"
  run generate "$GOVQM" generate --out "$DATA" --scale "$N" --seed 1 > "$WORK/generate.log"
  echo "generate: ${T[generate]} s"
fi
ROWS=$(( $(wc -l < "$DATA/transactions.csv") - 1 ))
echo "transactions.csv: $ROWS rows, $(du -m "$DATA/transactions.csv" | cut -f1) MB"

# --- govqm: init + import --------------------------------------------------------------------
DB=$WORK/govqm.db
rm -f "$DB" "$DB-wal" "$DB-shm"
rm -rf "$WORK/rejects"; mkdir -p "$WORK/rejects"
run init "$GOVQM" init --db "$DB"
IMPORT_TOTAL=0
for k in $KINDS; do
  f=$DATA/$k.csv
  [ -f "$f" ] || { echo "missing $f" >&2; exit 1; }
  run "import_$k" "$GOVQM" import "$k" "$f" --db "$DB" --json --rejects-dir "$WORK/rejects" > "$WORK/import_$k.json"
  echo "import $k: ${T[import_$k]} s  $(cat "$WORK/import_$k.json")"
  IMPORT_TOTAL=$(echo "$IMPORT_TOTAL + ${T[import_$k]}" | bc)
done
TX_REJECTED=$(node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log((j.rejected||0)+"/"+(j.replaced||0))' "$WORK/import_transactions.json")

# --- govqm: indicators -----------------------------------------------------------------------
for i in 1 2 3; do
  run "g_all_$i" "$GOVQM" indicators --timing --db "$DB" --from "$FROM" --to "$TO" --by region \
    > "$WORK/govqm_all.csv" 2> "$WORK/govqm_all_$i.err"
  echo "govqm indicators (all) run $i: ${T[g_all_$i]} s, maxrss ${M[g_all_$i]} kB; $(grep -h timing "$WORK/govqm_all_$i.err" || true)"
done
for i in 1 2 3; do
  run "g_only_$i" "$GOVQM" indicators --timing --db "$DB" --from "$FROM" --to "$TO" --by region --only "$ONLY" \
    > "$WORK/govqm_only.csv" 2> "$WORK/govqm_only_$i.err"
  echo "govqm indicators (--only 17) run $i: ${T[g_only_$i]} s, maxrss ${M[g_only_$i]} kB; $(grep -h timing "$WORK/govqm_only_$i.err" || true)"
done

# --- DuckDB ----------------------------------------------------------------------------------
DDB=$WORK/duck.duckdb
run d_load node "$HERE/load.mjs" "$DATA/transactions.csv" "$DDB" > "$WORK/duck_load.log"
cat "$WORK/duck_load.log"
D_LOAD_IN=$(awk '/^load_seconds/{print $2}' "$WORK/duck_load.log")
D_LOAD_RPS=$(awk '/^rows_per_second/{print $2}' "$WORK/duck_load.log")
echo "duckdb load: process wall ${T[d_load]} s, maxrss ${M[d_load]} kB, file $(du -m "$DDB" | cut -f1) MB"
for i in 1 2 3; do
  run "d_q_$i" node "$HERE/query.mjs" "$DDB" "$FROM" "$TO" --out "$WORK/duck_only.csv" 2> "$WORK/duck_q_$i.err"
  Q[$i]=$(awk '/^query_seconds/{print $2}' "$WORK/duck_q_$i.err")
  echo "duckdb query run $i: in-process ${Q[$i]} s, process wall ${T[d_q_$i]} s, maxrss ${M[d_q_$i]} kB"
done

# --- table -----------------------------------------------------------------------------------
G_TX=${T[import_transactions]}
G_RPS=$(echo "$ROWS / $G_TX" | bc)
G_IN=$(awk '/timing/{for(i=1;i<=NF;i++) if($i=="load"){l=$(i+1)} else if($i=="compute"){c=$(i+1)}; printf "load %s + compute %s", l, c}' "$WORK/govqm_only_1.err" 2>/dev/null || true)
echo
echo "== figures, N=$ROWS transactions (seconds; wall = whole process incl. start-up); load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s %-28s %-28s\n' "" "govqm" "duckdb 1.5.6 (node-api)"
printf '%-44s %-28s %-28s\n' "import/load transactions (s)" "$G_TX" "${T[d_load]} (in-process $D_LOAD_IN)"
printf '%-44s %-28s %-28s\n' "  rows/s" "$G_RPS" "$(echo "$ROWS / ${T[d_load]}" | bc) ($D_LOAD_RPS in-process)"
printf '%-44s %-28s %-28s\n' "  peak RSS (kB)" "${M[import_transactions]}" "${M[d_load]}"
printf '%-44s %-28s\n' "  govqm / duckdb load time (mark <= 0.5)" "$(echo "scale=3; $G_TX / ${T[d_load]}" | bc)"
printf '%-44s %-28s %-28s\n' "init + all 9 imports (s)" "$(printf %.2f "$(echo "${T[init]} + $IMPORT_TOTAL" | bc)")" "-"
printf '%-44s %-28s %-28s\n' "indicators by region, 17 codes, runs 1/2/3" "${T[g_only_1]} / ${T[g_only_2]} / ${T[g_only_3]}" "${T[d_q_1]} / ${T[d_q_2]} / ${T[d_q_3]}"
printf '%-44s %-28s %-28s\n' "  in-process (open + query), runs 1/2/3" "see --timing lines" "${Q[1]} / ${Q[2]} / ${Q[3]}"
printf '%-44s %-28s %-28s\n' "  peak RSS (kB), run 1" "${M[g_only_1]}" "${M[d_q_1]}"
printf '%-44s %-28s %-28s\n' "indicators by region, full catalog, 1/2/3" "${T[g_all_1]} / ${T[g_all_2]} / ${T[g_all_3]}" "-"
printf '%-44s %-28s %-28s\n' "  peak RSS (kB), run 1" "${M[g_all_1]}" "-"
printf '%-44s %-28s\n' "govqm transactions rejected/replaced" "$TX_REJECTED"
echo

# --- agreement -------------------------------------------------------------------------------
echo "== agreement, govqm --only vs duckdb"
set +e
node "$HERE/compare.mjs" "$WORK/govqm_only.csv" "$WORK/duck_only.csv"; RC1=$?
echo "== agreement, govqm full catalog (same 17 codes) vs duckdb"
node "$HERE/compare.mjs" "$WORK/govqm_all.csv" "$WORK/duck_only.csv"; RC2=$?
set -e
[ $RC1 = 0 ] && [ $RC2 = 0 ]
