#!/usr/bin/env bash
# kiosk_e2e.sh: the whole chain, end to end, as real processes on loopback
# ports in a temporary folder: sceaux-hub (assets/sceaux.json imported),
# sceaux-syncd long-polling on a kiosk's replica (after a first --once), and
# sceaux-kiosk headless (SDL dummy video, software renderer) driven by
# scripts (kiosk/script.h). Prints "ok NAME" or "not ok NAME" per case.
#
# Cases: a booking made on the kiosk shows pending, then confirmed once
# syncd pushed it, and the hub holds exactly one; an urgent announcement
# from sceaux-admin reaches the kiosk screen within 1 s; a support tapped on
# the kiosk bumps the hub's count by one and the kiosk shows the new count;
# a slot booked on the kiosk while syncd is stopped and on the hub by staff
# meanwhile is shown refused once syncd is back, and the hub keeps only the
# staff booking; online, a booking's confirmation, a wrong cancel code and a
# cancellation are told in place, where the person typed; an offer of help
# (landscape in French, portrait in English with larger text, the keyboard
# open) is not written without the consent ticked, and once sent the hub
# has it while no byte of the name or contact stays in the replica's files.
#
# The shell and a running kiosk meet through files: the kiosk's script
# `dump`s its screen at known points and the shell polls for those files.
# Every wait is a poll on a condition with a deadline, never a fixed sleep.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
kiosk_setup
# "N soutien(s)" as the kiosk writes it: French puts 0 and 1 in the singular.
soutiens() { if [ "$1" -le 1 ]; then echo "$1${nb}soutien"; else echo "$1${nb}soutiens"; fi; }
syncd_pid=
kiosk_pid=

hubdb=$tmp/hub.db
rep=$tmp/kiosk.db
site="site-sceaux-smart"
hub= # its URL, once started

token() { # NAME ROLE [SITE]: a token file $tmp/NAME.token
    hub_token "$hubdb" "$@" >"$tmp/$1.token" 2>>"$tmp/hub.log"
}

syncd_log_at=0
start_syncd() {
    syncd_log_at=$(log_size "$tmp/syncd.log")
    "$bin/sceaux-syncd" --db "$rep" --hub "$hub" --token-file "$tmp/kiosk.token" \
        >>"$tmp/syncd.log" 2>&1 &
    syncd_pid=$!
}
syncd_serving() { log_since "$tmp/syncd.log" "$syncd_log_at" | grep -q "serving"; }
# freeze_syncd: SIGSTOP, but never inside one of its write transactions
# (the kiosk's writes would then wait on the lock): a write lock taken and
# released at once says it holds none; otherwise thaw it and try again.
write_lock_free() { sqlite3 -cmd '.timeout 0' "$rep" 'BEGIN IMMEDIATE; ROLLBACK;' >/dev/null 2>&1; }
freeze_syncd() {
    local limit=$(($(now_ms) + 10000))
    while :; do
        kill -STOP "$syncd_pid" || return 1
        write_lock_free && return 0
        kill -CONT "$syncd_pid"
        [ "$(now_ms)" -ge "$limit" ] && return 1
        sleep 0.02
    done
}
stop_syncd() { # SIGTERM and wait: returns its exit status
    [ -n "$syncd_pid" ] || return 0
    local p=$syncd_pid
    syncd_pid=
    stop_pid "$p"
}

# The kiosk in the background on script $1; kiosk_done waits for its end
# and returns its exit status.
kiosk_start() {
    not_ok_log=$1.err # its stderr, shown after a "not ok"
    "$bin/sceaux-kiosk" --db "$rep" --site "$site" --kiosk e2e-kiosk --script "$1" \
        2>"$not_ok_log" &
    kiosk_pid=$!
}
kiosk_done() {
    [ -n "$kiosk_pid" ] || return 1
    { wait "$kiosk_pid"; } 2>/dev/null
    local rc=$?
    kiosk_pid=
    return $rc
}
kiosk_run() { # SCRIPT: the kiosk in the foreground
    kiosk_start "$1"
    kiosk_done
}
# A kiosk that dies early must not make us wait the whole deadline.
kiosk_wrote_or_died() { [ -s "$1" ] || ! kill -0 "$kiosk_pid" 2>/dev/null; }
kiosk_file() { # FILE: true once the running kiosk wrote FILE
    wait_until 20 kiosk_wrote_or_died "$1"
    [ -s "$1" ]
}

# Bookings on the hub whose holder is $1.
hub_bookings() { hub_sql "$hubdb" "SELECT count(*) FROM booking WHERE holder = '$1'"; }

# ---- setup ----------------------------------------------------------------

for b in sceaux-hub sceaux-syncd sceaux-admin sceaux-kiosk; do
    [ -x "$bin/$b" ] || setup_fail "$bin/$b is missing"
done
for b in curl sqlite3 jq; do
    command -v "$b" >/dev/null || setup_fail "$b is missing"
done
"$bin/sceaux-hub" import --db "$(hub_db "$hubdb")" "$top/assets/sceaux.json" >>"$tmp/hub.log" 2>&1 ||
    setup_fail "sceaux-hub import assets/sceaux.json"
{ token e2e-kiosk kiosk "$site" && token staff staff; } || setup_fail "sceaux-hub token add"
cp "$tmp/e2e-kiosk.token" "$tmp/kiosk.token"
hub_start "$hubdb" "$tmp/hub.log" 0 || setup_fail "the hub answers /v1/health"
hub=$hub_url
"$bin/sceaux-syncd" --db "$rep" --hub "$hub" --token-file "$tmp/kiosk.token" --once \
    >>"$tmp/syncd.log" 2>&1 || setup_fail "a first syncd --once"
start_syncd
wait_until 20 syncd_serving || setup_fail "syncd long-polls (\"serving\" in its log)"

# ---- 1. a booking: pending, then confirmed once pushed ----------------------
# The kiosk books tomorrow 10:00 in the first room, for 1 h 30. syncd is
# frozen (SIGSTOP) until the kiosk has drawn the row pending, so that frame
# cannot race the push; once thawed, syncd pushes the row and pulls the
# hub's copy back, and the kiosk shows it confirmed.

t="kiosk booking: pending, then confirmed after the push; one on the hub"
holder="Ada Lovelace"
cat >"$tmp/s1" <<S
tap Salles
tap Demain
tap 10:00
expect Durée
tap 1${nb}h${nb}30
tap Votre nom
type $holder
tap Confirmer
expect Réservation enregistrée
tap Fermer
expect 10:00 – 11:30 · Occupée
expect-not $holder
dump $tmp/s1-pending.json
wait Confirmée
expect-not En attente
dump $tmp/s1-confirmed.json
quit
S
freeze_syncd || not_ok "$t: syncd holds the replica's write lock for 10 s"
kiosk_start "$tmp/s1"
kiosk_file "$tmp/s1-pending.json"
first=$(jq -r '.elements[] | .label' "$tmp/s1-pending.json" 2>/dev/null |
    grep -E '^(En attente|Confirmée)$' | head -1)
n0=$(hub_bookings "$holder")
kill -CONT "$syncd_pid"
if kiosk_done; then
    n=$(hub_bookings "$holder")
    span=$(q "$(hub_file "$hubdb")" "SELECT ((strftime('%s', ends_at) - strftime('%s', starts_at)) / 60)
        || ' ' || status FROM booking WHERE holder = '$holder'")
    if [ "$first" = "En attente" ] && [ "$n0" = 0 ] && [ "$n" = 1 ] && [ "$span" = "90 confirmed" ]; then
        ok "$t"
    else
        not_ok "$t" "first state '$first', hub rows $n0 then $n, minutes and status '$span'"
    fi
else
    not_ok "$t" "the kiosk script failed (first state '$first')"
fi

# ---- 2. an urgent announcement on the screen within 1 s ---------------------

t="admin announce --priority urgent is on the kiosk screen within 1 s"
title="Coupure e2e $$"
cat >"$tmp/s2" <<S
dump $tmp/s2-ready.json
wait $title
dump $tmp/s2-seen.json
quit
S
kiosk_start "$tmp/s2"
if kiosk_file "$tmp/s2-ready.json"; then
    t0=$(date +%s%3N)
    out=$("$bin/sceaux-admin" --hub "$hub" --token-file "$tmp/staff.token" announce \
        --title "$title" --body "Eau coupée rue Houdan" --priority urgent --target all 2>&1)
    rc=$?
    if [ $rc -eq 0 ] && kiosk_file "$tmp/s2-seen.json"; then
        dt=$(($(date -r "$tmp/s2-seen.json" +%s%3N) - t0))
        # The band: the title on one line, the body on the next.
        banner=$(jq -r --arg t "$title" '[.elements[] | .label] | index($t) as $i
            | if $i == null then "" else .[$i] + " / " + .[$i + 1] end' "$tmp/s2-seen.json")
        if [ "$dt" -lt 1000 ] && [ "$banner" = "$title / Eau coupée rue Houdan" ]; then
            ok "$t ($dt ms)"
        else
            not_ok "$t ($dt ms)" "banner '$banner'"
        fi
    else
        not_ok "$t" "announce exit $rc ($out), or never shown"
    fi
else
    not_ok "$t" "the kiosk did not start"
fi
kiosk_done || not_ok "$t: the kiosk exits 0"

# ---- 3. a support: +1 on the hub, the new count on the kiosk ---------------

t="kiosk support: the hub's count goes up by one and the kiosk shows it"
ini="ini-repair-cafe"
before=$(hub_sql "$hubdb" "SELECT supports FROM initiative WHERE id = '$ini'")
cat >"$tmp/s3" <<S
tap Initiatives
tap Rechercher
type repair
tap Valider
tap Repair café mensuel
expect $(soutiens "$before")
tap Je soutiens
expect Merci${nn}! Votre soutien est enregistré.
wait $(soutiens $((before + 1)))
dump $tmp/s3-after.json
quit
S
if kiosk_run "$tmp/s3"; then
    after=$(hub_sql "$hubdb" "SELECT supports FROM initiative WHERE id = '$ini'")
    shown=$(jq -r '[.elements[] | select(.label | test("^[0-9]+\u00a0soutiens?$"))] | map(.label) | join(",")' \
        "$tmp/s3-after.json")
    if [ "$after" = $((before + 1)) ] && [ "$shown" = "$(soutiens "$after")" ]; then
        ok "$t"
    else
        not_ok "$t" "hub $before -> $after, kiosk shows '$shown'"
    fi
else
    not_ok "$t" "the kiosk script failed"
fi

# ---- 4. a conflict: the offline kiosk's booking is refused -----------------

t="conflict: offline kiosk booking refused, the hub keeps the staff one"
stop_syncd || not_ok "$t: syncd exits 0 on SIGTERM"
mine="Grace Hopper"
theirs="Accueil mairie"
cat >"$tmp/s4a" <<S
tap Salles
tap Demain
tap 15:00
tap Votre nom
type $mine
tap Confirmer
expect Réservation enregistrée
tap Fermer
expect En attente
quit
S
staff_push() { # ROOM START END: the staff books the same slot on the hub
    local body
    body=$(printf '{"format":"sceaux/1","changes":[{"id":"staff:e2e-%s","table":"booking","op":"upsert","row":{"id":"b-staff-e2e-%s","room_id":"%s","starts_at":"%s","ends_at":"%s","holder":"%s","purpose":null,"status":"confirmed","cancel_code":"135790"}}]}' \
        $$ $$ "$1" "$2" "$3" "$theirs")
    curl -fsS -m 10 -H "Authorization: Bearer $(cat "$tmp/staff.token")" \
        -H 'Content-Type: application/json' --data-binary "$body" "$hub/v1/push"
}
staff_pulled() {
    [ "$(q "$rep" "SELECT count(*) FROM booking WHERE id = 'b-staff-e2e-$$' AND holder IS NULL")" = 1 ]
}
if kiosk_run "$tmp/s4a"; then
    IFS='|' read -r room st en < <(q "$rep" "SELECT room_id, starts_at, ends_at FROM local_booking
        JOIN outbox ON outbox.id = local_booking.change_id")
    res=$(staff_push "$room" "$st" "$en")
    if [ "$(jq -r '.results[0].status' <<<"$res")" != applied ]; then
        not_ok "$t" "the staff push was not applied: $res"
    else
        start_syncd
        # The kiosk shows the staff's booking as taken, by no one.
        wait_until 30 staff_pulled || not_ok "$t: the staff's booking reaches the replica without its holder"
        cat >"$tmp/s4b" <<S
tap Salles
tap Demain
wait Refusée
wait Motif${nb}: le créneau a été réservé entre-temps depuis une autre borne.
expect-not $theirs
expect-not $mine
dump $tmp/s4-refused.json
quit
S
        if kiosk_run "$tmp/s4b"; then
            n_mine=$(hub_bookings "$mine")
            n_theirs=$(hub_sql "$hubdb" "SELECT count(*) FROM booking WHERE room_id = '$room'
                AND starts_at < '$en' AND ends_at > '$st' AND status = 'confirmed'")
            n_staff=$(hub_bookings "$theirs")
            if [ "$n_mine" = 0 ] && [ "$n_theirs" = 1 ] && [ "$n_staff" = 1 ]; then
                ok "$t"
            else
                not_ok "$t" "hub: kiosk's $n_mine, staff's $n_staff, overlapping $n_theirs"
            fi
        else
            not_ok "$t" "the kiosk did not show the refusal"
        fi
    fi
else
    not_ok "$t" "the kiosk could not book while offline"
fi

# ---- 5. answers told in place: confirmed, a wrong code, cancelled ------------
# Online, the person who books or cancels reads the hub's answer where they
# typed, within a second or two, not later in a list.

t="answers in place: booking confirmed, wrong code refused, right code cancels"
fr_days=(lundi mardi mercredi jeudi vendredi samedi dimanche)
day2="${fr_days[$(($(TZ=Europe/Paris date -d '+2 days' +%u) - 1))]} $(TZ=Europe/Paris date -d '+2 days' +%-d)"
cat >"$tmp/s5a" <<S
tap Salles
tap $day2
tap 17:00
tap Votre nom
type Katherine Johnson
tap Confirmer
dump $tmp/s5-sent.json
wait Réservation confirmée.
dump $tmp/s5-confirmed.json
tap Fermer
quit
S
if kiosk_run "$tmp/s5a"; then
    dt=$(($(date -r "$tmp/s5-confirmed.json" +%s%3N) - $(date -r "$tmp/s5-sent.json" +%s%3N)))
    code=$(jq -r '.elements[] | select(.label | test("^[0-9]{6}$")) | .label' "$tmp/s5-sent.json" | head -1)
    wrong=$(printf '%06d' $(((10#$code + 1) % 1000000)))
    cat >"$tmp/s5b" <<S
tap Salles
tap $day2
tap Annuler la réservation
tap Code d’annulation
type $wrong
tap Confirmer
wait Ce code ne correspond pas à la réservation, qui est maintenue.
tap Réessayer
type $code
tap Confirmer
wait Réservation annulée.
quit
S
    if kiosk_run "$tmp/s5b"; then
        st=$(hub_sql "$hubdb" "SELECT status FROM booking WHERE holder IS NULL OR holder = 'Katherine Johnson'
            ORDER BY seq DESC LIMIT 1")
        if [ "$dt" -lt 2000 ] && [ "$st" = cancelled ]; then
            ok "$t ($dt ms to confirmed)"
        else
            not_ok "$t" "confirmed after $dt ms, the hub's booking is '$st'"
        fi
    else
        not_ok "$t" "the kiosk did not tell the wrong code or the cancellation"
    fi
else
    not_ok "$t" "the kiosk did not tell the confirmation"
fi

# ---- 6. an offer of help: nothing without consent, nothing left once sent ----
# Each visit types a first name and a contact of its own on the keyboard
# (Done between the two: on a short display the form shows only the field
# typed into while the keyboard is open),
# first sends without ticking the consent (refused on the kiosk: no outbox
# row, nothing on the hub), then ticks it and sends. Once syncd has the
# hub's answer, the replica's files (database and WAL) hold neither.

consent_fr="J’accepte que la Ville de Sceaux garde mon prénom et mon contact le temps de les transmettre au porteur de cette initiative, pour qu’il me recontacte, puis les efface. Cette borne n’en garde rien."
consent_en="I agree that the City of Sceaux keeps my first name and contact long enough to pass them on to the carrier of this initiative, who may contact me, and then erases them. This kiosk keeps none of it."
offer_visit() { # SIZE LANG-TAP TEXT-TAP L-SEARCH L-DONE L-OFFER L-NAME L-CONTACT L-SEND CONSENT NAME CONTACT SHOT none|THANKS
    cat <<S
size $1
$2
$3
tap Initiatives
tap $4
type repair
tap $5
drag initiative-list 0 -400
tap Repair café mensuel
tap $6
tap $7
type ${11}
tap $5
tap $8
type ${12}
screenshot $shots/offer-${13}-keyboard.png
tap $5
S
    if [ "${14}" != none ]; then
        printf 'tap %s\nscreenshot %s\ntap %s\nwait %s\n' "${10}" "$shots/offer-${13}.png" "$9" "${14}"
        printf 'screenshot %s\n' "$shots/offer-${13}-sent.png"
    else
        printf 'tap %s\ndump %s\n' "$9" "$tmp/s6-${13}-refused.json"
    fi
    echo quit
}
offers_on_hub() { hub_sql "$hubdb" "SELECT count(*) FROM help_offer WHERE contact = '$1' AND first_name = '$2' AND consent = 1 AND status = 'new'"; }
no_trace() { # NAME CONTACT: the replica's files hold neither, and no offer waits
    [ "$(q "$rep" "SELECT count(*) FROM outbox")" = 0 ] &&
        ! grep -qaiF -e "$1" -e "$2" "$rep" "$rep-wal" 2>/dev/null
}
for v in "800x480 fr normal" "1080x1920 en large"; do
    read -r size lang text <<<"$v"
    name="Philibert$lang"
    contact="philibert.$lang.$$@example.org"
    if [ "$lang" = fr ]; then
        l=("" "" Rechercher Valider "Je veux m’engager" "Votre prénom" "E-mail ou téléphone" Envoyer "$consent_fr")
        refused="Cochez la phrase d’accord pour envoyer${nn}: sans elle, rien n’est envoyé."
        thanks="Merci${nn}! La Ville de Sceaux transmettra votre proposition à Collectif Répar’Sceaux."
    else
        l=("tap English" "" Search Done "I want to help" "Your first name" "Email or phone" Send "$consent_en")
        refused="Tick the consent sentence to send: without it nothing is sent."
        thanks="Thank you! The City of Sceaux will pass your offer on to Collectif Répar’Sceaux."
    fi
    [ "$text" = large ] && l[1]="tap $([ "$lang" = fr ] && echo 'Texte plus grand' || echo 'Larger text')"
    shot="$size-$lang-$text"
    t="offer of help ($size, $lang, $text text): refused without consent, nothing written"
    offer_visit "$size" "${l[0]}" "${l[1]}" "${l[2]}" "${l[3]}" "${l[4]}" "${l[5]}" "${l[6]}" \
        "${l[7]}" "${l[8]}" "$name" "$contact" "$shot" none >"$tmp/s6a"
    if kiosk_run "$tmp/s6a" && jq -e --arg m "$refused" '[.elements[] | select(.label == $m)] | length == 1' \
        "$tmp/s6-$shot-refused.json" >/dev/null; then
        n_out=$(q "$rep" "SELECT count(*) FROM outbox")
        n_hub=$(offers_on_hub "$contact" "$name")
        if [ "$n_out" = 0 ] && [ "$n_hub" = 0 ] && no_trace "$name" "$contact"; then
            ok "$t"
        else
            not_ok "$t" "outbox $n_out, hub $n_hub"
        fi
    else
        not_ok "$t" "the kiosk did not refuse in place"
    fi
    t="offer of help ($size, $lang, $text text): sent, on the hub, no trace on the kiosk"
    offer_visit "$size" "${l[0]}" "${l[1]}" "${l[2]}" "${l[3]}" "${l[4]}" "${l[5]}" "${l[6]}" \
        "${l[7]}" "${l[8]}" "$name" "$contact" "$shot" "$thanks" >"$tmp/s6b"
    if kiosk_run "$tmp/s6b"; then
        hub_has() { [ "$(offers_on_hub "$contact" "$name")" = 1 ]; }
        kiosk_clean() { no_trace "$name" "$contact"; }
        if wait_until 20 hub_has && wait_until 20 kiosk_clean; then
            ok "$t"
        else
            not_ok "$t" "hub $(offers_on_hub "$contact" "$name"), outbox $(q "$rep" "SELECT count(*) FROM outbox"), files: $(grep -lai "philibert" "$rep" "$rep-wal" 2>/dev/null | tr '\n' ' ')"
        fi
    else
        not_ok "$t" "the kiosk did not thank"
    fi
done

# ---- clean exit ---------------------------------------------------------------

t="syncd and the hub exit 0 on SIGTERM"
stop_syncd
src=$?
hub_stop
hrc=$?
if [ $src -eq 0 ] && [ $hrc -eq 0 ]; then ok "$t"; else not_ok "$t" "syncd $src, hub $hrc"; fi
test_done
