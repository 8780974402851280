#!/usr/bin/env bash
# Two hubs on one database, many concurrent pushers, readers that page
# through the changes with small pages: no change may ever commit below a
# cursor a reader has already passed (sync/hub/README.md, "Several hubs on
# PostgreSQL"). Every pushed row is new (one seq each, never moved by a
# later change), so each reader, once drained, must have seen exactly
# every row, in ascending seq. Runs on either backend (two processes on
# one SQLite file too); tools/run-tests runs it on PostgreSQL.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
pushers=${ORDER_PUSHERS:-6}
pushes=${ORDER_PUSHES:-10} # per pusher, of 4 changes each

for i in $(seq 1 "$pushers"); do
    hub_token "$tmp/hub.db" "p$i" staff >"$tmp/p$i.token" || setup_fail "token p$i"
done
reader=$(hub_token "$tmp/hub.db" reader kiosk site-a) || setup_fail "token reader"
hub_start "$tmp/hub.db" "$tmp/hub-a.log" 0 || setup_fail "hub A"
url_a=$hub_url
pid_a=$hub_pid
hub_start "$tmp/hub.db" "$tmp/hub-b.log" 0 || setup_fail "hub B"
url_b=$hub_url

# pusher I URL: pushes 4 new announcements at a time, each push checked.
pusher() {
    local i=$1 url=$2 n c body token
    token=$(cat "$tmp/p$i.token")
    for n in $(seq 1 "$pushes"); do
        body='{"format":"sceaux/1","changes":['
        for c in 1 2 3 4; do
            [ "$c" -gt 1 ] && body+=,
            body+="{\"id\":\"p$i:$n:$c\",\"table\":\"announcement\",\"op\":\"upsert\",\"row\":"
            body+="{\"id\":\"a-$i-$n-$c\",\"title\":\"t\",\"body\":\"b\",\"priority\":\"info\","
            body+="\"starts_at\":\"2030-01-01T00:00:00Z\",\"ends_at\":\"2036-01-01T00:00:00Z\","
            body+="\"target\":\"all\"}}"
        done
        body+=']}'
        curl -fsS -H "Authorization: Bearer $token" --data-binary "$body" "$url/v1/push" |
            jq -e '[.results[].status] == ["applied","applied","applied","applied"]' \
                >/dev/null || echo "push $i:$n failed" >>"$tmp/push.errors"
    done
}

# reader NAME URL: sceaux-orderwatch, "seq id" per change in $tmp/NAME.seen
# (a change below its cursor makes it fail, said in $tmp/NAME.bad).
reader() {
    "$bin/sceaux-orderwatch" "$2" "$reader" "$tmp/stop" >"$tmp/$1.seen" 2>"$tmp/$1.bad"
}

reader ra "$url_a" &
ra=$!
reader rb "$url_b" &
rb=$!
pids=()
for i in $(seq 1 "$pushers"); do
    if [ $((i % 2)) = 0 ]; then pusher "$i" "$url_a" & else pusher "$i" "$url_b" & fi
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
touch "$tmp/stop"
wait "$ra"
ra_rc=$?
wait "$rb"
rb_rc=$?

total=$((pushers * pushes * 4))
check "every push through either hub was applied" test ! -s "$tmp/push.errors"
# The whole log, read once everything committed: one seq per row.
all_rows() {
    local cursor=0 more=true
    while [ "$more" = true ]; do
        curl -fsS -H "Authorization: Bearer $reader" "$url_a/v1/changes?since=$cursor&limit=500" \
            >"$tmp/page" || return 1
        jq -r '.changes[] | "\(.seq) \(.row.id)"' "$tmp/page"
        more=$(jq -r .more "$tmp/page")
        cursor=$(jq -r .next "$tmp/page")
    done
}
all_rows >"$tmp/all" || setup_fail "cannot read the whole log"
check "the log holds every pushed row once ($total)" \
    test "$(sort -u "$tmp/all" | wc -l)" = "$total"
seen_all() { # READER ITS-EXIT-STATUS
    [ "$2" = 0 ] || { head -3 "$tmp/$1.bad" >&2; return 1; }
    diff -q <(sort "$tmp/all") <(sort "$tmp/$1.seen") >/dev/null
}
check "reader A saw every change, none below its cursor" seen_all ra "$ra_rc"
check "reader B saw every change, none below its cursor" seen_all rb "$rb_rc"
hub_stop
stop_pid "$pid_a"
test_done
