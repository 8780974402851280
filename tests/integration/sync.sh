#!/usr/bin/env bash
# sync.sh: sceaux-syncd and sceaux-admin against a real sceaux-hub, as real
# processes on loopback ports in a temporary folder. Prints "ok NAME" or
# "not ok NAME" per case (tools/run-tests counts them).
#
# Cases: bad usage and failures (exit codes 2 and 1, the replica lock); a
# fresh replica pulls the whole dataset and equals the hub table by table
# (sceaux-dumpdb); two offline kiosks book the same slot, exactly one wins;
# an announcement and a local write cross within 1 s during a long-poll;
# SIGTERM exits 0; the outbox goes in created_at order, in pushes of at
# most 1000, and the daemon rides out a hub that goes away (online 0, then
# 1 by itself); a kill -9 storm of syncd and the hub loses and doubles
# nothing; a hub restored from an older backup makes the replica rebuild.
# Hostile answers (caps, TLS) are in sync_caps.sh.
# Waits are polls on a condition with a deadline, never fixed sleeps.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
declare -A syncd_pid=()

hubdb=$tmp/hub.db
db=$(hub_db "$hubdb") || setup_fail "no database" # a URL with SCEAUX_TEST_DB=pg
port=$(free_port)
hub=http://127.0.0.1:$port

# The hub always on the same port: the replicas keep its URL across restarts.
start_hub() { hub_start "$hubdb" "$tmp/hub.log" "$port"; }

token() { # NAME ROLE [SITE]: creates a token file $tmp/NAME.token
    hub_token "$hubdb" "$@" >"$tmp/$1.token" 2>>"$tmp/hub.log"
}

syncd() { # NAME ARGS...: runs sceaux-syncd for replica NAME in the foreground
    local name=$1
    shift
    "$bin/sceaux-syncd" --db "$tmp/$name.db" --hub "$hub" --token-file "$tmp/$name.token" "$@" \
        >>"$tmp/$name.log" 2>&1
}
declare -A syncd_log_at=()
start_syncd() { # NAME: the daemon, in the background
    syncd_log_at[$1]=$(log_size "$tmp/$1.log")
    "$bin/sceaux-syncd" --db "$tmp/$1.db" --hub "$hub" --token-file "$tmp/$1.token" \
        >>"$tmp/$1.log" 2>&1 &
    syncd_pid[$1]=$!
}
syncd_serving() { # NAME: the daemon started last has set up and is serving
    log_since "$tmp/$1.log" "${syncd_log_at[$1]}" | grep -q "serving"
}
stop_syncd() { # NAME [SIGNAL]: returns the daemon's exit status
    local p=${syncd_pid[$1]:-}
    [ -n "$p" ] || return 0
    unset "syncd_pid[$1]"
    stop_pid "$p" "${2:-TERM}"
}
admin() { # TOKEN-NAME ARGS...
    local t=$1
    shift
    "$bin/sceaux-admin" --hub "$hub" --token-file "$tmp/$t.token" "$@"
}

same_as_hub() { # REPLICA: its public state equals the hub's as kiosks see it, table by table
    "$bin/sceaux-dumpdb" --kiosk "$(hub_file "$hubdb")" >"$tmp/dump.hub" &&
        "$bin/sceaux-dumpdb" "$tmp/$1.db" >"$tmp/dump.$1" &&
        [ -s "$tmp/dump.hub" ] &&
        diff -q "$tmp/dump.hub" "$tmp/dump.$1" >/dev/null && return 0
    echo "# $1 differs from the hub in: $(diff "$tmp/dump.hub" "$tmp/dump.$1" |
        sed -n 's/^[<>] \([a-z]*\)	.*/\1/p' | sort -u | tr '\n' ' ')"
    return 1
}

state() { q "$tmp/$1.db" "SELECT value FROM sync_state WHERE key = '$2'"; }

ts_utc() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }

add_outbox() { # REPLICA CHANGE-ID TABLE ROW-JSON: what the kiosk does
    q "$tmp/$1.db" "INSERT INTO outbox(id, change, created_at) VALUES('$2',
        '{\"id\":\"$2\",\"table\":\"$3\",\"op\":\"upsert\",\"row\":$4}',
        strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
}
booking_row() { # ID ROOM START END
    printf '{"id":"%s","room_id":"%s","starts_at":"%s","ends_at":"%s","holder":"Test","status":"confirmed","cancel_code":"246810"}' \
        "$1" "$2" "$3" "$4"
}

# ---- setup -----------------------------------------------------------------

for b in sceaux-hub sceaux-syncd sceaux-admin sceaux-dumpdb; do
    if [ ! -x "$bin/$b" ]; then
        not_ok "setup: $bin/$b is missing"
        exit 1
    fi
done
"$bin/sceaux-hub" import --db "$db" "$top/assets/sceaux.json" >>"$tmp/hub.log" 2>&1 ||
    not_ok "setup: sceaux-hub import assets/sceaux.json"
if [ -x "$bin/sceaux-gendata" ]; then
    # Enough rows for several pull pages (PLAN_PULL_LIMIT is 1000).
    "$bin/sceaux-gendata" --rows 200 --start "$(date -u -d tomorrow +%Y-%m-%d)" >"$tmp/gen.json" &&
        "$bin/sceaux-hub" import --db "$db" "$tmp/gen.json" >>"$tmp/hub.log" 2>&1 ||
        echo "# gendata import failed, continuing with assets only"
fi
token admin admin && token k1 kiosk site-sceaux-smart && token k2 kiosk site-sceaux-smart &&
    token r0 kiosk site-sceaux-smart && token staff staff || not_ok "setup: sceaux-hub token add"
echo "not-a-token" >"$tmp/bad.token"
if ! start_hub; then
    not_ok "setup: hub answers /v1/health"
    cat "$tmp/hub.log"
    exit 1
fi
check "admin push of a push body file (tests/data/sync/rooms.json)" \
    eval 'admin admin push "$top/tests/data/sync/rooms.json" >"$tmp/out"'

# ---- usage and failures ----------------------------------------------------

expect_rc() { # NAME RC CMD...
    local name=$1 want=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ "$rc" -eq "$want" ] && { [ "$want" -eq 0 ] || [ -s "$tmp/err" ]; }; then
        ok "$name"
    else
        not_ok "$name (exit $rc, wanted $want)"
        sed 's/^/#   /' "$tmp/err" | head -5
    fi
}
S="$bin/sceaux-syncd"
A="$bin/sceaux-admin"
expect_rc "syncd without arguments exits 2" 2 "$S"
expect_rc "syncd with an unknown option exits 2" 2 "$S" --db x --hub "$hub" --token-file x --frob
expect_rc "syncd refuses plain http to a remote hub (2)" 2 \
    "$S" --db "$tmp/x.db" --hub http://192.0.2.1:80 --token-file "$tmp/k1.token" --once
expect_rc "syncd refuses a URL that is not http(s) (2)" 2 \
    "$S" --db "$tmp/x.db" --hub ftp://127.0.0.1/ --token-file "$tmp/k1.token" --once
expect_rc "syncd --help exits 0" 0 "$S" --help
expect_rc "syncd --version exits 0" 0 "$S" --version
expect_rc "syncd with a missing token file exits 1" 1 \
    "$S" --db "$tmp/x.db" --hub "$hub" --token-file "$tmp/none.token" --once
dead_port=$(free_port)
expect_rc "syncd --once exits 1 when the hub cannot be reached" 1 \
    "$S" --db "$tmp/x.db" --hub "http://127.0.0.1:$dead_port" --token-file "$tmp/k1.token" --once
check "an unreachable hub is recorded: online 0 and last_error" \
    test "$(q "$tmp/x.db" "SELECT value FROM sync_state WHERE key='online'")" = 0 -a \
    -n "$(q "$tmp/x.db" "SELECT value FROM sync_state WHERE key='last_error'")"
expect_rc "syncd --once exits 1 when the hub refuses the token" 1 \
    "$S" --db "$tmp/x.db" --hub "$hub" --token-file "$tmp/bad.token" --once
check "the refusal is in last_error" grep -q 401 <(q "$tmp/x.db" \
    "SELECT value FROM sync_state WHERE key='last_error'")
expect_rc "admin without a command exits 2" 2 "$A" --hub "$hub" --token-file "$tmp/admin.token"
expect_rc "admin with an unknown command exits 2" 2 \
    "$A" --hub "$hub" --token-file "$tmp/admin.token" frobnicate
expect_rc "admin announce without --title exits 2" 2 \
    "$A" --hub "$hub" --token-file "$tmp/admin.token" announce --body b
expect_rc "admin announce with a bad --from exits 2" 2 \
    "$A" --hub "$hub" --token-file "$tmp/admin.token" announce --title t --body b --from tomorrow
expect_rc "admin announce with a bad priority exits 2" 2 \
    "$A" --hub "$hub" --token-file "$tmp/admin.token" announce --title t --body b --priority loud
expect_rc "admin exits 1 when the hub cannot be reached" 1 \
    "$A" --hub "http://127.0.0.1:$dead_port" --token-file "$tmp/admin.token" fleet
expect_rc "admin exits 1 when the hub refuses the token" 1 \
    "$A" --hub "$hub" --token-file "$tmp/bad.token" fleet
printf '{"format":"sceaux/1","changes":[{"id":"bad:1","table":"room","op":"upsert","row":{"id":"x"}}]}' \
    >"$tmp/bad-push.json"
expect_rc "admin push exits 1 when a change is rejected" 1 \
    "$A" --hub "$hub" --token-file "$tmp/admin.token" push "$tmp/bad-push.json"
expect_rc "dumpdb without arguments exits 2" 2 "$bin/sceaux-dumpdb"

# ---- 1. a fresh replica pulls everything -------------------------------------

t0=$(now_ms)
check "fresh replica: syncd --once exits 0" syncd r0 --once
dt=$(($(now_ms) - t0))
check "fresh replica equals the hub, table by table" same_as_hub r0
echo "# full pull of $(grep -c . "$tmp/dump.hub") rows took $dt ms"
check "fresh replica: online 1, cursor set, lag 0" \
    test "$(state r0 online)" = 1 -a "$(state r0 cursor)" -gt 0 -a "$(state r0 lag)" = 0
check "fresh replica: epoch is the hub's" \
    grep -q "\"$(state r0 epoch)\"" <(curl -fsS "$hub/v1/health")
check "a second --once changes nothing" syncd r0 --once
check "and the replica still equals the hub" same_as_hub r0

# ---- single instance ------------------------------------------------------------

start_syncd r0
r0_online() { test "$(state r0 online)" = 1 -a -n "$(state r0 last_ok)"; }
wait_until 20 r0_online
expect_rc "a second syncd on the same replica exits 1 (lock held)" 1 \
    "$S" --db "$tmp/r0.db" --hub "$hub" --token-file "$tmp/r0.token" --once
check "its message names the lock" grep -q 'locked' "$tmp/err"

# ---- 3. announce and local writes during a long-poll -------------------------

# within_1s NAME T0 CMD...: ok when CMD comes true (polled for 5 s at most)
# less than 1000 ms after T0 (now_ms).
within_1s() {
    local name=$1 t0=$2 dt
    shift 2
    if ! wait_until 5 "$@"; then
        not_ok "$name (not within 5 s)"
        return
    fi
    dt=$(($(now_ms) - t0))
    if [ $dt -lt 1000 ]; then ok "$name ($dt ms)"; else not_ok "$name ($dt ms)"; fi
}

wait_until 10 curl -fsS -o /dev/null "$hub/v1/health"
t0=$(now_ms)
out=$(admin staff announce --title "Forum ESS" --body "Samedi 10h, salle des fêtes" \
    --priority urgent --target all)
rc=$?
aid=${out%% *}
ann_arrived() { test "$(q "$tmp/r0.db" "SELECT count(*) FROM announcement WHERE id = '$aid'")" = 1; }
if [ $rc -eq 0 ]; then
    within_1s "announce reaches a long-polling replica within 1 s" "$t0" ann_arrived
else
    not_ok "announce reaches a long-polling replica (admin said: $out)"
fi
check "admin announce printed an applied result" grep -q "applied" <<<"$out"

initiative=$(q "$(hub_file "$hubdb")" "SELECT id FROM initiative ORDER BY id LIMIT 1")
t0=$(now_ms) # after the query: on PostgreSQL, hub_file copies the database
add_outbox r0 r0:s1 support "{\"id\":\"r0-s1\",\"initiative_id\":\"$initiative\"}"
support_pushed() { test "$(q "$tmp/r0.db" "SELECT status FROM push_result WHERE id = 'r0:s1'")" = applied; }
within_1s "a new outbox row is pushed within 1 s during a long-poll" "$t0" support_pushed
check "the pushed row left the outbox" test "$(q "$tmp/r0.db" "SELECT count(*) FROM outbox")" = 0
check "fleet lists the kiosk" grep -q '^r0 ' <(admin staff fleet)
t0=$(now_ms)
stop_syncd r0 TERM
rc=$?
check "SIGTERM during a long-poll: syncd exits 0 ($rc) within 3 s ($(($(now_ms) - t0)) ms)" \
    test $rc -eq 0 -a $(($(now_ms) - t0)) -lt 3000

syncd r0 --once # the last request says: nothing waiting
version=$("$bin/sceaux-syncd" --version | cut -d' ' -f2)
fleet_r0() { # the kiosk's line: NAME SITE LAST_SEEN LAG CURSOR OUTBOX VERSION ADDRESS FAULT
    admin staff fleet | awk -v v="$version" '$1 == "r0" && $6 == 0 && $7 == v && $9 == "-" { f = 1 } END { exit !f }'
}
check "fleet shows the X-Sceaux-Version syncd sent ($version) and its empty outbox" fleet_r0

out=$(admin staff announce --title "Conseil des jeunes" --body "Salle du conseil" \
    --priority important --target kiosk:r0 --from 2030-01-01T10:00:00+01:00 \
    --until 2030-01-02T10:00:00.5+01:00 --author "Mairie de Sceaux")
aid=${out%% *}
syncd r0 --once
check "announce --from/--until with an offset arrive in UTC, with target and author" \
    test "$(q "$tmp/r0.db" "SELECT starts_at || ' ' || ends_at || ' ' || target || ' ' || priority
        || ' ' || author FROM announcement WHERE id = '$aid'")" = \
    "2030-01-01T09:00:00Z 2030-01-02T09:00:00Z kiosk:r0 important Mairie de Sceaux"
default_window() {
    local row
    row=$(q "$tmp/r0.db" "SELECT strftime('%s', ends_at) - strftime('%s', starts_at),
        abs(strftime('%s', starts_at) - strftime('%s', 'now')) < 600 FROM announcement
        WHERE id = '$1'")
    test "$row" = "604800|1"
}
out=$(admin staff announce --title "Par défaut" --body "Sept jours")
syncd r0 --once
check "announce defaults: from now, for 7 days, to all, info" \
    eval 'default_window "${out%% *}" && test "$(q "$tmp/r0.db" "SELECT target || priority
        FROM announcement WHERE id = '"'"'${out%% *}'"'"'")" = allinfo'

# ---- 2. two offline kiosks book the same slot ----------------------------------

syncd k1 --once && syncd k2 --once || not_ok "conflict: first sync of k1 and k2"
hub_stop
start=$(ts_utc "tomorrow 09:00")
end=$(ts_utc "tomorrow 10:00")
add_outbox k1 k1:b1 booking "$(booking_row k1-b1 room-test-a "$start" "$end")"
add_outbox k2 k2:b1 booking "$(booking_row k2-b1 room-test-a "$start" "$end")"
start_hub || not_ok "conflict: hub restarts"
syncd k1 --once
syncd k2 --once
check "conflict: exactly one booking of the slot in the hub" \
    test "$(q "$(hub_file "$hubdb")" "SELECT group_concat(id) FROM booking WHERE room_id='room-test-a' AND starts_at='$start'")" = k1-b1
for r in k1 k2; do
    check "conflict: $r shows k1's booking confirmed and not k2's" \
        test "$(q "$tmp/$r.db" "SELECT group_concat(id || ' ' || status) FROM booking WHERE room_id='room-test-a' AND starts_at='$start'")" = "k1-b1 confirmed"
done
check "conflict: k1's push_result is applied" \
    test "$(q "$tmp/k1.db" "SELECT status FROM push_result WHERE id='k1:b1'")" = applied
check "conflict: k2's push_result is rejected/conflict" \
    test "$(q "$tmp/k2.db" "SELECT status || '/' || error FROM push_result WHERE id='k2:b1'")" = rejected/conflict
check "conflict: both replicas equal the hub" eval 'same_as_hub k1 && same_as_hub k2'

# ---- outbox order, batches, a hub that goes away ------------------------------

hub_stop
proposal_change() { # CHANGE-ID ROW-ID TEXT: SQL text of a proposal change
    printf '{"id":"%s","table":"proposal","op":"upsert","row":{"id":"%s","text":"%s","status":"submitted"}}' \
        "$1" "$2" "$3"
}
# Written out of rowid order: the push must follow created_at, then rowid.
q "$tmp/r0.db" "INSERT INTO outbox(id, change, created_at) VALUES
    ('r0:o1', '$(proposal_change r0:o1 r0-o1 trois)', '2026-01-01T00:00:02Z'),
    ('r0:o2', '$(proposal_change r0:o2 r0-o2 un)', '2026-01-01T00:00:01Z'),
    ('r0:o3', '$(proposal_change r0:o3 r0-o3 deux)', '2026-01-01T00:00:01Z')"
# And 1500 more at once: more than one push may carry (1000 changes).
q "$tmp/r0.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
    INSERT INTO outbox(id, change, created_at) SELECT 'r0:m' || i,
    '{\"id\":\"r0:m' || i || '\",\"table\":\"proposal\",\"op\":\"upsert\",\"row\":{\"id\":\"r0-m'
    || i || '\",\"text\":\"Idée ' || i || '\",\"status\":\"submitted\"}}',
    '2026-01-01T00:00:03Z' FROM n"
: >"$tmp/r0.log"
start_syncd r0
r0_offline() { test "$(state r0 online)" = 0 && grep -q 'failed' "$tmp/r0.log"; }
check "hub away: the daemon records online 0 and last_error" wait_until 20 r0_offline
check "hub away: last_error is '<time> <reason>' on one line" \
    grep -qE '^20[0-9-]{8}T[0-9:]{8}Z .+' <(state r0 last_error)
start_hub || not_ok "hub away: hub restarts"
r0_drained() { test "$(q "$tmp/r0.db" "SELECT count(*) FROM outbox")" = 0 -a "$(state r0 online)" = 1; }
check "hub back: the daemon reconnects by itself and pushes 1503 changes" wait_until 60 r0_drained
pushed=$(sed -n 's/.*pushed \([0-9]*\) changes.*/\1/p' "$tmp/r0.log")
check "batches: at most 1000 changes a push, more than one push ($(echo $pushed))" \
    test "$(echo "$pushed" | sort -n | tail -1)" -le 1000 -a "$(echo "$pushed" | grep -c .)" -ge 2
seqs=$(q "$tmp/r0.db" "SELECT group_concat(seq, ' ') FROM (SELECT seq FROM push_result
    WHERE id IN ('r0:o2', 'r0:o3', 'r0:o1', 'r0:m1') ORDER BY CASE id WHEN 'r0:o2' THEN 1
    WHEN 'r0:o3' THEN 2 WHEN 'r0:o1' THEN 3 ELSE 4 END)")
check "order: pushed by created_at, then rowid (seqs $seqs ascending)" \
    eval 'test "$(tr " " "\n" <<<"$seqs" | sort -n | tr "\n" " ")" = "$seqs " -a "$(wc -w <<<"$seqs")" = 4'
check "after the burst the replica equals the hub" eval 'wait_until 20 eval "same_as_hub r0 >/dev/null" || same_as_hub r0'
stop_syncd r0

# ---- 4. kill -9 storm ----------------------------------------------------------

# The writer records every acknowledged outbox write (sqlite3 returned 0) in
# written.csv; the checks at the end compare that with push_result and the
# hub. Bookings land on random hours of the next 10 days in two rooms, so
# some collide (between kiosks and within one) and must come out rejected.
# The pauses let the daemons be killed in the middle of their work.
echo "replica,kind,cid,rid,initiative" >"$tmp/written.csv"
mapfile -t initiatives < <(q "$(hub_file "$hubdb")" "SELECT id FROM initiative ORDER BY id LIMIT 5")
before_supports=$(q "$(hub_file "$hubdb")" "SELECT coalesce(sum(supports), 0) FROM initiative")
before_bookings=$(q "$(hub_file "$hubdb")" "SELECT count(*) FROM booking")
before_proposals=$(q "$(hub_file "$hubdb")" "SELECT count(*) FROM proposal")
q "$(hub_file "$hubdb")" "SELECT id, supports FROM initiative" >"$tmp/supports.before"
base=$(date -u -d "tomorrow 00:00" +%s)
start_syncd k1
start_syncd k2
storm_t0=$(now_ms)
for round in $(seq 1 200); do
    r=k$((RANDOM % 2 + 1))
    cid="$r:w$round"
    rid="$r-w$round"
    case $((RANDOM % 3)) in
    0)
        day=$((RANDOM % 10))
        hour=$((6 + RANDOM % 12)) # 07:00-19:00 Paris: inside the rooms' hours
        s=$((base + day * 86400 + hour * 3600))
        room=room-test-$([ $((RANDOM % 2)) = 0 ] && echo a || echo b)
        add_outbox "$r" "$cid" booking "$(booking_row "$rid" "$room" \
            "$(date -u -d "@$s" +%Y-%m-%dT%H:%M:%SZ)" "$(date -u -d "@$((s + 3600))" +%Y-%m-%dT%H:%M:%SZ)")" &&
            echo "$r,booking,$cid,$rid," >>"$tmp/written.csv"
        ;;
    1)
        i=${initiatives[$((RANDOM % ${#initiatives[@]}))]}
        add_outbox "$r" "$cid" support "{\"id\":\"$rid\",\"initiative_id\":\"$i\"}" &&
            echo "$r,support,$cid,$rid,$i" >>"$tmp/written.csv"
        ;;
    2)
        add_outbox "$r" "$cid" proposal "{\"id\":\"$rid\",\"text\":\"Idée $round\",\"status\":\"submitted\"}" &&
            echo "$r,proposal,$cid,$rid," >>"$tmp/written.csv"
        ;;
    esac
    sleep "$(printf "0.%02d" $((RANDOM % 25)))"
    if [ $((RANDOM % 3)) = 0 ]; then
        v=k$((RANDOM % 2 + 1))
        stop_syncd "$v" -9
        start_syncd "$v"
    fi
    if [ $((round % 50)) = 25 ]; then
        hub_stop -9
        start_hub || not_ok "storm: hub restarts after kill -9 (round $round)"
    fi
done
echo "# storm: 200 rounds in $(($(now_ms) - storm_t0)) ms"
outboxes_empty() {
    test "$(q "$tmp/k1.db" "SELECT count(*) FROM outbox")" = 0 &&
        test "$(q "$tmp/k2.db" "SELECT count(*) FROM outbox")" = 0
}
check "storm: the daemons empty both outboxes" wait_until 90 outboxes_empty
wait_until 20 syncd_serving k1
wait_until 20 syncd_serving k2
stop_syncd k1 TERM
rc1=$?
stop_syncd k2 TERM
rc2=$?
check "storm: the daemons exit 0 on SIGTERM" test $rc1 -eq 0 -a $rc2 -eq 0
syncd k1 --once && syncd k2 --once || not_ok "storm: final --once rounds"
hub_stop
sqlite3 "$tmp/check.db" ".import --csv '$tmp/written.csv' written"
storm_sql() {
    sqlite3 -cmd '.timeout 10000' "$tmp/check.db" <<EOF
ATTACH '$(hub_file "$hubdb")' AS hub;
ATTACH '$tmp/k1.db' AS k1;
ATTACH '$tmp/k2.db' AS k2;
CREATE TEMP VIEW res AS
  SELECT w.*, coalesce(a.status, b.status) AS status
  FROM written w
  LEFT JOIN k1.push_result a ON w.replica = 'k1' AND a.id = w.cid
  LEFT JOIN k2.push_result b ON w.replica = 'k2' AND b.id = w.cid;
$1
EOF
}
wrote=$(storm_sql "SELECT count(*) FROM written;")
echo "# storm: changes answered 'duplicate' (resent after a kill): $(cat "$tmp"/k[12].log |
    sed -n 's/.*rejected (\([0-9]*\) already seen.*/\1/p' | awk '{n += $1} END {print n + 0}')"
echo "# storm: $wrote writes, $(storm_sql "SELECT status || ' ' || count(*) FROM res GROUP BY status;" | tr '\n' ' ')"
check "storm: every acknowledged write has exactly one result" \
    test "$(storm_sql "SELECT count(*) FROM res WHERE status IN ('applied', 'rejected');")" = "$wrote"
check "storm: every applied booking and proposal is in the hub" \
    test "$(storm_sql "SELECT count(*) FROM res WHERE status = 'applied' AND kind IN ('booking', 'proposal')
        AND rid NOT IN (SELECT id FROM hub.booking UNION ALL SELECT id FROM hub.proposal);")" = 0
check "storm: no rejected booking or proposal is in the hub" \
    test "$(storm_sql "SELECT count(*) FROM res WHERE status = 'rejected'
        AND rid IN (SELECT id FROM hub.booking UNION ALL SELECT id FROM hub.proposal);")" = 0
check "storm: nothing invented (hub bookings and proposals = seed + applied)" \
    test "$(storm_sql "SELECT (SELECT count(*) FROM hub.booking) - $before_bookings
        - (SELECT count(*) FROM res WHERE kind = 'booking' AND status = 'applied');")" = 0 -a \
    "$(storm_sql "SELECT (SELECT count(*) FROM hub.proposal) - $before_proposals
        - (SELECT count(*) FROM res WHERE kind = 'proposal' AND status = 'applied');")" = 0
check "storm: each applied support counted once (initiative.supports)" \
    test "$(storm_sql "SELECT (SELECT coalesce(sum(supports), 0) FROM hub.initiative) - $before_supports
        - (SELECT count(*) FROM res WHERE kind = 'support' AND status = 'applied');")" = 0
check "storm: some bookings collided and came out rejected/conflict" \
    test "$(storm_sql "SELECT count(*) FROM res r JOIN (SELECT id, error FROM k1.push_result
        UNION ALL SELECT id, error FROM k2.push_result) p ON p.id = r.cid
        WHERE r.kind = 'booking' AND r.status = 'rejected' AND p.error = 'conflict';")" -ge 1
check "storm: both replicas equal the hub" eval 'same_as_hub k1 && same_as_hub k2'

# ---- 6. the hub restored from an older backup --------------------------------

if [ "${SCEAUX_TEST_DB:-}" = pg ]; then
    skip "restore: the hub restored from an older backup" "pg_dump and pg_restore's (sync/hub/README.md)"
else
    start_hub || not_ok "restore: hub restarts"
    "$bin/sceaux-hub" backup --db "$hubdb" "$tmp/backup.db" >>"$tmp/hub.log" 2>&1 ||
        not_ok "restore: sceaux-hub backup"
    old_epoch=$(state k1 epoch)
    late=$(admin staff announce --title "Après la sauvegarde" --body "perdue à la restauration")
    late=${late%% *}
    syncd k1 --once
    check "restore: k1 has the announcement made after the backup" \
        test "$(q "$tmp/k1.db" "SELECT count(*) FROM announcement WHERE id = '$late'")" = 1
    hub_stop
    add_outbox k1 k1:p-offline proposal '{"id":"k1-p-offline","text":"Écrite hors ligne","status":"submitted"}'
    results_before=$(q "$tmp/k1.db" "SELECT count(*) FROM push_result")
    "$bin/sceaux-hub" restore --db "$hubdb" "$tmp/backup.db" >>"$tmp/hub.log" 2>&1 ||
        not_ok "restore: sceaux-hub restore"
    start_hub || not_ok "restore: hub restarts after restore"
    check "restore: syncd --once exits 0" syncd k1 --once
    check "restore: the replica took the new epoch" test "$(state k1 epoch)" != "$old_epoch"
    check "restore: the announcement made after the backup is gone from the replica" \
        test "$(q "$tmp/k1.db" "SELECT count(*) FROM announcement WHERE id = '$late'")" = 0
    check "restore: the replica equals the restored hub" same_as_hub k1
    check "restore: the outbox row written offline reached the hub once" \
        test "$(q "$tmp/k1.db" "SELECT status FROM push_result WHERE id = 'k1:p-offline'")" = applied -a \
        "$(q "$(hub_file "$hubdb")" "SELECT count(*) FROM proposal WHERE id = 'k1-p-offline'")" = 1
    check "restore: earlier push results are kept" \
        test "$(q "$tmp/k1.db" "SELECT count(*) FROM push_result")" -eq $((results_before + 1))
    check "restore: k2 rebuilds too (daemon)" eval 'start_syncd k2; wait_until 30 eval "same_as_hub k2 >/dev/null" || same_as_hub k2'
    stop_syncd k2 TERM
    hub_stop

fi

check "no sanitizer report in any log" eval '! grep -l "Sanitizer" "$tmp"/*.log'
test_done
