#!/usr/bin/env bash
# tools/bench.sh [BIN]: the figures of docs/architecture.md's "Performance" table,
# each beside its baseline measured in the same run (`make bench` runs it
# on build/ after building the optimised binaries). Figures only: nothing
# here is a timed test, and an OVER line does not fail the run.
#
# It installs what the benches need when run as root (nginx-light or
# nginx, wrk, curl: `apt-get install -y`, only when missing), then runs
# the bench scripts below in that table's order, each with a fresh temporary
# folder, and any other bench/*.sh after them. A script prints one line per
# figure (see bench/lib.sh):
#   FIGURE | VALUE | baseline B | ratio R | budget X | PASS or OVER
#   FIGURE | skipped: REASON     (a program it needs is not built yet)
#   FIGURE | failed: REASON      (the bench itself could not measure)
# A script that is not written yet gets a skipped line per figure it owes.
# Ends with a count; exits 1 only when a bench failed to measure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-build}
if [ -d "$bin" ]; then
    bin=$(cd "$bin" && pwd)
else
    case $bin in /*) ;; *) bin=$top/$bin ;; esac
fi
PATH="$PATH:/usr/sbin:/sbin"

# The plan: script (bench/NAME.sh) and the figures it prints.
# The kiosk figures come from bench/kiosk.sh and the announce figure from
# bench/announce.sh (the kiosk's helper writes both); each line of a
# script's figures below is what is printed while the script is missing.
plan=(
    "kiosk|kiosk start to first frame, 1,000 initiatives and events"
    "kiosk|kiosk frame while scrolling a list"
    "kiosk|kiosk text rasterised per steady frame"
    "kiosk|kiosk idle (nothing animating), under X11"
    "kiosk|kiosk memory at 1080p"
    "kiosk|kiosk first frame, a picture on every card"
    "kiosk|kiosk frame while scrolling cards with pictures"
    "kiosk|kiosk memory at 1080p, picture cache full"
    "apply|syncd applying 10,000 pulled rows"
    "sync|syncd fresh replica to caught up, end to end"
    "wire|wire size of a full pull"
    "changes|hub GET /v1/changes, empty delta, keep-alive"
    "longpoll|hub long-polls held at once"
    "announce|staff announce to kiosk screen"
    "picture|hub upload of a 12-megapixel photo, checked and stored"
    "multi|hub pushes/s, 8 writers while 4 readers pull"
    "multi|hub pages pulled/s, 4 readers while 8 writers push"
    "multi|hub long-poll wake-up, push to answer"
)
SCRIPT_TIMEOUT=600

# need COMMAND PACKAGE...: installs the first package that apt-get accepts
# when COMMAND is missing and we are root; otherwise says what to run.
need() {
    local cmd=$1 pkg
    shift
    command -v "$cmd" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "bench: $cmd is missing; as root: apt-get install -y $1" >&2
        return 1
    fi
    echo "bench: installing $1 for $cmd" >&2
    for pkg in "$@"; do
        if DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >>"$log" 2>&1 ||
            { DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$log" 2>&1 &&
                DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >>"$log" 2>&1; }; then
            command -v "$cmd" >/dev/null 2>&1 && return 0
        fi
    done
    echo "bench: cannot install $cmd (see $log)" >&2
    return 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/sceaux-bench.XXXXXX")
log=$work/apt.log
trap 'rm -rf "$work"' EXIT
need curl curl
need wrk wrk
need nginx nginx-light nginx
need gunzip gzip

export BENCH_BIN=$bin BENCH_TOP=$top
results=$work/results
: >"$results"

# run_script NAME: runs bench/NAME.sh, or prints its figures as skipped.
run_script() {
    local name=$1 script=$top/bench/$1.sh entry
    if [ ! -f "$script" ]; then
        for entry in "${plan[@]}"; do
            [ "${entry%%|*}" = "$name" ] &&
                printf '%-62s | skipped: bench/%s.sh is not written yet\n' "${entry#*|}" "$name"
        done | tee -a "$results"
        return
    fi
    local tmp out=$work/$name.out err=$work/$name.err
    tmp=$(mktemp -d "$work/$name.XXXXXX")
    BENCH_TMP=$tmp timeout -k 10 "$SCRIPT_TIMEOUT" bash "$script" 2>"$err" | tee "$out"
    local rc=${PIPESTATUS[0]}
    if [ "$rc" -ne 0 ] && ! grep -q '| failed: ' "$out"; then
        printf '%-62s | failed: bench/%s.sh exited %d: %s\n' "$name" "$name" "$rc" \
            "$(tail -1 "$err")" | tee -a "$out"
    fi
    # What a failing script said on stderr, briefly, for whoever reads.
    if [ "$rc" -ne 0 ] && [ -s "$err" ]; then
        tail -5 "$err" | sed "s|^|  bench/$name.sh: |" >&2
    fi
    cat "$out" >>"$results"
    rm -rf "$tmp"
}

echo "make bench: figures of docs/architecture.md, $(nproc) cores, binaries in $bin, $(date -u +%FT%TZ)"
done_names=" "
for entry in "${plan[@]}"; do
    name=${entry%%|*}
    case $done_names in *" $name "*) continue ;; esac
    done_names="$done_names$name "
    run_script "$name"
done
for script in "$top"/bench/*.sh; do
    name=$(basename "$script" .sh)
    [ "$name" = lib ] && continue
    case $done_names in *" $name "*) continue ;; esac
    done_names="$done_names$name "
    run_script "$name"
done

pass=$(grep -c '| PASS$' "$results")
over=$(grep -c '| OVER$' "$results")
skipped=$(grep -c '| skipped: ' "$results")
failed=$(grep -c '| failed: ' "$results")
echo "bench: $pass PASS, $over OVER, $skipped skipped, $failed failed"
[ "$failed" -eq 0 ]
