#!/usr/bin/env bash
# `make demo` as a newcomer runs it, headless: hub, syncd and the kiosk
# start, every screen is written, the agenda is alive today, the printed
# sceaux-admin line works when pasted, Ctrl-C stops everything; a busy port
# and a failing kiosk are told and exit non-zero.
. "$(dirname "$0")/lib/common.sh"
test_setup
unset DISPLAY WAYLAND_DISPLAY # headless, whatever the developer's desktop
shots=$top/build/screenshots/demo
out=$tmp/demo.out

# demo_run BIN PORT: tools/demo.sh in the background, in a process group
# of its own (job control), as a terminal would run it; sets demo_pid.
demo_run() {
    set -m
    SCEAUX_DEMO_PORT=$2 "$top/tools/demo.sh" "$1" >"$out" 2>&1 &
    demo_pid=$!
    set +m
}
demo_dir() { sed -n 's/^demo files: //p' "$out"; }
demo_procs() { pgrep -f "$(demo_dir)" >/dev/null; }
shown() { grep -q "$1" "$out"; }
not_ok_log=$out

port=$(free_port)
demo_run "$bin" "$port"
if wait_until 240 shown 'Ctrl-C stops them'; then ok demo_starts; else not_ok demo_starts; fi
dir=$(demo_dir)

want=$(grep -c '^screenshot ' "$top/tools/demo.script")
pngs=0
for f in "$shots"/*.png; do
    [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] && pngs=$((pngs + 1))
done
check "demo_writes_every_screen ($pngs of $want)" test "$pngs" -eq "$want"

first=$(q "$dir/kiosk.db" "SELECT min(starts_at) FROM event")
check demo_agenda_starts_today test "$(TZ=Europe/Paris date -d "$first" +%F)" = "$(TZ=Europe/Paris date +%F)"
check demo_agenda_next_weeks test "$(q "$dir/kiosk.db" \
    "SELECT count(*) FROM event WHERE starts_at > strftime('%Y-%m-%dT%H:%M:%SZ','now','+60 days')")" -gt 0
current=$(q "$dir/kiosk.db" "SELECT count(*) FROM announcement WHERE starts_at <= \
    strftime('%Y-%m-%dT%H:%M:%SZ','now') AND ends_at > strftime('%Y-%m-%dT%H:%M:%SZ','now')")
check "demo_announcements_current ($current)" test "$current" -ge 3

# The posters the project draws: every initiative, event and organization
# of the replica names one, with its words, and the hub serves it.
check demo_rows_name_their_posters test "$(q "$dir/kiosk.db" "SELECT
    (SELECT count(*) FROM initiative WHERE picture IS NULL OR picture_alt IS NULL) +
    (SELECT count(*) FROM event WHERE picture IS NULL OR picture_alt IS NULL) +
    (SELECT count(*) FROM organization WHERE picture IS NULL OR picture_alt IS NULL)")" = 0
poster=$(q "$dir/kiosk.db" "SELECT picture FROM initiative LIMIT 1")
check demo_hub_serves_the_posters bash -c "curl -fs -H \"Authorization: Bearer \$(cat '$dir/kiosk.token')\" \
    -o '$tmp/poster.png' 'http://127.0.0.1:$port/v1/blobs/$poster' &&
    [ \"\$(sha256sum '$tmp/poster.png' | cut -d' ' -f1)\" = '$poster' ]"

# The two printed lines, pasted as they are.
line=$(sed -n '/^announce on the kiosk/{n;N;p}' "$out")
announced() { [ "$(q "$dir/kiosk.db" "SELECT count(*) FROM announcement WHERE title = 'Annonce de test'")" = 1 ]; }
if (eval "$line") >"$tmp/admin.out" 2>&1 && wait_until 10 announced; then
    ok demo_admin_line_works
else
    not_ok demo_admin_line_works "$(cat "$tmp/admin.out")"
fi

kill -INT -- -"$demo_pid" 2>/dev/null
wait "$demo_pid"
rc=$?
check "demo_ctrl_c_exits_0 ($rc)" test "$rc" -eq 0
gone() { ! demo_procs; }
check demo_ctrl_c_stops_everything wait_until 10 gone

# A busy port: told, with the way out, and nothing left running.
python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(); time.sleep(120)' \
    "$port" &
holder=$!
wait_until 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
demo_run "$bin" "$port"
wait "$demo_pid"
rc=$?
if [ "$rc" -ne 0 ] && shown 'SCEAUX_DEMO_PORT=' && gone; then ok demo_busy_port_told; else not_ok demo_busy_port_told "rc $rc"; fi
stop_pid "$holder"

# A kiosk that cannot start (here: a stand-in that fails as a missing font
# did) makes the demo fail, not claim screenshots.
fake=$tmp/bin
mkdir -p "$fake"
for p in sceaux-hub sceaux-syncd sceaux-admin; do ln -s "$bin/$p" "$fake/$p"; done
printf '#!/bin/sh\necho "sceaux-kiosk: cannot open font" >&2\nexit 1\n' >"$fake/sceaux-kiosk"
chmod +x "$fake/sceaux-kiosk"
demo_run "$fake" "$(free_port)"
wait "$demo_pid"
rc=$?
if [ "$rc" -ne 0 ] && shown 'the kiosk failed: sceaux-kiosk: cannot open font' &&
    ! shown 'screenshots of every screen are in' && gone; then
    ok demo_kiosk_failure_told
else
    not_ok demo_kiosk_failure_told "rc $rc"
fi
test_done
