#!/bin/sh
# Everything the project needs on a Debian 12 machine, checked at every
# `make` (the Makefile runs this before reading anything else): libraries
# to build, fonts the kiosk draws with, and what the tests drive (Xvfb,
# Chromium, curl, jq, sqlite3, Node.js and the npm packages of the
# lockfile). As root, installs what is missing with apt-get; otherwise
# prints the exact apt-get line to run and fails. Quiet when all is there.
set -u
cd "$(dirname "$0")/.." || exit 1

# Build: compilers and the -dev packages pkg-config finds; git lists the
# sources to format and lint; clang and its runtime build the fuzzers;
# libvips checks the pictures staff upload to the hub; libpq is the hub's
# PostgreSQL client (sync/hub/store_pg*.c).
build="build-essential pkg-config git clang clang-format libclang-rt-14-dev
  libsqlite3-dev libjansson-dev zlib1g-dev libsodium-dev libmicrohttpd-dev
  libcurl4-openssl-dev libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
  libqrencode-dev libcmocka-dev libsystemd-dev libgnutls28-dev libvips-dev libpq-dev"
# Run: the kiosk's text and icon fonts.
run="fonts-noto-core fonts-materialdesignicons-webfont"
# Tests and the demo: a real X server and a Wayland kiosk compositor, the
# console's browser, the tools the integration scripts call (nginx in front
# of the hub, systemd-analyze on the units, groff and man on the man pages,
# python3-icalendar to read the calendars back, zbarimg to decode QR codes,
# vips and exiftool to make pictures and read what the hub stored of them,
# the PostgreSQL server the hub's scripts run a second time against,
# tests/integration/lib/pg.sh).
test="xvfb xauth cage xwayland chromium curl jq openssl gzip python3 sqlite3 procps tzdata
  nginx-light systemd groff-base man-db python3-icalendar zbar-tools libvips-tools
  libimage-exiftool-perl postgresql"

missing=
for p in $build $run $test; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q ' installed$' || missing="$missing $p"
done
# Machines may bring Node.js with its own npm, which Debian's npm conflicts
# with: Debian's only when there is none.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    missing="$missing nodejs npm"
fi

if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "missing packages; run: sudo apt-get install -y$missing" >&2
        exit 1
    fi
    echo "installing:$missing" >&2
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing; } >&2 ||
        exit 1
fi

# The console's browser tests: Playwright's library from the lockfile,
# never a browser download (they drive Debian's Chromium). npm leaves a
# copy of the lockfile in node_modules: a newer lockfile means reinstall.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "installing the npm packages of package-lock.json" >&2
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >&2 || exit 1
fi
exit 0
