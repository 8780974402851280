# bench/lib.sh: what every bench/*.sh shares; sourced, never run.
# shellcheck shell=bash
#
# tools/bench.sh runs each bench script with:
#   BENCH_BIN  folder of the optimised binaries (absolute)
#   BENCH_TOP  the repository root
#   BENCH_TMP  a fresh folder for this script alone (removed afterwards)
# A script prints one line per figure through bench_line (or bench_skip /
# bench_fail), and nothing else on stdout: details go to stderr.
# Lines look like
#   FIGURE | VALUE | baseline BASELINE | ratio RATIO | budget BUDGET | PASS
# so that tools/bench.sh can count them and anyone can grep them.
# Processes a script starts are registered with bench_own PID and stopped
# (by that pid alone) when the script exits, however it exits.
# Starting the hub, its tokens and free ports come from the integration
# tests' helpers (tests/integration/lib/common.sh), which look for the
# binaries in $bin.

: "${BENCH_BIN:?run through tools/bench.sh}" "${BENCH_TOP:?}" "${BENCH_TMP:?}"
PATH="$PATH:/usr/sbin:/sbin"
. "$BENCH_TOP/tests/integration/lib/common.sh"
bin=$BENCH_BIN

bench_pids=()
bench_own() { bench_pids+=("$1"); }
bench_cleanup() {
    local p
    for p in "${bench_pids[@]}"; do
        kill -TERM "$p" 2>/dev/null
    done
    for p in "${bench_pids[@]}"; do
        wait "$p" 2>/dev/null
    done
    bench_pids=()
}
trap bench_cleanup EXIT
trap 'exit 143' TERM INT

BENCH_NAME_WIDTH=62

# bench_line FIGURE VALUE BASELINE RATIO BUDGET VERDICT
bench_line() {
    printf '%-*s | %s | baseline %s | ratio %s | budget %s | %s\n' \
        "$BENCH_NAME_WIDTH" "$1" "$2" "$3" "$4" "$5" "$6"
}
# bench_skip FIGURE REASON
bench_skip() { printf '%-*s | skipped: %s\n' "$BENCH_NAME_WIDTH" "$1" "$2"; }
# bench_fail FIGURE REASON: the bench itself could not measure.
bench_fail() { printf '%-*s | failed: %s\n' "$BENCH_NAME_WIDTH" "$1" "$2"; }

# bench_need FIGURE NAME...: true when every program is there; otherwise
# prints the skip line. A NAME with a slash or starting with sceaux- is one
# of ours, looked for in BENCH_BIN; any other is a command on PATH.
bench_need() {
    local fig=$1 p
    shift
    for p in "$@"; do
        case $p in
        sceaux-*)
            if [ ! -x "$BENCH_BIN/$p" ]; then
                bench_skip "$fig" "$BENCH_BIN/$p is not built yet"
                return 1
            fi
            ;;
        *)
            if ! command -v "$p" >/dev/null 2>&1; then
                bench_skip "$fig" "$p is not installed (apt-get install -y $p, or run as root)"
                return 1
            fi
            ;;
        esac
    done
}

# bench_calc EXPR: awk arithmetic, printed with up to 2 decimals.
bench_calc() { awk "BEGIN { v = $1; printf \"%.2f\", v }"; }
# bench_true EXPR: exit status of an awk comparison (true when EXPR holds).
bench_true() { awk "BEGIN { exit !($1) }"; }
# bench_verdict EXPR: PASS when EXPR holds, OVER otherwise.
bench_verdict() { if bench_true "$1"; then echo PASS; else echo OVER; fi; }
# bench_int N: a whole number with thousands separators (12,345).
bench_int() { printf '%.0f' "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

# bench_kv FILE KEY: the value of KEY=VALUE in FILE.
bench_kv() { sed -n "s/^$2=//p" "$1" | tail -1; }

# bench_free_port: a loopback TCP port nobody listens on now.
bench_free_port() { free_port; }

# bench_hub_db DB DATA.json: a hub database with DATA imported, and
# tokens in $BENCH_TMP/kiosk.token and staff.token.
bench_hub_db() {
    "$BENCH_BIN/sceaux-hub" import --db "$1" "$2" >"$BENCH_TMP/import.log" 2>&1 || {
        cat "$BENCH_TMP/import.log" >&2
        return 1
    }
    hub_token "$1" bench-kiosk kiosk bench >"$BENCH_TMP/kiosk.token" &&
        hub_token "$1" bench-staff staff >"$BENCH_TMP/staff.token"
}

# bench_start_hub DB [serve options...]: sets HUB_PID and HUB_PORT once
# /v1/health answers. The hub's log is $BENCH_TMP/hub.log.
bench_start_hub() {
    local db=$1 rc
    shift
    : >"$BENCH_TMP/hub.log"
    hub_start "$db" "$BENCH_TMP/hub.log" 0 "$@"
    rc=$?
    HUB_PID=$hub_pid
    HUB_PORT=$hub_port
    bench_own "$HUB_PID"
    return $rc
}

# bench_stop_hub: SIGTERM to the hub started last, and wait for it.
bench_stop_hub() {
    [ -n "${HUB_PID:-}" ] || return 0
    kill -TERM "$HUB_PID" 2>/dev/null
    wait "$HUB_PID" 2>/dev/null
    local p keep=()
    for p in "${bench_pids[@]}"; do
        [ "$p" = "$HUB_PID" ] || keep+=("$p")
    done
    bench_pids=("${keep[@]}")
    HUB_PID=
}

# bench_head: the hub's head seq.
bench_head() {
    curl -sf "http://127.0.0.1:$HUB_PORT/v1/health" | sed -n 's/.*"seq":\([0-9]*\).*/\1/p'
}
