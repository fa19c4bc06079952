#!/usr/bin/env bash
# A throwaway ClickHouse cluster on loopback for govqm's tests and .ci/run (docs/CLICKHOUSE.md):
#
#   scripts/clickhouse-test-cluster.sh start DIR [--shards 1|2]
#   scripts/clickhouse-test-cluster.sh stop DIR [--remove]
#
# start writes one server's config per shard under DIR/sN (from config/clickhouse/), picks free
# 127.0.0.1 ports (tcp, http, interserver for each server), starts each clickhouse-server in the
# background (its pid in DIR/sN/pid, its logs in DIR/sN/log and DIR/sN/stdout.log), waits until
# each answers SELECT 1, creates the database govqm_test on each and writes DIR/env:
#   GOVQM_CH_URL=clickhouse://127.0.0.1:PORT/govqm_test   (the first server)
#   GOVQM_CH_CLUSTER=govqm_two_shards                      (govqm_one_shard with --shards 1)
#   GOVQM_CH_SHARDS=2, GOVQM_CH_TCP_PORTS=P1,P2, GOVQM_CH_HTTP_PORTS=..., GOVQM_CH_INTERSERVER_PORTS=...
# stop sends TERM to the recorded pids only (each checked to still be that server), KILL after
# CH_STOP_TIMEOUT seconds (default 20), and waits until they are gone; --remove then deletes DIR.
# Works as root and as a normal user. ON CLUSTER DDL needs ZooKeeper, which this cluster has
# not: create tables on each server (platform::ClickHouseClient::ListClusterHosts).
set -euo pipefail

usage() {
  echo "usage: $0 start DIR [--shards 1|2] | stop DIR [--remove]" >&2
  exit 2
}
die() {
  echo "clickhouse-test-cluster: $*" >&2
  exit 1
}

here=$(cd "$(dirname "$0")" && pwd)
templates="$here/../config/clickhouse"
start_timeout=${CH_START_TIMEOUT:-30}
stop_timeout=${CH_STOP_TIMEOUT:-20}
database=govqm_test

find_program() {  # NAME FALLBACK: the program on PATH, else FALLBACK if it is there
  local found
  found=$(command -v "$1" 2> /dev/null || true)
  [ -z "$found" ] && [ -x "$2" ] && found=$2
  [ -n "$found" ] || die "$1 is not installed (not on PATH, not $2): run scripts/install-deps.sh"
  echo "$found"
}

# True while PID runs (a zombie, left by a parent that does not reap, counts as gone).
alive() {
  local state
  state=$(sed -n 's/^[0-9]* (.*) \(.\) .*/\1/p' "/proc/$1/stat" 2> /dev/null || true)
  [ -n "$state" ] && [ "$state" != Z ]
}

# True when PID is the clickhouse-server started with CONFIG (a recorded pid may be reused).
is_our_server() {
  alive "$1" && tr '\0' '\n' < "/proc/$1/cmdline" 2> /dev/null | grep -qxF -- "--config-file=$2"
}

# N distinct free loopback TCP ports, bound together so that none repeats.
free_ports() {
  python3 - "$1" << 'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# Stops the servers recorded under DIR: TERM, then KILL after stop_timeout seconds.
stop_servers() {
  local dir=$1 pidfile pid config waited
  local pids=()
  for pidfile in "$dir"/s*/pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    config="$(dirname "$pidfile")/config.xml"
    if [[ "$pid" =~ ^[0-9]+$ ]] && is_our_server "$pid" "$config"; then
      kill -TERM "$pid" 2> /dev/null || true
      pids+=("$pid:$config")
    fi
    rm -f "$pidfile"
  done
  for entry in "${pids[@]+"${pids[@]}"}"; do
    pid=${entry%%:*}
    config=${entry#*:}
    waited=0
    while is_our_server "$pid" "$config" && [ "$waited" -lt $((stop_timeout * 10)) ]; do
      sleep 0.1
      waited=$((waited + 1))
    done
    if is_our_server "$pid" "$config"; then
      echo "clickhouse-test-cluster: server $pid did not stop in ${stop_timeout}s: killed" >&2
      kill -KILL "$pid" 2> /dev/null || true
      while alive "$pid"; do sleep 0.05; done
    fi
  done
}

# Writes DIR/sN/config.xml for server N (1-based) of the ports given.
write_config() {
  local dir=$1 n=$2 shards=$3 tcp=$4 http=$5 inter=$6 shard1=$7 shard2=$8
  local sdir="$dir/s$n"
  mkdir -p "$sdir/log" "$sdir/data/tmp" "$sdir/data/user_files" "$sdir/data/format_schemas"
  local sed_args=(-e "s|@SERVER_DIR@|$sdir|g" -e "s|@USERS_XML@|$dir/users.xml|g"
                  -e "s|@TCP_PORT@|$tcp|g" -e "s|@HTTP_PORT@|$http|g"
                  -e "s|@INTERSERVER_PORT@|$inter|g"
                  -e "s|@SHARD1_TCP_PORT@|$shard1|g" -e "s|@SHARD2_TCP_PORT@|$shard2|g")
  if [ "$shards" -eq 1 ]; then
    sed_args+=(-e '/BEGIN govqm_two_shards/,/END govqm_two_shards/d')
  fi
  sed "${sed_args[@]}" "$templates/server.xml.in" > "$sdir/config.xml"
}

# Starts every server of DIR with the ports given; 0 when all answer, 1 when one could not bind
# its ports (the caller picks others), exits otherwise.
start_servers() {
  local dir=$1 shards=$2 server=$3 client=$4
  shift 4
  local tcp_ports=("$@")
  local n
  for ((n = 1; n <= shards; n++)); do
    local sdir="$dir/s$n"
    # nohup: a closed terminal does not stop the servers; stdin from /dev/null so that no
    # descriptor of the caller's stays open in them.
    nohup "$server" "--config-file=$sdir/config.xml" < /dev/null > "$sdir/stdout.log" 2>&1 &
    echo $! > "$sdir/pid"
  done
  for ((n = 1; n <= shards; n++)); do
    local sdir="$dir/s$n" pid port=${tcp_ports[$((n - 1))]} waited=0
    pid=$(cat "$sdir/pid")
    until "$client" --host 127.0.0.1 --port "$port" --connect_timeout=1 --query "SELECT 1" \
        < /dev/null > /dev/null 2>&1; do
      if ! alive "$pid"; then
        if grep -qs "Address already in use" "$sdir/stdout.log" "$sdir/log/server.err.log"; then
          stop_servers "$dir"
          return 1
        fi
        stop_servers "$dir"
        echo "clickhouse-test-cluster: server s$n (pid $pid) exited; the end of its logs:" >&2
        tail -n 20 "$sdir/stdout.log" "$sdir/log/server.err.log" >&2 2> /dev/null || true
        exit 1
      fi
      if [ "$waited" -ge $((start_timeout * 10)) ]; then
        stop_servers "$dir"
        echo "clickhouse-test-cluster: server s$n (pid $pid, port $port) did not answer SELECT 1" \
             "in ${start_timeout}s; the end of its logs:" >&2
        tail -n 20 "$sdir/stdout.log" "$sdir/log/server.err.log" >&2 2> /dev/null || true
        exit 1
      fi
      sleep 0.1
      waited=$((waited + 1))
    done
  done
  return 0
}

start() {
  local dir=$1 shards=$2
  # The path is written into XML and sed expressions: plain characters only.
  local plain='^[A-Za-z0-9_./+-]+$'
  [[ "$dir" =~ $plain ]] || die "$dir: use a directory whose path has only letters, digits and _ . / + -"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [[ "$dir" =~ $plain ]] || die "$dir: use a directory whose path has only letters, digits and _ . / + -"
  for pidfile in "$dir"/s*/pid; do
    [ -f "$pidfile" ] || continue
    if is_our_server "$(cat "$pidfile")" "$(dirname "$pidfile")/config.xml"; then
      die "$dir: a cluster is already running there (stop it first)"
    fi
  done
  local server client
  server=$(find_program clickhouse-server /usr/sbin/clickhouse-server)
  client=$(find_program clickhouse-client /usr/bin/clickhouse-client)
  command -v python3 > /dev/null || die "python3 is needed to pick free ports"
  cp "$templates/users.xml" "$dir/users.xml"

  local attempt ports tcp=() http=() inter=() n
  for attempt in 1 2 3; do
    read -r -a ports <<< "$(free_ports $((3 * shards)))"
    tcp=() http=() inter=()
    for ((n = 0; n < shards; n++)); do
      tcp+=("${ports[$((3 * n))]}")
      http+=("${ports[$((3 * n + 1))]}")
      inter+=("${ports[$((3 * n + 2))]}")
    done
    for ((n = 1; n <= shards; n++)); do
      write_config "$dir" "$n" "$shards" "${tcp[$((n - 1))]}" "${http[$((n - 1))]}" \
                   "${inter[$((n - 1))]}" "${tcp[0]}" "${tcp[$((shards - 1))]}"
    done
    if start_servers "$dir" "$shards" "$server" "$client" "${tcp[@]}"; then
      break
    fi
    [ "$attempt" -eq 3 ] && die "could not bind free ports after 3 attempts"
    echo "clickhouse-test-cluster: a port was taken meanwhile; trying others" >&2
  done

  for port in "${tcp[@]}"; do
    "$client" --host 127.0.0.1 --port "$port" --query "CREATE DATABASE IF NOT EXISTS $database" \
      < /dev/null || { stop_servers "$dir"; die "could not create database $database on port $port"; }
  done

  local cluster=govqm_two_shards
  [ "$shards" -eq 1 ] && cluster=govqm_one_shard
  local IFS=,
  cat > "$dir/env.tmp" << EOF
GOVQM_CH_URL=clickhouse://127.0.0.1:${tcp[0]}/$database
GOVQM_CH_CLUSTER=$cluster
GOVQM_CH_SHARDS=$shards
GOVQM_CH_TCP_PORTS=${tcp[*]}
GOVQM_CH_HTTP_PORTS=${http[*]}
GOVQM_CH_INTERSERVER_PORTS=${inter[*]}
EOF
  mv "$dir/env.tmp" "$dir/env"
  echo "clickhouse-test-cluster: $shards server(s) up in $dir (tcp ports ${tcp[*]})"
}

[ $# -ge 2 ] || usage
command=$1
dir=$2
shift 2
case "$command" in
  start)
    shards=2
    while [ $# -gt 0 ]; do
      case "$1" in
        --shards) [ $# -ge 2 ] || usage; shards=$2; shift 2 ;;
        --shards=*) shards=${1#--shards=}; shift ;;
        *) usage ;;
      esac
    done
    [[ "$shards" == 1 || "$shards" == 2 ]] || die "--shards must be 1 or 2, not '$shards'"
    start "$dir" "$shards"
    ;;
  stop)
    remove=0
    while [ $# -gt 0 ]; do
      case "$1" in
        --remove) remove=1; shift ;;
        *) usage ;;
      esac
    done
    [ -d "$dir" ] || exit 0
    dir=$(cd "$dir" && pwd)
    stop_servers "$dir"
    [ "$remove" -eq 1 ] && rm -rf "$dir"
    exit 0
    ;;
  *) usage ;;
esac
