#!/usr/bin/env bash
# The hub's memory holding 2,000 long-polls, ten rounds in a row against
# the same hub (issue 8, item 9): every round under 50 MB resident, all
# waiters answered. Memory the allocator keeps after a round shows in the
# next ones, so the release build is measured (ASan has an allocator of its
# own): make check builds it in build/ before running the tests.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
bin=$top/build
conns=2000
rounds=10
if [ ! -x "$bin/sceaux-hub" ] || [ ! -x "$bin/sceaux-benchpoll" ]; then
    skip "long-poll memory over $rounds rounds" "no release build in $bin (make progs)"
    test_done
fi
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((conns + 100)) ]; then
    skip "long-poll memory over $rounds rounds" "descriptor limit $(ulimit -n) below $conns"
    test_done
fi

"$bin/sceaux-hub" import --db "$(hub_db "$tmp/hub.db")" "$top/assets/sceaux.json" >"$tmp/import.log" 2>&1 ||
    not_ok "import the bundled data"
kiosk=$(hub_token "$tmp/hub.db" k1 kiosk s1)
staff=$(hub_token "$tmp/hub.db" s1 staff)
# Every waiter comes from 127.0.0.1: more than one address's share.
hub_start "$tmp/hub.db" "$tmp/hub.log" 0 --max-per-ip $((conns + 64)) || exit 1
not_ok_log=$tmp/poll.err
"$bin/sceaux-benchpoll" --port "$hub_port" --token "$kiosk" --staff-token "$staff" \
    --conns $conns --wait 60 --hub-pid "$hub_pid" --rounds $rounds >"$tmp/poll.out" 2>"$tmp/poll.err"
rc=$?
kv() { sed -n "s/^$1=//p" "$tmp/poll.out"; }
echo "# held kB per round: $(kv held_rss_kb_rounds); idle $(kv idle_rss_kb) kB"
check "$conns long-polls held and answered in each of $rounds rounds" \
    test $rc -eq 0 -a "$(kv rounds_whole)" = $rounds
max=$(kv max_held_rss_kb)
check "$conns long-polls: under 50 MB resident in every round (largest ${max:-?} kB)" \
    test "${max:-999999}" -lt 51200
hub_stop
test_done
