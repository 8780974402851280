#!/usr/bin/env bash
# make demo: a hub on the bundled Sceaux data, one enrolled kiosk, its sync
# daemon, and the kiosk in a window (headless with no display: it then
# writes screenshots of every screen and says where). Ctrl-C stops
# everything this script started, and only that.
set -u
bin=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/sceaux-demo.XXXXXX)
port=${SCEAUX_DEMO_PORT:-8765}
pids=()

stop() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    echo "demo stopped; its files are in $dir"
    exit 0
}
trap stop INT TERM

"$bin/sceaux-hub" import --db "$dir/hub.db" "$top/assets/sceaux.json" >/dev/null || exit 1
"$bin/sceaux-hub" token add --db "$dir/hub.db" --role kiosk --name kiosk-smart \
    --site site-sceaux-smart >"$dir/kiosk.token" || exit 1
"$bin/sceaux-hub" token add --db "$dir/hub.db" --role staff --name demo-staff >"$dir/staff.token" || exit 1
echo sceaux-demo | "$bin/sceaux-hub" user add --db "$dir/hub.db" --name agent --role staff >/dev/null || exit 1
"$bin/sceaux-hub" serve --db "$dir/hub.db" --listen "127.0.0.1:$port" 2>"$dir/hub.log" &
pids+=($!)
for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$port/v1/health" >/dev/null && break
    sleep 0.1
done
"$bin/sceaux-syncd" --db "$dir/kiosk.db" --hub "http://127.0.0.1:$port" \
    --token-file "$dir/kiosk.token" --once >/dev/null 2>&1 || { echo "first sync failed" >&2; stop; }
"$bin/sceaux-syncd" --db "$dir/kiosk.db" --hub "http://127.0.0.1:$port" \
    --token-file "$dir/kiosk.token" 2>"$dir/syncd.log" &
pids+=($!)

echo "hub:   http://127.0.0.1:$port (log $dir/hub.log)"
echo "console: http://127.0.0.1:$port/console/ (name agent, password sceaux-demo)"
echo "admin: $top/build/sceaux-admin --hub http://127.0.0.1:$port --token-file $dir/staff.token announce --title ... --body ..."
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    "$bin/sceaux-kiosk" --db "$dir/kiosk.db" --kiosk kiosk-smart --site site-sceaux-smart &
    pids+=($!)
    echo "kiosk window open; Ctrl-C stops everything"
    wait "${pids[-1]}"
    stop
fi
shots="$top/build/screenshots/demo"
mkdir -p "$shots"
SDL_VIDEODRIVER=dummy "$bin/sceaux-kiosk" --db "$dir/kiosk.db" --kiosk kiosk-smart \
    --site site-sceaux-smart --script "$top/tools/demo.script" --screenshots "$shots" ||
    echo "kiosk script failed" >&2
echo "no display: screenshots of every screen are in $shots"
echo "the hub and syncd keep running for the console and sceaux-admin; Ctrl-C stops them"
wait
