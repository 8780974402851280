#!/usr/bin/env bash
# The change log's order under concurrent writers (sync/hub/README.md,
# "Several hubs on PostgreSQL"): sceaux-ordercheck pushes from many connections at once
# while readers pull from their cursors, hopping between hubs, and fails
# when a change reaches a reader below a cursor it already passed, twice,
# or never. Against one hub, against two hubs on one database (a SQLite
# file, or PostgreSQL with SCEAUX_TEST_DB=pg); and against two hubs that
# do NOT share a database, which must fail: the check sees a broken
# numbering.
# Prints "ok NAME" / "not ok NAME" per case.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
not_ok_log=$tmp/check.err

# Hub b starts from a copy of hub a's database (same epoch, same staff
# token): two hubs that each number their own changes.
staff=$(hub_token "$tmp/a.db" staff staff) && hub_db_copy "$tmp/a.db" "$tmp/b.db" &&
    hub_start "$tmp/a.db" "$tmp/a.log" 0 && url_a=$hub_url &&
    hub_start "$tmp/b.db" "$tmp/b.log" 0 && url_b=$hub_url &&
    hub_start "$tmp/a.db" "$tmp/c.log" 0 && url_c=$hub_url ||
    { not_ok "hubs start"; test_done; }

order() { # URL...: sceaux-ordercheck on these hubs, its line kept in $tmp/check.out
    local args=() u
    for u in "$@"; do args+=(--hub "$u"); done
    "$bin/sceaux-ordercheck" "${args[@]}" --token "$staff" --pushers 8 --readers 4 \
        --changes 100 >"$tmp/check.out" 2>"$tmp/check.err"
}

check "two hubs on two copies of a database: the check finds the broken order" \
    bash -c "! '$bin/sceaux-ordercheck' --hub '$url_a' --hub '$url_b' --token '$staff' \
        --pushers 4 --readers 2 --changes 20 >'$tmp/two.out' 2>'$tmp/two.err'"
check "  because changes came twice or out of order (not because a request failed)" \
    grep -q 'missed=[0-9]* out_of_order=[1-9][0-9]* failed=0' "$tmp/two.out"
check "one hub: 800 changes from 8 writers reach 4 readers, in order, once" order "$url_a"
check "  and the run counted them all" grep -q 'pushed=800 .*missed=0 out_of_order=0 failed=0' \
    "$tmp/check.out"
check "two hubs on one database: 800 more from 8 writers through both reach 4 readers hopping between them, in order, once" \
    order "$url_a" "$url_c"
check "  and the run counted them all" grep -q 'pushed=800 .*missed=0 out_of_order=0 failed=0' \
    "$tmp/check.out"
test_done
