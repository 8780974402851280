#!/usr/bin/env bash
# Browser tests of the staff console: a real sceaux-hub on a loopback port
# with the bundled data, two staff accounts, a kiosk token, then
# tests/browser/console.test.mjs drives Debian's Chromium through
# playwright-core (never a downloaded browser) and runs sceaux-syncd
# itself. Prints "ok NAME" / "not ok NAME" per case; screenshots go to
# build/screenshots/console-*.png. Needs chromium, node, npm, curl, sqlite3.
set -u
top=${SCEAUX_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${SCEAUX_BIN:-$top/build/asan}
hub="$bin/sceaux-hub"
tmp=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

for tool in node npm curl sqlite3; do
    command -v "$tool" >/dev/null || { echo "not ok console-setup (missing $tool)"; exit 1; }
done
chrome=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chrome" ] || { echo "not ok console-setup (missing $chrome)"; exit 1; }

# Playwright from the lockfile (offline-friendly: npm's cache serves it).
if [ ! -d "$top/node_modules/playwright-core" ]; then
    (cd "$top" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --prefer-offline \
        >"$tmp/npm.log" 2>&1) || {
        echo "not ok console-setup (npm ci failed)"
        cat "$tmp/npm.log"
        exit 1
    }
fi

db="$tmp/hub.db"
"$hub" import --db "$db" "$top/assets/sceaux.json" >/dev/null 2>"$tmp/import.log" || {
    echo "not ok console-setup (import failed)"
    cat "$tmp/import.log"
    exit 1
}
printf 'mot-de-passe-anne\n' | "$hub" user add --db "$db" --name anne --role staff >/dev/null &&
    printf 'mot-de-passe-bruno\n' | "$hub" user add --db "$db" --name bruno --role admin >/dev/null || {
    echo "not ok console-setup (user add failed)"
    exit 1
}
"$hub" token add --db "$db" --role kiosk --name kiosk-mairie --site site-hotel-de-ville \
    >"$tmp/kiosk.token" || { echo "not ok console-setup (token add failed)"; exit 1; }

: >"$tmp/hub.log"
"$hub" serve --db "$db" --listen 127.0.0.1:0 --offline-after 2 2>>"$tmp/hub.log" &
pid=$!
port=
for _ in $(seq 1 400); do
    port=$(sed -n 's/.*listening on .* port \([0-9]*\).*/\1/p' "$tmp/hub.log" | tail -1)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.025
done
[ -n "$port" ] || { echo "not ok console-setup (hub did not start)"; cat "$tmp/hub.log"; exit 1; }
up=
for _ in $(seq 1 400); do
    curl -sf "http://127.0.0.1:$port/v1/health" >/dev/null && { up=1; break; }
    sleep 0.025
done
[ -n "$up" ] || { echo "not ok console-setup (no /v1/health)"; exit 1; }

mkdir -p "$top/build/screenshots"
HUB_URL="http://127.0.0.1:$port" HUB_DB="$db" TMPDIR_TEST="$tmp" SCEAUX_BIN="$bin" \
    KIOSK_TOKEN_FILE="$tmp/kiosk.token" CHROMIUM="$chrome" SHOTS="$top/build/screenshots" \
    node "$top/tests/browser/console.test.mjs"
rc=$?
if [ $rc -ne 0 ]; then
    echo "# hub log (last lines):"
    tail -20 "$tmp/hub.log" | sed 's/^/# /'
fi
kill -TERM "$pid" 2>/dev/null
wait "$pid"
hub_rc=$?
pid=
if [ $hub_rc -eq 0 ]; then echo "ok console-hub-exit"; else echo "not ok console-hub-exit ($hub_rc)"; rc=1; fi
if grep -q 'ERROR: AddressSanitizer\|runtime error:' "$tmp/hub.log"; then
    echo "not ok console-hub-sanitizers"
    rc=1
else
    echo "ok console-hub-sanitizers"
fi
exit $rc
