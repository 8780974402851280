#!/usr/bin/env bash
# Integration tests of the tombstone horizon (sync/hub/README.md): the real
# sceaux-hub on a loopback port, curl as the client. Deletes leave
# tombstones; `sceaux-hub purge` forgets them and raises the horizon to the
# highest purged seq, so a cursor below it is answered reset and one at or
# above it is not; a pull from 0 never resets and no longer lists them.
# Prints "ok NAME" / "not ok NAME" per case. Needs curl and jq.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
hub="$bin/sceaux-hub"
data="$top/tests/data/hub"

# The hub on a port of its choosing, on $tmp/hub.db; serve options in "$@".
start_hub() { hub_start "$tmp/hub.db" "$tmp/hub.log" 0 "$@"; }

# del TOKEN CHANGE-ID TABLE ROW-ID: pushes one delete; prints its seq.
del() {
    printf '{"format":"sceaux/1","changes":[{"id":"%s","table":"%s","op":"delete","row":{"id":"%s"}}]}' \
        "$2" "$3" "$4" >"$tmp/body"
    local st
    st=$(api POST /v1/push "$1" -H 'Content-Type: application/json' --data-binary @"$tmp/body")
    [ "$st" = 200 ] && jq -e '.results[0].status == "applied"' "$tmp/out" >/dev/null &&
        jq -r '.results[0].seq' "$tmp/out"
}

health() { curl -s "$hub_url/v1/health"; }

# since S JQ-CONDITION: the kiosk's pull from S satisfies the condition.
since() { pull_is "$kiosk" "since=$1" "$2"; }

# ---------------------------------------------------------------------------

db=$(hub_db "$tmp/hub.db")
admin=$("$hub" token add --db "$db" --role admin --name admin)
kiosk=$("$hub" token add --db "$db" --role kiosk --name k1 --site tiers-lieu)
check "import the content file" bash -c \
    "'$hub' import --db '$db' '$data/content.json' >/dev/null"
check "purge without --older-than-days is a usage error" bash -c \
    "set -o pipefail; '$hub' purge --db '$db' 2>/dev/null; [ \$? -eq 2 ]"
check "serve refuses --tombstone-days 0" bash -c \
    "'$hub' serve --db '$db' --listen 127.0.0.1:0 --tombstone-days 0 2>/dev/null; [ \$? -eq 2 ]"

start_hub --tombstone-days 90 || { not_ok "hub starts"; test_done; }
epoch=$(health | jq -r .epoch)
before=$(health | jq -r .seq) # 14: the import's own delete (tmp-org) is its last change
d1=$(del "$admin" a:1 announcement ann-1)
d2=$(del "$admin" a:2 event up-conf)
after=$(health | jq -r .seq)
check "two deletes as admin leave tombstones" bash -c \
    "[ '$d1' = $((before + 1)) ] && [ '$d2' = $((before + 2)) ] && [ '$after' = '$d2' ]"
check "tombstones are listed from 0 before any purge" since 0 \
    '.reset == false and ([.changes[] | select(.op == "delete")] | length) == 3'
check "a cursor before the deletes gets them (horizon 0)" since "$before" \
    '.reset == false and ([.changes[].op] == ["delete", "delete"])'
hub_stop

check "purge --older-than-days 90 keeps fresh tombstones" bash -c \
    "set -o pipefail; '$hub' purge --db '$db' --older-than-days 90 | grep -qx 'purged 0 tombstones, horizon 0'"
check "purge --older-than-days 0 purges every tombstone, horizon = last purged seq" bash -c \
    "set -o pipefail; '$hub' purge --db '$db' --older-than-days 0 | grep -qx 'purged 3 tombstones, horizon $d2'"

start_hub || { not_ok "hub restarts"; test_done; }
check "a cursor before the purged tombstones resets, no changes" since "$before" \
    ".reset == true and .changes == [] and .more == false and .next == $after"
check "a cursor between two purged tombstones resets" since "$d1" '.reset == true and .changes == []'
check "a pull from 0 never resets and lists no purged tombstone" since 0 \
    ".reset == false and .next == $after and ([.changes[] | select(.op == \"delete\")] == [])
     and ([.changes[] | select(.row.id == \"ann-1\" or .row.id == \"up-conf\")] == [])
     and (.changes | length) == 10"
check "a cursor at the horizon does not reset" since "$d2" '.reset == false and .changes == []'
same_health() { health | jq -e ".epoch == \"$epoch\" and .seq == $after" >/dev/null; }
check "health: same epoch and head after the purge" same_health

# A purge by another process while the hub runs: the cached pages of the
# same head must not outlive it (the hub sees the new horizon within 1 s).
d3=$(del "$admin" a:3 room salle-b)
check "a delete after the horizon reaches a cursor at the horizon" since "$d2" \
    ".reset == false and ([.changes[] | [.op, .id]] == [[\"delete\", \"salle-b\"]])"
since 0 '([.changes[] | select(.op == "delete")] | length) == 1' # cached now
check "purge beside a running hub" bash -c \
    "set -o pipefail; '$hub' purge --db '$db' --older-than-days 0 | grep -qx 'purged 1 tombstones, horizon $d3'"
live_purge_seen() {
    since "$d2" '.reset == true' &&
        since 0 '.reset == false and ([.changes[] | select(.op == "delete")] == [])'
}
check "the running hub answers by the new horizon within 5 s" wait_until 5 live_purge_seen
check "a cursor at the new horizon does not reset" since "$d3" '.reset == false and .changes == []'
check "hub stops cleanly" hub_stop

test_done
