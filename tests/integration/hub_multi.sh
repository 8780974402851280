#!/usr/bin/env bash
# Several hubs on one PostgreSQL database (sync/hub/README.md, "Several
# hubs"), always on PostgreSQL (lib/pg.sh starts a throwaway server):
# the change log's order under concurrent writers through two hubs
# (sceaux-ordercheck); a change id retried on the other hub is a
# duplicate with its first result; the same slot booked through both
# hubs at once is applied once; a console session opened on one hub is
# known by the other; a commit through one hub wakes a
# long-poll held by the other within a second; nginx with
# docs/nginx-sceaux-hubs.conf in front, one hub killed in the middle of
# pushes loses and doubles nothing; PostgreSQL restarted under
# long-polling syncd: the hubs reconnect, nothing is lost.
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

# start NAME: hub NAME on the shared database; url_NAME, pid_NAME.
start() {
    hub_start "$db" "$tmp/$1.log" "${2:-0}" || return 1
    eval "url_$1=\$hub_url pid_$1=\$hub_pid port_$1=\$hub_port"
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

# wake FROM TO ID: a long-poll held by hub TO, a push through hub FROM.
wake() {
    local head poll took t0
    head=$(curl -s "$2/v1/health" | jq -r .seq)
    curl -s -H "Authorization: Bearer $k1" "$2/v1/changes?since=$head&wait=20" >"$tmp/poll" &
    poll=$!
    hub_port=${2##*:} wait_until 10 hub_conns_at_least 1 || true
    t0=$(now_ms)
    push_to "$1" "$staff" "multi:$3" announcement "$(ann "$3")" >/dev/null
    wait "$poll"
    took=$(($(now_ms) - t0))
    if jq -e --arg id "$3" '.changes | map(.row.id) | index($id)' "$tmp/poll" >/dev/null &&
        [ "$took" -lt 1500 ]; then
        ok "a commit through one hub wakes a long-poll held by the other ($took ms)"
    else
        not_ok "a commit through one hub wakes a long-poll held by the other ($took ms)" \
            "$(head -c 300 "$tmp/poll")"
    fi
}
wake "$url_a" "$url_b" wake-b
wake "$url_b" "$url_a" wake-a

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
for h in a b; do
    if grep -q 'ERROR: AddressSanitizer\|runtime error:' "$tmp/$h.log"; then
        not_ok "hub $h ran clean under the sanitizers" "$(grep -m3 'ERROR\|runtime error' "$tmp/$h.log")"
    fi
done
test_done
