#!/usr/bin/env bash
# Integration tests of sceaux-hub: the real program on a loopback port, a
# temporary database, curl as the client (docs/protocol.md says curl must be
# enough). Prints "ok NAME" / "not ok NAME" per case. Needs curl and jq.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
hub="$bin/sceaux-hub"
data="$top/tests/data/hub"
db=$(hub_db "$tmp/hub.db") || setup_fail "no database"

# The hub on a port of its choosing, on $tmp/hub.db; serve options in "$@".
start_hub() { hub_start "$tmp/hub.db" "$tmp/hub.log" 0 "$@"; }

# push TOKEN JSON-BODY: status printed, results in $tmp/out.
push() {
    printf '%s' "$2" >"$tmp/body"
    api POST /v1/push "$1" -H 'Content-Type: application/json' --data-binary @"$tmp/body"
}

# one change as a push body
body1() { # id table op row
    printf '{"format":"sceaux/1","changes":[{"id":"%s","table":"%s","op":"%s","row":%s}]}' \
        "$1" "$2" "$3" "$4"
}

head_seq() { curl -s "$hub_url/v1/health" | jq -r .seq; }
out() { jq -r "$1" "$tmp/out"; }
result_is() { # jq-path-of-result0-field expected
    is "$(out ".results[0].$1")" "$2"
}

# ---------------------------------------------------------------------------

check "version and usage exit codes" bash -c \
    "'$hub' --version >/dev/null && '$hub' --help >/dev/null && \
     { '$hub' frobnicate 2>/dev/null; [ \$? -eq 2 ]; } && \
     { '$hub' token add --db '$tmp/x.db' --role boss --name x 2>/dev/null; [ \$? -eq 2 ]; }"

admin=$(hub_token "$tmp/hub.db" admin admin)
staff=$(hub_token "$tmp/hub.db" staff staff)
kiosk=$(hub_token "$tmp/hub.db" k1 kiosk tiers-lieu)
kiosk2=$(hub_token "$tmp/hub.db" k2 kiosk tiers-lieu)
doomed=$(hub_token "$tmp/hub.db" doomed staff)
check "token add prints 128-bit hex tokens" bash -c "[[ '$admin' =~ ^[0-9a-f]{32}$ ]] && [ '$admin' != '$staff' ]"
check "token add refuses a live name" bash -c \
    "! '$hub' token add --db '$db' --role staff --name staff >/dev/null 2>&1"
"$hub" token list --db "$db" >"$tmp/list"
tokens_listed() {
    grep -q '^admin	admin' "$tmp/list" && grep -q '^k1	kiosk	tiers-lieu' "$tmp/list" &&
        ! grep -q "$admin" "$tmp/list" && ! hub_dump "$tmp/hub.db" | grep -qa "$admin"
}
check "token list names every token, never a token" tokens_listed

check "import the content file" bash -c \
    "'$hub' import --db '$db' '$data/content.json' >/dev/null"

start_hub || { echo "not ok hub starts"; exit 1; }

st=$(api GET /v1/health "")
check "health" bash -c "[ $st = 200 ] && jq -e '.status == \"ok\" and (.epoch|length) > 0 and .seq == 14 and (.version|type) == \"string\"' '$tmp/out' >/dev/null"

# ---- pull ------------------------------------------------------------------
st=$(api GET "/v1/changes?since=0" "$staff")
cp "$tmp/out" "$tmp/full"
check "pull from 0: every row, ascending, one per row" bash -c "[ $st = 200 ] && jq -e '
    .format == \"sceaux/1\" and .since == 0 and .next == 14 and .more == false and .reset == false
    and (.changes|length) == 13 and ([.changes[].seq] == ([.changes[].seq]|sort))
    and ([.changes[] | select(.op == \"delete\")] | length) == 1' '$tmp/full' >/dev/null"
check "pull rows carry all public columns, nulls, hub-set values" bash -c "jq -e '
    ([.changes[] | select(.table == \"room\" and .row.id == \"salle-b\") | .row.equipment] == [null])
    and ([.changes[] | select(.table == \"event\" and .row.id == \"up-conf\") | .row | keys | length] == [16])
    and ([.changes[] | select(.table == \"initiative\" and .row.id == \"jardin\") | .row.supports] == [0])
    and ([.changes[] | select(.table == \"initiative\" and .row.id == \"jardin\") | .row.updated_at] != [\"2000-01-01T00:00:00Z\"])
    and ([.changes[] | select(.table == \"organization\" and .row.id == \"up-sceaux\") | .row | [.offers, .stages]] == [[\"reseau,information\", \"emergence\"]])
    and ([.changes[] | select(.table == \"support\")] == [])' '$tmp/full' >/dev/null"

# ---- paging -------------------------------------------------------------------
paging() {
    local since=0 total=0 pages=0 st more
    while :; do
        st=$(api GET "/v1/changes?since=$since&limit=5" "$kiosk")
        [ "$st" = 200 ] || return 1
        total=$((total + $(out '.changes|length')))
        pages=$((pages + 1))
        more=$(out .more)
        if [ "$more" = true ]; then
            [ "$(out .next)" = "$(out '.changes[-1].seq')" ] || return 1
        else
            [ "$(out .next)" = 14 ] || return 1
        fi
        since=$(out .next)
        [ "$more" = true ] || break
    done
    [ $total = 13 ] && [ $pages = 3 ]
}
check "paging with limit, more and next" paging
st=$(api GET "/v1/changes?since=99" "$kiosk")
check "a cursor beyond the head resets" bash -c "[ $st = 200 ] && jq -e '.reset == true and .changes == [] and .more == false' '$tmp/out' >/dev/null"
st=$(api GET "/v1/changes?since=abc" "$kiosk")
check "a bad since is 400 naming it" bash -c "[ $st = 400 ] && jq -e '.error == \"invalid\" and .field == \"since\"' '$tmp/out' >/dev/null"
st=$(api GET "/v1/changes?limit=999999" "$kiosk")
check "limit above the max is capped" bash -c "[ $st = 200 ]"

# ---- bad requests: each gets its status and changes nothing -----------------
before=$(head_seq)
bad() { # name expected-status curl-args...
    local name=$1 want=$2
    shift 2
    local st
    st=$(api POST /v1/push "$@")
    check "$name -> $want" bash -c "[ '$st' = '$want' ] && jq -e '(.error|type) == \"string\" and (.message|type) == \"string\"' '$tmp/out' >/dev/null"
}
printf '%s' "$(body1 x1 room upsert '{"id":"r9","site_id":"mairie","name":"R","capacity":1,"bookable":true,"opens":"08:00","closes":"20:00"}')" >"$tmp/good"
bad "push without a token" 401 "" --data-binary @"$tmp/good"
bad "push with an unknown token" 401 "0123456789abcdef0123456789abcdef" --data-binary @"$tmp/good"
st=$(api GET /v1/changes "")
check "pull without a token -> 401" bash -c "[ $st = 401 ]"
{ printf '{"format":"sceaux/1","changes":[{"id":"d","table":"site","op":"upsert","row":{"id":"x","name":'; for i in $(seq 1 30); do printf '['; done; printf '1'; for i in $(seq 1 30); do printf ']'; done; printf ',"address":"a"}}]}'; } >"$tmp/b3"
bad "JSON nested 33 deep" 400 "$admin" --data-binary @"$tmp/b3"
{ printf '{"format":"sceaux/1","changes":['; for i in $(seq 1 1001); do [ $i -gt 1 ] && printf ','; printf '{"id":"m%d","table":"site","op":"delete","row":{"id":"zz"}}' $i; done; printf ']}'; } >"$tmp/b4"
bad "1001 changes" 413 "$admin" --data-binary @"$tmp/b4"
{ printf '{"format":"sceaux/1","changes":[],"pad":"'; head -c $((4 * 1024 * 1024 + 10)) /dev/zero | tr '\0' 'a'; printf '"}'; } >"$tmp/b5"
bad "body over 4 MiB" 413 "$admin" --data-binary @"$tmp/b5"
{ printf '{"format":"sceaux/1","changes":[],"pad":"'; head -c $((20 * 1024 * 1024)) /dev/zero | tr '\0' 'a'; printf '"}'; } | gzip -9 >"$tmp/b6.gz"
bad "gzip bomb over 16 MiB inflated" 413 "$admin" -H 'Content-Encoding: gzip' --data-binary @"$tmp/b6.gz"
bad "Content-Encoding br" 415 "$admin" -H 'Content-Encoding: br' --data-binary @"$tmp/good"
rejected() { # name token body error field
    local st
    st=$(push "$2" "$3")
    check "$1 -> rejected $4${5:+ ($5)}" bash -c "[ $st = 200 ] && jq -e '.results[0].status == \"rejected\" and .results[0].error == \"$4\" and .results[0].seq == null ${5:+and .results[0].field == \"$5\"}' '$tmp/out' >/dev/null"
}

# The data-driven suite: tests/data/hub/push/TOKEN--NAME.{json,expect}.
push_suite() {
    local f name tok want st got
    for f in "$data"/push/*.json; do
        name=$(basename "$f" .json)
        tok=${name%%--*}
        want=$(cat "${f%.json}.expect")
        case $tok in
        admin) tok=$admin ;;
        staff) tok=$staff ;;
        kiosk) tok=$kiosk ;;
        esac
        st=$(api POST /v1/push "$tok" --data-binary @"$f")
        if [ "${want%% *}" = rejected ]; then
            got="$(out '.results[0].status') $(out '.results[0].error')"
            [ "$(echo "$want" | wc -w)" = 3 ] && got="$got $(out '.results[0].field')"
            [ "$st" = 200 ] && [ "$(out '.results[0].seq')" = null ] || got="status $st"
        else
            got="$st $(out .error)"
            jq -e '(.message|type) == "string"' "$tmp/out" >/dev/null || got="$got (no message)"
        fi
        check "push $name -> $want" is "$got" "$want"
    done
}
push_suite
check "bad input changed nothing" bash -c "[ \"\$(curl -s $hub_url/v1/health | jq .seq)\" = $before ]"
long80=$(printf 'é%.0s' $(seq 1 80))
st=$(push "$admin" "$(body1 u15 room upsert "{\"id\":\"r80\",\"site_id\":\"mairie\",\"name\":\"$long80\",\"capacity\":1,\"bookable\":true,\"opens\":\"08:00\",\"closes\":\"20:00\"}")")
check "80 characters (160 bytes) fit a name of 80" result_is status applied
st=$(push "$staff" "$(body1 u16 event upsert '{"id":"weekly","title":"Atelier","description":"D","starts_at":"2027-03-11T17:00:00Z","ends_at":"2027-03-11T18:00:00Z","category":"atelier","rrule":"FREQ=MONTHLY;INTERVAL=2;BYDAY=-1TH;COUNT=4"}')")
check "a recurrence rule of the subset is applied" result_is status applied
st=$(api GET "/v1/changes?since=$(($(head_seq) - 1))" "$kiosk")
check "and reaches kiosks as written" bash -c "jq -e '.changes[0].row.rrule == \"FREQ=MONTHLY;INTERVAL=2;BYDAY=-1TH;COUNT=4\"' '$tmp/out' >/dev/null"
check "the hub keeps serving after bad input" bash -c "curl -sf $hub_url/v1/health >/dev/null"
st=$(api GET /v1/nope "$admin")
check "unknown path -> 404" bash -c "[ $st = 404 ]"
st=$(api GET /v1/push "$admin")
check "wrong method -> 405" bash -c "[ $st = 405 ]"

# ---- bookings -------------------------------------------------------------------
# Fixed winter dates far ahead: 09:00Z is 10:00 in Paris (CET).
bk() { # id starts ends [room] [code]
    printf '{"id":"%s","room_id":"%s","starts_at":"%s","ends_at":"%s","holder":"Camille","purpose":null,"status":"confirmed","cancel_code":"%s"}' \
        "$1" "${4:-salle-a}" "$2" "$3" "${5:-123456}"
}
st=$(push "$kiosk" "$(body1 k1:1 booking upsert "$(bk b1 2035-01-16T09:00:00Z 2035-01-16T10:00:00Z)")")
check "kiosk books a free slot" bash -c "[ $st = 200 ] && jq -e '.results[0].status == \"applied\" and (.results[0].seq|type) == \"number\"' '$tmp/out' >/dev/null"
first_seq=$(out '.results[0].seq')
rejected "overlapping booking from another kiosk" "$kiosk2" "$(body1 k2:1 booking upsert "$(bk b2 2035-01-16T09:30:00Z 2035-01-16T10:30:00Z)")" conflict
st=$(push "$kiosk" "$(body1 k1:1 booking upsert "$(bk b1 2035-01-16T09:00:00Z 2035-01-16T10:00:00Z)")")
check "same change id again -> duplicate with the first seq" bash -c "[ $st = 200 ] && jq -e '.results[0].status == \"duplicate\" and .results[0].seq == $first_seq' '$tmp/out' >/dev/null"
st=$(push "$kiosk2" "$(body1 k2:1 booking upsert "$(bk b2 2035-01-16T09:30:00Z 2035-01-16T10:30:00Z)")")
check "a rejected change retried -> duplicate with its first error" bash -c "[ $st = 200 ] && jq -e '.results[0].status == \"duplicate\" and .results[0].error == \"conflict\" and .results[0].seq == null' '$tmp/out' >/dev/null"
rejected "kiosk creating an existing id" "$kiosk2" "$(body1 k2:2 booking upsert "$(bk b1 2035-01-17T09:00:00Z 2035-01-17T10:00:00Z)")" exists
rejected "room not bookable" "$kiosk" "$(body1 k1:2 booking upsert "$(bk b3 2035-01-16T09:00:00Z 2035-01-16T10:00:00Z salle-b)")" unavailable room_id
rejected "missing room" "$kiosk" "$(body1 k1:3 booking upsert "$(bk b3 2035-01-16T09:00:00Z 2035-01-16T10:00:00Z nope)")" unavailable room_id
rejected "before opening hours" "$kiosk" "$(body1 k1:4 booking upsert "$(bk b3 2035-01-16T06:00:00Z 2035-01-16T08:00:00Z)")" invalid starts_at
rejected "after closing hours" "$kiosk" "$(body1 k1:5 booking upsert "$(bk b3 2035-01-16T18:00:00Z 2035-01-16T19:30:00Z)")" invalid ends_at
rejected "ends before it starts" "$kiosk" "$(body1 k1:6 booking upsert "$(bk b3 2035-01-16T11:00:00Z 2035-01-16T10:00:00Z)")" invalid ends_at
rejected "longer than 12 hours" "$kiosk" "$(body1 k1:7 booking upsert "$(bk b3 2035-01-16T08:00:00Z 2035-01-16T20:30:00Z salon)")" invalid ends_at
rejected "ending in the past" "$kiosk" "$(body1 k1:8 booking upsert "$(bk b3 2020-01-16T09:00:00Z 2020-01-16T10:00:00Z)")" invalid ends_at
rejected "no cancel code" "$kiosk" "$(body1 k1:9 booking upsert '{"id":"b3","room_id":"salle-a","starts_at":"2035-01-16T12:00:00Z","ends_at":"2035-01-16T13:00:00Z","holder":"C","status":"confirmed"}')" invalid cancel_code
st=$(push "$kiosk" "$(body1 k1:10 booking upsert "$(bk b4 2035-01-16T22:00:00Z 2035-01-16T23:00:00Z salon)")")
check "a room open until 24:00 takes a booking to midnight" result_is status applied
rejected "cancel with a bad code" "$kiosk2" "$(body1 k2:3 booking upsert '{"id":"b1","status":"cancelled","cancel_code":"654321"}')" bad_code cancel_code
rejected "cancel a missing booking" "$kiosk2" "$(body1 k2:4 booking upsert '{"id":"b99","status":"cancelled","cancel_code":"654321"}')" not_found
st=$(push "$kiosk2" "$(body1 k2:5 booking upsert '{"id":"b1","status":"cancelled","cancel_code":"123456"}')")
check "cancel with the right code" result_is status applied
st=$(push "$kiosk2" "$(body1 k2:6 booking upsert "$(bk b2 2035-01-16T09:30:00Z 2035-01-16T10:30:00Z)")")
check "the freed slot can be booked" result_is status applied
st=$(api GET "/v1/changes?since=$before" "$staff")
check "bookings go out without hash, creator or code" bash -c "jq -e '
    [.changes[] | select(.table == \"booking\")] as \$b | (\$b|length) == 3
    and ([\$b[] | select(.row.id == \"b1\") | .row.status] == [\"cancelled\"])
    and ([\$b[].row | has(\"cancel_hash\") or has(\"created_by\") or has(\"cancel_code\")] | any | not)
    and ([\$b[].row | keys | length] | unique == [7])' '$tmp/out' >/dev/null"
race() {
    local i pids=()
    for i in $(seq 1 8); do
        local tok=$kiosk
        [ $((i % 2)) = 0 ] && tok=$kiosk2
        printf '%s' "$(body1 "race:$i" booking upsert "$(bk "race$i" 2035-01-18T13:00:00Z 2035-01-18T14:00:00Z)")" >"$tmp/race$i"
        curl -s -H "Authorization: Bearer $tok" --data-binary @"$tmp/race$i" \
            "$hub_url/v1/push" >"$tmp/race$i.out" &
        pids+=($!)
    done
    wait "${pids[@]}"
    [ "$(cat "$tmp"/race*.out | jq -r '.results[0].status' | sort | uniq -c | tr -s ' ')" = "$(printf ' 1 applied\n 7 rejected')" ]
}
check "eight kiosks racing for one slot: exactly one wins" race
rejected "kiosk deleting a booking" "$kiosk" "$(body1 k1:11 booking delete '{"id":"b2"}')" forbidden
st=$(push "$staff" "$(body1 s:1 booking upsert '{"id":"b2","status":"cancelled"}')")
check "staff cancels without a code" result_is status applied

# ---- supports and proposals ----------------------------------------------------
st=$(push "$kiosk" "$(body1 k1:12 support upsert '{"id":"sup1","initiative_id":"jardin"}')")
check "a support is applied" result_is status applied
rejected "the same support id again" "$kiosk2" "$(body1 k2:7 support upsert '{"id":"sup1","initiative_id":"jardin"}')" exists
rejected "support of a missing initiative" "$kiosk" "$(body1 k1:13 support upsert '{"id":"sup2","initiative_id":"nope"}')" invalid initiative_id
s=$(head_seq)
st=$(api GET "/v1/changes?since=$((s - 3))" "$kiosk")
check "a support bumps initiative.supports and its seq" bash -c "jq -e '[.changes[] | select(.table == \"initiative\") | .row.supports] == [1]' '$tmp/out' >/dev/null"
st=$(push "$kiosk" "$(body1 k1:14 proposal upsert '{"id":"idee-2","text":"Un marché","status":"submitted","created_at":"1999-01-01T00:00:00Z"}')")
check "kiosk submits a proposal" result_is status applied
st=$(api GET "/v1/changes?since=$((s))" "$staff")
check "the hub sets created_at" bash -c "jq -e '[.changes[] | select(.table == \"proposal\") | .row.created_at != \"1999-01-01T00:00:00Z\"] == [true]' '$tmp/out' >/dev/null"

# ---- encodings ---------------------------------------------------------------------
body1 g1 organization upsert '{"id":"gz-org","name":"G","kind":"cooperative","description":"d"}' | gzip >"$tmp/g.gz"
st=$(api POST /v1/push "$staff" -H 'Content-Encoding: gzip' --data-binary @"$tmp/g.gz")
check "gzip request body" result_is status applied
curl -s -D "$tmp/hdr" -o "$tmp/gzout" -H "Authorization: Bearer $staff" -H 'Accept-Encoding: gzip' \
    "$hub_url/v1/changes?since=0" >/dev/null
check "gzip response when asked" bash -c "grep -qi '^Content-Encoding: gzip' '$tmp/hdr' && gunzip -c '$tmp/gzout' | jq -e '.format == \"sceaux/1\"' >/dev/null"

# ---- fleet ---------------------------------------------------------------------------
# One hub answers GET /v1/fleet with what it saw at once. Through two hubs
# (SCEAUX_TEST_HUBS=2) the kiosk's request and the fleet's may reach
# different ones, and what one saw reaches the database on its next flush
# (every second): the fleet is then polled for a few seconds.
fleet_wait=0
[ "${SCEAUX_TEST_HUBS:-1}" = 2 ] && fleet_wait=5
fleet_is() { # JQ-CONDITION: on k1's entry in GET /v1/fleet
    [ "$(api GET /v1/fleet "$staff")" = 200 ] &&
        jq -e "[.kiosks[] | select(.name == \"k1\")][0] | $1" "$tmp/out" >/dev/null
}
s=$(head_seq)
api GET "/v1/changes?since=$s" "$kiosk" -H 'X-Sceaux-Version: 0.1.0-test' -H 'X-Sceaux-Outbox: 3' >/dev/null
check "fleet shows the kiosk's version, outbox, cursor and lag" wait_until $fleet_wait fleet_is "
    .version == \"0.1.0-test\" and .outbox == 3 and .cursor == $s and .lag == 0
    and .site == \"tiers-lieu\" and .address == \"127.0.0.1\"
    and (.last_seen|type) == \"string\" and .fault == null"
# X-Sceaux-Fault: a code of the set is kept; anything else counts as none
# and its bytes are stored nowhere.
fleet_fault_is() { # HEADER-VALUE WANT: k1 shows fault WANT (jq) after a pull sending it
    api GET "/v1/changes?since=$s" "$kiosk" -H "X-Sceaux-Fault: $1" >/dev/null
    wait_until $fleet_wait fleet_is ".fault == $2"
}
check "fleet shows a kiosk's fault (X-Sceaux-Fault: disk_full)" fleet_fault_is disk_full '"disk_full"'
check "fleet shows read_only" fleet_fault_is read_only '"read_only"'
fault_ignored() {
    fleet_fault_is '<b>DISK_FULL</b>' null && ! hub_sql "$tmp/hub.db" 'SELECT * FROM fleet' | grep -qi disk
}
check "fleet ignores a fault outside the set, stores none of it" fault_ignored
cleared() {
    fleet_fault_is disk_full '"disk_full"' || return 1
    api GET "/v1/changes?since=$s" "$kiosk" >/dev/null
    wait_until $fleet_wait fleet_is ".fault == null"
}
check "a request without X-Sceaux-Fault clears it" cleared
st=$(api GET /v1/fleet "$kiosk")
check "a kiosk may not see the fleet -> 403" bash -c "[ $st = 403 ]"

# ---- revoke while running --------------------------------------------------------------
st=$(api GET /v1/changes "$doomed")
"$hub" token revoke --db "$db" doomed
st2=$(api GET /v1/changes "$doomed")
check "a revoked token gets 401 on its next request" bash -c "[ $st = 200 ] && [ $st2 = 401 ]"

# ---- long-poll ---------------------------------------------------------------------------
s=$(head_seq)
t0=$(date +%s%N)
st=$(api GET "/v1/changes?since=$s&wait=1" "$kiosk")
t1=$(date +%s%N)
check "a long-poll with nothing new waits, then answers empty" bash -c "[ $st = 200 ] && [ $(((t1 - t0) / 1000000)) -ge 900 ] && jq -e '.changes == [] and .next == $s' '$tmp/out' >/dev/null"

await_conn() { wait_until 2 hub_conns_at_least "$1"; }
longpoll_commit() {
    local s t_commit t_answer
    s=$(head_seq)
    (curl -s -H "Authorization: Bearer $kiosk" "$hub_url/v1/changes?since=$s&wait=20" >"$tmp/lp"; date +%s%N >"$tmp/lp.t") &
    local lp=$!
    await_conn 1 || return 1
    push "$staff" "$(body1 "lp:$s" announcement upsert '{"id":"urgent-1","title":"Alerte","body":"b","priority":"urgent","starts_at":"2030-01-01T00:00:00Z","ends_at":"2036-01-01T00:00:00Z","target":"all"}')" >/dev/null
    t_commit=$(date +%s%N)
    wait $lp
    t_answer=$(cat "$tmp/lp.t")
    echo "  long-poll answered $(((t_answer - t_commit) / 1000000)) ms after the commit" >&2
    [ $(((t_answer - t_commit) / 1000000)) -lt 1000 ] && jq -e '.changes[0].row.id == "urgent-1"' "$tmp/lp" >/dev/null
}
check "a long-poll is answered within 1 s of a commit" longpoll_commit

longpoll_import() {
    local s
    s=$(head_seq)
    (curl -s -H "Authorization: Bearer $kiosk" "$hub_url/v1/changes?since=$s&wait=20" >"$tmp/lp2"; date +%s%N >"$tmp/lp2.t") &
    local lp=$!
    await_conn 1 || return 1
    local t0
    "$hub" import --db "$db" --no-rebase "$data/content.json" >/dev/null || return 1
    t0=$(date +%s%N)
    wait $lp
    [ $((($(cat "$tmp/lp2.t") - t0) / 1000000)) -lt 1000 ] && jq -e '(.changes|length) > 0' "$tmp/lp2" >/dev/null
}
check "an import by another process wakes long-polls within 1 s" longpoll_import

# ---- backup and restore -------------------------------------------------------------------
epoch=$(curl -s "$hub_url/v1/health" | jq -r .epoch)
s=$(head_seq)
if [ "${SCEAUX_TEST_DB:-}" = pg ]; then
    check "backup of a PostgreSQL database says to use pg_dump" bash -c \
        "'$hub' backup --db '$db' '$tmp/backup.db' 2>&1 | grep -q pg_dump"
else
    check "backup of the live database" "$hub" backup --db "$db" "$tmp/backup.db"
fi

# ---- SIGTERM -------------------------------------------------------------------------------
sigterm() {
    local s
    s=$(head_seq)
    (curl -s -o "$tmp/lp3" -w '%{http_code}' -H "Authorization: Bearer $kiosk" "$hub_url/v1/changes?since=$s&wait=30" >"$tmp/lp3.st") &
    local lp=$!
    await_conn 1 || return 1
    local t0
    t0=$(date +%s%N)
    hub_stop || return 1
    wait $lp
    local ms=$((($(date +%s%N) - t0) / 1000000))
    echo "  stopped in $ms ms" >&2
    [ "$(cat "$tmp/lp3.st")" = 200 ] && jq -e '.changes == []' "$tmp/lp3" >/dev/null && [ $ms -lt 5000 ]
}
check "SIGTERM answers the waiting long-poll and exits 0" sigterm
check "one log line per request, no token in the log" bash -c \
    "grep -q 'GET /v1/changes 200 [0-9]*ms k1' '$tmp/hub.log' && ! grep -q '$kiosk' '$tmp/hub.log' && ! grep -q '$admin' '$tmp/hub.log'"

if [ "${SCEAUX_TEST_DB:-}" = pg ]; then
    skip "restore gives a new epoch and the backed-up state" "pg_restore's (README)"
    start_hub --body-max 4096
    skip "the restored hub has the backup's head and a new epoch" "pg_restore's (README)"
else
    check "restore gives a new epoch and the backed-up state" bash -c \
        "'$hub' restore --db '$tmp/restored.db' '$tmp/backup.db'"
    mv "$tmp/hub.db" "$tmp/old.db"
    rm -f "$tmp/hub.db-wal" "$tmp/hub.db-shm"
    cp "$tmp/restored.db" "$tmp/hub.db"
    start_hub --body-max 4096
    check "the restored hub has the backup's head and a new epoch" bash -c \
        "curl -s $hub_url/v1/health | jq -e '.seq == $s and .epoch != \"$epoch\"' >/dev/null"
fi
{ printf '{"format":"sceaux/1","changes":[],"pad":"'; head -c 5000 /dev/zero | tr '\0' 'a'; printf '"}'; } >"$tmp/b9"
st=$(api POST /v1/push "$admin" --data-binary @"$tmp/b9")
check "--body-max sets the body cap" bash -c "[ $st = 413 ]"
hub_stop
start_hub --bodies-max 2048
{ printf '{"format":"sceaux/1","changes":[],"pad":"'; head -c 3000 /dev/zero | tr '\0' 'a'; printf '"}'; } >"$tmp/b10"
st=$(api POST /v1/push "$admin" --data-binary @"$tmp/b10")
check "bodies over the hub-wide budget -> 429" bash -c "[ $st = 429 ] && jq -e '.error == \"too_many_requests\"' '$tmp/out' >/dev/null"
st=$(api POST /v1/push "$admin" --data-binary '{"format":"sceaux/1","changes":[]}')
check "the budget is given back after each request" bash -c "[ $st = 200 ]"
check "the hub stops cleanly" hub_stop

test_done
