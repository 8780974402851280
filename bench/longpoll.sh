#!/usr/bin/env bash
# Figure: hub long-polls held at once: 2,000, under 50 MB resident, all
# answered within 200 ms of a commit. The work is in tools/benchpoll.c
# (epoll client); this script starts the hub on the bundled data with its
# default options and prints three lines:
#   memory: the hub's VmRSS holding 2,000 waiters, beside its idle VmRSS;
#   latency: from just before the push to the last waiter's whole answer,
#            beside the same push's round trip with nobody waiting;
#   rounds: the largest VmRSS holding 2,000 waiters over ten rounds in a
#           row against the same hub (memory not given back grows here).
set -u
. "$(dirname "$0")/lib.sh"
fig="hub long-polls held at once"
CONNS=2000
ROUNDS=10
bench_need "$fig" sceaux-hub sceaux-benchpoll || exit 0

# One descriptor per waiter, on both sides (the hub raises its own too).
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 8192 ]; then
    ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((CONNS + 100)) ]; then
    bench_fail "$fig" "descriptor limit $(ulimit -n) is below $CONNS waiters (ulimit -n 8192 as root)"
    exit 1
fi

db=$BENCH_TMP/hub.db
# Every waiter comes from 127.0.0.1: more than the hub's share for one
# address, given here.
if ! bench_hub_db "$db" "$BENCH_TOP/assets/sceaux.json" ||
    ! bench_start_hub "$db" --max-per-ip $((CONNS + 64)); then
    bench_fail "$fig" "cannot start sceaux-hub"
    exit 1
fi
out=$BENCH_TMP/poll.out
"$BENCH_BIN/sceaux-benchpoll" --port "$HUB_PORT" --token "$(cat "$BENCH_TMP/kiosk.token")" \
    --staff-token "$(cat "$BENCH_TMP/staff.token")" --conns $CONNS --wait 60 \
    --hub-pid "$HUB_PID" --rounds $ROUNDS >"$out" 2>"$BENCH_TMP/poll.err"
rc=$?
bench_stop_hub
kv() { bench_kv "$out" "$1"; }
held=$(kv held)
if [ $rc -ne 0 ] || [ -z "$held" ]; then
    bench_fail "$fig" "sceaux-benchpoll: $(tail -1 "$BENCH_TMP/poll.err")"
    exit 1
fi
early=$(kv early)
answered=$(kv answered_200)
note=""
if [ "$held" -lt $CONNS ] || [ "$early" -gt 0 ]; then
    # The hub refused or dropped waiters: say which limit to look at.
    note=" ($early refused or dropped before the commit: see sceaux-hub serve"
    note="$note --max-connections/--max-per-ip, and its log)"
fi

held_mb=$(bench_calc "$(kv held_rss_kb) / 1024")
idle_mb=$(bench_calc "$(kv idle_rss_kb) / 1024")
ok=$(bench_true "$held == $CONNS && $early == 0" && echo 1 || echo 0)
bench_line "$fig: resident memory" "$held_mb MB with $held/$CONNS held$note" \
    "$idle_mb MB idle" "$(bench_calc "$held_mb / $idle_mb")x" "< 50 MB, $CONNS held" \
    "$(bench_verdict "$ok && $held_mb < 50")"
last=$(kv last_answer_ms)
alone=$(kv push_alone_ms)
bench_line "$fig: commit to last answer" \
    "$last ms, $answered/$CONNS answered 200 (first $(kv first_answer_ms) ms)" \
    "$alone ms push round trip alone" "$(bench_calc "$last / $alone")x" \
    "< 200 ms, all $CONNS" "$(bench_verdict "$answered == $CONNS && $last < 200")"
max_mb=$(bench_calc "$(kv max_held_rss_kb) / 1024")
whole=$(kv rounds_whole)
mbs=$(for kb in $(kv held_rss_kb_rounds); do bench_calc "$kb / 1024"; echo; done | paste -sd' ')
bench_line "$fig: memory over $ROUNDS rounds" \
    "$max_mb MB at most, $whole/$ROUNDS rounds whole (MB: $mbs)" "$idle_mb MB idle" \
    "$(bench_calc "$max_mb / $idle_mb")x" "< 50 MB every round" \
    "$(bench_verdict "$whole == $ROUNDS && $max_mb < 50")"
