#!/usr/bin/env bash
# figures.sh: "L'ESS en chiffres" (the figure table, docs/protocol.md),
# with real processes on loopback: sceaux-hub with the bundled data,
# sceaux-syncd keeping a kiosk's replica, sceaux-kiosk headless driven by
# scripts (kiosk/script.h) whose dumps jq reads. Prints "ok NAME" or
# "not ok NAME" per case.
#
# Cases: the hub refuses a figure that makes no sense (a percentage over
# 100, a year out of range, a negative value, no source) naming the
# field, and any figure change from a kiosk token; the kiosk draws the
# bundled chart in both orientations, French and English, normal and
# larger text: bars as long as their values, each value written beside
# its bar, the headline as a big number, the source and year under the
# chart; a staff edit and a delete reach the kiosk through syncd. The
# hub's database is SQLite's, or PostgreSQL's with SCEAUX_TEST_DB=pg.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
kiosk_setup
hubdb=$tmp/hub.db
rep=$tmp/kiosk.db
site="site-sceaux-smart"
syncd_pid=

for b in curl sqlite3 jq; do
    command -v "$b" >/dev/null || setup_fail "$b is missing"
done
"$bin/sceaux-hub" import --db "$(hub_db "$hubdb")" "$top/assets/sceaux.json" >>"$tmp/hub.log" 2>&1 ||
    setup_fail "sceaux-hub import assets/sceaux.json"
kiosk_token=$(hub_token "$hubdb" kiosk-chiffres kiosk "$site" 2>>"$tmp/hub.log") &&
    staff_token=$(hub_token "$hubdb" comms staff 2>>"$tmp/hub.log") &&
    printf '%s\n' "$kiosk_token" >"$tmp/kiosk.token" || setup_fail "sceaux-hub token add"
hub_start "$hubdb" "$tmp/hub.log" 0 || setup_fail "the hub answers /v1/health"
"$bin/sceaux-syncd" --db "$rep" --hub "$hub_url" --token-file "$tmp/kiosk.token" --once \
    >>"$tmp/syncd.log" 2>&1 || setup_fail "a first syncd --once"
"$bin/sceaux-syncd" --db "$rep" --hub "$hub_url" --token-file "$tmp/kiosk.token" \
    >>"$tmp/syncd.log" 2>&1 &
syncd_pid=$!

push() { # TOKEN CHANGES-JSON: the results, one per line (status error field)
    api POST /v1/push "$1" -H 'Content-Type: application/json' \
        -d "{\"format\":\"sceaux/1\",\"changes\":$2}" >/dev/null
    jq -r '.results[] | "\(.status) \(.error) \(.field)"' "$tmp/out"
}
# A figure row of the bundled chart, as imported (read once, from a
# SQLite copy on PostgreSQL: hub_file), with one column changed (jq's
# `.k = v`).
sqlite3 -json "$(hub_file "$hubdb")" "SELECT id, chart, kind, label, label_en, domain, value,
    unit, qualifier, source, year, position FROM figure WHERE id = 'fig-emplois-sante'" \
    >"$tmp/sante.json" || setup_fail "read the bundled figure"
sante() { # JQ-ASSIGNMENT
    jq -c ".[0] | with_entries(select(.value != null)) | $1" "$tmp/sante.json"
}
change() { # ID ROW-JSON [op]
    printf '{"id":"%s","table":"figure","op":"%s","row":%s}' "$1" "${3:-upsert}" "$2"
}

# ---- 1. the hub's rules ---------------------------------------------------------
t=hub-refuses-figures-that-make-no-sense
got=$(push "$staff_token" "[$(change c1 "$(sante '.value = 101 | .unit = "percent"')"),
    $(change c2 "$(sante '.year = 1850')"), $(change c3 "$(sante '.value = -4')"),
    $(change c4 "$(sante 'del(.source)')"), $(change c5 "$(sante '.chart = "deux mots"')")]")
want="rejected invalid value
rejected invalid year
rejected invalid value
rejected invalid source
rejected invalid chart"
if [ "$got" = "$want" ] && [ "$(q "$(hub_file "$hubdb")" "SELECT value FROM figure WHERE id = 'fig-emplois-sante'")" = 19 ]; then
    ok $t
else not_ok $t "got: $(echo "$got" | tr '\n' '|')"; fi

t=kiosk-token-may-not-write-figures
got=$(push "$kiosk_token" "[$(change k1 "$(sante '.value = 90')"),
    $(change k2 "$(sante '.id = "fig-new"')"), $(change k3 '{"id":"fig-emplois-sante"}' delete)]")
if [ "$got" = $'rejected forbidden null\nrejected forbidden null\nrejected forbidden null' ] &&
    [ "$(hub_sql "$hubdb" "SELECT count(*) FROM figure WHERE id = 'fig-new' OR value = 90")" = 0 ]; then
    ok $t
else not_ok $t "got: $(echo "$got" | tr '\n' '|')"; fi

# ---- 2. the kiosk's chart ---------------------------------------------------------
# Each state is dumped (landscape after a drag that brings the bars in
# view); the checks below hold for every dump.
cat >"$tmp/s" <<S
size 800x480
tap Chiffres
drag figure-list 0 -120
dump $tmp/l-fr-normal.json
tap Texte plus grand
drag figure-list 0 -40
dump $tmp/l-fr-large.json
tap English
dump $tmp/l-en-large.json
size 1080x1920
dump $tmp/p-en-large.json
tap Larger text
dump $tmp/p-en-normal.json
tap Français
dump $tmp/p-fr-normal.json
screenshot $tmp/p-fr-normal.png
tap Texte plus grand
dump $tmp/p-fr-large.json
S
not_ok_log=$tmp/kiosk.err
run_kiosk() { "$bin/sceaux-kiosk" --db "$rep" --site "$site" --kiosk kiosk-chiffres --script "$1" 2>"$not_ok_log"; }

# chart_problems DUMP A B: what is wrong with the chart of the dump, whose
# bars should read A and B (labels with their values), A the longer.
chart_problems() {
    jq -r --arg a "$2" --arg b "$3" '
      [.elements[] | select(.role == "bar")] as $bars |
      ($bars | map(select(.label == $a)) | first) as $x |
      ($bars | map(select(.label == $b)) | first) as $y |
      ($a | capture("(?<v>[0-9]+)[^0-9]*$").v | tonumber) as $va |
      ($b | capture("(?<v>[0-9]+)[^0-9]*$").v | tonumber) as $vb |
      [.elements[] | select(.role == "text")] as $texts |
      if ($bars | length) != 2 or $x == null or $y == null then
        "bars: \([$bars[].label])"
      else
        (if ($x.box_w * $vb - $y.box_w * $va | fabs) > ($va + $vb) then
           "not proportional: \($x.box_w) px for \($va), \($y.box_w) px for \($vb)" else empty end),
        ($x, $y | . as $bar | ($bar.label | sub(".*[:] ?"; "") | sub("^\u00a0"; "")) as $v |
          select([$texts[] | select(.label == $v and .x >= $bar.x + $bar.box_w and
            (.y - $bar.y | fabs) < $bar.box_h)] | length == 0) |
          "no \"\($v)\" beside its bar")
      end' "$1"
}
has_text() { jq -e --arg s "$2" '[.elements[] | select(.label | contains($s))] | length > 0' "$1" >/dev/null; }

t=kiosk-chart-both-orientations-fr-en-larger-text
fr_a="Action sociale${nb}: 26${nb}%"
fr_b="Santé${nb}: 19${nb}%"
problems=""
if ! run_kiosk "$tmp/s"; then
    problems="the script stopped"
else
    for d in l-fr-normal l-fr-large p-fr-normal p-fr-large; do
        p=$(chart_problems "$tmp/$d.json" "$fr_a" "$fr_b")
        [ -n "$p" ] && problems="$problems $d: $p;"
    done
    for d in l-en-large p-en-large p-en-normal; do
        p=$(chart_problems "$tmp/$d.json" "Social action: 26%" "Health: 19%")
        [ -n "$p" ] && problems="$problems $d: $p;"
    done
    for want in "p-fr-normal:près de 50${nn}000" "p-fr-normal:Source${nb}: CRESS Île-de-France, observatoire régional de l’ESS" \
        "p-fr-normal:Répartition par domaine" "p-fr-normal:consultation « Parlons ensemble de Sceaux », 2012" \
        "p-fr-normal:environ 1${nn}000" "p-en-normal:nearly 50,000" "p-en-normal:Breakdown by field" \
        "p-en-normal:Source: CRESS Île-de-France" "p-en-normal:jobs in the social and solidarity economy" \
        "l-en-large:The social economy in figures" "p-fr-large:L’ESS en chiffres"; do
        has_text "$tmp/${want%%:*}.json" "${want#*:}" || problems="$problems ${want%%:*}: no \"${want#*:}\";"
    done
fi
if [ -z "$problems" ]; then ok $t; else not_ok $t "$problems"; fi

# ---- 3. staff edits reach the kiosk through syncd -----------------------------------
t=staff-edit-and-delete-reach-the-kiosk
replica_has() { [ "$(q "$rep" "$1")" = "$2" ]; }
got=$(push "$staff_token" "[$(change e1 "$(sante '.value = 30 | .year = 2015')")]")
ok1=0
if [ "$got" = "applied null null" ] &&
    wait_until 10 replica_has "SELECT value || ' ' || year FROM figure WHERE id = 'fig-emplois-sante'" "30 2015"; then
    printf 'size 1080x1920\ntap Chiffres\ndump %s\n' "$tmp/edited.json" >"$tmp/s2"
    run_kiosk "$tmp/s2" && [ -z "$(chart_problems "$tmp/edited.json" "Santé${nb}: 30${nb}%" "$fr_a")" ] &&
        has_text "$tmp/edited.json" "Sources${nb}: CRESS Île-de-France, observatoire régional de l’ESS${nn}; CRESS Île-de-France, observatoire régional de l’ESS, 2015" &&
        ok1=1
fi
got=$(push "$staff_token" "[$(change e2 '{"id":"fig-emplois-sante"}' delete)]")
ok2=0
if [ $ok1 = 1 ] && [ "$got" = "applied null null" ] &&
    wait_until 10 replica_has "SELECT count(*) FROM figure WHERE id = 'fig-emplois-sante'" 0; then
    printf 'size 800x480\ntap Chiffres\ndrag figure-list 0 -120\ndump %s\n' "$tmp/deleted.json" >"$tmp/s3"
    run_kiosk "$tmp/s3" &&
        [ "$(jq '[.elements[] | select(.role == "bar")] | length' "$tmp/deleted.json")" = 1 ] && ok2=1
fi
if [ $ok1 = 1 ] && [ $ok2 = 1 ]; then ok $t; else not_ok $t "edit: $ok1, delete: $ok2 ($got)"; fi

stop_pid "$syncd_pid"
hub_stop
test_done
