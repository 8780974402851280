#!/usr/bin/env bash
# Figures: the hub on SQLite, one hub on PostgreSQL, and two hubs on
# PostgreSQL behind nginx (docs/nginx-sceaux-hubs.conf), in the same run:
#   pushes answered per second, 8 writers (one change per push) while 4
#   readers pull (sceaux-ordercheck, which also checks the order);
#   pages pulled per second during the same run;
#   long-poll wake-up: a push to the first hub until a long-poll held by
#   the last one answers (the same hub on SQLite), best of 5; from hub a
#   to hub b beside a hub that reads the head every 500 ms (--no-listen)
#   rather than LISTEN.
# Each PostgreSQL figure is printed beside SQLite's as its baseline. The
# PostgreSQL server is the tests' throwaway one (tests/integration/lib/pg.sh)
# with fsync on, as SQLite syncs each commit.
set -u
. "$(dirname "$0")/lib.sh"
f_push="hub pushes/s, 8 writers while 4 readers pull"
f_pull="hub pages pulled/s, 4 readers while 8 writers push"
f_wake="hub long-poll wake-up, push to answer"
. "$BENCH_TOP/tests/integration/lib/pg.sh"
for f in "$f_push" "$f_pull" "$f_wake"; do
    bench_need "$f" sceaux-hub sceaux-ordercheck curl nginx || exit 0
    [ -x "$pg_bindir/initdb" ] || { bench_skip "$f" "PostgreSQL is not installed (tools/deps.sh)"; exit 0; }
done
tmp=$BENCH_TMP top=$BENCH_TOP
export PG_FSYNC=on
if ! pg_start; then
    for f in "$f_push" "$f_pull" "$f_wake"; do bench_fail "$f" "PostgreSQL did not start"; done
    exit 1
fi
trap 'bench_cleanup; pg_stop' EXIT

# setup NAME DB: tokens in the hub database DB; staff in $BENCH_TMP/NAME.staff.
setup() {
    hub_token "$2" staff staff >"$BENCH_TMP/$1.staff" && hub_token "$2" k kiosk bench >"$BENCH_TMP/$1.kiosk"
}

# wake URL-A URL-B TOKEN STAFF: ms from a push to A until a long-poll on B answers.
wake_once() {
    local head t0
    head=$(curl -s "$2/v1/health" | sed -n 's/.*"seq":\([0-9]*\).*/\1/p')
    curl -s -o /dev/null -H "Authorization: Bearer $3" "$2/v1/changes?since=$head&wait=20" &
    local poll=$!
    # Held once B has one more connection than the two the bench keeps.
    sleep 0.3 # a bench may settle; the tests wait on conditions
    t0=$(now_ms)
    printf '{"format":"sceaux/1","changes":[{"id":"w%s","table":"announcement","op":"upsert","row":{"id":"w%s","title":"Réveil","body":"Essai","priority":"info","starts_at":"2026-01-01T00:00:00Z","ends_at":"2036-01-01T00:00:00Z","target":"all"}}]}' \
        "$t0" "$t0" | curl -s -o /dev/null -H "Authorization: Bearer $4" --data-binary @- "$1/v1/push"
    wait "$poll"
    echo $(($(now_ms) - t0))
}
wake() {
    local best=999999 v
    for _ in 1 2 3 4 5; do
        v=$(wake_once "$@")
        [ "$v" -lt "$best" ] && best=$v
    done
    echo "$best"
}

# run NAME URL...: the ordercheck line of NAME in $BENCH_TMP/NAME.out.
run() {
    local name=$1 args=() u
    shift
    for u in "$@"; do args+=(--hub "$u"); done
    "$BENCH_BIN/sceaux-ordercheck" "${args[@]}" --token "$(cat "$BENCH_TMP/$name.staff")" \
        --pushers 8 --readers 4 --changes 250 >"$BENCH_TMP/$name.out" 2>>"$BENCH_TMP/check.err"
}

# SQLite, one hub.
sq=$BENCH_TMP/sq.db
setup sq "$sq" && hub_start "$sq" "$BENCH_TMP/sq.log" 0 && bench_own "$hub_pid" && sq_url=$hub_url &&
    run sq "$sq_url" && sq_wake=$(wake "$sq_url" "$sq_url" "$(cat "$BENCH_TMP/sq.kiosk")" \
    "$(cat "$BENCH_TMP/sq.staff")") || { bench_fail "$f_push" "SQLite hub: $(tail -3 "$BENCH_TMP/check.err")"; exit 1; }
kill "$hub_pid"

# PostgreSQL, one hub, then a second on the same database and nginx.
pg=$BENCH_TMP/pg.db
export SCEAUX_TEST_DB=pg
setup pg "$pg" && hub_start "$pg" "$BENCH_TMP/pga.log" 0 && bench_own "$hub_pid" && a_url=$hub_url &&
    a_port=$hub_port && run pg "$a_url" &&
    pg_wake=$(wake "$a_url" "$a_url" "$(cat "$BENCH_TMP/pg.kiosk")" "$(cat "$BENCH_TMP/pg.staff")") ||
    { bench_fail "$f_push" "PostgreSQL hub: $(tail -3 "$BENCH_TMP/check.err")"; exit 1; }
cp "$BENCH_TMP/pg.staff" "$BENCH_TMP/two.staff"
hub_start "$pg" "$BENCH_TMP/pgb.log" 0 && bench_own "$hub_pid" && b_url=$hub_url &&
    nginx_hubs "$BENCH_TMP/ngx" "$(free_port)" "$a_port" "$hub_port" && bench_own "$ngx_pid" &&
    run two "$ngx_url" &&
    two_wake=$(wake "$a_url" "$b_url" "$(cat "$BENCH_TMP/pg.kiosk")" "$(cat "$BENCH_TMP/pg.staff")") ||
    { bench_fail "$f_push" "two hubs: $(tail -3 "$BENCH_TMP/check.err")"; exit 1; }
# A third hub that reads the head every 500 ms instead of LISTEN: the
# figure LISTEN/NOTIFY replaced.
hub_start "$pg" "$BENCH_TMP/pgc.log" 0 --no-listen && bench_own "$hub_pid" &&
    poll_wake=$(wake "$a_url" "$hub_url" "$(cat "$BENCH_TMP/pg.kiosk")" "$(cat "$BENCH_TMP/pg.staff")") ||
    { bench_fail "$f_wake" "a hub with --no-listen"; exit 1; }

for n in sq pg two; do
    for k in failed missed out_of_order; do
        v=$(tr ' ' '\n' <"$BENCH_TMP/$n.out" | sed -n "s/^$k=//p")
        [ "$v" = 0 ] || { bench_fail "$f_push" "$n: $k=$v"; exit 1; }
    done
done
kv() { tr ' ' '\n' <"$BENCH_TMP/$1.out" | sed -n "s/^$2=//p"; }
for n in pg two; do
    label="one hub on PostgreSQL"
    [ "$n" = two ] && label="two hubs on PostgreSQL, nginx"
    bench_line "$f_push, $label" "$(bench_int "$(kv "$n" pushes_per_s)")/s" \
        "$(bench_int "$(kv sq pushes_per_s)")/s SQLite" \
        "$(bench_calc "$(kv "$n" pushes_per_s) / $(kv sq pushes_per_s)")x" "none" PASS
    bench_line "$f_pull, $label" "$(bench_int "$(kv "$n" pages_per_s)")/s" \
        "$(bench_int "$(kv sq pages_per_s)")/s SQLite" \
        "$(bench_calc "$(kv "$n" pages_per_s) / $(kv sq pages_per_s)")x" "none" PASS
done
bench_line "$f_wake, one hub on PostgreSQL" "$pg_wake ms" "$sq_wake ms SQLite" \
    "$(bench_calc "$pg_wake / ($sq_wake + 0.5)")x" "< 1000 ms" "$(bench_verdict "$pg_wake < 1000")"
bench_line "$f_wake, hub a to hub b" "$two_wake ms" "$poll_wake ms reading the head every 500 ms" \
    "$(bench_calc "$two_wake / ($poll_wake + 0.5)")x" "< 1000 ms" "$(bench_verdict "$two_wake < 1000")"
