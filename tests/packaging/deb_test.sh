#!/usr/bin/env bash
# `cpack -G DEB` builds the .deb, and the package holds what a deployment needs: the program,
# the systemd unit, the data, the config as a conffile, the postinst, and the libraries'
# packages as found by dpkg-shlibdeps. Skipped (exit 77) only when dpkg-deb is absent.
# Usage: deb_test.sh CPACK BUILD_DIR
set -euo pipefail
CPACK=$1 BUILD=$(cd "$2" && pwd)
if ! command -v dpkg-deb >/dev/null; then
  echo "SKIP: dpkg-deb not found (install dpkg), the .deb cannot be checked"
  exit 77
fi
T=$(mktemp -d /tmp/govqm_deb_test.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_in() {  # TEXT NEEDLE WHAT
  grep -qF -- "$2" <<<"$1" || fail "$3: no '$2' in:"$'\n'"$1"
}

"$CPACK" -G DEB --config "$BUILD/CPackConfig.cmake" -B "$T/out" >"$T/cpack.log" 2>&1 ||
  { cat "$T/cpack.log"; fail "cpack"; }
deb=$(ls "$T"/out/govqm_*.deb)
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/govqm ./lib/systemd/system/govqm.service ./etc/govqm/govqm.toml \
         ./usr/share/govqm/framework.toml ./usr/share/govqm/calendars/cn-2024.cal \
         ./usr/share/govqm/calendars/cn-2025.cal ./usr/share/govqm/mappings/nyc311-api.toml \
         ./usr/share/govqm/examples/asem.toml ./usr/share/doc/govqm/README.md; do
  expect_in "$contents" " $f" "dpkg-deb -c"
done

info=$(dpkg-deb -I "$deb")
expect_in "$info" "Package: govqm" "control"
expect_in "$info" "Maintainer: " "control"
expect_in "$info" "Description: government service quality monitoring" "control"
# dpkg-shlibdeps ran: the shared libraries the program links are dependencies.
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libsqlite3 libfmt libc6 libstdc++6 tzdata passwd; do
  expect_in "$depends" "$lib" "Depends"
done

dpkg-deb -e "$deb" "$T/control"
expect_in "$(cat "$T/control/conffiles")" "/etc/govqm/govqm.toml" "conffiles"
[ -x "$T/control/postinst" ] || fail "postinst is not executable"
expect_in "$(cat "$T/control/postinst")" "useradd --system" "postinst"
expect_in "$(cat "$T/control/postinst")" "install -d -o govqm -g govqm -m 0750 /var/lib/govqm" \
  "postinst"

unit=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./lib/systemd/system/govqm.service)
for line in "User=govqm" "ExecStart=/usr/bin/govqm serve --config /etc/govqm/govqm.toml" \
            "NoNewPrivileges=yes" "ProtectSystem=strict" "ReadWritePaths=/var/lib/govqm" \
            "PrivateTmp=yes" "ProtectHome=yes" "Restart=on-failure" "KillSignal=SIGTERM" \
            "TimeoutStopSec=15"; do
  expect_in "$unit" "$line" "govqm.service"
done
echo "ok: $(basename "$deb")"
