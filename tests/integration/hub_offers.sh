#!/usr/bin/env bash
# Help offers on the real sceaux-hub (docs/protocol.md, "Help offers"): a
# kiosk sends one (a first name, an email or a phone, the person's consent),
# the hub checks the contact and the consent and names the field it
# refuses, never quoting the contact; no kiosk token receives an offer or
# its delete, by any endpoint; staff pull them and mark them passed on; the
# hub's sweep erases them --offer-days after they were made (a restart runs
# it at once). Prints "ok NAME" / "not ok NAME" per case. Needs curl, jq
# and sqlite3.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
hub="$bin/sceaux-hub"
data="$top/tests/data/hub"

push() { push_upsert "$@"; }
result() { jq -r '.results[0] | .status + (if .error then ":" + .error + ":" + (.field // "") else "" end)' "$tmp/out"; }
offer() { # ID CONTACT [CONSENT] [STATUS]
    printf '{"id":"%s","initiative_id":"jardin","first_name":"Camille","contact":"%s","consent":%s,"status":"%s"}' \
        "$1" "$2" "${3:-true}" "${4:-new}"
}

"$hub" import --db "$(hub_db "$tmp/hub.db")" "$data/content.json" >/dev/null
staff=$(hub_token "$tmp/hub.db" staff staff)
k1=$(hub_token "$tmp/hub.db" k1 kiosk tiers-lieu)
start() { hub_start "$tmp/hub.db" "$tmp/hub.log" 0 "$@" || { not_ok "hub starts"; test_done; }; }
start

# ---- a kiosk offers help ------------------------------------------------------------
push "$k1" k1:1 help_offer "$(offer o1 camille.dupont@example.org)" >/dev/null
check "a kiosk sends a help offer with an email" is "$(result)" applied
push "$k1" k1:2 help_offer "$(offer o2 '+33 6 12 34 56 78')" >/dev/null
check "and one with a phone number" is "$(result)" applied
check "the hub dates it" is "$(hub_sql "$tmp/hub.db" "SELECT count(*) FROM help_offer WHERE created_at LIKE '20%Z'")" 2
bad_contact() {
    local c
    for c in camille 'camille@' '@example.org' 'camille@example' 'ca..mille@example.org' \
        'camille@exa mple.org' '06 12 34' '06 12 34 56 78 90 12 34 56' '06-12-34-56-7x' \
        ' camille@example.org' 'camille@example.org '; do
        push "$k1" "k1:bad-$RANDOM" help_offer "$(offer "bad-$RANDOM" "$c")" >/dev/null
        is "$(result)" rejected:invalid:contact || { echo "  for '$c'" >&2; return 1; }
        ! grep -qF "$c" "$tmp/out" || { echo "  the answer quotes '$c'" >&2; return 1; }
    done
}
check "a contact that is neither an email nor a phone: invalid, field contact, not quoted" bad_contact
push "$k1" k1:3 help_offer "$(offer o3 camille@example.org false)" >/dev/null
check "without consent: invalid, field consent" is "$(result)" rejected:invalid:consent
push "$k1" k1:4 help_offer '{"id":"o4","initiative_id":"jardin","first_name":"Camille","contact":"camille@example.org","status":"new"}' >/dev/null
check "consent missing: invalid, field consent" is "$(result)" rejected:invalid:consent
push "$k1" k1:5 help_offer "$(printf '{"id":"o5","initiative_id":"nope","first_name":"Camille","contact":"camille@example.org","consent":true,"status":"new"}')" >/dev/null
check "an initiative that does not exist: invalid, field initiative_id" is "$(result)" rejected:invalid:initiative_id
push "$k1" k1:6 help_offer "$(offer o1 camille@example.org true passed_on)" >/dev/null
check "a kiosk cannot mark one passed on" is "$(result)" rejected:forbidden:
push "$k1" k1:7 help_offer "$(offer o1 autre@example.org)" >/dev/null
check "nor overwrite one" is "$(result)" rejected:exists:id
check "nothing refused was stored" is "$(hub_sql "$tmp/hub.db" 'SELECT count(*) FROM help_offer')" 2

# ---- never to a kiosk token ---------------------------------------------------------
check "a kiosk pull from 0 carries no offer" pull_is "$k1" "since=0&limit=5000" \
    '[.changes[] | select(.table == "help_offer")] == [] and .more == false'
check "staff pull both offers, contacts included" pull_is "$staff" "since=0&limit=5000" \
    '[.changes[] | select(.table == "help_offer") | .row.contact] | sort == ["+33 6 12 34 56 78", "camille.dupont@example.org"]'
kiosk_reads_nothing() {
    local p st
    for p in /v1/fleet /v1/console/audit /v1/console/session /v1/agenda.ics; do
        st=$(api GET "$p" "$k1")
        ! grep -q 'example.org\|12 34 56' "$tmp/out" || { echo "  $p shows an offer" >&2; return 1; }
        case $p in /v1/agenda.ics) ;; *) [ "$st" = 401 ] || [ "$st" = 403 ] ||
            { echo "  $p: $st" >&2; return 1; } ;; esac
    done
}
check "a kiosk token reads offers nowhere else (fleet, console, calendars)" kiosk_reads_nothing
check "the schema lists the table for the console" bash -c \
    "curl -s '$hub_url/v1/console/schema' | jq -e '.tables.help_offer | map(.name) | index(\"contact\")' >/dev/null"

# ---- staff pass it on -------------------------------------------------------------
s0=$(curl -s "$hub_url/v1/health" | jq -r .seq)
push "$staff" s:1 help_offer "$(offer o1 camille.dupont@example.org true passed_on)" >/dev/null
check "staff mark an offer passed on" is "$(result)" applied
check "the kiosk's pull after it is empty, its cursor moved" pull_is "$k1" "since=$s0" \
    ".changes == [] and .next > $s0"
check "the date it was made stays" is \
    "$(hub_sql "$tmp/hub.db" "SELECT count(*) FROM help_offer WHERE id = 'o1' AND status = 'passed_on' AND created_at IS NOT NULL")" 1

# ---- erased after --offer-days, by the hub's own sweep -----------------------------
hub_stop
start --offer-days 1
check "a restart with --offer-days 1 keeps today's offers" is "$(hub_sql "$tmp/hub.db" 'SELECT count(*) FROM help_offer')" 2
s1=$(curl -s "$hub_url/v1/health" | jq -r .seq)
hub_stop
start --offer-days 0
check "with --offer-days 0 the sweep at start erases them" is "$(hub_sql "$tmp/hub.db" 'SELECT count(*) FROM help_offer')" 0
check "and logs it" grep -q "erased 2 help offers" "$tmp/hub.log"
check "staff consoles get the deletes" pull_is "$staff" "since=$s1" \
    '[.changes[] | select(.table == "help_offer") | .op + ":" + .id] | sort == ["delete:o1", "delete:o2"]'
check "kiosks get nothing, not even the deletes" pull_is "$k1" "since=$s1" \
    '[.changes[] | select(.table == "help_offer")] == []'
if [ "${SCEAUX_TEST_DB:-}" = pg ]; then
    check "nothing of them in the database" \
        test "$(hub_sql "$tmp/hub.db" "SELECT count(*) FROM help_offer")" = 0
else
    check "nothing of them in the database file" bash -c \
        "sqlite3 '$tmp/hub.db' 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null && ! grep -qa 'camille.dupont@example.org' '$tmp/hub.db'"
fi
hub_stop
test_done
