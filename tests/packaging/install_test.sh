#!/usr/bin/env bash
# `cmake --install` into a prefix, the prefix moved elsewhere, and the moved program run from an
# unrelated working directory: it must find its framework, calendars and mappings in its own
# PREFIX/share/govqm (platform::DataDir), never in the build or source tree.
# Usage: install_test.sh CMAKE BUILD_DIR SOURCE_DIR
set -euo pipefail
CMAKE=$1 BUILD=$(cd "$2" && pwd) SRC=$(cd "$3" && pwd)
T=$(mktemp -d /tmp/govqm_install_test.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_in() {  # TEXT NEEDLE WHAT
  grep -qF -- "$2" <<<"$1" || fail "$3: no '$2' in:"$'\n'"$1"
}

"$CMAKE" --install "$BUILD" --prefix "$T/p" >"$T/install.log"
for f in bin/govqm share/govqm/framework.toml share/govqm/calendars/cn-2024.cal \
         share/govqm/mappings/nyc311-legacy.toml share/govqm/examples/asem.toml \
         share/doc/govqm/README.md share/doc/govqm/docs/ARCHITECTURE.md \
         lib/systemd/system/govqm.service etc/govqm/govqm.toml; do
  [ -f "$T/p/$f" ] || fail "not installed: $f"
done
[ -x "$T/p/bin/govqm" ] || fail "bin/govqm is not executable"
# The unit names the installed program and config (the .deb's are /usr/bin and /etc/govqm).
expect_in "$(cat "$T/p/lib/systemd/system/govqm.service")" \
  "ExecStart=$T/p/bin/govqm serve --config $T/p/etc/govqm/govqm.toml" "unit"

# Moved: nothing refers to the place it was installed to, or to the build.
mv "$T/p" "$T/moved"
P=$T/moved
G=$P/bin/govqm
mkdir "$T/work"
cd "$T/work"
run() { env -u GOVQM_DATA_DIR -u GOVQM_FRAMEWORK "$G" "$@"; }

run generate --out data --scale 3000 --seed 5 >/dev/null
run init --db s.db >/dev/null
out=$(run calendar --db s.db cn-2024 cn-2025)
# 69 dates: the 36 dated lines of cn-2024.cal and the 33 of cn-2025.cal.
expect_in "$out" "loaded 69 calendar dates from 2 file(s)" "calendar by name"
for kind in regions departments items transactions evaluations rectifications probes guides org; do
  run import "$kind" "data/$kind.csv" --db s.db >/dev/null || fail "import $kind"
done
# The installed default framework, found from the moved program's own place.
out=$(run score --db s.db --from 2024-01-01 --to 2025-01-01 --by city --format json)
expect_in "$out" "\"file\":\"$P/share/govqm/framework.toml\"" "score's framework"
expect_in "$out" '"rank":1,' "score ranks the cities"
out=$(run explain --db s.db --from 2024-01-01 --to 2025-01-01 --by city --unit 450100 --format json)
expect_in "$out" "\"file\":\"$P/share/govqm/framework.toml\"" "explain's framework"

# An installed mapping by name: the NYC 311 excerpt (2,000 rows, one rejected: see
# tests/cli/import_test.cc, Nyc311ThroughMapping).
run init --db nyc.db >/dev/null
out=$(run import transactions "$SRC/tests/data/nyc-311/tuplex_311_subset_micro_2011-03.csv" \
  --map nyc311-legacy --db nyc.db --json --rejects-dir .)
expect_in "$out" '"read":2000,"loaded":1999,"replaced":0,"rejected":1' "import --map NAME"

# GOVQM_DATA_DIR wins over the program's place.
set +e
err=$(GOVQM_DATA_DIR=$T/nowhere "$G" weights 2>&1 >/dev/null)
code=$?
set -e
[ "$code" = 1 ] || fail "GOVQM_DATA_DIR=nowhere: exit $code"
expect_in "$err" "$T/nowhere/framework.toml" "GOVQM_DATA_DIR"

# Through a symbolic link elsewhere (as /usr/local/bin/govqm -> the prefix's), the program
# still finds its own share/govqm.
ln -s "$G" "$T/work/govqm-link"
out=$(env -u GOVQM_DATA_DIR -u GOVQM_FRAMEWORK "$T/work/govqm-link" score --db s.db \
  --from 2024-01-01 --to 2025-01-01 --by city --format json)
expect_in "$out" "\"file\":\"$P/share/govqm/framework.toml\"" "score through a link"

# The deployment's $GOVQM_FRAMEWORK wins over the installed one; named but missing, it is an
# error (never a silent fall back on another framework).
cp "$P/share/govqm/framework.toml" "$T/work/mine.toml"
out=$(env -u GOVQM_DATA_DIR GOVQM_FRAMEWORK=$T/work/mine.toml "$G" score --db s.db --from 2024-01-01 --to 2025-01-01 \
  --by city --format json)
expect_in "$out" "\"file\":\"$T/work/mine.toml\"" "GOVQM_FRAMEWORK"
set +e
err=$(env -u GOVQM_DATA_DIR GOVQM_FRAMEWORK=$T/work/gone.toml "$G" score --db s.db --from 2024-01-01 --to 2025-01-01 \
  --by city 2>&1 >/dev/null)
code=$?
set -e
[ "$code" = 1 ] || fail "GOVQM_FRAMEWORK missing: exit $code"
expect_in "$err" "$T/work/gone.toml: no such file (named by \$GOVQM_FRAMEWORK; give --framework FILE)" \
  "GOVQM_FRAMEWORK missing"

# Without its share/govqm the program has no default framework: it did not fall back on the
# build or source tree, and says where it looked and what to give.
rm -rf "$P/share/govqm"
set +e
err=$(run weights 2>&1 >/dev/null)
code=$?
set -e
[ "$code" = 1 ] || fail "no data directory: exit $code"
expect_in "$err" "no framework file: looked for $P/share/govqm/framework.toml, $P/config/framework.toml (give --framework FILE)" "no data directory"
set +e
err=$(run score --db s.db --from 2024-01-01 --to 2025-01-01 --by city 2>&1 >/dev/null)
code=$?
set -e
[ "$code" = 1 ] || fail "score without a framework: exit $code"
expect_in "$err" "(give --framework FILE)" "score without a framework"
echo "ok: installed prefix works from $P"
