#!/usr/bin/env bash
# Two hubs on one PostgreSQL database (sync/hub/README.md, "Several hubs on
# PostgreSQL"): a retry reaching the other hub is a duplicate with the
# first result, two kiosks booking one slot through two hubs get one
# applied and one conflict, a commit through one hub wakes a long-poll on
# the other within a second, a console session opened on one is known to
# the other, and PostgreSQL restarted under a long-poll loses nothing. Only with SCEAUX_TEST_DB=pg (tools/run-tests' PG_TESTS).
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
if [ "${SCEAUX_TEST_DB:-}" != pg ]; then
    skip "two hubs on PostgreSQL" "SCEAUX_TEST_DB=pg only"
    test_done
fi
db=$(hub_db "$tmp/hub.db") || setup_fail "no database"
k1=$(hub_token "$tmp/hub.db" k1 kiosk tiers-lieu) || setup_fail "token k1"
k2=$(hub_token "$tmp/hub.db" k2 kiosk tiers-lieu) || setup_fail "token k2"
staff=$(hub_token "$tmp/hub.db" staff staff) || setup_fail "token staff"
"$bin/sceaux-hub" import --db "$db" "$top/tests/data/hub/content.json" >/dev/null ||
    setup_fail "import"
hub_start "$tmp/hub.db" "$tmp/hub-a.log" 0 || setup_fail "hub A"
url_a=$hub_url
pid_a=$hub_pid
hub_start "$tmp/hub.db" "$tmp/hub-b.log" 0 || setup_fail "hub B"
url_b=$hub_url

# push URL TOKEN CHANGE-ID TABLE ROW: the first result's "status/error".
push() {
    printf '{"format":"sceaux/1","changes":[{"id":"%s","table":"%s","op":"upsert","row":%s}]}' \
        "$3" "$4" "$5" >"$tmp/body"
    curl -fsS -H "Authorization: Bearer $2" --data-binary @"$tmp/body" "$1/v1/push" |
        jq -r '.results[0] | "\(.status)/\(.error // "")"'
}
bk() { # id: a booking of salle-a on a fixed winter morning far ahead
    printf '{"id":"%s","room_id":"salle-a","starts_at":"2035-01-16T09:00:00Z","ends_at":"2035-01-16T10:00:00Z","holder":"Camille","purpose":null,"status":"confirmed","cancel_code":"123456"}' "$1"
}
ann() { # id
    printf '{"id":"%s","title":"t","body":"b","priority":"info","starts_at":"2030-01-01T00:00:00Z","ends_at":"2036-01-01T00:00:00Z","target":"all"}' "$1"
}
head_seq() { curl -fsS "$1/v1/health" | jq -r .seq; }

first=$(push "$url_a" "$k1" k1:b1 booking "$(bk b1)")
again=$(push "$url_b" "$k1" k1:b1 booking "$(bk b1)")
check "a retry through the other hub is a duplicate ($first, then $again)" \
    test "$first $again" = "applied/ duplicate/"
other=$(push "$url_b" "$k2" k2:b2 booking "$(bk b2)")
check "the same slot booked through the other hub -> conflict ($other)" \
    test "$other" = "rejected/conflict"

# wake URL-WAITING URL-PUSHING ID: a long-poll on one hub, a commit
# through the other, answered with the row within a second.
wake() {
    local s t0 t1
    s=$(head_seq "$1")
    curl -fsS -H "Authorization: Bearer $k1" "$1/v1/changes?since=$s&wait=20" >"$tmp/lp" &
    local lp=$!
    hub_port=${1##*:} wait_until 5 hub_conns_at_least 1 || return 1
    t0=$(now_ms)
    [ "$(push "$2" "$staff" "staff:$3" announcement "$(ann "$3")")" = applied/ ] || return 1
    wait "$lp"
    t1=$(now_ms)
    echo "  answered $((t1 - t0)) ms after the commit" >&2
    [ $((t1 - t0)) -lt 1000 ] && jq -e --arg id "$3" '.changes[0].row.id == $id' "$tmp/lp" >/dev/null
}
check "a commit through hub A wakes a long-poll on hub B within 1 s" wake "$url_b" "$url_a" w1
check "and the other way round" wake "$url_a" "$url_b" w2

# A console session opened on hub A is known to hub B; logging out on B
# ends it on A.
printf 'mot-de-passe-anne\n' | "$bin/sceaux-hub" user add --db "$db" --name anne --role staff \
    >/dev/null || setup_fail "user add"
session() { curl -s -o /dev/null -w '%{http_code}' -b "$tmp/jar" "$1/v1/console/session"; }
sessions_shared() {
    curl -s -o /dev/null -c "$tmp/jar" -H 'Content-Type: application/json' \
        --data-binary '{"name": "anne", "password": "mot-de-passe-anne"}' \
        "$url_a/v1/console/login" || return 1
    local on_b out
    on_b=$(session "$url_b")
    curl -s -o /dev/null -b "$tmp/jar" -H "Origin: $url_b" -X POST "$url_b/v1/console/logout"
    out=$(session "$url_a")
    is "$on_b $out" "200 401"
}
check "a console session opened on hub A is known to hub B, and ended by it" sessions_shared

# PostgreSQL restarted while a kiosk long-polls on hub B: the hubs
# reconnect, the long-poll gets the next commit, nothing is lost.
restart() {
    local s
    s=$(head_seq "$url_b")
    curl -fsS -H "Authorization: Bearer $k1" "$url_b/v1/changes?since=$s&wait=20" >"$tmp/lp" &
    local lp=$!
    hub_port=${url_b##*:} wait_until 5 hub_conns_at_least 1 || return 1
    pg_restart || return 1
    [ "$(push "$url_a" "$staff" staff:r1 announcement "$(ann r1)")" = applied/ ] || return 1
    wait "$lp" && jq -e '.changes[0].row.id == "r1"' "$tmp/lp" >/dev/null &&
        [ "$(head_seq "$url_b")" = $((s + 1)) ]
}
check "PostgreSQL restarted under a long-poll: hubs reconnect, nothing lost" restart

hub_stop
stop_pid "$pid_a"
test_done
