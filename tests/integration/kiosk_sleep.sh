#!/usr/bin/env bash
# The display sleeps at night and wakes on touch: within the --sleep
# hours, once idle, the kiosk shows a black screen (nothing to burn in, no
# element to press); a touch brings Home back without pressing what was
# under the finger; outside the hours it never sleeps; bad hours are
# refused.
. "$(dirname "$0")/lib/common.sh"
test_setup
kiosk_setup
db=$tmp/k.db
"$bin/sceaux-loadreplica" --db "$db" "$top/assets/sceaux.json" >/dev/null || { not_ok setup; test_done; }
run() { # script-file [flags...]
    local s=$1
    shift
    "$bin/sceaux-kiosk" --db "$db" --site site-sceaux-smart --kiosk k --script "$s" \
        --screenshots "$tmp" "$@" 2>"$tmp/err"
}
# Night hours around now (Paris time), so the test holds at any hour.
hhmm() { TZ=Europe/Paris date -d "@$(($(date +%s) + $1))" +%H:%M; }
night="$(hhmm -3600)-$(hhmm 7200)"
day="$(hhmm 7200)-$(hhmm 10800)"

cat >"$tmp/sleep.txt" <<'S'
expect Accueil
advance 200
screenshot asleep.png
dump asleep.json
expect-not Accueil
touch 520 1040
expect Accueil
expect Aujourd’hui à Sceaux
dump awake.json
S
if run "$tmp/sleep.txt" --sleep "$night"; then ok sleep_black_then_touch_wakes_home; else not_ok sleep_black_then_touch_wakes_home; fi
check sleep_screen_has_no_element test "$(jq '.elements | length' "$tmp/asleep.json" 2>/dev/null)" = 0
# The wake touch fell where the Agenda tab is: Home, not the agenda, shows.
check sleep_wake_touch_presses_nothing test "$(jq '[.elements[] | select(.label == "Accueil")] | length' \
    "$tmp/awake.json" 2>/dev/null)" -ge 1

cat >"$tmp/day.txt" <<'S'
advance 200
expect Accueil
S
if run "$tmp/day.txt" --sleep "$day"; then ok sleep_not_outside_hours; else not_ok sleep_not_outside_hours; fi
run "$tmp/day.txt" --sleep 25:00-07:00
rc=$?
if [ "$rc" -ne 0 ] && grep -q "bad sleep hours" "$tmp/err"; then ok sleep_bad_hours_refused; else not_ok sleep_bad_hours_refused; fi
test_done
