#!/usr/bin/env bash
# scale.sh [TOTAL] [PER_PART] [WORK] — govqm's ClickHouse backend at scale (issue 12), beside the
# embedded store and DuckDB. A benchmark, never a test. bench/clickhouse/README.md says more.
#
#   TOTAL     transactions to store (default 100000000)
#   PER_PART  transactions per import call (default 10000000; today's import holds its whole
#             file in memory, ~390 bytes a row: 3.6 GiB for 10M)
#   WORK      work directory on a disk with room (default /tmp/govqm-scale; 100M needs ~35 GB)
#
# Steps, one after the other (the machine has 2 cores):
#   1. govqm generate --scale PER_PART --seed SEED once (WORK/base; reused when it is there).
#   2. A test cluster of SHARDS servers in WORK/ch (scripts/clickhouse-test-cluster.sh; stopped
#      at exit, also on error or interrupt), a store on it (init --backend ... --cluster ...).
#   3. The parts: part p is the base set with the id column rewritten (TX20240… → TX2024c…, c
#      the part's letter, and the same for the evaluations' ids and their transaction_id), so
#      every transaction id is distinct. Preparing a part (sed) is timed apart from its import;
#      each import of transactions (and of evaluations, EVALUATIONS=1) is a fresh govqm process
#      timed with /usr/bin/time (wall, peak RSS) and --timing (parse / write / commit).
#      After every part (PROBE=1, or after the parts PROBE lists) one run of the whole catalog
#      by region, with the servers' peak RSS, shows how a query grows with the stored rows.
#   4. After the parts in QUERY_AT (default: the first and the last) the query set, RUNS fresh
#      processes each, for FROM..TO: the whole catalog by region and by region,month, the four
#      codes volume,on_time_rate,avg_handling_days,p90_handling_days by region and by
#      region,month, and the 17 intake and completion codes by region (DuckDB's query);
#      medians of wall time, govqm's peak RSS, the servers' peak RSS (VmHWM, reset before each
#      query kind). ClickHouse data size per shard (system.parts). Spot check: the volume by
#      region adds up to the rows imported (and to count() of the Distributed table).
#   5. EMBEDDED=1: the embedded store (govqm init, no backend) with the base set, same queries.
#   6. DUCKDB=1: bench/duckdb's load.mjs + query.mjs (RUNS) on the base CSV, and on all the
#      transaction parts (DUCK_BIG=1: the same CSV files the cluster imported, read as one glob),
#      each checked against govqm's 17 codes with compare.mjs.
#   7. A table of the figures on stdout (and in WORK/figures.txt).
#
# Env: GOVQM (binary, default build/govqm of this checkout; copied into WORK first),
#      CLUSTER_SCRIPT (default scripts/clickhouse-test-cluster.sh of this checkout),
#      SHARDS (2), RUNS (3), SEED (1), FROM / TO (2024-01-01 / 2025-01-01), EVALUATIONS (1),
#      PROBE (1: after every part; a list of part counts, e.g. "2 5 8"; 0: none),
#      QUERY_AT ("1 NPARTS"), EMBEDDED (1), DUCKDB (1), DUCK_BIG (1),
#      CH_MAX_MEMORY (bytes: the servers' max_memory_usage per query, written into the cluster's
#      users.xml after it starts; default: the test cluster's own, 4000000000),
#      KEEP (0: the parts, the stores and the cluster's data are deleted at the end; base stays).
set -uo pipefail

TOTAL=${1:-100000000}
PER_PART=${2:-10000000}
WORK=${3:-/tmp/govqm-scale}
# Bash reads a script as it runs it: run from a copy, so that editing or checking out the
# checkout during a run of an hour or more changes nothing under it.
if [ -z "${SCALE_SH_HERE:-}" ]; then
  mkdir -p "$WORK" || { echo "scale.sh: cannot create $WORK" >&2; exit 1; }
  cp "$0" "$WORK/.scale.sh.running" || exit 1
  SCALE_SH_HERE=$(cd "$(dirname "$0")" && pwd) exec bash "$WORK/.scale.sh.running" "$@"
fi
HERE=$SCALE_SH_HERE
REPO=$(cd "$HERE/../.." && pwd)
SRC_GOVQM=${GOVQM:-$REPO/build/govqm}
CLUSTER_SCRIPT=${CLUSTER_SCRIPT:-$REPO/scripts/clickhouse-test-cluster.sh}
SHARDS=${SHARDS:-2}
RUNS=${RUNS:-3}
SEED=${SEED:-1}
FROM=${FROM:-2024-01-01}
TO=${TO:-2025-01-01}
EVALUATIONS=${EVALUATIONS:-1}
PROBE=${PROBE:-1}
EMBEDDED=${EMBEDDED:-1}
DUCKDB=${DUCKDB:-1}
DUCK_BIG=${DUCK_BIG:-1}
KEEP=${KEEP:-0}
CH_MAX_MEMORY=${CH_MAX_MEMORY:-}
FOUR=volume,on_time_rate,avg_handling_days,p90_handling_days
D17=volume,online_rate,zero_visit_rate,one_visit_rate,avg_visits,material_exemption_rate,cross_region_rate,instant_rate,avg_wait_minutes,long_wait_rate,sync_rate,sync_lag_p95_hours,completed,on_time_rate,avg_handling_days,p90_handling_days,time_compression_rate
SMALL_KINDS="regions departments items rectifications probes guides org"
LETTERS=0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ

die() { echo "scale.sh: $*" >&2; exit 1; }
[[ "$TOTAL" =~ ^[0-9]+$ && "$PER_PART" =~ ^[0-9]+$ && "$TOTAL" -gt 0 && "$PER_PART" -gt 0 ]] ||
  die "usage: scale.sh [TOTAL] [PER_PART] [WORK]"
NPARTS=$(( (TOTAL + PER_PART - 1) / PER_PART ))
[ "$NPARTS" -le ${#LETTERS} ] || die "at most ${#LETTERS} parts (TOTAL / PER_PART)"
QUERY_AT=${QUERY_AT:-"1 $NPARTS"}
[ -x "$SRC_GOVQM" ] || die "govqm binary not found: $SRC_GOVQM (build it, or set GOVQM)"
[ -f "$CLUSTER_SCRIPT" ] || die "cluster script not found: $CLUSTER_SCRIPT (set CLUSTER_SCRIPT)"
for p in /usr/bin/time clickhouse-client sed awk python3; do
  command -v "$p" > /dev/null || die "$p is needed"
done

mkdir -p "$WORK" || die "cannot create $WORK"
WORK=$(cd "$WORK" && pwd)
GOVQM=$WORK/govqm
cp "$SRC_GOVQM" "$GOVQM.tmp" && mv "$GOVQM.tmp" "$GOVQM"   # a rebuild under us changes nothing
BASE=$WORK/base
PARTS=$WORK/parts
CHDIR=$WORK/ch
LOGS=$WORK/logs
FIG=$WORK/figures.txt
TF=$WORK/time.txt
rm -rf "$LOGS" "$PARTS"
mkdir -p "$LOGS" "$PARTS"
: > "$FIG"
START=$(date +%s)
elapsed() { local s=$(( $(date +%s) - START )); printf '%d min %02d s' $((s / 60)) $((s % 60)); }

# --- clean-up: the cluster (by its recorded pids, via the script's stop) and our sampler -----
CLUSTER_UP=0
SAMPLER=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "$CLUSTER_UP" = 1 ]; then
    echo "== stopping the cluster in $CHDIR"
    bash "$CLUSTER_SCRIPT" stop "$CHDIR" || true
  fi
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2> /dev/null
  exit $rc
}
trap cleanup EXIT
trap 'echo "scale.sh: interrupted" >&2; exit 130' INT TERM

# Load average every 15 s, so that every figure can be read beside the machine's load.
: > "$WORK/load.log"
( while :; do echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 15; done ) \
  >> "$WORK/load.log" &
SAMPLER=$!

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
load_now() { cut -d' ' -f1 /proc/loadavg; }
fig() { echo "$*" | tee -a "$FIG"; }
join() { local IFS=/; local s="$*"; echo "${s//\// / }"; }   # a b c → "a / b / c"

# run NAME OUT ERR CMD...: runs CMD with /usr/bin/time; sets W[NAME] (wall s), M[NAME] (peak RSS
# kB), C[NAME] (its CPU s, user + system, with its waited-for children), RC[NAME]; returns CMD's
# status.
declare -A W M C RC
run() {
  local name=$1 out=$2 err=$3 rc
  shift 3
  /usr/bin/time -f '%e %M %U %S' -o "$TF" "$@" > "$out" 2> "$err"
  rc=$?
  local u s
  read -r W[$name] M[$name] u s < <(tail -n 1 "$TF")
  C[$name]=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.1f", u + s }')
  RC[$name]=$rc
  return $rc
}

# --- the servers ------------------------------------------------------------------------------
ch_pids() { local f; for f in "$CHDIR"/s*/pid; do [ -f "$f" ] && cat "$f"; done; }
ch_cpu() {  # the servers' CPU seconds so far (user + system, all threads), summed
  local p t=0 tck; tck=$(getconf CLK_TCK)
  for p in $(ch_pids); do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done
  awk -v t=$t -v k="$tck" 'BEGIN { printf "%.2f", t / k }'
}
ch_reset_hwm() { local p; for p in $(ch_pids); do echo 5 > "/proc/$p/clear_refs" 2> /dev/null; done; }
ch_hwm() {  # "a / b MiB": each server's peak RSS since the last reset
  local p out=""
  for p in $(ch_pids); do
    out+="${out:+ / }$(mib "$(awk '/^VmHWM/ { print $2 }' "/proc/$p/status")")"
  done
  echo "$out MiB"
}
# The queries the first server (the initiator) logged since ch_log_mark: "N queries, S s in the
# server (longest L s)", from its own "executeQuery: Read ... in X sec." lines, one per query id.
ch_log_mark() { LOGMARK=$(wc -l < "$CHDIR/s1/log/server.log"); }
ch_log_queries() {
  local n; n=$(wc -l < "$CHDIR/s1/log/server.log")
  [ "$n" -ge "$LOGMARK" ] || LOGMARK=0   # rotated
  tail -n +$((LOGMARK + 1)) "$CHDIR/s1/log/server.log" | awk '
    /executeQuery: Read/ {
      id = ""; s = 0
      for (i = 1; i <= NF; i++) { if ($i ~ /^\{/) id = $i; if ($i == "sec.,") s = $(i - 1) }
      if (!(id in t) || s > t[id]) t[id] = s
    }
    END { n = 0; sum = 0; mx = 0
          for (k in t) { n++; sum += t[k]; if (t[k] > mx) mx = t[k] }
          printf "%d queries, %.2f s in the server (longest %.2f s)", n, sum, mx }'
}
ch_q() {  # PORT SQL
  clickhouse-client --host 127.0.0.1 --port "$1" --query "$2" < /dev/null
}

echo "== scale.sh: TOTAL=$TOTAL PER_PART=$PER_PART ($NPARTS parts) SHARDS=$SHARDS WORK=$WORK"
echo "== $(date -u '+%F %T UTC'); $(nproc) cores; $(free -g | awk '/^Mem/ { print $2 " GiB RAM, " $7 " GiB available" }');" \
     "$(df -BG --output=avail "$WORK" | tail -1 | tr -d ' ') free in $WORK; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== govqm $SRC_GOVQM (modified $(date -r "$SRC_GOVQM" '+%F %T')), checkout $(git -C "$REPO" rev-parse --short HEAD 2> /dev/null)$(git -C "$REPO" diff --quiet HEAD -- src 2> /dev/null || echo ' + local changes in src/')"
echo "== clickhouse $(clickhouse-client --version 2> /dev/null | head -1)"

# --- 1. the base set ------------------------------------------------------------------------
if [ -s "$BASE/transactions.csv" ] && [ "$(cat "$BASE/scale" 2> /dev/null)" = "$PER_PART $SEED" ]; then
  echo "== reusing $BASE"
else
  rm -rf "$BASE"; mkdir -p "$BASE"
  run generate "$LOGS/generate.out" "$LOGS/generate.err" \
    "$GOVQM" generate --out "$BASE" --scale "$PER_PART" --seed "$SEED" || die "generate failed"
  echo "$PER_PART $SEED" > "$BASE/scale"
  echo "generate --scale $PER_PART: ${W[generate]} s"
fi
# Records, not lines: comments may hold line breaks inside quotes.
csv_records() { python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))) - 1)' "$1"; }
BASE_EVALS=$(csv_records "$BASE/evaluations.csv")
echo "base: $PER_PART transactions ($(du -m "$BASE/transactions.csv" | cut -f1) MB), $BASE_EVALS evaluations"

# Part P (0-based) of ROWS transactions: the base's first ROWS with the id rewritten.
prepare_tx() {  # P ROWS OUT
  local c=${LETTERS:$1:1}
  if [ "$c" = 0 ] && [ "$2" = "$PER_PART" ]; then
    ln -f "$BASE/transactions.csv" "$3"   # part 0 is the base set itself
  else
    head -n $(($2 + 1)) "$BASE/transactions.csv" | LC_ALL=C sed -e "s/^TX20240/TX2024$c/" > "$3"
  fi
}
prepare_ev() {  # P ROWS OUT: the evaluations of that part's transactions
  local c=${LETTERS:$1:1}
  if [ "$c" = 0 ] && [ "$2" = "$PER_PART" ]; then
    ln -f "$BASE/evaluations.csv" "$3"
  elif [ "$2" = "$PER_PART" ]; then
    LC_ALL=C sed -e "s/^EV20240\([0-9]*\),TX20240/EV2024$c\1,TX2024$c/; t; s/^EV20240/EV2024$c/" \
      "$BASE/evaluations.csv" > "$3"
  else  # a last, smaller part: the evaluations of its transactions (a CSV reader: quoted line breaks)
    python3 - "$BASE/evaluations.csv" "$2" "$c" "$3" << 'EOF'
import csv, sys
src, n, c, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(src, newline="", encoding="utf-8") as f, open(out, "w", newline="", encoding="utf-8") as g:
    r, w = csv.reader(f), csv.writer(g, lineterminator="\n")
    w.writerow(next(r))
    for row in r:
        if row[1] and int(row[1][6:]) > n:
            continue
        row[0] = row[0][:6] + c + row[0][7:]
        if row[1]:
            row[1] = row[1][:6] + c + row[1][7:]
        w.writerow(row)
EOF
  fi
}

# The query set on store DB; LABEL names it in the figures. Sets Q_* for the table.
declare -A QW QM QS QL QL1
query_set() {  # LABEL DB SERVERS(0|1)
  local label=$1 db=$2 servers=$3 kind by only i walls rss
  for kind in all_region all_rm four_region four_rm d17_region; do
    case $kind in
      all_region) by=region; only= ;;
      all_rm) by=region,month; only= ;;
      four_region) by=region; only=$FOUR ;;
      four_rm) by=region,month; only=$FOUR ;;
      d17_region) by=region; only=$D17 ;;
    esac
    [ "$servers" = 1 ] && ch_reset_hwm
    walls=() rss=()
    for ((i = 1; i <= RUNS; i++)); do
      local name="${label}_${kind}_$i"
      local cpu0=0
      [ "$servers" = 1 ] && { ch_log_mark; cpu0=$(ch_cpu); }
      if run "$name" "$LOGS/$label.$kind.csv" "$LOGS/$name.err" \
          "$GOVQM" indicators --timing --db "$db" --from "$FROM" --to "$TO" --by "$by" \
          ${only:+--only "$only"} --format csv; then
        walls+=("${W[$name]}"); rss+=("${M[$name]}")
        local srv=""
        [ "$servers" = 1 ] && srv="; $(ch_log_queries); servers' CPU $(awk -v a="$cpu0" -v b="$(ch_cpu)" 'BEGIN { printf "%.1f", b - a }') s"
        echo "  $label $kind run $i: ${W[$name]} s, peak $(mib "${M[$name]}") MiB, govqm CPU ${C[$name]} s, load $(load_now)$srv; $(grep -h '^timing' "$LOGS/$name.err" | head -1)"
        QL[$label.$kind]=${srv#; }
        [ "$i" = 1 ] && QL1[$label.$kind]=${srv#; }
      else
        echo "  $label $kind run $i: FAILED (exit ${RC[$name]}, ${W[$name]} s): $(head -c 600 "$LOGS/$name.err")"
        walls+=("FAILED")
        break
      fi
    done
    QW[$label.$kind]="${walls[*]}"
    QM[$label.$kind]=$( [ ${#rss[@]} -gt 0 ] && mib "$(median "${rss[@]}")" || echo -)
    QS[$label.$kind]=$( [ "$servers" = 1 ] && ch_hwm || echo -)
  done
}
median_of() {  # "a b c" → median, or FAILED
  case " $1 " in *" FAILED "*) echo FAILED ;; *) median $1 ;; esac
}
print_queries() {  # LABEL
  local label=$1 kind
  fig "| query ($label) | runs (s) | median (s) | govqm peak RSS | servers' peak RSS | ClickHouse, last run |"
  fig "| --- | --- | --- | --- | --- | --- |"
  for kind in all_region all_rm four_region four_rm d17_region; do
    fig "| $kind | $(join ${QW[$label.$kind]}) | $(median_of "${QW[$label.$kind]}") | ${QM[$label.$kind]} MiB | ${QS[$label.$kind]} | ${QL[$label.$kind]:--} |"
  done
}
volume_sum() { awk -F, '$2 == "volume" { s += $3 } END { printf "%.0f", s }' "$1"; }

# --- 2. the cluster and the store -----------------------------------------------------------
echo "== starting a $SHARDS-shard test cluster in $CHDIR"
bash "$CLUSTER_SCRIPT" stop "$CHDIR" > /dev/null 2>&1 || true   # a cluster left by an interrupted run
rm -rf "$CHDIR"
bash "$CLUSTER_SCRIPT" start "$CHDIR" --shards "$SHARDS" || die "the cluster did not start"
CLUSTER_UP=1
# shellcheck disable=SC1091
. "$CHDIR/env"
IFS=, read -r -a CH_PORTS <<< "$GOVQM_CH_TCP_PORTS"
CH_DB=${GOVQM_CH_URL##*/}
echo "servers: pids $(ch_pids | tr '\n' ' ')ports ${CH_PORTS[*]}, idle $(ch_hwm)"
if [ -n "$CH_MAX_MEMORY" ]; then
  [[ "$CH_MAX_MEMORY" =~ ^[0-9]+$ ]] || die "CH_MAX_MEMORY must be a number of bytes"
  # The servers reload users.xml by themselves when its modification time changes (in whole
  # seconds): wait for the next second first, the file was copied just now.
  sleep 1.5
  sed -i "s|<max_memory_usage>[0-9]*</max_memory_usage>|<max_memory_usage>$CH_MAX_MEMORY</max_memory_usage>|" "$CHDIR/users.xml"
  for i in $(seq 1 300); do
    ok=1
    for port in "${CH_PORTS[@]}"; do
      [ "$(ch_q "$port" "SELECT value FROM system.settings WHERE name = 'max_memory_usage'")" = "$CH_MAX_MEMORY" ] || ok=0
    done
    [ "$ok" = 1 ] && break
    sleep 0.2
  done
  [ "$ok" = 1 ] || die "the servers did not take max_memory_usage = $CH_MAX_MEMORY"
fi
fig "max_memory_usage per query: $(ch_q "${CH_PORTS[0]}" "SELECT value FROM system.settings WHERE name = 'max_memory_usage'") bytes"
t0=$(now)
for i in 1 2 3 4 5 6 7 8 9 10; do ch_q "${CH_PORTS[0]}" "SELECT 1" > /dev/null; done
fig "one clickhouse-client child (SELECT 1, the mean of 10): $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.3f", (b - a) / 10 }') s"
DB=$WORK/ch.db
rm -f "$DB" "$DB-wal" "$DB-shm" "$WORK/ch.key" "$WORK/ch.sign" "$WORK/ch.pub"
"$GOVQM" init --db "$DB" --backend "$GOVQM_CH_URL" --cluster "$GOVQM_CH_CLUSTER" > "$LOGS/init.out" ||
  die "init --backend failed"
for k in $SMALL_KINDS; do
  "$GOVQM" import "$k" "$BASE/$k.csv" --db "$DB" --rejects-dir "$LOGS" > /dev/null 2> "$LOGS/import_$k.err" ||
    die "import $k failed: $(cat "$LOGS/import_$k.err")"
done

ch_sizes() {  # one line per shard: rows and bytes of the fact tables
  local n=0 port
  for port in "${CH_PORTS[@]}"; do
    n=$((n + 1))
    ch_q "$port" "SELECT table, sum(rows), sum(bytes_on_disk), sum(data_uncompressed_bytes), count()
                  FROM system.parts WHERE active AND database = '$CH_DB' GROUP BY table ORDER BY table" |
      awk -v n=$n -v dir="$(du -sm "$CHDIR/s$n/data" | cut -f1)" '
        { t = t sprintf("%s %d rows %.0f MiB (%.0f MiB uncompressed, %d parts); ", $1, $2, $3 / 1048576, $4 / 1048576, $5) }
        END { printf "shard %d: %sdata dir %s MiB\n", n, t, dir }'
  done
}

spot_check() {  # LABEL EXPECTED
  local got dist
  got=$(volume_sum "$LOGS/$1.four_region.csv")
  dist=$(ch_q "${CH_PORTS[0]}" "SELECT count() FROM $CH_DB.transactions")
  SPOTS+=("spot check ($1): volume by region sums to $got; count() of the Distributed table $dist; imported $2 -> $([ "$got" = "$2" ] && [ "$dist" = "$2" ] && echo OK || echo MISMATCH)")
  echo "${SPOTS[-1]}"
}

# --- 3. the parts ---------------------------------------------------------------------------
SPOTS=()
IMPORTED=0
IMPORTED_EV=0
PREP_S=0
IMPORT_S=0
FAILED_AT=
fig ""
fig "## imports into the $SHARDS-shard cluster ($PER_PART rows a part)"
fig "| part | rows after | prepare tx (s) | import tx wall (s) | rows/s | parse / write / commit (s) | its SELECTs in ClickHouse | govqm peak (CPU) | import ev wall (s) | ev rows/s | servers' peak | load |"
fig "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
declare -A PROBE_W PROBE_S PROBE_L
for ((p = 0; p < NPARTS; p++)); do
  rows=$(( TOTAL - p * PER_PART < PER_PART ? TOTAL - p * PER_PART : PER_PART ))
  c=${LETTERS:$p:1}
  txf=$PARTS/transactions-$c.csv
  evf=$PARTS/evaluations-$c.csv
  t0=$(now); prepare_tx "$p" "$rows" "$txf"; t1=$(now)
  prep=$(secs "$t0" "$t1")
  ch_reset_hwm
  ch_log_mark
  cpu0=$(ch_cpu)
  if ! run "imp_tx_$p" "$LOGS/import_tx_$c.json" "$LOGS/import_tx_$c.err" \
      "$GOVQM" import transactions "$txf" --db "$DB" --json --timing --rejects-dir "$LOGS"; then
    FAILED_AT="part $p (transactions): exit ${RC[imp_tx_$p]} after ${W[imp_tx_$p]} s: $(head -c 600 "$LOGS/import_tx_$c.err")"
    echo "import FAILED at $FAILED_AT"
    break
  fi
  IMPORTED=$((IMPORTED + rows))
  PREP_S=$(awk -v a="$PREP_S" -v b="$prep" 'BEGIN { print a + b }')
  IMPORT_S=$(awk -v a="$IMPORT_S" -v b="${W[imp_tx_$p]}" 'BEGIN { print a + b }')
  phases=$(awk '/^timing/ { gsub(/,/, ""); printf "%s / %s / %s", $3, $6, $9 }' "$LOGS/import_tx_$c.err")
  tx_srv="$(ch_log_queries); servers' CPU $(awk -v a="$cpu0" -v b="$(ch_cpu)" 'BEGIN { printf "%.1f", b - a }') s"
  ev_wall=- ev_rate=-
  if [ "$EVALUATIONS" = 1 ]; then
    t0=$(now); prepare_ev "$p" "$rows" "$evf"; t1=$(now)
    prep=$(secs "$t0" "$t1")
    if run "imp_ev_$p" "$LOGS/import_ev_$c.json" "$LOGS/import_ev_$c.err" \
        "$GOVQM" import evaluations "$evf" --db "$DB" --json --timing --rejects-dir "$LOGS"; then
      evrows=$(grep -o '"loaded":[0-9]*' "$LOGS/import_ev_$c.json" | head -1 | cut -d: -f2)
      IMPORTED_EV=$((IMPORTED_EV + evrows))
      ev_wall=${W[imp_ev_$p]}
      ev_rate=$(rate "$evrows" "$ev_wall")
    else
      FAILED_AT="part $p (evaluations): exit ${RC[imp_ev_$p]}: $(head -c 600 "$LOGS/import_ev_$c.err")"
      echo "import FAILED at $FAILED_AT"
    fi
    rm -f "$evf"
  fi
  fig "| $c | $IMPORTED | $prep | ${W[imp_tx_$p]} | $(rate "$rows" "${W[imp_tx_$p]}") | $phases | $tx_srv | $(mib "${M[imp_tx_$p]}") MiB (${C[imp_tx_$p]} s) | $ev_wall | $ev_rate | $(ch_hwm) | $(load_now) |"
  [ -n "$FAILED_AT" ] && break
  [ "$DUCKDB" = 1 ] && [ "$DUCK_BIG" = 1 ] || [ "$c" = 0 ] || rm -f "$txf"
  if { [ "$PROBE" = 1 ] || [[ " $PROBE " == *" $((p + 1)) "* && "$PROBE" != 0 ]]; } &&
     [[ " $QUERY_AT " != *" $((p + 1)) "* ]]; then   # the query set's first run is the probe there
    ch_reset_hwm
    ch_log_mark
    if run "probe_$p" "$LOGS/probe_$c.csv" "$LOGS/probe_$c.err" \
        "$GOVQM" indicators --timing --db "$DB" --from "$FROM" --to "$TO" --by region --format csv; then
      PROBE_W[$p]=${W[probe_$p]}
    else
      PROBE_W[$p]="FAILED (exit ${RC[probe_$p]}): $(head -c 300 "$LOGS/probe_$c.err")"
    fi
    PROBE_S[$p]="$(ch_hwm)"
    PROBE_L[$p]="$(ch_log_queries)"
    echo "  probe after $IMPORTED rows: whole catalog by region ${PROBE_W[$p]} s, govqm peak $(mib "${M[probe_$p]}") MiB, servers' peak ${PROBE_S[$p]}, ${PROBE_L[$p]}, load $(load_now)"
  fi
  if [[ " $QUERY_AT " == *" $((p + 1)) "* ]]; then
    echo "== query set after $IMPORTED rows ($(elapsed))"
    query_set "ch$IMPORTED" "$DB" 1
    PROBE_W[$p]="${QW[ch$IMPORTED.all_region]%% *} (query set, run 1)"
    PROBE_S[$p]=${QS[ch$IMPORTED.all_region]}
    PROBE_L[$p]=${QL1[ch$IMPORTED.all_region]:-}
    M[probe_$p]=${M[ch${IMPORTED}_all_region_1]}
    echo "== ClickHouse data after $IMPORTED rows"
    ch_sizes | tee "$LOGS/sizes_$IMPORTED.txt"
    spot_check "ch$IMPORTED" "$IMPORTED"
  fi
done
for l in "${SPOTS[@]}"; do fig "$l"; done
fig "transactions imported: $IMPORTED (govqm import $IMPORT_S s in all, $(rate "$IMPORTED" "$IMPORT_S") rows/s;" \
    "preparing the parts' CSV $PREP_S s apart); evaluations imported: $IMPORTED_EV${FAILED_AT:+; FAILED at $FAILED_AT}"
if [ "$PROBE" != 0 ]; then
  fig ""
  fig "| rows stored | whole catalog by region, 1 run (s) | govqm peak | servers' peak | ClickHouse |"
  fig "| --- | --- | --- | --- | --- |"
  for ((p = 0; p < NPARTS; p++)); do
    [ -n "${PROBE_W[$p]:-}" ] || continue
    fig "| $(( (p + 1) * PER_PART < TOTAL ? (p + 1) * PER_PART : TOTAL )) | ${PROBE_W[$p]} | $(mib "${M[probe_$p]}") MiB | ${PROBE_S[$p]} | ${PROBE_L[$p]} |"
  done
fi
# The query set at the end if the last part failed before it.
if [ -n "$FAILED_AT" ] && [ "$IMPORTED" -gt 0 ] && [ -z "${QW[ch$IMPORTED.all_region]:-}" ]; then
  echo "== query set after $IMPORTED rows (the import stopped)"
  query_set "ch$IMPORTED" "$DB" 1
  ch_sizes | tee "$LOGS/sizes_$IMPORTED.txt"
  spot_check "ch$IMPORTED" "$IMPORTED"
fi
CH_LABELS=$(for l in "${!QW[@]}"; do echo "${l%%.*}"; done | sort -u | sort -t h -k2 -n)
for l in $CH_LABELS; do fig ""; print_queries "$l"; done
fig ""
fig "ClickHouse data on disk (after the last import):"
ch_sizes | tee -a "$FIG"
fig "servers' RSS now: $(for p in $(ch_pids); do printf '%s ' "$(mib "$(awk '/^VmRSS/ { print $2 }' "/proc/$p/status")") MiB"; done)"
bash "$CLUSTER_SCRIPT" stop "$CHDIR"
CLUSTER_UP=0
[ "$KEEP" = 1 ] || rm -rf "$CHDIR/s1/data" "$CHDIR/s2/data" "$DB" "$DB-wal" "$DB-shm"

# --- 5. the embedded store ------------------------------------------------------------------
if [ "$EMBEDDED" = 1 ]; then
  echo "== embedded store, $PER_PART transactions ($(elapsed))"
  EDB=$WORK/embedded.db
  rm -f "$EDB" "$EDB-wal" "$EDB-shm" "$WORK/embedded.key"
  "$GOVQM" init --db "$EDB" > /dev/null || die "init failed"
  for k in $SMALL_KINDS transactions evaluations; do
    run "emb_$k" "$LOGS/emb_import_$k.json" "$LOGS/emb_import_$k.err" \
      "$GOVQM" import "$k" "$BASE/$k.csv" --db "$EDB" --json --timing --rejects-dir "$LOGS" ||
      die "embedded import $k failed: $(cat "$LOGS/emb_import_$k.err")"
  done
  fig ""
  fig "embedded store: import of $PER_PART transactions ${W[emb_transactions]} s ($(rate "$PER_PART" "${W[emb_transactions]}") rows/s;" \
      "parse / write / commit $(awk '/^timing/ { gsub(/,/, ""); printf "%s / %s / %s", $3, $6, $9 }' "$LOGS/emb_import_transactions.err") s)," \
      "peak $(mib "${M[emb_transactions]}") MiB; evaluations ($BASE_EVALS) ${W[emb_evaluations]} s; store $(du -m "$EDB" | cut -f1) MiB; load $(load_now)"
  query_set "embedded$PER_PART" "$EDB" 0
  fig ""
  print_queries "embedded$PER_PART"
  for kind in all_region all_rm four_region four_rm d17_region; do
    a=$LOGS/ch$PER_PART.$kind.csv b=$LOGS/embedded$PER_PART.$kind.csv
    [ -s "$a" ] && [ -s "$b" ] || continue
    if cmp -s "$a" "$b"; then
      fig "  $kind at $PER_PART: the $SHARDS-shard store and the embedded one print the same bytes ($(wc -l < "$a") lines)"
    else
      fig "  $kind at $PER_PART: the $SHARDS-shard store and the embedded one DIFFER: $(diff "$a" "$b" | grep -c '^<') of $(wc -l < "$a") lines (diff in $LOGS/diff.$kind)"
      diff "$a" "$b" > "$LOGS/diff.$kind"
    fi
  done
  [ "$KEEP" = 1 ] || rm -f "$EDB" "$EDB-wal" "$EDB-shm"
fi

# --- 6. DuckDB ------------------------------------------------------------------------------
duck() {  # LABEL CSV ROWS GOVQM17.csv
  local label=$1 csv=$2 rows=$3 g17=$4 ddb=$WORK/duck.duckdb i q=() w=() m=()
  rm -f "$ddb" "$ddb.wal"
  if ! run "${label}_load" "$LOGS/$label.load" "$LOGS/$label.load.err" node "$HERE/../duckdb/load.mjs" "$csv" "$ddb"; then
    fig "DuckDB $label: load FAILED (exit ${RC[${label}_load]} after ${W[${label}_load]} s, peak $(mib "${M[${label}_load]}") MiB): $(tail -c 400 "$LOGS/$label.load.err")"
    rm -f "$ddb" "$ddb.wal"
    return
  fi
  local size; size=$(du -m "$ddb" | cut -f1)
  for ((i = 1; i <= RUNS; i++)); do
    if run "${label}_q$i" "$LOGS/$label.query.csv" "$LOGS/$label.q$i.err" \
        node "$HERE/../duckdb/query.mjs" "$ddb" "$FROM" "$TO"; then
      w+=("${W[${label}_q$i]}"); m+=("${M[${label}_q$i]}")
      q+=("$(awk '/^query_seconds/ { print $2 }' "$LOGS/$label.q$i.err")")
      echo "  duckdb $label query run $i: ${W[${label}_q$i]} s wall, ${q[-1]} s in process, load $(load_now)"
    else
      fig "DuckDB $label: query FAILED (exit ${RC[${label}_q$i]}): $(tail -c 400 "$LOGS/$label.q$i.err")"
      break
    fi
  done
  fig ""
  fig "DuckDB 1.5.6 $label ($rows rows): load ${W[${label}_load]} s wall ($(rate "$rows" "${W[${label}_load]}") rows/s;" \
      "in process $(awk '/^load_seconds/ { print $2 }' "$LOGS/$label.load") s), peak $(mib "${M[${label}_load]}") MiB, file $size MiB;" \
      "17 codes by region: $(join "${w[@]}") s wall (median $(median "${w[@]:-0}")), in process $(join "${q[@]}") s, peak $(mib "$(median "${m[@]:-0}")") MiB"
  if [ -s "$g17" ]; then
    if node "$HERE/../duckdb/compare.mjs" "$g17" "$LOGS/$label.query.csv" > "$LOGS/$label.compare" 2>&1; then
      fig "  agreement with govqm ($(basename "$g17")): $(tr '\n' ' ' < "$LOGS/$label.compare")"
    else
      fig "  DISAGREEMENT with govqm ($(basename "$g17")): $(head -n 5 "$LOGS/$label.compare")"
    fi
  fi
  [ "$KEEP" = 1 ] || rm -f "$ddb" "$ddb.wal"
}
if [ "$DUCKDB" = 1 ]; then
  [ -d "$HERE/../duckdb/node_modules/@duckdb/node-api" ] || (cd "$HERE/../duckdb" && npm ci --no-audit --no-fund)
  echo "== DuckDB on the base CSV ($PER_PART rows) ($(elapsed))"
  G17=$LOGS/ch$PER_PART.d17_region.csv
  [ -s "$G17" ] || G17=$LOGS/embedded$PER_PART.d17_region.csv
  duck "duck$PER_PART" "$BASE/transactions.csv" "$PER_PART" "$G17"
  if [ "$DUCK_BIG" = 1 ] && [ "$IMPORTED" -gt "$PER_PART" ]; then
    n=$(ls "$PARTS"/transactions-*.csv 2> /dev/null | wc -l)
    echo "== DuckDB on the $n transaction parts ($IMPORTED rows, $(du -cm "$PARTS"/transactions-*.csv | tail -1 | cut -f1) MB)"
    duck "duck$IMPORTED" "$PARTS/transactions-*.csv" "$IMPORTED" "$LOGS/ch$IMPORTED.d17_region.csv"
  fi
fi
[ "$KEEP" = 1 ] || rm -rf "$PARTS"

fig ""
fig "whole run: $(elapsed); load average samples (1 min) min / median / max: $(awk '{ print $2 }' "$WORK/load.log" | sort -g | awk '{ v[NR] = $1 } END { print v[1] " / " v[int((NR + 1) / 2)] " / " v[NR] }')"
echo
echo "== figures (also in $FIG; logs in $LOGS; load samples in $WORK/load.log)"
cat "$FIG"
