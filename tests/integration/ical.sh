#!/usr/bin/env bash
# Integration tests of the public calendars (docs/protocol.md, "Public
# calendars") on the real sceaux-hub: GET /v1/agenda.ics and
# /v1/rooms/ID/busy.ics answer without a token, validate (strict lines,
# then Debian's python3-icalendar: lib/ical_check.py) and parse back to the
# events of the database; a busy feed tells times and nothing of holder,
# purpose or code; unknown and non-bookable rooms are 404; the agenda is
# capped; the kiosk's QR codes decode (zbarimg) to the feed's event and to
# an organisation's vCard. Prints "ok NAME" / "not ok NAME" per case.
# Needs curl, jq, sqlite3, zbarimg and /usr/bin/python3 with
# python3-icalendar. The hub's database is SQLite's, or PostgreSQL's with
# SCEAUX_TEST_DB=pg.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
hub="$bin/sceaux-hub"
check_ics="$top/tests/integration/lib/ical_check.py"
day() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; } # day '+3 days 10:00'

# A content file: the test data, and events around today with text that
# needs escaping and folding (commas, semicolons, a backslash, line
# breaks, accents across a fold).
long=$(printf 'Éé%.0s' $(seq 1 60))
title="Conférence : l’économie sociale et solidaire au service des territoires d’Île-de-France"
jq --arg a "$(day 'today -40 days 09:00')" --arg b "$(day 'today +2 days 17:30')" \
    --arg c "$(day 'today +2 days 19:00')" --arg d "$(day 'today +400 days 09:00')" \
    --arg e "$(day 'today +2 days 19:30')" --arg f "$(day 'today +2 days 20:30')" \
    --arg g "$(day 'today -60 days 18:00')" --arg h "$(day 'today -60 days 20:00')" \
    --arg title "$title" --arg long "$long" '.changes += [
  {id:"x1",table:"event",op:"upsert",row:{id:"old",title:"Trop ancien",description:"-",
    starts_at:$a,ends_at:$a,category:"autre"}},
  {id:"x2",table:"event",op:"upsert",row:{id:"atelier-1",
    title:"Atelier, idées; et \\ fin",description:("Ligne 1\nLigne 2 : « " + $long + " »"),
    starts_at:$b,ends_at:$c,place:"Sceaux Smart, grand espace",category:"atelier"}},
  {id:"x3",table:"event",op:"upsert",row:{id:"far",title:"Trop loin",description:"-",
    starts_at:$d,ends_at:$d,category:"autre"}},
  {id:"x5",table:"event",op:"upsert",row:{id:"long-1",title:$title,description:"-",
    starts_at:$e,ends_at:$f,place:"Sceaux Smart",category:"conference"}},
  {id:"x6",table:"event",op:"upsert",row:{id:"serie-vivante",title:"Atelier hebdomadaire",
    description:"-",starts_at:$g,ends_at:$h,category:"atelier",rrule:"FREQ=WEEKLY;COUNT=20"}},
  {id:"x7",table:"event",op:"upsert",row:{id:"serie-finie",title:"Atelier fini",
    description:"-",starts_at:$g,ends_at:$h,category:"atelier",rrule:"FREQ=WEEKLY;COUNT=3"}},
  {id:"x4",table:"organization",op:"upsert",row:{id:"jardins",name:"Jardins; partagés, de Sceaux",
    kind:"association",description:"-",contact:"contact@jardins.example.org",
    url:"https://jardins.example.org/",address:"1 rue de Sceaux, 92330 Sceaux"}}]' \
    "$top/tests/data/hub/content.json" >"$tmp/content.json"
"$hub" import --no-rebase --db "$(hub_db "$tmp/hub.db")" "$tmp/content.json" >/dev/null
staff=$(hub_token "$tmp/hub.db" staff staff)
hub_start "$tmp/hub.db" "$tmp/hub.log" 0 || { not_ok "hub starts"; test_done; }

bs=$(day 'tomorrow 09:00')
be=$(day 'tomorrow 10:30')
printf '{"format":"sceaux/1","changes":[{"id":"s1","table":"booking","op":"upsert","row":{"id":"bk-1","room_id":"salle-a","starts_at":"%s","ends_at":"%s","holder":"Camille Dupont","purpose":"Réunion confidentielle","status":"confirmed","cancel_code":"482913"}}]}' \
    "$bs" "$be" >"$tmp/push.json"
st=$(api POST /v1/push "$staff" --data-binary @"$tmp/push.json")
check "a booking is pushed" is "$st $(jq -r '.results[0].status' "$tmp/out")" "200 applied"

# ---- the agenda ---------------------------------------------------------------
get() { curl -s -D "$tmp/headers" -o "$tmp/$2" -w '%{http_code}' "$hub_url$1"; }
header() { tr -d '\r' <"$tmp/headers" | sed -n "s/^$1: //Ip"; }
check "agenda.ics answers without a token" is "$(get /v1/agenda.ics agenda.ics)" 200
check "agenda.ics is text/calendar in UTF-8" is "$(header content-type)" \
    "text/calendar; charset=utf-8"
check "agenda.ics may be cached publicly" is "$(header cache-control)" "public, max-age=300"
parse() { /usr/bin/python3 "$check_ics" "$tmp/$1" >"$tmp/$1.json"; }
check "agenda.ics validates and parses" parse agenda.ics

# What the database says, over the same window: from 30 days before today
# (a SQLite copy of it on PostgreSQL: hub_file).
from=$(day 'today -30 days 00:00')
to=$(day 'today +366 days 00:00')
q "$(hub_file "$tmp/hub.db")" "SELECT json_group_array(json_object('uid', 'event-' || e.id ||
    '@sceaux-kiosk.invalid', 'summary', e.title, 'start', e.starts_at, 'end', e.ends_at,
    'location', coalesce(e.place, r.name || ', ' || s.name, r.name, s.name, ''),
    'description', e.description, 'transp', '', 'rrule', coalesce(e.rrule, '')))
  FROM (SELECT * FROM event WHERE (starts_at >= '$from' AND starts_at < '$to')
        OR id = 'serie-vivante' ORDER BY starts_at, id) e
  LEFT JOIN room r ON r.id = e.room_id LEFT JOIN site s ON s.id = e.site_id" >"$tmp/want.json"
same_events() {
    jq -S . "$tmp/want.json" >"$tmp/a" && jq -S . "$tmp/agenda.ics.json" >"$tmp/b" &&
        diff "$tmp/a" "$tmp/b" >&2
}
check "the agenda parses back to the database's events" same_events
jqe() { jq -e "$@" >/dev/null; }
check "the escaped event reads back whole" jqe --arg long "$long" \
    '.[] | select(.uid | startswith("event-atelier-1@")) | .summary == "Atelier, idées; et \\ fin"
     and .description == ("Ligne 1\nLigne 2 : « " + $long + " »")' "$tmp/agenda.ics.json"
check "a series begun before the window that repeats into it is in, with its rule; one ended is not" jqe \
    'any(.[]; .uid == "event-serie-vivante@sceaux-kiosk.invalid" and .rrule == "FREQ=WEEKLY;COUNT=20")
     and all(.[]; .uid != "event-serie-finie@sceaux-kiosk.invalid")' "$tmp/agenda.ics.json"
check "events outside the window are left out" jqe \
    '[.[].uid | select(test("^event-(old|far)@"))] == [] and any(.[].uid; startswith("event-atelier-1@"))' "$tmp/agenda.ics.json"
# DTSTAMP is when a hub built its feed: two hubs (SCEAUX_TEST_HUBS=2) built
# theirs apart.
gz_same() {
    curl -s --compressed -o "$tmp/agenda.gz.ics" "$hub_url/v1/agenda.ics" &&
        curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%header{content-encoding}' \
            "$hub_url/v1/agenda.ics" | grep -qx gzip &&
        cmp -s <(grep -av '^DTSTAMP:' "$tmp/agenda.gz.ics") <(grep -av '^DTSTAMP:' "$tmp/agenda.ics")
}
check "gzip gives the same feed" gz_same
# The cached feed follows a change: a new event shows at once.
changed() {
    printf '{"format":"sceaux/1","changes":[{"id":"s2","table":"event","op":"upsert","row":{"id":"new-ev","title":"Nouveau","description":"-","starts_at":"%s","ends_at":"%s","category":"autre"}}]}' \
        "$bs" "$be" >"$tmp/push2.json"
    api POST /v1/push "$staff" --data-binary @"$tmp/push2.json" >/dev/null &&
        get /v1/agenda.ics agenda2.ics >/dev/null && grep -q 'UID:event-new-ev@' "$tmp/agenda2.ics"
}
check "the agenda follows a change" changed
# A calendar app that polls with the ETag it got is answered 304 until
# something changes.
revalidated() { # PATH
    local tag st
    get "$1" x >/dev/null && tag=$(header etag) && [ -n "$tag" ] || return 1
    st=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $tag" "$hub_url$1")
    is "$st" 304 || return 1
    st=$(curl -s -o /dev/null -w '%{http_code}' -H 'If-None-Match: W/"other"' "$hub_url$1")
    is "$st" 200 || return 1
    printf '{"format":"sceaux/1","changes":[{"id":"s4-%s","table":"event","op":"upsert","row":{"id":"new-ev","title":"Nouveau %s","description":"-","starts_at":"%s","ends_at":"%s","category":"autre"}}]}' \
        "$RANDOM" "$RANDOM" "$bs" "$be" >"$tmp/push4.json"
    api POST /v1/push "$staff" --data-binary @"$tmp/push4.json" >/dev/null
    st=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $tag" "$hub_url$1")
    is "$st" 200
}
check "agenda.ics: 304 for the same ETag, 200 after a change" revalidated /v1/agenda.ics

# ---- a room's busy times --------------------------------------------------------
check "busy.ics answers without a token" is "$(get /v1/rooms/salle-a/busy.ics busy.ics)" 200
check "busy.ics is text/calendar" is "$(header content-type)" "text/calendar; charset=utf-8"
check "busy.ics validates and parses" parse busy.ics
check "busy.ics has the booking's times, opaque" jqe --arg s "$bs" --arg e "$be" \
    '. == [{uid: "busy-bk-1@sceaux-kiosk.invalid", summary: "Occupé", start: $s, end: $e,
            location: "", description: "", transp: "OPAQUE", rrule: ""}]' "$tmp/busy.ics.json"
no_leak() { ! grep -a -i -E 'camille|dupont|confidentielle|482913|staff' "$tmp/busy.ics"; }
check "busy.ics names no one and says nothing of the purpose or code" no_leak
cancelled() {
    jq '.changes[0].id = "s3" | .changes[0].row.status = "cancelled"
        | del(.changes[0].row.cancel_code)' "$tmp/push.json" >"$tmp/push3.json"
    api POST /v1/push "$staff" --data-binary @"$tmp/push3.json" >/dev/null &&
        get /v1/rooms/salle-a/busy.ics busy2.ics >/dev/null && ! grep -q VEVENT "$tmp/busy2.ics"
}
check "a cancelled booking is not busy" cancelled
check "busy.ics: 304 for the same ETag, 200 after a change" revalidated /v1/rooms/salle-a/busy.ics
check "a room that cannot be booked is 404" is "$(get /v1/rooms/salle-b/busy.ics x)" 404
check "an unknown room is 404" is "$(get /v1/rooms/nope/busy.ics x)" 404
check "an invalid id is 404" is "$(get '/v1/rooms/a%20b/busy.ics' x)" 404
check "a longer path is 404" is "$(get /v1/rooms/salle-a/x/busy.ics x)" 404
check "POST is 405" is "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$hub_url/v1/agenda.ics")" 405

# ---- the kiosk's QR codes -------------------------------------------------------
# The kiosk on a replica of the same content, its clock half an hour
# before the event: the event's detail shows a QR code that zbarimg
# decodes to the feed's event, and an organisation's to its vCard; in
# landscape, portrait and the smallest screen.
export SDL_VIDEODRIVER=dummy SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy
"$bin/sceaux-loadreplica" --db "$tmp/kiosk.db" "$tmp/content.json" >/dev/null
adv=$(($(date -u -d "$(day 'today +2 days 17:30')" +%s) - $(date +%s) - 1800))
# zbarimg --raw ends the text with a newline of its own: dropped.
qr_of() {
    zbarimg -q --raw "$1" 2>"$tmp/zbar.err" | head -c -1 >"$1.txt" && [ -s "$1.txt" ]
}
same_vevent() { # PNG: its QR's VEVENT is the feed's atelier-1 (bar DTSTAMP, DESCRIPTION)
    qr_of "$1" && /usr/bin/python3 "$check_ics" "$1.txt" >"$1.json" &&
        jq -e --slurpfile feed "$tmp/agenda.ics.json" \
            '($feed[0][] | select(.uid | startswith("event-atelier-1@")) | del(.description))
             as $want | length == 1 and (.[0] | del(.description)) == $want' \
            "$1.json" >/dev/null
}
same_vcard() {
    qr_of "$1" && tr -d '\r' <"$1.txt" >"$1.vcf" &&
        grep -qx 'FN:Jardins\\; partagés\\, de Sceaux' "$1.vcf" &&
        grep -qx 'EMAIL:contact@jardins.example.org' "$1.vcf" &&
        grep -qx 'ADR:;;1 rue de Sceaux\\, 92330 Sceaux;;;;' "$1.vcf" &&
        grep -qx 'URL:https://jardins.example.org/' "$1.vcf" && head -2 "$1.vcf" | tail -1 |
        grep -qx 'VERSION:4.0'
}
# A long title is clipped in the code at a word, within 60 octets, with
# "…"; the rest of the event is the feed's.
clipped() {
    qr_of "$1" && /usr/bin/python3 "$check_ics" "$1.txt" >"$1.json" &&
        jq -e --arg t "$title" '.[0] | (.summary | endswith("…") and (rtrimstr("…") as $p
            | ($t | startswith($p)) and ($t[($p | length):] | startswith(" "))
            and (. | utf8bytelength) <= 60)) and .uid == "event-long-1@sceaux-kiosk.invalid"
            and .location == "Sceaux Smart"' "$1.json" >/dev/null
}
for size in 1920x1080 1080x1920 800x480 1080x1920-large; do
    large=
    [ "${size#*-}" = large ] && large="tap Texte plus grand"
    cat >"$tmp/k.s" <<S
advance $adv
size ${size%-large}
$large
tap Agenda
tap $title
screenshot $tmp/long-$size.png
tap Retour
tap Atelier, idées; et \\ fin
expect Ajouter à mon agenda
screenshot $tmp/event-$size.png
tap Retour
tap Annuaire
tap Jardins; partagés, de Sceaux
expect Enregistrer le contact
screenshot $tmp/org-$size.png
S
    if "$bin/sceaux-kiosk" --db "$tmp/kiosk.db" --site tiers-lieu --kiosk k1 --script "$tmp/k.s" \
        2>"$tmp/kiosk.err"; then
        check "$size: the event's QR code is the feed's event" same_vevent "$tmp/event-$size.png"
        check "$size: the organisation's QR code is its vCard" same_vcard "$tmp/org-$size.png"
        check "$size: a long title is clipped in the code" clipped "$tmp/long-$size.png"
    else
        not_ok "$size: the kiosk shows the QR codes" "$(tail -3 "$tmp/kiosk.err")"
    fi
done
hub_stop

# ---- the cap ----------------------------------------------------------------------
# 1100 events in the window: the feed holds the first 1000.
jq -n --arg s "$(day 'today +1 days 09:00')" --arg e "$(day 'today +1 days 10:00')" \
    '{format: "sceaux/1", changes: [range(1100) | {id: "m\(.)", table: "event", op: "upsert",
      row: {id: "m\(.)", title: "E\(.)", description: "-", starts_at: $s, ends_at: $e,
            category: "autre"}}]}' >"$tmp/many.json"
"$hub" import --no-rebase --db "$(hub_db "$tmp/many.db")" "$tmp/many.json" >/dev/null
hub_start "$tmp/many.db" "$tmp/hub.log" 0 || { not_ok "hub starts"; test_done; }
capped() {
    [ "$(get /v1/agenda.ics many.ics)" = 200 ] && is "$(grep -c '^BEGIN:VEVENT' "$tmp/many.ics")" 1000
}
check "the agenda holds 1000 events at most" capped
hub_stop
test_done
