#!/usr/bin/env bash
# Installs the dashboard's npm dependencies (from the committed lock file) and builds web/dist,
# which `govqm serve --web web/dist` serves. Needs node >= 20 (scripts/install-deps.sh checks).
set -euo pipefail
cd "$(dirname "$0")/../web"
npm ci --no-audit --no-fund
npm run build
