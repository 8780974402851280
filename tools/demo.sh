#!/usr/bin/env bash
# make demo: a hub on the bundled Sceaux data, one enrolled kiosk, its sync
# daemon, and the kiosk in a window (headless with no display: it then
# writes screenshots of every screen and says where). Ctrl-C stops
# everything this script started, and only that. Exits non-zero, saying
# why, when any part fails to start; SCEAUX_DEMO_PORT picks another port.
set -u
bin=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/sceaux-demo.XXXXXX)
port=${SCEAUX_DEMO_PORT:-8765}
hub=http://127.0.0.1:$port
pids=()

stop() { # STATUS
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    echo "demo stopped; its files are in $dir"
    exit "$1"
}
fail() { # MESSAGE...
    echo "make demo: $*" >&2
    stop 1
}
trap 'stop 0' INT TERM HUP

echo "demo files: $dir"
# Posters the project draws for the bundled rows (no photos of real people
# or places), stored as an upload would be; a build without libvips
# (make cross) has no sceaux-posters, and the demo then has no pictures.
# Under AddressSanitizer its leaks are not looked for: fontconfig, through
# pango's text, keeps its font cache until the process ends.
data=$top/assets/sceaux.json
if [ -x "$bin/sceaux-posters" ]; then
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 "$bin/sceaux-posters" --blobs "$dir/hub.db.blobs" "$data" "$dir/sceaux.json" \
        2>"$dir/posters.log" || fail "drawing the posters failed: $(tail -1 "$dir/posters.log")"
    data=$dir/sceaux.json
fi
"$bin/sceaux-hub" import --db "$dir/hub.db" "$data" >"$dir/import.log" 2>&1 ||
    fail "importing the bundled data failed: $(tail -1 "$dir/import.log")"
"$bin/sceaux-hub" token add --db "$dir/hub.db" --role kiosk --name kiosk-smart \
    --site site-sceaux-smart >"$dir/kiosk.token" || fail "cannot enrol the kiosk"
"$bin/sceaux-hub" token add --db "$dir/hub.db" --role staff --name demo-staff \
    >"$dir/staff.token" || fail "cannot make the staff token"
echo sceaux-demo | "$bin/sceaux-hub" user add --db "$dir/hub.db" --name agent --role staff \
    >/dev/null || fail "cannot add the console account"
"$bin/sceaux-hub" serve --db "$dir/hub.db" --listen "127.0.0.1:$port" 2>"$dir/hub.log" &
pids+=($!)
# Ready once its own log says it listens: a health answer could come from
# another program on the same port.
up=
for _ in $(seq 100); do
    grep -q 'listening on' "$dir/hub.log" && up=1 && break
    kill -0 "${pids[0]}" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$up" ]; then
    if grep -qi 'in use' "$dir/hub.log"; then
        fail "port $port is busy; pick another one: SCEAUX_DEMO_PORT=8800 make demo"
    fi
    fail "the hub did not start: $(tail -1 "$dir/hub.log")"
fi
"$bin/sceaux-syncd" --db "$dir/kiosk.db" --hub "$hub" --token-file "$dir/kiosk.token" \
    --once >"$dir/first-sync.log" 2>&1 || fail "the first sync failed: $(tail -1 "$dir/first-sync.log")"
"$bin/sceaux-syncd" --db "$dir/kiosk.db" --hub "$hub" --token-file "$dir/kiosk.token" \
    2>"$dir/syncd.log" &
pids+=($!)

echo "hub:     $hub (log $dir/hub.log)"
echo "console: $hub/console/ (name agent, password sceaux-demo)"
echo "announce on the kiosk, from another terminal:"
echo "  '$bin/sceaux-admin' --hub $hub --token-file '$dir/staff.token' announce \\"
echo "      --title 'Annonce de test' --body 'Bonjour depuis la démonstration.' --priority urgent"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    "$bin/sceaux-kiosk" --db "$dir/kiosk.db" --kiosk kiosk-smart --site site-sceaux-smart \
        2>"$dir/kiosk.log" &
    pids+=($!)
    echo "kiosk window open; Ctrl-C stops everything"
    wait "${pids[-1]}" || fail "the kiosk failed: $(tail -1 "$dir/kiosk.log")"
    stop 0
fi
shots="$top/build/screenshots/demo"
rm -rf "$shots" && mkdir -p "$shots"
SDL_VIDEODRIVER=dummy "$bin/sceaux-kiosk" --db "$dir/kiosk.db" --kiosk kiosk-smart \
    --site site-sceaux-smart --script "$top/tools/demo.script" --screenshots "$shots" \
    >"$dir/kiosk.log" 2>&1 || fail "the kiosk failed: $(tail -1 "$dir/kiosk.log")"
want=$(grep -c '^screenshot ' "$top/tools/demo.script")
got=$(find "$shots" -name '*.png' -size +0 | wc -l)
[ "$got" -eq "$want" ] || fail "the kiosk wrote $got of $want screenshots"
echo "no display: screenshots of every screen are in $shots"
echo "the hub and syncd keep running for the console and sceaux-admin; Ctrl-C stops them"
wait
