#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang-15, ASan and UBSan into build-fuzz/, replays
# every kept regression input (fuzz/regressions/TARGET/), then fuzzes each target for a bounded
# time starting from its seed corpus (fuzz/corpus/TARGET/). Installs clang-15 and
# libfuzzer-15-dev when they are missing. Fails on the first crash, leak, timeout or failed
# check; the input is left in build-fuzz/artifacts/TARGET/ (see docs/FUZZING.md).
# Environment: FUZZ_SECONDS (per target, default 30; 0 = replay only), FUZZ_RUNS (inputs per
# target instead of a time; with FUZZ_SEED a run is repeatable, as CI needs), FUZZ_TARGETS (default
# all: csv json time value encoding mapping framework import api), FUZZ_JOBS (build jobs, default
# nproc), FUZZ_MAX_LEN (largest generated input, default 8192 bytes).
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
FUZZ_TARGETS=${FUZZ_TARGETS:-"csv json time value encoding mapping framework import api"}
FUZZ_JOBS=${FUZZ_JOBS:-$(nproc)}
FUZZ_MAX_LEN=${FUZZ_MAX_LEN:-8192}
FUZZ_RUNS=${FUZZ_RUNS:-}
FUZZ_SEED=${FUZZ_SEED:-}

bash scripts/install-deps.sh clang-15 libfuzzer-15-dev  # the compiler and the libraries the targets link

launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++-15 \
  -DGOVQM_FUZZ=ON -DGOVQM_TESTS=OFF -DGOVQM_BENCH=OFF "${launcher[@]}" >/dev/null
targets=()
for t in $FUZZ_TARGETS; do targets+=(--target "fuzz_$t"); done
cmake --build build-fuzz -j"$FUZZ_JOBS" "${targets[@]}"

# Leaks count as failures too: a parser that loses memory per record would in a long import.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for t in $FUZZ_TARGETS; do
  bin=build-fuzz/fuzz_$t
  reg=fuzz/regressions/$t
  if [ -d "$reg" ] && [ -n "$(ls -A "$reg")" ]; then
    echo "== fuzz_$t: replaying $(ls "$reg" | wc -l) regression inputs"
    "$bin" -timeout=10 -rss_limit_mb=2048 "$reg"/* 2>build-fuzz/fuzz_$t.replay.log || {
      tail -40 build-fuzz/fuzz_$t.replay.log; echo "fuzz_$t: a regression input fails again"; exit 1; }
  fi
  if [ "$FUZZ_SECONDS" -gt 0 ] || [ -n "$FUZZ_RUNS" ]; then
    work=build-fuzz/corpus/$t
    art=build-fuzz/artifacts/$t
    mkdir -p "$work" "$art"
    dict=()
    [ -f "fuzz/dict/$t.dict" ] && dict=(-dict="fuzz/dict/$t.dict")
    bound=(-max_total_time="$FUZZ_SECONDS")
    [ -n "$FUZZ_RUNS" ] && bound=(-runs="$FUZZ_RUNS")
    [ -n "$FUZZ_SEED" ] && bound+=(-seed="$FUZZ_SEED")
    echo "== fuzz_$t: ${bound[*]}"
    # The working corpus grows across runs; the seeds are read, never written.
    "$bin" "$work" "fuzz/corpus/$t" "${bound[@]}" -timeout=10 \
      -rss_limit_mb=2048 -max_len="$FUZZ_MAX_LEN" -artifact_prefix="$art/" -print_final_stats=1 \
      "${dict[@]}" >build-fuzz/fuzz_$t.log 2>&1 || {
      tail -60 build-fuzz/fuzz_$t.log
      echo "fuzz_$t found a failing input: $(ls -t "$art" | head -1) in $art"
      echo "fix it, then keep it: cp $art/<file> $reg/ (docs/FUZZING.md)"
      exit 1
    }
    grep -E '^stat::number_of_executed_units|^#[0-9]+ +DONE' build-fuzz/fuzz_$t.log | tail -1 || true
  fi
done
echo "fuzzing: no failures"
