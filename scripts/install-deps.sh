#!/usr/bin/env bash
# Installs the Debian 12 packages govqm needs to build, test and run, and any packages named
# as arguments (scripts/fuzz.sh adds its compiler). Safe to run again.
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libsqlite3-dev            # the embedded store
  libfmt-dev                # formatting (g++ 12 has no <format>)
  libhowardhinnant-date-dev # IANA time zones over the system tzdata
  tzdata
  libtomlplusplus-dev       # column mapping and framework files
  libsimdjson-dev           # NDJSON input, UTF-8 validation
  libicu-dev                # GB18030 conversion, Unicode NFKC
  libsodium-dev             # Argon2id, secretbox, SHA-256, Ed25519
  libcpp-httplib-dev        # the HTTP server (govqm serve)
  libssl-dev                # TLS for the server
  libcurl4-openssl-dev      # the prober's HTTP client (govqm probe)
  openssl                   # the server test's self-signed certificate
  libgtest-dev libgmock-dev # tests
  libbenchmark-dev          # benchmarks
  libxlsxwriter-dev         # the bulletin as XLSX (govqm report --out FILE.xlsx)
  python3-openpyxl          # the report tests read the XLSX back with an independent reader
  chromium                  # the dashboard's browser test (playwright-core) and the bulletin's PDF
  fonts-noto-cjk            # Chinese text in the browser and the PDF (else it draws as boxes)
  poppler-utils             # pdfinfo: the report tests check the printed PDF's pages and size
  clickhouse-server clickhouse-client  # the ClickHouse backend and its test cluster (docs/CLICKHOUSE.md)
  "$@"
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # No package may start a service here (clickhouse-server's would listen on port 9000): a
  # policy-rc.d that refuses every start, for the install only, unless the machine has one.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" > /dev/null
    $SUDO chmod 755 "$policy"
    trap '$SUDO rm -f "$policy"' EXIT
  fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The dashboard (web/) is built with Vite 8 and tested with playwright-core 1.65: Vite needs
# node 20.19 or newer (playwright-core 20), with npm. Debian 12's own nodejs is 18, so node is
# not installed from here.
node_version=$(node --version 2>/dev/null | sed -n 's/^v\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
read -r node_major node_minor <<< "${node_version:-0 0}"
if [ "$node_major" -lt 20 ] || { [ "$node_major" -eq 20 ] && [ "$node_minor" -lt 19 ]; } ||
   ! command -v npm > /dev/null; then
  echo "install-deps: node >= 20.19 with npm is needed for the dashboard (web/), found: $(node --version 2>/dev/null || echo none)" >&2
  echo "install-deps: install Node.js 20.19 or newer (with npm), then run this again" >&2
  exit 1
fi
