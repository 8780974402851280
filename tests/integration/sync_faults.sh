#!/usr/bin/env bash
# sync_faults.sh: faults on the kiosk side are bounded and told.
#   - A push whose connection stalls (a proxy on loopback passes the push
#     to the real hub, then never answers) gives up within its deadline
#     (NET_PUSH_IDLE, 6 s for a booking), the next try goes on a new
#     connection and succeeds, and the booking is in the hub exactly once.
#   - A full batch on a slow hub (the proxy passes its answer on after 9 s)
#     is waited for, not sent again: a push's patience grows with its
#     changes (NET_PUSH_IDLE_PER_CHANGE).
#   - A full disk under the replica is named "disk full" in
#     sync_state.last_error and the log, not "input/output error"; the
#     daemon tells the hub (X-Sceaux-Fault), so the fleet shows the kiosk's
#     fault "disk_full", and null again once the disk has room.
# The hub's database is SQLite's, or PostgreSQL's with SCEAUX_TEST_DB=pg.
# Prints "ok NAME" / "not ok NAME".
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
if ! command -v python3 >/dev/null; then
    echo "ok # skip: no python3 for the stalling proxy"
    exit 0
fi

hubdb=$tmp/hub.db
db=$(hub_db "$hubdb") || setup_fail "no database" # a URL with SCEAUX_TEST_DB=pg
"$bin/sceaux-hub" import --db "$db" "$top/assets/sceaux.json" >>"$tmp/hub.log" 2>&1 ||
    not_ok "setup: sceaux-hub import assets/sceaux.json"
# More than the 1 MiB disk below can hold (about 2,000 rows).
"$bin/sceaux-gendata" --rows 300 --start "$(date -u -d tomorrow +%Y-%m-%d)" >"$tmp/gen.json" &&
    "$bin/sceaux-hub" import --db "$db" "$tmp/gen.json" >>"$tmp/hub.log" 2>&1 ||
    not_ok "setup: sceaux-hub import of sceaux-gendata --rows 300"
hub_token "$hubdb" k1 kiosk site-sceaux-smart >"$tmp/k1.token" 2>>"$tmp/hub.log" &&
    hub_token "$hubdb" s1 staff >"$tmp/s1.token" 2>>"$tmp/hub.log" ||
    not_ok "setup: sceaux-hub token add"
if ! hub_start "$hubdb" "$tmp/hub.log" 0; then
    not_ok "setup: hub answers /v1/health"
    exit 1
fi

# The stalling proxy: every connection is passed to the hub, except that
# the first POST /v1/push is passed on and its answer withheld, the
# connection held open; with a fourth argument, DELAY, the answer is
# passed on DELAY seconds after the request came (a slow hub). Each
# connection's number and first request line go to the proxy's log.
cat >"$tmp/stall.py" <<'EOF'
import socket, sys, threading, time
port_file, hub_port, log = sys.argv[1], int(sys.argv[2]), open(sys.argv[3], "a", buffering=1)
delay = float(sys.argv[4]) if len(sys.argv) > 4 else 0
state = {"n": 0, "stalled": False}
lock = threading.Lock()
held = []

def pipe(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

def serve(c):
    first = b""
    while b"\r\n" not in first:
        d = c.recv(65536)
        if not d:
            return
        first += d
    with lock:
        state["n"] += 1
        n = state["n"]
        stall = first.startswith(b"POST /v1/push") and not state["stalled"]
        state["stalled"] = state["stalled"] or stall
    mark = (" delayed" if delay else " stalled") if stall else ""
    log.write("%d %s%s\n" % (n, first.split(b"\r\n")[0].decode(), mark))
    h = socket.create_connection(("127.0.0.1", hub_port))
    h.sendall(first)
    if stall and delay:
        threading.Thread(target=pipe, args=(c, h), daemon=True).start()
        time.sleep(delay)
        pipe(h, c)
        return
    if stall:
        threading.Thread(target=pipe, args=(c, h), daemon=True).start()
        while h.recv(65536):
            pass  # the hub's answer, withheld
        held.append(c)
        return
    threading.Thread(target=pipe, args=(h, c), daemon=True).start()
    pipe(c, h)

srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(64)
open(port_file, "w").write(str(srv.getsockname()[1]))
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
EOF
python3 "$tmp/stall.py" "$tmp/proxy.port" "$hub_port" "$tmp/proxy.log" &
proxy_pid=$!
wait_until 10 test -s "$tmp/proxy.port" || not_ok "setup: the stalling proxy listens"
proxy=http://127.0.0.1:$(cat "$tmp/proxy.port")

rep=$tmp/k1.db
"$bin/sceaux-syncd" --db "$rep" --hub "$proxy" --token-file "$tmp/k1.token" >"$tmp/k1.log" 2>&1 &
syncd_pid=$!
wait_until 10 grep -q serving "$tmp/k1.log" || not_ok "setup: syncd serves"

# ---- a stalled push ------------------------------------------------------------

start=$(date -u -d "tomorrow 10:00" +%Y-%m-%dT%H:%M:%SZ)
end=$(date -u -d "tomorrow 11:00" +%Y-%m-%dT%H:%M:%SZ)
row=$(printf '{"id":"k1-b1","room_id":"room-smart-atelier","starts_at":"%s","ends_at":"%s",%s}' \
    "$start" "$end" '"holder":"Test","status":"confirmed","cancel_code":"246810"')
t0=$(now_ms)
q "$rep" "INSERT INTO outbox(id, change, created_at) VALUES('k1:b1',
    '{\"id\":\"k1:b1\",\"table\":\"booking\",\"op\":\"upsert\",\"row\":$row}',
    strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
result() { q "$rep" "SELECT status FROM push_result WHERE id = 'k1:b1'"; }
pushed() { [ -n "$(result)" ]; }
if wait_until 60 pushed; then
    dt=$(($(now_ms) - t0))
    # 6 s deadline, then at most 1 s of back-off, on a loaded machine.
    if [ $dt -lt 15000 ]; then ok "stalled push: given up and retried, result in $dt ms"; else
        not_ok "stalled push: result in $dt ms (15 s at most)"
    fi
else
    not_ok "stalled push: no result within 60 s"
fi
check "stalled push: the proxy did stall it" grep -q 'POST /v1/push.*stalled' "$tmp/proxy.log"
check "stalled push: the result is applied (the hub's duplicate answer)" test "$(result)" = applied
check "stalled push: the booking is in the hub exactly once" \
    test "$(hub_sql "$hubdb" "SELECT count(*) FROM booking WHERE id = 'k1-b1'")" = 1
check "stalled push: the log says the push timed out" grep -q 'push failed: .*[Tt]imed* *out' \
    "$tmp/k1.log"
retry_conn() { # the proxy connection number of the push after the stalled one
    awk '/POST \/v1\/push/ { if (s) { print $1; exit } if (/stalled/) s = $1 }' "$tmp/proxy.log"
}
stalled_conn=$(awk '/stalled/ { print $1; exit }' "$tmp/proxy.log")
check "stalled push: the retry came on a new connection" \
    test -n "$(retry_conn)" -a "$(retry_conn)" != "$stalled_conn"
stop_pid "$syncd_pid"
stop_pid "$proxy_pid"

# ---- a full disk -------------------------------------------------------------------

# A 1 MiB tmpfs (root only, as on CI): writes fail with ENOSPC, as on a
# full SD card. Unmounted however the script ends.
full=$tmp/full
mkdir -p "$full"
if mount -t tmpfs -o size=1m sceaux-test "$full" 2>/dev/null; then
    trap 'umount "$full" 2>/dev/null; test_cleanup' EXIT
    "$bin/sceaux-syncd" --db "$full/r.db" --hub "$hub_url" --token-file "$tmp/k1.token" --once \
        2>"$tmp/full.err"
    rc=$?
    check "full disk: syncd --once exits 1 ($rc)" test $rc = 1
    check "full disk: the log names it" grep -q 'disk full (SQLITE_FULL)' "$tmp/full.err"
    last=$(q "$full/r.db" "SELECT value FROM sync_state WHERE key = 'last_error'")
    if grep -q 'disk full' <<<"$last" && ! grep -q 'input/output' <<<"$last"; then
        ok "full disk: sync_state.last_error names it"
    else
        not_ok "full disk: sync_state.last_error names it (got '$last')"
    fi
    local_fault() { q "$full/r.db" "SELECT value FROM sync_state WHERE key = 'fault'"; }
    check "full disk: sync_state.fault is disk_full (the staff panel's advice)" \
        test "$(local_fault)" = disk_full
    # The daemon on the same full disk: its retries tell the hub
    # (X-Sceaux-Fault), and the operator sees it in the fleet; once the
    # disk has room, a good round clears it.
    fleet_fault() { # k1's fault in GET /v1/fleet, "null" when none
        curl -s -H "Authorization: Bearer $(cat "$tmp/s1.token")" "$hub_url/v1/fleet" |
            jq -r '.kiosks[] | select(.name == "k1") | .fault'
    }
    fault_is() { [ "$(fleet_fault)" = "$1" ]; }
    "$bin/sceaux-syncd" --db "$full/r.db" --hub "$hub_url" --token-file "$tmp/k1.token" \
        2>"$tmp/full-daemon.err" &
    syncd_pid=$!
    check "full disk: the fleet shows fault disk_full for the kiosk" wait_until 30 fault_is disk_full
    mount -o remount,size=64m "$full"
    caught_up() {
        [ "$(q "$full/r.db" "SELECT value FROM sync_state WHERE key = 'cursor'")" = \
            "$(curl -s "$hub_url/v1/health" | jq -r .seq)" ]
    }
    check "full disk: with room again, the daemon catches up" wait_until 60 caught_up
    check "full disk: after a good round the fleet's fault is null again" \
        wait_until 30 fault_is null
    check "full disk: after a good round sync_state.fault is empty again" test -z "$(local_fault)"
    stop_pid "$syncd_pid"
    umount "$full"
else
    echo "ok # skip: full disk (cannot mount a tmpfs: not root)"
fi

# ---- a full batch on a slow hub ----------------------------------------------------

# The proxy passes the first push's answer on 9 s after the request: more
# than the 6 s a booking waits, less than the 18 s of a 1,000-change
# batch (NET_PUSH_IDLE_PER_CHANGE). syncd waits for it: one push, every
# change applied, nothing sent again.
hub_token "$hubdb" k2 kiosk site-sceaux-smart >"$tmp/k2.token" 2>>"$tmp/hub.log" ||
    not_ok "slow hub: setup: sceaux-hub token add"
python3 "$tmp/stall.py" "$tmp/slow.port" "$hub_port" "$tmp/slow.log" 9 &
proxy_pid=$!
wait_until 10 test -s "$tmp/slow.port" || not_ok "slow hub: setup: the proxy listens"
rep2=$tmp/k2.db
"$bin/sceaux-syncd" --db "$rep2" --hub "http://127.0.0.1:$(cat "$tmp/slow.port")" \
    --token-file "$tmp/k2.token" >"$tmp/k2.log" 2>&1 &
syncd_pid=$!
wait_until 10 grep -q serving "$tmp/k2.log" || not_ok "slow hub: setup: syncd serves"
t0=$(now_ms)
q "$rep2" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
    INSERT INTO outbox(id, change, created_at) SELECT 'k2:p' || i,
    json_object('id', 'k2:p' || i, 'table', 'proposal', 'op', 'upsert', 'row',
        json_object('id', 'k2-p' || i, 'text', 'Un banc ' || i, 'status', 'submitted')),
    strftime('%Y-%m-%dT%H:%M:%SZ','now') FROM n"
all_pushed() { [ "$(q "$rep2" "SELECT count(*) FROM push_result")" = 1000 ]; }
if wait_until 60 all_pushed; then
    ok "slow hub: 1,000 changes pushed in $(($(now_ms) - t0)) ms"
else
    not_ok "slow hub: 1,000 changes pushed within 60 s"
fi
check "slow hub: the proxy did hold the answer" grep -q 'POST /v1/push.*delayed' "$tmp/slow.log"
check "slow hub: one push, not sent again" \
    test "$(grep -c 'POST /v1/push' "$tmp/slow.log")" = 1
check "slow hub: every change applied" \
    test "$(q "$rep2" "SELECT count(*) FROM push_result WHERE status = 'applied'")" = 1000
check "slow hub: syncd did not give up" bash -c "! grep -q 'push failed' '$tmp/k2.log'"
stop_pid "$syncd_pid"
stop_pid "$proxy_pid"

test_done
