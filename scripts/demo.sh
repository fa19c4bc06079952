#!/usr/bin/env bash
# The main job, from a fresh machine: install what is missing, build, generate a province,
# load it into a new store and print the key indicators by city.
# Then builds the dashboard (scripts/web.sh) and serves it with the store on
# http://127.0.0.1:8080 (a demo admin with a random password, printed once) until Ctrl-C.
# Options (environment): SCALE (transactions, default 200000), OUT (default out/demo),
# PORT (default 8080), SERVE (0: stop after the printout instead of serving).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
SCALE=${SCALE:-200000}
OUT=${OUT:-out/demo}
G=build/govqm
rm -rf "$OUT"
mkdir -p "$OUT"
$G generate --out "$OUT/data" --scale "$SCALE" --seed 1
$G init --db "$OUT/govqm.db" --tz Asia/Shanghai
$G calendar --db "$OUT/govqm.db" config/calendars/cn-2024.cal config/calendars/cn-2025.cal
for kind in regions departments items transactions evaluations rectifications probes guides org; do
  $G import "$kind" "$OUT/data/$kind.csv" --db "$OUT/govqm.db"
done
echo
echo "Key indicators by city, 2024 (Asia/Shanghai):"
$G indicators --db "$OUT/govqm.db" --from 2024-01-01 --to 2025-01-01 --by city --format table \
  --only volume,online_rate,zero_visit_rate,one_visit_rate,on_time_rate,avg_handling_days,open_overdue,positive_rate,reply_rate,rectification_on_time_rate,availability,same_source_rate,sync_rate
echo
echo "Scored on the two-dimensional framework (config/framework.toml), by city:"
# The full table (with every city's stage × dimension cells) goes to a file; its ranking is shown.
$G score --db "$OUT/govqm.db" --from 2024-01-01 --to 2025-01-01 --by city \
  --framework config/framework.toml --format table > "$OUT/score.txt"
head -20 "$OUT/score.txt"
echo "(every city's stage × dimension cells: $OUT/score.txt)"

# Monitoring as a supervisor would on the morning of 1 August 2024: the closed loop's overdue
# cases, the alerts of July (config/alerts/example.toml) and one city's diagnosis.
AT=2024-08-01
echo
echo "Open cases overdue at $AT (real-name bad reviews past their working-day deadline), by region:"
$G cases list --db "$OUT/govqm.db" --at "$AT" --overdue --by region --format table > "$OUT/overdue.txt"
head -16 "$OUT/overdue.txt"
echo "(every region: $OUT/overdue.txt; each case: $G cases list --db $OUT/govqm.db --at $AT --overdue --format table)"
echo
echo "Alerts of July 2024 (config/alerts/example.toml), deadline warnings at $AT:"
$G alerts --db "$OUT/govqm.db" --rules config/alerts/example.toml --from 2024-07-01 --to "$AT" \
  --at "$AT" --format table 2> "$OUT/no-baseline.txt" > "$OUT/alerts.txt"
grep -v -e 'deadline_yellow' -e 'deadline_red' -e 'case_overdue' "$OUT/alerts.txt"
echo "(with the deadline warnings of open transactions and cases, $(($(wc -l < "$OUT/alerts.txt") - 1)) rows: $OUT/alerts.txt;"
echo " $(wc -l < "$OUT/no-baseline.txt") chart groups without a usable baseline, e.g. a platform never down in June: $OUT/no-baseline.txt)"
echo
echo "Diagnosis of 玉林市 (450900) for July 2024 among the province's cities (弱点 weak points,"
echo "难点 difficulties, 痛点 pain points, 亮点 highlights):"
$G diagnose --db "$OUT/govqm.db" --by city --unit 450900 --from 2024-07-01 --to "$AT" \
  --framework config/framework.toml > "$OUT/diagnosis.txt"
# Shown: the first three weak points with their evidence, the difficulties by name, every
# pain point and highlight; the whole text is in the file.
awk '/^弱点/ {sec = "weak"; print; next}
     /^难点/ {sec = "diff"; print; next}
     /^痛点|^亮点/ {sec = "rest"; print; next}
     sec == "weak" { if (/^  [a-z]/) n++; if (n <= 3) print; else if (n == 4 && /^  [a-z]/) print "  …"; next }
     sec == "diff" { if (/^  [a-z]/) print; next }
     {print}' "$OUT/diagnosis.txt"
echo "(the whole diagnosis, with every weak point and the history of each difficulty: $OUT/diagnosis.txt)"
echo
echo "The bulletin of July 2024 by city (月报: HTML to print on A4, and XLSX):"
for ext in html xlsx; do
  $G report --db "$OUT/govqm.db" --from 2024-07-01 --to "$AT" --by city --framework config/framework.toml \
    --alert-rules config/alerts/example.toml --out "$OUT/bulletin-2024-07.$ext" | sed 's/^/  /'
done
echo
echo "The store is $OUT/govqm.db. Try:"
echo "  $G indicators --db $OUT/govqm.db --from 2024-01-01 --to 2025-01-01 --by city,month"
echo "  $G explain --db $OUT/govqm.db --from 2024-01-01 --to 2025-01-01 --by city --unit 450100 --cell feedback/responsiveness"
[ "${SERVE:-1}" = 0 ] && exit 0

# The service over the same store: a demo admin with a fresh random password (only its
# Argon2id hash is stored; this is the one time it is shown).
PORT=${PORT:-8080}
echo
echo "Building the dashboard (scripts/web.sh: npm ci, vite build → web/dist):"
bash scripts/web.sh > "$OUT/web-build.log" 2>&1 || { cat "$OUT/web-build.log" >&2; exit 1; }
echo "  done (log: $OUT/web-build.log)"
PW=$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
printf '%s\n' "$PW" | $G user add "demo-admin" --role admin --db "$OUT/govqm.db" > /dev/null
echo
echo "Serving $OUT/govqm.db on http://127.0.0.1:$PORT until Ctrl-C."
echo "  open:     http://127.0.0.1:$PORT/  (the dashboard; sign in as demo-admin, password $PW)"
echo "  sign in:  curl -c jar -H 'Content-Type: application/json' \\"
echo "              -d '{\"user\":\"demo-admin\",\"password\":\"$PW\"}' http://127.0.0.1:$PORT/api/v1/session"
echo "  then:     curl -b jar 'http://127.0.0.1:$PORT/api/v1/indicators?from=2024-01-01&to=2025-01-01&by=city'"
echo "  the API:  http://127.0.0.1:$PORT/api/v1/openapi.json"
echo "  user demo-admin, password $PW (shown only now)"
exec "$G" serve --db "$OUT/govqm.db" --port "$PORT" --framework config/framework.toml \
  --alert-rules config/alerts/example.toml --web web/dist
