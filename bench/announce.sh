#!/usr/bin/env bash
# DRAFT for bench/announce.sh (the kiosk's helper does not own bench/:
# move it there). Figure: staff announce to kiosk screen, under 1 s on
# loopback. A real hub, syncd (long-polling) and kiosk (headless); the
# kiosk's script dumps its screen when it is ready and again as soon as
# the announcement's title shows (the urgent banner is on every screen);
# the latency is from just before `sceaux-admin announce` starts to the
# second dump's mtime. Three rounds; the worst is the figure, beside the
# baseline of the announce command alone (its push round trip).
set -u
. "$(dirname "$0")/lib.sh"
fig="staff announce to kiosk screen"
bench_need "$fig" sceaux-hub sceaux-syncd sceaux-admin sceaux-kiosk curl || exit 0

hub=$BENCH_TMP/hub.db
rep=$BENCH_TMP/kiosk.db
bench_hub_db "$hub" "$BENCH_TOP/assets/sceaux.json" || { bench_fail "$fig" "hub import"; exit 1; }
bench_start_hub "$hub" || { bench_fail "$fig" "the hub did not start"; exit 1; }
url=http://127.0.0.1:$HUB_PORT
"$BENCH_BIN/sceaux-syncd" --db "$rep" --hub "$url" --token-file "$BENCH_TMP/kiosk.token" --once \
    >/dev/null 2>"$BENCH_TMP/syncd.log" || { bench_fail "$fig" "first sync failed"; exit 1; }
"$BENCH_BIN/sceaux-syncd" --db "$rep" --hub "$url" --token-file "$BENCH_TMP/kiosk.token" \
    2>>"$BENCH_TMP/syncd.log" &
bench_own $!

rounds=3
: >"$BENCH_TMP/script"
for i in $(seq 1 $rounds); do
    printf 'dump %s\nwait Bench %d\ndump %s\n' "$BENCH_TMP/ready$i.json" "$i" \
        "$BENCH_TMP/seen$i.json" >>"$BENCH_TMP/script"
done
echo quit >>"$BENCH_TMP/script"
SDL_VIDEODRIVER=dummy "$BENCH_BIN/sceaux-kiosk" --db "$rep" --kiosk bench-kiosk --site bench \
    --script "$BENCH_TMP/script" 2>"$BENCH_TMP/kiosk.log" &
kpid=$!
bench_own $kpid

waitfile() { # file: true once it exists (at most 20 s)
    for _ in $(seq 1 2000); do
        [ -s "$1" ] && return 0
        sleep 0.01
    done
    return 1
}
worst=0
base=0
for i in $(seq 1 $rounds); do
    waitfile "$BENCH_TMP/ready$i.json" || { bench_fail "$fig" "the kiosk did not start"; exit 1; }
    t0=$(date +%s.%N)
    "$BENCH_BIN/sceaux-admin" --hub "$url" --token-file "$BENCH_TMP/staff.token" announce \
        --title "Bench $i" --body "Mesure $i" --priority urgent --target all >/dev/null ||
        { bench_fail "$fig" "announce failed"; exit 1; }
    t1=$(date +%s.%N)
    waitfile "$BENCH_TMP/seen$i.json" ||
        { bench_fail "$fig" "round $i never reached the screen"; exit 1; }
    t2=$(date -r "$BENCH_TMP/seen$i.json" +%s.%N)
    lat=$(bench_calc "($t2 - $t0) * 1000")
    cmd=$(bench_calc "($t1 - $t0) * 1000")
    bench_true "$lat > $worst" && worst=$lat
    bench_true "$cmd > $base" && base=$cmd
done
wait $kpid
bench_line "$fig" "$worst ms (worst of $rounds)" "$base ms for the announce command alone" \
    "$(bench_calc "$worst / $base")x" "< 1000 ms" "$(bench_verdict "$worst < 1000")"
