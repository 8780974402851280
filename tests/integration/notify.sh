#!/usr/bin/env bash
# notify.sh: sceaux-hub, sceaux-syncd and sceaux-kiosk as systemd runs them
# with Type=notify and WatchdogSec=: NOTIFY_SOCKET points at a datagram
# socket of this script (python3 records what arrives, with the time) and
# WATCHDOG_USEC is set. Each program must send READY=1 once set up, then
# WATCHDOG=1 again and again, never closer than half the interval nor
# further apart than the interval (systemd would kill it), and STOPPING=1
# on SIGTERM, exiting 0; the hub's pings stop while its main loop is
# stuck on a locked database. Prints "ok NAME" / "not ok NAME" per case.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup

if ! command -v python3 >/dev/null; then
    echo "not ok notify-setup (python3 is missing: apt-get install python3)"
    exit 1
fi

# listen SOCKET OUT: records each datagram's lines to OUT as "SECONDS LINE".
listen() {
    python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as out:
    while True:
        for line in s.recv(4096).decode().splitlines():
            out.write("%.3f %s\n" % (time.monotonic(), line))
' "$1" "$2" &
    listener_pid=$!
}

has() { grep -q " $2\$" "$1"; }
pings() { grep -c " WATCHDOG=1\$" "$1"; }
enough_pings() { [ "$(pings "$1")" -ge 4 ]; }
# spacing OUT USEC: the gaps between pings lie in [USEC/2 - 50 ms, USEC).
spacing() {
    awk -v half="$(($2 / 2))" -v full="$2" '
        $2 == "WATCHDOG=1" { if (n++) { g = ($1 - last) * 1e6; if (g < half - 50000 || g >= full) bad = g } last = $1 }
        END { if (bad != "") { printf "# a gap of %d us\n", bad; exit 1 } exit (n < 2) }' "$1"
}

# run_case NAME USEC CMD...: CMD under a notify socket; SIGTERM after the pings.
run_case() {
    local name=$1 usec=$2 out=$tmp/$1.notify sock=$tmp/$1.sock pid rc
    shift 2
    listen "$sock" "$out"
    wait_until 10 test -S "$sock" || not_ok "$name: the test's socket is up"
    NOTIFY_SOCKET=$sock WATCHDOG_USEC=$usec "$@" >>"$tmp/$name.log" 2>&1 &
    pid=$!
    not_ok_log=$tmp/$name.log
    if wait_until 20 has "$out" READY=1; then
        ok "$name sends READY=1 once set up"
    else
        not_ok "$name sends READY=1 once set up"
    fi
    check "$name sends WATCHDOG=1 repeatedly" wait_until 20 enough_pings "$out"
    check "$name pings between half the interval and the interval" spacing "$out" "$usec"
    stop_pid "$pid"
    rc=$?
    check "$name exits 0 on SIGTERM" test "$rc" -eq 0
    check "$name sends STOPPING=1 on SIGTERM" has "$out" STOPPING=1
    check "$name sends READY=1 once only" test "$(grep -c ' READY=1$' "$out")" = 1
    stop_pid "$listener_pid" 2>/dev/null
}

hubdb=$tmp/hub.db
db=$(hub_db "$hubdb") || setup_fail "no database" # a URL with SCEAUX_TEST_DB=pg
hub_token "$hubdb" k1 kiosk >"$tmp/k1.token" 2>>"$tmp/hub.log" || {
    echo "not ok notify-setup (token add)"
    exit 1
}
hport=$(free_port)
# The hub ticks every second: a 3 s watchdog gets a ping every other tick.
run_case hub 3000000 "$bin/sceaux-hub" serve --db "$db" --blobs "$hubdb.blobs" \
    --listen "127.0.0.1:$hport"

# The syncd's pusher turns every 200 ms; it needs a hub to serve from.
hub_start "$hubdb" "$tmp/hub.log" 0 || exit 1
run_case syncd 1000000 "$bin/sceaux-syncd" --db "$tmp/k1.db" --hub "$hub_url" \
    --token-file "$tmp/k1.token"
hub_stop

# A stuck main loop: a writer holding the database keeps the hub's
# periodic fleet write waiting (5 s of busy timeout a tick), and the pings
# must stop, long enough for systemd to kill it; they resume after.
out=$tmp/stuck.notify
listen "$tmp/stuck.sock" "$out"
wait_until 10 test -S "$tmp/stuck.sock"
NOTIFY_SOCKET=$tmp/stuck.sock WATCHDOG_USEC=2000000 "$bin/sceaux-hub" serve --db "$db" \
    --blobs "$hubdb.blobs" --listen "127.0.0.1:$hport" >>"$tmp/stuck.log" 2>&1 &
pid=$!
two_pings() { [ "$(pings "$out")" -ge 2 ]; }
wait_until 20 two_pings
# On PostgreSQL, a session holding the fleet table's lock for as long.
if [ "${SCEAUX_TEST_DB:-}" = pg ]; then
    "$pg_bindir/psql" -qAtX -d "$db" -c 'BEGIN' -c 'LOCK TABLE fleet' \
        -c "\\! touch '$tmp/locked'" -c 'SELECT pg_sleep(7)' \
        -c 'ROLLBACK' >/dev/null &
else
    python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(7)
c.execute("ROLLBACK")
' "$hubdb" "$tmp/locked" &
fi
locker=$!
wait_until 10 test -e "$tmp/locked"
# A kiosk's request: the fleet now has something to write.
curl -s -m 5 -o /dev/null -H "Authorization: Bearer $(cat "$tmp/k1.token")" \
    "http://127.0.0.1:$hport/v1/changes?since=0"
wait "$locker"
before=$(pings "$out")
resumed() { [ "$(pings "$out")" -gt "$before" ]; }
if spacing "$out" 2000000 >/dev/null; then
    not_ok "the hub's pings stop while its main loop is stuck"
else
    ok "the hub's pings stop while its main loop is stuck"
fi
check "the pings resume once the loop turns again" wait_until 20 resumed
stop_pid "$pid"
stop_pid "$listener_pid"

# The kiosk, headless, on the replica the syncd filled; its frame loop
# wakes at least every 250 ms.
if [ -s "$tmp/k1.db" ]; then
    SDL_VIDEODRIVER=dummy SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy \
        run_case kiosk 1000000 "$bin/sceaux-kiosk" --db "$tmp/k1.db" --site s --kiosk k1
else
    not_ok "kiosk: no replica to show (the syncd case made none)"
fi
test_done
