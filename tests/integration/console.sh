#!/usr/bin/env bash
# Browser tests of the staff console: a real sceaux-hub on a loopback port
# with the bundled data, two staff accounts, a kiosk token and a staff
# token (for sceaux-admin); first a stranger's wrong passwords from another
# loopback address (curl --interface 127.0.0.2), then
# tests/browser/console.test.mjs drives Debian's Chromium through
# playwright-core (never a downloaded browser) and runs sceaux-syncd
# itself. Prints "ok NAME" / "not ok NAME" per case; screenshots go to
# build/screenshots/console-*.png. Needs chromium, node, npm, curl, sqlite3.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
hub="$bin/sceaux-hub"

for tool in node npm curl sqlite3; do
    command -v "$tool" >/dev/null || { echo "not ok console-setup (missing $tool)"; exit 1; }
done
chrome=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chrome" ] || { echo "not ok console-setup (missing $chrome)"; exit 1; }

# Playwright's library comes from the lockfile, installed by make
# (tools/deps.sh), which also installs Chromium.
[ -d "$top/node_modules/playwright-core" ] ||
    { echo "not ok console-setup (no node_modules: run make, which installs them)"; exit 1; }

db="$tmp/hub.db"
url=$(hub_db "$db") || { echo "not ok console-setup (no hub database)"; exit 1; }
"$hub" import --db "$url" "$top/assets/sceaux.json" >/dev/null 2>"$tmp/import.log" || {
    echo "not ok console-setup (import failed)"
    cat "$tmp/import.log"
    exit 1
}
signature="Mairie de Sceaux, communication"
printf 'mot-de-passe-anne\n' | "$hub" user add --db "$url" --name anne --role staff \
    --signature "$signature" >/dev/null &&
    printf 'mot-de-passe-bruno\n' | "$hub" user add --db "$url" --name bruno --role admin >/dev/null || {
    echo "not ok console-setup (user add failed)"
    exit 1
}
hub_token "$db" kiosk-mairie kiosk site-hotel-de-ville >"$tmp/kiosk.token" &&
    hub_token "$db" service-communication staff >"$tmp/staff.token" ||
    { echo "not ok console-setup (token add failed)"; exit 1; }

hub_start "$db" "$tmp/hub.log" 0 --offline-after 2 ||
    { echo "not ok console-setup (the hub does not answer /v1/health)"; exit 1; }

# A stranger's wrong passwords for anne (from 127.0.0.2) slow only the
# stranger: anne still logs in from 127.0.0.1 right after.
login_from() { # ADDR PASSWORD: prints the status
    curl -s -o /dev/null -w '%{http_code}' --interface "$1" -H 'Content-Type: application/json' \
        --data-binary "{\"name\": \"anne\", \"password\": \"$2\"}" "$hub_url/v1/console/login"
}
seen=""
for i in 1 2 3 4 5; do seen="$seen $(login_from 127.0.0.2 "faux-$i")"; done
if [ "$seen" = " 401 401 401 401 429" ] && [ "$(login_from 127.0.0.1 mot-de-passe-anne)" = 200 ]; then
    ok console-login-no-lockout-by-strangers
else
    not_ok console-login-no-lockout-by-strangers "from 127.0.0.2:$seen"
fi

# A session lives in the hub's database: a restarted hub (or a second one
# on the database) knows it, and logout ends it everywhere.
session_status() { curl -s -o /dev/null -w '%{http_code}' -b "$tmp/jar" "$hub_url/v1/console/session"; }
curl -s -o /dev/null -c "$tmp/jar" -H 'Content-Type: application/json' \
    --data-binary '{"name": "anne", "password": "mot-de-passe-anne"}' "$hub_url/v1/console/login"
before=$(session_status)
hub_stop && hub_start "$db" "$tmp/hub.log" 0 --offline-after 2 ||
    { echo "not ok console-setup (the restarted hub does not answer)"; exit 1; }
after=$(session_status)
curl -s -o /dev/null -b "$tmp/jar" -H "Origin: $hub_url" -X POST "$hub_url/v1/console/logout"
if [ "$before $after $(session_status)" = "200 200 401" ]; then
    ok console-session-survives-a-restart
else
    not_ok console-session-survives-a-restart "before, after, after logout: $before $after $(session_status)"
fi

mkdir -p "$top/build/screenshots"
HUB_URL="$hub_url" HUB_DB="$url" PSQL="${pg_bindir:-}/psql" TMPDIR_TEST="$tmp" SCEAUX_BIN="$bin" \
    KIOSK_TOKEN_FILE="$tmp/kiosk.token" STAFF_TOKEN_FILE="$tmp/staff.token" \
    STAFF_TOKEN_NAME=service-communication SIGNATURE="$signature" CHROMIUM="$chrome" SHOTS="$top/build/screenshots" \
    node "$top/tests/browser/console.test.mjs"
rc=$?
if [ $rc -ne 0 ]; then
    echo "# hub log (last lines):"
    tail -20 "$tmp/hub.log" | sed 's/^/# /'
fi
hub_stop
hub_rc=$?
if [ $hub_rc -eq 0 ]; then ok console-hub-exit; else not_ok "console-hub-exit ($hub_rc)"; fi
if grep -q 'ERROR: AddressSanitizer\|runtime error:' "$tmp/hub.log"; then
    not_ok console-hub-sanitizers
else
    ok console-hub-sanitizers
fi
[ $failures -eq 0 ] || rc=1
exit $rc
