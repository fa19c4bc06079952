#!/usr/bin/env bash
# ctest web.e2e: the dashboard in a real browser. Builds web/dist when it is missing or older
# than its sources (npm ci from the committed lock file, then the Vite build), then runs
# tests/e2e.mjs against its own `govqm serve`.
#   bash web/tests/run.sh path/to/govqm
set -euo pipefail
GOVQM=$(realpath "${1:?usage: run.sh path/to/govqm}")
cd "$(dirname "$0")/.."   # web/
if ! command -v node > /dev/null; then
  echo "web.e2e: node is missing (scripts/install-deps.sh checks for it)" >&2
  exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "web.e2e: /usr/bin/chromium is missing (scripts/install-deps.sh installs Debian's chromium)" >&2
  exit 1
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ ! -f dist/index.html ] ||
   [ -n "$(find src index.html vite.config.ts tsconfig.json package-lock.json -newer dist/index.html -print -quit)" ]; then
  npm run build
fi
GOVQM="$GOVQM" exec node tests/e2e.mjs
