#!/usr/bin/env bash
# The service's speed (service.md §5), measured as a client sees it: `govqm serve` on a
# generated store, driven by wrk (Debian) at 100 keep-alive clients on loopback. Prints, per
# store size: the first answer for a new period next to the CLI's time for the same request,
# then p50/p99 latency and requests/s under load, and the server's memory. A benchmark, never
# a test. Usage: bash bench/serve_bench.sh [SCALE...]   (default: 2000000 10000000)
# Environment: WORK (default /tmp/govqm-serve-bench), DURATION (default 30s), CLIENTS (100).
set -euo pipefail
cd "$(dirname "$0")/.."
G=$PWD/build/govqm
WORK=${WORK:-/tmp/govqm-serve-bench}
DURATION=${DURATION:-30s}
CLIENTS=${CLIENTS:-100}
SCALES=("$@")
[ ${#SCALES[@]} -gt 0 ] || SCALES=(2000000 10000000)
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$G" ] || { echo "build first: bash scripts/build.sh" >&2; exit 1; }

seconds() { date +%s.%N; }

for scale in "${SCALES[@]}"; do
  dir=$WORK/$scale
  db=$dir/govqm.db
  if [ ! -f "$db" ]; then
    echo "== building a store of $scale transactions in $dir"
    rm -rf "$dir" && mkdir -p "$dir"
    "$G" generate --out "$dir/data" --scale "$scale" --seed 1 > /dev/null
    "$G" init --db "$db" --tz Asia/Shanghai > /dev/null
    "$G" calendar --db "$db" config/calendars/cn-2024.cal config/calendars/cn-2025.cal > /dev/null
    for kind in regions departments items transactions evaluations rectifications probes guides org; do
      "$G" import "$kind" "$dir/data/$kind.csv" --db "$db" > /dev/null
    done
    rm -rf "$dir/data"
  fi
  # A bench user and its token (made again each run; the store keeps the old ones revoked).
  "$G" user list --db "$db" | grep -q '^bench ' ||
    head -c 24 /dev/urandom | base64 | "$G" user add bench --role admin --db "$db" > /dev/null
  token=$("$G" token create bench --days 1 --db "$db" | grep -o 'gq_[0-9a-f]*' | head -1)

  log=$dir/serve.log
  "$G" serve --db "$db" --port 0 --framework config/framework.toml 2> "$log" &
  pid=$!
  trap 'kill $pid 2> /dev/null || true' EXIT
  port=""
  for _ in $(seq 600); do
    port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { cat "$log" >&2; exit 1; }
  url="http://127.0.0.1:$port/api/v1/indicators?from=2024-01-01&to=2025-01-01&by=region"

  t0=$(seconds)
  "$G" indicators --db "$db" --from 2024-01-01 --to 2025-01-01 --by region --format json > "$dir/cli.json"
  cli=$(echo "$(seconds) - $t0" | bc)
  first=$(curl -s -o "$dir/api.json" -w '%{time_total}' -H "Authorization: Bearer $token" "$url")
  cmp -s "$dir/cli.json" "$dir/api.json" && same=yes || same=NO
  cached=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" "$url")

  out=$(wrk -t2 -c"$CLIENTS" -d"$DURATION" --latency -H "Authorization: Bearer $token" "$url")
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  errors=$(echo "$out" | grep -E 'Non-2xx|Socket errors' || true)
  rss=$(awk '/VmRSS/ {print $2 / 1024 " MiB"}' /proc/$pid/status)
  hwm=$(awk '/VmHWM/ {print $2 / 1024 " MiB"}' /proc/$pid/status)
  kill -TERM $pid
  wait $pid || true
  trap - EXIT

  echo "== $scale transactions: GET /api/v1/indicators?by=region (2024), $CLIENTS clients, $DURATION"
  echo "  CLI (fresh process)        ${cli} s"
  echo "  first API answer           ${first} s   (same bytes as the CLI: $same)"
  echo "  second API answer          ${cached} s"
  echo "  under load: p50 $p50  p99 $p99  $rps requests/s"
  [ -z "$errors" ] || echo "  $errors"
  echo "  server memory: RSS $rss, peak $hwm"
done
