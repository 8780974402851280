#!/usr/bin/env bash
# Several hubs on one PostgreSQL database (sync/hub/README.md, "Several
# hubs"), always on PostgreSQL (lib/pg.sh starts a throwaway server):
# the change log's order under concurrent writers through two hubs
# (sceaux-ordercheck); a change id retried on the other hub is a
# duplicate with its first result; the same slot booked through both
# hubs at once is applied once; a console session opened on one hub is
# known by the other; a commit through one hub wakes a long-poll held
# by the other at once (LISTEN/NOTIFY), within a second while the
# listening connection is down (the head read every 500 ms), at once
# again when it is back; nginx with docs/nginx-sceaux-hubs.conf in front,
# one hub killed in the middle of pushes loses and doubles nothing;
# PostgreSQL restarted under long-polling syncd: the hubs reconnect,
# nothing is lost; the sweeps run on one hub at a time, and on the other
# once that one is killed.
# Prints "ok NAME" / "not ok NAME" per case; waits are polls.
set -u
export SCEAUX_TEST_DB=pg
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
db=$tmp/multi.db

# Tokens and content once, in the shared database.
staff=$(hub_token "$db" staff staff) && k1=$(hub_token "$db" k1 kiosk site-a) &&
    k2=$(hub_token "$db" k2 kiosk site-a) && hub_token "$db" r1 kiosk site-a >"$tmp/r1.token" &&
    "$bin/sceaux-hub" import --db "$(hub_db "$db")" "$top/tests/data/hub/content.json" >/dev/null ||
    setup_fail "tokens and content"

# start NAME [PORT [serve options...]]: hub NAME on the shared database;
# url_NAME, pid_NAME, port_NAME.
start() {
    local name=$1 port=${2:-0}
    shift $(($# < 2 ? $# : 2))
    hub_start "$db" "$tmp/$name.log" "$port" "$@" || return 1
    eval "url_$name=\$hub_url pid_$name=\$hub_pid port_$name=\$hub_port"
}

start a && start b || setup_fail "two hubs on one database"

# push_to URL TOKEN CHANGE-ID TABLE ROW: one upsert; status and result in
# $tmp/out.
push_to() {
    local url=$1
    shift
    (hub_url=$url push_upsert "$@")
}
ann() { # ID: an announcement row
    printf '{"id":"%s","title":"Plusieurs hubs","body":"Essai","priority":"info","starts_at":"2026-01-01T00:00:00Z","ends_at":"2036-01-01T00:00:00Z","target":"all"}' "$1"
}
result() { jq -r ".results[0].$1" "$tmp/out"; }

# ---- order, exactly once, conflicts ---------------------------------------------

order() { # its figures as a comment line
    "$bin/sceaux-ordercheck" --hub "$url_a" --hub "$url_b" --token "$staff" --pushers 8 \
        --readers 4 --changes 100 >"$tmp/order.out" 2>"$tmp/order.err"
    local rc=$?
    echo "# $(cat "$tmp/order.out")"
    return $rc
}
not_ok_log=$tmp/order.err
check "8 writers and 4 hopping readers on two hubs: no change skipped, doubled or late" order
not_ok_log=

push_to "$url_a" "$staff" multi:once announcement "$(ann once)" >/dev/null
first=$(result seq)
push_to "$url_b" "$staff" multi:once announcement "$(ann once)" >/dev/null
check "a change retried on the other hub is a duplicate with its first seq" \
    test "$(result status) $(result seq)" = "duplicate $first"

bk() { # ID: a booking of salle-a, the same slot every time
    printf '{"id":"%s","room_id":"salle-a","starts_at":"2035-03-01T09:00:00Z","ends_at":"2035-03-01T10:00:00Z","holder":"A","status":"confirmed","cancel_code":"123456"}' "$1"
}
printf '{"format":"sceaux/1","changes":[{"id":"k1:slot","table":"booking","op":"upsert","row":%s}]}' \
    "$(bk slot-1)" >"$tmp/b1"
printf '{"format":"sceaux/1","changes":[{"id":"k2:slot","table":"booking","op":"upsert","row":%s}]}' \
    "$(bk slot-2)" >"$tmp/b2"
curl -s -H "Authorization: Bearer $k1" --data-binary @"$tmp/b1" "$url_a/v1/push" >"$tmp/r1" &
c1=$!
curl -s -H "Authorization: Bearer $k2" --data-binary @"$tmp/b2" "$url_b/v1/push" >"$tmp/r2" &
c2=$!
wait "$c1" "$c2"
check "the same slot booked through both hubs at once: one applied, one conflict" \
    test "$(jq -r '.results[0].status + " " + (.results[0].error // "")' "$tmp/r1" "$tmp/r2" |
        sort | tr '\n' ,)" = "applied ,rejected conflict,"

# ---- console sessions across hubs -------------------------------------------------

printf 'mot-de-passe-anne\n' | "$bin/sceaux-hub" user add --db "$(hub_db "$db")" --name anne \
    --role staff >/dev/null || not_ok "user add on PostgreSQL"
session_on() { curl -s -o /dev/null -w '%{http_code}' -b "$tmp/jar" "$1/v1/console/session"; }
curl -s -o /dev/null -c "$tmp/jar" -H 'Content-Type: application/json' \
    --data-binary '{"name": "anne", "password": "mot-de-passe-anne"}' "$url_a/v1/console/login"
on_b=$(session_on "$url_b")
curl -s -o /dev/null -b "$tmp/jar" -H "Origin: $url_b" -X POST "$url_b/v1/console/logout"
check "a console session opened on hub a works on hub b, and logout there ends it on a" \
    test "$on_b $(session_on "$url_a")" = "200 401"
curl -s -o /dev/null -c "$tmp/jar" -H 'Content-Type: application/json' \
    --data-binary '{"name": "anne", "password": "mot-de-passe-anne"}' "$url_b/v1/console/login"
"$bin/sceaux-hub" user remove --db "$(hub_db "$db")" anne >/dev/null
check "removing the account ends its sessions on every hub" \
    test "$(session_on "$url_a") $(session_on "$url_b")" = "401 401"

# ---- long-polls across hubs ------------------------------------------------------

# wake_ms FROM TO ID: how long after its push through hub FROM was
# answered a long-poll held by hub TO answered with the change (0 when
# before), in ms; empty when it did not.
wake_ms() {
    local head poll t0 t1
    head=$(curl -s "$2/v1/health" | jq -r .seq)
    curl -s -H "Authorization: Bearer $k1" "$2/v1/changes?since=$head&wait=20" >"$tmp/poll" &
    poll=$!
    hub_port=${2##*:} wait_until 10 hub_conns_at_least 1 || true
    push_to "$1" "$staff" "multi:$3" announcement "$(ann "$3")" >/dev/null
    t0=$(now_ms)
    wait "$poll"
    t1=$(now_ms)
    jq -e --arg id "$3" '.changes | map(.row.id) | index($id)' "$tmp/poll" >/dev/null &&
        echo $((t1 - t0))
}
# wakes FROM TO NAME LIMIT [COUNT]: five wake-ups, all of them arrived
# and COUNT (5) of them within LIMIT ms of the push's answer; the figures
# in the case's name. (From the push's answer: the push itself takes
# 100-200 ms of curl and sanitizers here.)
wakes() {
    local i t all=() within=0
    for i in 1 2 3 4 5; do
        t=$(wake_ms "$1" "$2" "$3-$i")
        all+=("${t:-none}")
        [ -n "$t" ] && [ "$t" -lt "$4" ] && within=$((within + 1))
    done
    local name="$3: a commit through one hub wakes a long-poll held by the other (${all[*]} ms after the push's answer; ${5:-5} of 5 < $4)"
    if [ "$within" -ge "${5:-5}" ] && [[ " ${all[*]} " != *" none "* ]]; then
        ok "$name"
    else
        not_ok "$name" "$(head -c 300 "$tmp/poll")"
    fi
}
# Reading the head every 500 ms would take 250 ms on average: four of
# five within 150 ms would come from it three times in a hundred; from
# LISTEN/NOTIFY they take tens of ms (one may wait on a loaded machine).
wakes "$url_a" "$url_b" wake-b 150 4
wakes "$url_b" "$url_a" wake-a 150 4

# The listening connection of hub b killed, and kept from coming back
# (its database refuses new connections; the pools' open ones go on):
# hub b reads the head meanwhile, then listens again.
# pg_admin SQL: one query on the server's `postgres` database (t_multi
# may refuse connections meanwhile).
pg_admin() { "$pg_bindir/psql" -qAtX -v ON_ERROR_STOP=1 -d "$(pg_url postgres)" -c "$1"; }
listener() { # HUB-PID: the pid of its listening session
    pg_admin "SELECT pid FROM pg_stat_activity WHERE application_name = 'sceaux-hub listen $1'"
}
logged() { log_since "$1" "$2" | grep -q "$3"; } # LOG FROM PATTERN
lb=$(listener "$pid_b")
check "hub b holds one listening connection" test -n "$lb"
from=$(log_size "$tmp/b.log")
[ -n "$lb" ] && pg_admin "ALTER DATABASE t_multi ALLOW_CONNECTIONS false" &&
    pg_admin "SELECT pg_terminate_backend($lb)" >/dev/null
check "  killed, hub b says it reads the head instead" \
    wait_until 10 logged "$tmp/b.log" "$from" 'not hearing the commits of other hubs'
wakes "$url_a" "$url_b" fallback 1000
from=$(log_size "$tmp/b.log")
pg_admin "ALTER DATABASE t_multi ALLOW_CONNECTIONS true"
check "  connections allowed again, hub b listens again" \
    wait_until 20 logged "$tmp/b.log" "$from" 'hearing the commits of other hubs (LISTEN)'
lb2=$(listener "$pid_b")
check "  on a new session" test -n "$lb2" -a "$lb2" != "$lb"
wakes "$url_a" "$url_b" relisten 150 4

# ---- behind nginx: one hub killed in the middle of pushes --------------------------

# A client as syncd is one: each change pushed until it gets an answer,
# under the same id (exactly once makes a retry safe).
pushes_through() { # URL FIRST LAST: announcements FIRST..LAST, one per push
    local i st
    for i in $(seq "$2" "$3"); do
        for _ in $(seq 50); do
            st=$( (hub_url=$1 push_upsert "$staff" "multi:n$i" announcement "$(ann "n$i")") 2>/dev/null)
            [ "$st" = 200 ] && jq -e '.results[0].status | test("applied|duplicate")' "$tmp/out" \
                >/dev/null && break
        done
        echo "$i $(jq -r '.results[0].status' "$tmp/out")"
    done
}

ids_on() { # URL: the announcements n* a fresh pull from URL lists, sorted
    local since=0 more=true
    : >"$tmp/ids"
    while [ "$more" = true ]; do
        curl -s -H "Authorization: Bearer $staff" "$1/v1/changes?since=$since" >"$tmp/page"
        jq -r '.changes[] | select(.table == "announcement" and .op == "upsert") | .row.id' \
            "$tmp/page" | grep '^n' >>"$tmp/ids"
        since=$(jq -r .next "$tmp/page")
        more=$(jq -r .more "$tmp/page")
    done
    sort "$tmp/ids"
}

if command -v nginx >/dev/null && nginx_hubs "$tmp/ngx" "$(free_port)" "$port_a" "$port_b"; then
    ok "nginx with docs/nginx-sceaux-hubs.conf answers for two hubs"
    "$bin/sceaux-syncd" --db "$tmp/r1.db" --hub "$ngx_url" --token-file "$tmp/r1.token" \
        >>"$tmp/r1.log" 2>&1 &
    syncd=$!
    pushes_through "$ngx_url" 1 100 >"$tmp/pushed" &
    pusher=$!
    wait_until 30 test "$(wc -l <"$tmp/pushed")" -ge 30
    { kill -9 "$pid_a" && wait "$pid_a"; } 2>/dev/null
    wait "$pusher"
    check "100 pushes through nginx with hub a killed at the 30th: each answered" \
        test "$(grep -c 'applied\|duplicate' "$tmp/pushed")" = 100
    check "  and hub b lists each of the 100 once" \
        test "$(ids_on "$url_b" | uniq | wc -l) $(ids_on "$url_b" | wc -l)" = "100 100"
    replica_has() { [ "$(sqlite3 "$tmp/r1.db" "SELECT count(*) FROM announcement WHERE id LIKE 'n%'")" = 100 ]; }
    check "  and a syncd long-polling through nginx has all 100" wait_until 20 replica_has
else
    not_ok "nginx with docs/nginx-sceaux-hubs.conf answers for two hubs" "$(tail -5 "$tmp/ngx/error.log" 2>/dev/null)"
fi

# ---- PostgreSQL restarted under long-polls -------------------------------------

start a "$port_a" || not_ok "hub a starts again"
pg_restart || setup_fail "PostgreSQL did not start again"
push_after() { (hub_url=$url_a push_upsert "$staff" multi:after announcement "$(ann after)") | grep -q 200; }
check "after a PostgreSQL restart, hub a takes a push again" wait_until 20 push_after
has_after() { [ "$(sqlite3 "$tmp/r1.db" "SELECT count(*) FROM announcement WHERE id = 'after'")" = 1 ]; }
check "  and it reaches the syncd long-polling through nginx" wait_until 20 has_after
stop_pid "${syncd:-}"
stop_pid "${ngx_pid:-}"
stop_pid "$pid_a"
stop_pid "$pid_b"

# ---- sweeps, one hub at a time -------------------------------------------------------

# Hubs c then d, sweeping every second, help offers erased as soon as made.
offer() { # ID
    printf '{"id":"%s","initiative_id":"jardin","first_name":"Camille","contact":"camille@example.org","consent":true,"status":"new"}' "$1"
}
offers_gone() { [ "$(hub_sql "$db" 'SELECT count(*) FROM help_offer')" = 0 ]; }
sweeper() { # the application_name of the session holding the sweep lock
    hub_sql "$db" "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid)
        WHERE l.locktype = 'advisory' AND l.objid = 5316 AND l.granted"
}
start c 0 --offer-days 0 --sweep-every 1 && start d 0 --offer-days 0 --sweep-every 1 ||
    not_ok "hubs c and d start"
push_to "$url_d" "$staff" multi:offer-1 help_offer "$(offer offer-1)" >/dev/null
check "a help offer past --offer-days is erased by the next sweep" wait_until 10 offers_gone
erasures() { cat "$@" | grep -c 'erased 1 help offers'; } # LOG...
# The line comes just after the commit that offers_gone may see first.
wait_until 5 grep -q 'erased 1 help offers' "$tmp/c.log" "$tmp/d.log"
check "  logged by one hub: c, the one holding the sweep lock" \
    is "$(erasures "$tmp/c.log" "$tmp/d.log") $(erasures "$tmp/c.log") $(sweeper)" \
    "1 1 sceaux-hub sweeps $pid_c"
check "  and d says it skips the sweeps" grep -q 'another hub runs the sweeps' "$tmp/d.log"
stop_pid "$pid_c" KILL
push_to "$url_d" "$staff" multi:offer-2 help_offer "$(offer offer-2)" >/dev/null
check "c killed, d runs the next sweep" wait_until 10 offers_gone
wait_until 5 grep -q 'erased 1 help offers' "$tmp/d.log"
check "  and logs it" is "$(erasures "$tmp/d.log") $(sweeper)" "1 sceaux-hub sweeps $pid_d"
stop_pid "$pid_d"
for h in a b c d; do
    if grep -q 'ERROR: AddressSanitizer\|runtime error:' "$tmp/$h.log"; then
        not_ok "hub $h ran clean under the sanitizers" "$(grep -m3 'ERROR\|runtime error' "$tmp/$h.log")"
    fi
done
test_done
