#!/usr/bin/env bash
# Integration tests of the privacy and hardening rules of docs/protocol.md
# on the real sceaux-hub (loopback, curl): what a kiosk token may see of a
# pull (no holder, proposals only while published, cursors over what it
# does not receive, the page cache per view), cancel codes that cannot be
# guessed, the bounded exactly-once record and the kiosks' push budget. Prints "ok NAME" /
# "not ok NAME" per case. Needs curl, jq and sqlite3.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
hub="$bin/sceaux-hub"
data="$top/tests/data/hub"

result() { jq -r '.results[0] | .status + (if .error then ":" + .error else "" end)' "$tmp/out"; }
head_seq() { curl -s "$hub_url/v1/health" | jq -r .seq; }
bk() { # id starts ends
    printf '{"id":"%s","room_id":"salle-a","starts_at":"%s","ends_at":"%s","holder":"Camille Dupont","status":"confirmed","cancel_code":"123456"}' "$1" "$2" "$3"
}

"$hub" import --db "$(hub_db "$tmp/hub.db")" "$data/content.json" >/dev/null
staff=$(hub_token "$tmp/hub.db" staff staff)
k1=$(hub_token "$tmp/hub.db" k1 kiosk tiers-lieu)
k2=$(hub_token "$tmp/hub.db" k2 kiosk tiers-lieu)
k3=$(hub_token "$tmp/hub.db" k3 kiosk tiers-lieu)
hub_start "$tmp/hub.db" "$tmp/hub.log" 0 || { not_ok "hub starts"; test_done; }

# ---- booking.holder is a staff column ------------------------------------------
s0=$(head_seq)
push_upsert "$k1" k1:1 booking "$(bk b1 2035-01-16T09:00:00Z 2035-01-16T10:00:00Z)" >/dev/null
check "a kiosk books" is "$(result)" applied
check "a kiosk pull carries holder null" pull_is "$k1" "since=$s0" \
    '[.changes[] | select(.table == "booking") | .row | has("holder") and .holder == null] == [true]'
check "a staff pull carries the holder" pull_is "$staff" "since=$s0" \
    '[.changes[] | select(.table == "booking") | .row.holder] == ["Camille Dupont"]'
check "a pull from 0 by a kiosk shows no name" pull_is "$k1" "since=0" \
    '[.changes[] | select(.table == "booking") | .row.holder] == [null]'

# The last page is cached for long-polls: per view, never the other's.
cached_views() {
    pull_is "$staff" "since=$s0" '[.changes[].row.holder] == ["Camille Dupont"]' &&
        pull_is "$k1" "since=$s0" '[.changes[].row.holder] == [null]' &&
        pull_is "$k1" "since=$s0&limit=500" '[.changes[].row.holder] == [null]' &&
        pull_is "$staff" "since=$s0" '[.changes[].row.holder] == ["Camille Dupont"]'
}
check "the page cache keeps one page per view" cached_views
longpolls() {
    local s
    s=$(head_seq)
    curl -s -H "Authorization: Bearer $k2" "$hub_url/v1/changes?since=$s&wait=20" >"$tmp/lpk" &
    local a=$!
    curl -s -H "Authorization: Bearer $staff" "$hub_url/v1/changes?since=$s&wait=20" >"$tmp/lps" &
    local b=$!
    wait_until 5 hub_conns_at_least 2 || return 1
    push_upsert "$k1" k1:2 booking "$(bk b2 2035-01-16T11:00:00Z 2035-01-16T12:00:00Z)" >/dev/null
    wait "$a" "$b"
    jq -e '[.changes[].row.holder] == [null]' "$tmp/lpk" >/dev/null &&
        jq -e '[.changes[].row.holder] == ["Camille Dupont"]' "$tmp/lps" >/dev/null
}
check "long-polls woken by one commit: each role its view" longpolls

# ---- proposals reach kiosks only while published ----------------------------------
s1=$(head_seq)
push_upsert "$k1" k1:3 proposal '{"id":"idee-k","text":"Un composteur","author_name":"Zoé Martin","status":"submitted"}' >/dev/null
check "a kiosk submits an idea" is "$(result)" applied
check "a submitted proposal is in no kiosk pull" pull_is "$k2" "since=$s1" \
    ".changes == [] and .next == $(head_seq) and .more == false"
check "from 0 either" pull_is "$k2" "since=0" '[.changes[] | select(.id == "idee-k" or .row.id == "idee-k")] == []'
check "staff see it" pull_is "$staff" "since=$s1" '[.changes[].row.status] == ["submitted"]'
s2=$(head_seq)
push_upsert "$staff" s:1 proposal '{"id":"idee-k","text":"Un composteur","author_name":"Zoé Martin","status":"published"}' >/dev/null
check "published, it reaches kiosks" pull_is "$k2" "since=$s2" \
    '[.changes[] | .op + ":" + .row.status] == ["upsert:published"]'
s3=$(head_seq)
push_upsert "$staff" s:2 proposal '{"id":"idee-k","text":"Un composteur","author_name":"Zoé Martin","status":"rejected"}' >/dev/null
check "withdrawn, it reaches kiosks as a delete" pull_is "$k2" "since=$s3" \
    '[.changes[] | .op + ":" + .table + ":" + .id] == ["delete:proposal:idee-k"] and .more == false'
check "staff see it rejected" pull_is "$staff" "since=$s3" '[.changes[].row.status] == ["rejected"]'

# Paging over changes a kiosk does not receive: 4 submitted ideas then an
# announcement, pulled 2 by 2: the cursor advances over the skipped ones.
s4=$(head_seq)
for i in 1 2 3 4; do
    push_upsert "$k1" "k1:p$i" proposal "{\"id\":\"idee-p$i\",\"text\":\"Idée $i\",\"status\":\"submitted\"}" >/dev/null
done
push_upsert "$staff" s:3 announcement '{"id":"ann-p","title":"T","body":"B","priority":"info","starts_at":"2030-01-01T00:00:00Z","ends_at":"2036-01-01T00:00:00Z","target":"all"}' >/dev/null
paging() {
    local since=$s4 got="" pages=0 st
    while :; do
        st=$(api GET "/v1/changes?since=$since&limit=2" "$k2")
        [ "$st" = 200 ] || return 1
        got="$got$(jq -r '[.changes[] | .row.id // .id] | join(",")' "$tmp/out")"
        pages=$((pages + 1))
        [ "$(jq -r .next "$tmp/out")" -gt "$since" ] || [ "$(jq -r .more "$tmp/out")" = false ] || return 1
        since=$(jq -r .next "$tmp/out")
        [ "$(jq -r .more "$tmp/out")" = true ] || break
        [ $pages -lt 10 ] || return 1
    done
    is "$got|$pages|$since" "ann-p|3|$(head_seq)"
}
check "paging skips what a kiosk does not receive; next advances" paging

# ---- cancel codes cannot be guessed --------------------------------------------------
push_upsert "$k1" k1:4 booking "$(bk b3 2035-01-17T09:00:00Z 2035-01-17T10:00:00Z)" >/dev/null
guesses() {
    local i
    for i in 1 2 3 4 5 6; do
        push_upsert "$k2" "k2:g$i" booking "{\"id\":\"b1\",\"status\":\"cancelled\",\"cancel_code\":\"00000$i\"}" >/dev/null
        is "$(result)" rejected:bad_code || return 1
    done
    push_upsert "$k2" k2:right booking '{"id":"b1","status":"cancelled","cancel_code":"123456"}' >/dev/null
    is "$(result)" rejected:bad_code
}
check "six wrong codes, then the right one: bad_code" guesses
push_upsert "$k2" k2:other booking '{"id":"b3","status":"cancelled","cancel_code":"123456"}' >/dev/null
check "another booking is unaffected" is "$(result)" applied
push_upsert "$staff" s:4 booking '{"id":"b1","status":"cancelled"}' >/dev/null
check "staff still cancel without a code" is "$(result)" applied

# ---- the exactly-once record is bounded per token ---------------------------------
flood() { # N PREFIX: a push of N rejected changes (supports of a missing initiative)
    {
        printf '{"format":"sceaux/1","changes":['
        for i in $(seq 1 "$1"); do
            [ "$i" -gt 1 ] && printf ','
            printf '{"id":"%s%d","table":"support","op":"upsert","row":{"id":"x%s%d","initiative_id":"nope"}}' "$2" "$i" "$2" "$i"
        done
        printf ']}'
    } >"$tmp/flood"
    api POST /v1/push "$k3" --data-binary @"$tmp/flood"
}
t0=$(now_ms)
st1=$(flood 1000 a)
st2=$(flood 1000 b)
ms=$(($(now_ms) - t0))
echo "# 2,000 rejected changes pushed in $ms ms"
rows=$(hub_sql "$tmp/hub.db" "SELECT count(*) FROM applied WHERE token = 'k3'")
check "2,000 rejected changes: all answered, 100 recorded" bash -c \
    "[ $st1 = 200 ] && [ $st2 = 200 ] && [ $rows = 100 ] && \
     jq -e '[.results[] | .status + \":\" + .error] | unique == [\"rejected:invalid\"]' '$tmp/out' >/dev/null"
api POST /v1/push "$k3" --data-binary @"$tmp/flood" >/dev/null
check "past the budget a retry is decided again, still rejected" bash -c \
    "jq -e '[.results[].status] | unique == [\"rejected\"]' '$tmp/out' >/dev/null"
check "other tokens keep their budget" is \
    "$(hub_sql "$tmp/hub.db" "SELECT count(*) FROM applied WHERE token = 'k2' AND status = 'rejected'")" 7
# k3 has now pushed 3,000 changes this hour: the next push is refused whole.
before=$(head_seq)
st=$(curl -s -D "$tmp/hdr" -o "$tmp/out" -w '%{http_code}' -H "Authorization: Bearer $k3" \
    --data-binary '{"format":"sceaux/1","changes":[{"id":"late","table":"support","op":"upsert","row":{"id":"late","initiative_id":"jardin"}}]}' \
    "$hub_url/v1/push")
check "past 3,000 changes an hour a kiosk's push is 429, nothing applied" bash -c \
    "[ $st = 429 ] && grep -qi '^Retry-After: [0-9]' '$tmp/hdr' && [ $(head_seq) = $before ] && \
     jq -e '.error == \"too_many_requests\"' '$tmp/out' >/dev/null"
push_upsert "$k2" k2:sup support '{"id":"k2-sup","initiative_id":"jardin"}' >/dev/null
check "other tokens are not held back" is "$(result)" applied
hub_stop
"$hub" purge --db "$(hub_db "$tmp/hub.db")" --older-than-days 0 >/dev/null
check "the tombstone purge prunes the exactly-once record" is \
    "$(hub_sql "$tmp/hub.db" 'SELECT count(*) FROM applied')" 0

test_done
