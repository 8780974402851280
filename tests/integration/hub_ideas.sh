#!/usr/bin/env bash
# Integration tests of ideas with answers (docs/protocol.md, "Ideas") on
# the real sceaux-hub (loopback, curl): a kiosk may not set a proposal's
# outcome or answer, staff may, and an outcome that decides needs the
# answer; a support of an idea counts once per change id and per support
# id, only on a published idea; a kiosk's pull carries the author's first
# name only. Prints "ok NAME" / "not ok NAME" per case. Needs curl and jq.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
hub="$bin/sceaux-hub"
data="$top/tests/data/hub"

# The first result as status[:error[:field]].
result() {
    jq -r '.results[0] | .status + (if .error then ":" + .error else "" end)
        + (if .field then ":" + .field else "" end)' "$tmp/out"
}
pushed() { # expected TOKEN CHANGE-ID TABLE ROW: the push's first result is expected
    push_upsert "$2" "$3" "$4" "$5" >/dev/null
    is "$(result)" "$1"
}
# The stored proposal's COLUMN, as a staff pull from 0 carries it.
stored() { # id column
    api GET "/v1/changes?since=0" "$staff" >/dev/null
    jq -r --arg id "$1" --arg c "$2" \
        '[.changes[] | select(.table == "proposal" and .row.id == $id)][0].row[$c]' "$tmp/out"
}
idea='"id":"idee-k","text":"Une fontaine place du Marché","domain":"environnement","author_name":" Zoé  Martin-Durand"'

"$hub" import --db "$(hub_db "$tmp/hub.db")" "$data/content.json" >/dev/null
staff=$(hub_token "$tmp/hub.db" staff staff)
k1=$(hub_token "$tmp/hub.db" k1 kiosk tiers-lieu)
k2=$(hub_token "$tmp/hub.db" k2 kiosk tiers-lieu)
hub_start "$tmp/hub.db" "$tmp/hub.log" 0 || { not_ok "hub starts"; test_done; }

# ---- the city's columns: staff only ---------------------------------------------
check "a kiosk may not submit an idea with an outcome" pushed rejected:forbidden:outcome \
    "$k1" k1:1 proposal "{$idea,\"status\":\"submitted\",\"outcome\":\"retenue\",\"answer\":\"Oui\"}"
check "nor with an answer" pushed rejected:forbidden:answer \
    "$k1" k1:2 proposal "{$idea,\"status\":\"submitted\",\"answer\":\"Adoptée\"}"
check "a kiosk submits an idea with a theme" pushed applied \
    "$k1" k1:3 proposal "{$idea,\"status\":\"submitted\",\"outcome\":null,\"supports\":99}"
check "its supports start at 0, whatever the kiosk sent" is "$(stored idee-k supports)" 0
check "a kiosk may not answer an existing idea" pushed rejected:forbidden:outcome \
    "$k1" k1:4 proposal "{$idea,\"status\":\"published\",\"outcome\":\"realisee\",\"answer\":\"Faite\"}"
check "staff publish it" pushed applied "$staff" s:1 proposal "{$idea,\"status\":\"published\"}"
check "an outcome that decides needs the answer" pushed rejected:invalid:answer \
    "$staff" s:2 proposal "{$idea,\"status\":\"published\",\"outcome\":\"retenue\"}"
check "an outcome outside the list is invalid" pushed rejected:invalid:outcome \
    "$staff" s:3 proposal "{$idea,\"status\":\"published\",\"outcome\":\"adoptee\",\"answer\":\"x\"}"
check "à l'étude needs no answer yet" pushed applied \
    "$staff" s:4 proposal "{$idea,\"status\":\"published\",\"outcome\":\"a_l_etude\"}"
answer='La fontaine sera installée au printemps, avec le conseil de quartier.'
check "staff set retenue with the city's answer" pushed applied \
    "$staff" s:5 proposal "{$idea,\"status\":\"published\",\"outcome\":\"retenue\",\"answer\":\"$answer\"}"
check "the outcome and answer are stored" \
    is "$(stored idee-k outcome)|$(stored idee-k answer)" "retenue|$answer"

# ---- supports: once per change id, once per support id --------------------------
s0=$(curl -s "$hub_url/v1/health" | jq -r .seq)
sup='{"id":"ps-1","proposal_id":"idee-k"}'
check "a kiosk supports a published idea" pushed applied "$k1" k1:s1 proposal_support "$sup"
check "the same change again is a duplicate" pushed duplicate "$k1" k1:s1 proposal_support "$sup"
check "the same support under another change id already exists" pushed rejected:exists:id \
    "$k2" k2:s1 proposal_support "$sup"
check "the idea counts one support" is "$(stored idee-k supports)" 1
check "another support counts" pushed applied "$k2" k2:s2 proposal_support '{"id":"ps-2","proposal_id":"idee-k"}'
check "two supports" is "$(stored idee-k supports)" 2
check "answering keeps the supports" pushed applied \
    "$staff" s:6 proposal "{$idea,\"status\":\"published\",\"outcome\":\"realisee\",\"answer\":\"Installée.\",\"supports\":0}"
check "still two supports" is "$(stored idee-k supports)" 2
check "no support of a missing idea" pushed rejected:unavailable:proposal_id \
    "$k1" k1:s3 proposal_support '{"id":"ps-3","proposal_id":"nope"}'
check "a kiosk submits another idea" pushed applied \
    "$k1" k1:5 proposal '{"id":"idee-s","text":"Un banc","status":"submitted"}'
check "no support of an idea not published" pushed rejected:unavailable:proposal_id \
    "$k1" k1:s4 proposal_support '{"id":"ps-4","proposal_id":"idee-s"}'
deletes_support() {
    printf '{"format":"sceaux/1","changes":[{"id":"k1:d","table":"proposal_support","op":"delete","row":{"id":"ps-1"}}]}' \
        >"$tmp/body"
    api POST /v1/push "$k1" --data-binary @"$tmp/body" >/dev/null
    is "$(result)" rejected:forbidden
}
check "a kiosk may not delete a support" deletes_support

# ---- what a kiosk receives --------------------------------------------------------
kiosk_sees() {
    api GET "/v1/changes?since=$s0" "$k2" >/dev/null
    jq -e '[.changes[] | select(.table == "proposal")] | length == 1 and (.[0].row |
        .author_name == "Zoé" and .supports == 2 and .outcome == "realisee"
        and .answer == "Installée." and .domain == "environnement")' "$tmp/out" >/dev/null &&
        ! jq -e '.changes[] | select(.table == "proposal_support")' "$tmp/out" >/dev/null ||
        { echo "  $(head -c 600 "$tmp/out")" >&2; return 1; }
}
check "a kiosk pull: first name only, supports, outcome, answer; no supports rows" kiosk_sees
check "staff see the name as typed" is "$(stored idee-k author_name)" " Zoé  Martin-Durand"

# ---- an older database gains the columns (migration) --------------------------------
hub_stop
ideas_step=11 # its place in store_sqlite.c's hub_steps; later steps then run too
migrated() {
    local db=$tmp/old.db
    "$hub" import --db "$db" "$data/content.json" >/dev/null &&
        sqlite3 "$db" "ALTER TABLE proposal DROP COLUMN answer; ALTER TABLE proposal DROP COLUMN outcome;
            ALTER TABLE proposal DROP COLUMN supports; DROP TABLE proposal_support;
            DROP INDEX IF EXISTS support_proposal; PRAGMA user_version = $((ideas_step - 1))" &&
        "$hub" token list --db "$db" >/dev/null &&
        is "$(sqlite3 "$db" "SELECT supports, count(*) FROM proposal; SELECT count(*) FROM proposal_support")" \
            "0|1
0"
}
check "a database of the step before gains supports (0), outcome, answer and proposal_support" migrated

test_done
