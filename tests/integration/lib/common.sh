# tests/integration/lib/common.sh: the helpers the integration scripts
# share (and bench/lib.sh reuses); sourced, never run. It lives in a
# folder of its own because tools/run-tests runs every
# tests/integration/*.sh as a test.
# shellcheck shell=bash
#
# Sourcing only defines functions. A test script then calls test_setup,
# which sets top, bin, tmp and failures and arranges the cleanup;
# bench/lib.sh sets bin itself and uses the hub and port helpers alone.
#
#   ok / not_ok / check / skip / test_done  "ok NAME" / "not ok NAME" lines
#   now_ms / wait_until              polls on a condition with a deadline
#   free_port                        a loopback port nobody listens on
#   hub_start / hub_stop / hub_token a real sceaux-hub and its tokens
#   hub_db                           the --db of a hub database (SQLite or PostgreSQL)
#   hub_conns_at_least               connections the hub holds (long-polls in)
#   nginx_run / nginx_hubs           nginx in front of hubs, in the test's folder
#   api / q                          one HTTP request, one SQL query
#   hub_sql / hub_dump / hub_file    a query, everything, a SQLite file of a hub database of either kind
#   stop_pid / log_size / log_since  processes and the logs they append to
#
# Every wait is a poll on a condition with a deadline, never a fixed sleep.

# test_setup: top (SCEAUX_TOP, else the repository holding this file), bin
# (SCEAUX_BIN, else build/asan), tmp (a fresh folder named after the
# script), failures=0. At exit every background job still running is
# killed (-9) and reaped, and tmp removed unless a case failed or KEEP_TMP
# is set. With SCEAUX_TEST_DB=pg, a PostgreSQL server is started for the
# script's hub databases (lib/pg.sh), and stopped at exit; with
# SCEAUX_TEST_HUBS=2 as well, hub_start starts two hubs behind nginx.
test_setup() {
    top=${SCEAUX_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
    bin=${SCEAUX_BIN:-$top/build/asan}
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/sceaux-$(basename "$0" .sh).XXXXXX")
    failures=0
    not_ok_log=
    trap test_cleanup EXIT # bash runs it on SIGTERM (timeout) too
    if [ "${SCEAUX_TEST_DB:-}" = pg ]; then
        # shellcheck source=pg.sh
        . "$(dirname "${BASH_SOURCE[0]}")/pg.sh"
        pg_start || setup_fail "the PostgreSQL server did not start"
    fi
    if [ "${SCEAUX_TEST_HUBS:-1}" = 2 ]; then
        [ "${SCEAUX_TEST_DB:-}" = pg ] || setup_fail "SCEAUX_TEST_HUBS=2 needs SCEAUX_TEST_DB=pg"
        command -v nginx >/dev/null || setup_fail "SCEAUX_TEST_HUBS=2 needs nginx"
    fi
}

test_cleanup() {
    local p
    # nginx's workers are not our children: their master stops them.
    [ -n "${hub_ngx_pid:-}" ] && stop_pid "$hub_ngx_pid"
    declare -F pg_stop >/dev/null && pg_stop
    # jobs -p: our children not yet reaped, so never a recycled pid.
    for p in $(jobs -p); do
        kill -9 "$p" 2>/dev/null
    done
    wait 2>/dev/null
    if [ "$failures" -eq 0 ] && [ -z "${KEEP_TMP:-}" ]; then
        rm -rf "$tmp"
    else
        echo "# logs and databases kept in $tmp"
    fi
}

# kiosk_setup: for scripts that run sceaux-kiosk headless: SDL's dummy
# drivers, not_ok_log ($tmp/err: the kiosk's stderr, shown after a "not
# ok"), kiosk (the binary), fixture (the test replica's data), shots
# (build/screenshots, created) and nb / nn, the no-break spaces of French
# typography as the kiosk writes them (before : and units; narrow, before
# ; ! ? and in thousands).
kiosk_setup() {
    export SDL_VIDEODRIVER=dummy SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy
    not_ok_log=$tmp/err
    kiosk=$bin/sceaux-kiosk
    fixture=$top/tests/data/kiosk/fixture.json
    shots=$top/build/screenshots
    mkdir -p "$shots"
    nb=$'\xc2\xa0'
    nn=$'\xe2\x80\xaf'
}

# at SECONDS: the UTC wire time that many seconds from now (may be negative).
at() { date -u -d "@$(($(date +%s) + $1))" +%Y-%m-%dT%H:%M:%SZ; }

# ---- reporting ---------------------------------------------------------------

ok() { echo "ok $1"; }

# skip NAME REASON: a case that cannot run on this machine; tools/run-tests
# counts it as skipped, never as passed.
skip() { echo "ok $1 # SKIP $2"; }

# not_ok NAME [REASON]: counts a failure. REASON, then the end of the file
# $not_ok_log names (a script points it at the stderr of what it runs),
# follow as comments.
not_ok() {
    echo "not ok $1"
    failures=$((failures + 1))
    [ -n "${2:-}" ] && echo "# $2"
    [ -n "${not_ok_log:-}" ] && [ -s "$not_ok_log" ] && tail -20 "$not_ok_log" | sed 's/^/#   /'
    return 0
}

# setup_fail REASON: "not ok setup: REASON" with the end of hub.log and
# syncd.log in $tmp (those that exist), then exit 1.
setup_fail() {
    not_ok "setup: $1"
    local f
    for f in hub.log syncd.log; do
        [ -s "$tmp/$f" ] && sed "s/^/#   $f: /" "$tmp/$f" | tail -10
    done
    exit 1
}

# check NAME CMD...: ok when CMD succeeds.
check() {
    local name=$1
    shift
    if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# test_done: the count of failures as a comment; exits 1 if any.
test_done() {
    echo "# $failures failed"
    exit $((failures > 0))
}

# ---- waiting -----------------------------------------------------------------

now_ms() { date +%s%3N; }

# wait_until SECONDS CMD...: polls CMD (stderr dropped) every 20 ms until
# it succeeds; 1 when SECONDS pass first. CMD runs in this shell, so a
# function may set variables for the caller.
wait_until() {
    local limit=$(($(now_ms) + $1 * 1000))
    shift
    while ! "$@" 2>/dev/null; do
        [ "$(now_ms)" -ge "$limit" ] && return 1
        sleep 0.02
    done
    return 0
}

# ---- processes and logs -------------------------------------------------------

# stop_pid PID [SIGNAL]: signals PID (TERM by default; 9, -9, KILL, STOP
# work alike) and waits for it; returns its exit status, without bash's
# "Killed" line.
stop_pid() {
    local sig=${2:-TERM}
    kill -"${sig#-}" "$1" 2>/dev/null
    { wait "$1"; } 2>/dev/null
}

# log_size FILE: its size in bytes (0 when missing), to read later only
# what was appended after this point with log_since FILE SIZE.
log_size() { stat -c %s "$1" 2>/dev/null || echo 0; }
log_since() { tail -c +$(($2 + 1)) "$1" 2>/dev/null; }

# free_port: a loopback TCP port nobody listens on now (the kernel's pick
# through python3 when there, else probing random ones); 1 if none found.
free_port() {
    if command -v python3 >/dev/null; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
        return
    fi
    local p
    for _ in $(seq 1 50); do
        p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# q DB SQL: one sqlite3 run, waiting up to 10 s on another writer's lock.
q() { sqlite3 -cmd '.timeout 10000' "$1" "$2"; }

# ---- nginx -------------------------------------------------------------------

# nginx_run DIR SITE: nginx (not a daemon) with DIR as its prefix (temp
# folders, pid, logs there), NGINX_WORKERS worker processes (1) and the
# server blocks of file SITE; sets ngx_pid. Run as root, its workers stay
# root: nobody could not enter the test's folder.
nginx_run() {
    local d=$1 site=$2 t
    for t in body proxy fastcgi uwsgi scgi; do mkdir -p "$d/$t"; done
    cat >"$d/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user root root;")
worker_processes ${NGINX_WORKERS:-1};
pid $d/nginx.pid;
error_log $d/error.log;
events { worker_connections 1024; }
http {
    access_log $d/access.log;
    client_body_temp_path $d/body;
    proxy_temp_path $d/proxy;
    fastcgi_temp_path $d/fastcgi;
    uwsgi_temp_path $d/uwsgi;
    scgi_temp_path $d/scgi;
    include $site;
}
CONF
    nginx -p "$d" -c "$d/nginx.conf" -g 'daemon off;' 2>>"$d/error.log" &
    ngx_pid=$!
}

# nginx_hubs DIR PORT HUB-PORT-A HUB-PORT-B: docs/nginx-sceaux-hubs.conf as
# shipped in front of two hubs, in plain HTTP on loopback PORT (TLS is
# tls.sh's); sets ngx_pid and ngx_url, true once /v1/health answers.
nginx_hubs() {
    mkdir -p "$1"
    sed -e "s/listen 443 ssl;/listen 127.0.0.1:$2;/" -e '/listen \[::\]:443/d' -e '/ssl_/d' \
        -e "s/127.0.0.1:8765/127.0.0.1:$3/" -e "s/127.0.0.1:8766/127.0.0.1:$4/" \
        "$top/docs/nginx-sceaux-hubs.conf" >"$1/site.conf"
    nginx_run "$1" "$1/site.conf"
    ngx_url=http://127.0.0.1:$2
    wait_until 20 curl -fs -o /dev/null "$ngx_url/v1/health"
}

# ---- the hub -------------------------------------------------------------------

# hub_sql DB SQL: one query on hub_db DB (SQLite or PostgreSQL), rows as
# lines of |-separated columns.
hub_sql() {
    local url
    url=$(hub_db "$1") || return 1
    case "$url" in
    postgres://* | postgresql://*) "$pg_bindir/psql" -qAtX -v ON_ERROR_STOP=1 -d "$url" -c "$2" ;;
    *) q "$url" "$2" ;;
    esac
}

# hub_file DB: a SQLite hub database holding what hub_db DB holds now, for
# the tools and queries that read one (sceaux-dumpdb, ATTACH): DB itself,
# or a copy of the PostgreSQL one made now ($DB.copy, replaced each time:
# the hub's schema, then every row of pg_dump's but meta's).
hub_file() {
    local url
    url=$(hub_db "$1") || return 1
    case "$url" in
    postgres://* | postgresql://*) ;;
    *)
        echo "$url"
        return
        ;;
    esac
    rm -f "$1.copy"
    "$bin/sceaux-hub" token list --db "$1.copy" >/dev/null || return 1
    {
        echo "BEGIN;"
        "$pg_bindir/pg_dump" --data-only --column-inserts -T meta -T hub_version -d "$url" |
            sed -e '/^INSERT INTO public\./,$!d' -e '/^SELECT pg_catalog/d' -e '/^--/d' -e '/^\\/d' \
                -e 's/^INSERT INTO public\./INSERT INTO /'
        echo "COMMIT;"
    } | sqlite3 "$1.copy" || return 1
    echo "$1.copy"
}

# hub_db_copy FROM TO: hub database TO becomes a copy of FROM (a file
# copy, or PostgreSQL's CREATE DATABASE ... TEMPLATE); no hub may be
# running on FROM.
hub_db_copy() {
    if [ "${SCEAUX_TEST_DB:-}" != pg ]; then
        cp "$1" "$2"
        return
    fi
    local from to
    from=$(hub_db "$1") && to=$(basename "$2") && to=t_${to%%.*} || return 1
    "$pg_bindir/createdb" -h 127.0.0.1 -p "$pg_port" -U sceaux -T "${from##*/}" "$to" &&
        : >"$pg_dir/$to.made"
}

# hub_dump DB: everything hub_db DB holds, as text (the SQLite file's
# bytes, pg_dump's SQL), for a test that something is stored nowhere.
hub_dump() {
    local url
    url=$(hub_db "$1") || return 1
    case "$url" in
    postgres://* | postgresql://*) "$pg_bindir/pg_dump" -d "$url" ;;
    *) cat "$url" ;;
    esac
}

# hub_db PATH: the --db of the hub database at PATH: PATH itself, or with
# SCEAUX_TEST_DB=pg the URL of a database of the script's PostgreSQL
# server named after PATH's file name (hub.db: t_hub), created empty the
# first time it is asked for. A URL is printed as it is.
hub_db() {
    case "$1" in
    postgres://* | postgresql://*)
        echo "$1"
        return
        ;;
    esac
    if [ "${SCEAUX_TEST_DB:-}" != pg ]; then
        echo "$1"
        return
    fi
    local name
    name=$(basename "$1")
    name=t_${name%%.*}
    name=${name//[^A-Za-z0-9_]/_}
    if [ ! -e "$pg_dir/$name.made" ]; then
        pg_db "$name" >/dev/null && : >"$pg_dir/$name.made" || return 1
    fi
    pg_url "$name"
}

# hub_start DB LOG PORT [serve options...]: $bin/sceaux-hub serve on
# 127.0.0.1:PORT (0: a port of the hub's choosing) on hub_db DB (its
# pictures in DB.blobs), stdout and stderr appended to LOG. Waits for the
# "listening" line this hub logs (not one an earlier hub left in LOG),
# then for /v1/health to answer. Sets hub_pid, hub_port and hub_url; 1 if
# the hub exits or does not answer within 20 s (the end of LOG then on
# stderr).
#
# With SCEAUX_TEST_HUBS=2 (on PostgreSQL), two hubs serve DB, each on a
# port of its own and both logging to LOG, behind nginx on PORT
# (nginx_hubs: docs/nginx-sceaux-hubs.conf): hub_url and hub_port are
# nginx's, so clients and hub_conns_at_least see the one address kiosks
# would; hub_pid is the first hub (a script's signals go to it), hub_pid2
# the second.
hub_start() {
    if [ "${SCEAUX_TEST_HUBS:-1}" = 2 ]; then
        _hub_start_two "$@"
    else
        _hub_start_one "$@"
    fi
}
_hub_start_two() {
    local db=$1 log=$2 port=$3 first first_port
    shift 3
    _hub_start_one "$db" "$log" 0 "$@" || return 1
    first=$hub_pid
    first_port=$hub_port
    [ "$port" = 0 ] && port=$(free_port)
    if _hub_start_one "$db" "$log" 0 "$@"; then
        if nginx_hubs "$tmp/hubs-nginx" "$port" "$first_port" "$hub_port"; then
            hub_pid2=$hub_pid
            hub_ngx_pid=$ngx_pid
            hub_pid=$first
            hub_url=$ngx_url
            hub_port=$port
            return 0
        fi
        echo "# nginx did not answer; its log: $(tail -5 "$tmp/hubs-nginx/error.log")" >&2
        stop_pid "$ngx_pid"
    fi
    stop_pid "$hub_pid"
    stop_pid "$first"
    hub_pid=
    return 1
}
_hub_start_one() {
    local db=$1 log=$2 port=$3 from url
    shift 3
    url=$(hub_db "$db") || return 1
    from=$(log_size "$log")
    "$bin/sceaux-hub" serve --db "$url" --blobs "$db.blobs" --listen "127.0.0.1:$port" "$@" \
        >>"$log" 2>&1 &
    hub_pid=$!
    hub_port=
    wait_until 20 _hub_listening "$log" "$from"
    hub_url=http://127.0.0.1:$hub_port
    if [ -n "$hub_port" ] && wait_until 20 _hub_settled && kill -0 "$hub_pid" 2>/dev/null &&
        _hub_healthy; then
        return 0
    fi
    {
        echo "# sceaux-hub did not answer /v1/health (port '$hub_port'); its log:"
        log_since "$log" "$from" | tail -20 | sed 's/^/#   /'
    } >&2
    return 1
}
_hub_listening() { # LOG FROM: sets hub_port; true once set or the hub is gone
    hub_port=$(log_since "$1" "$2" | sed -n 's/.*listening on .* port \([0-9]*\).*/\1/p' | tail -1)
    [ -n "$hub_port" ] || ! kill -0 "$hub_pid" 2>/dev/null
}
_hub_healthy() { curl -fs -m 2 -o /dev/null "$hub_url/v1/health"; }
_hub_settled() { _hub_healthy || ! kill -0 "$hub_pid" 2>/dev/null; }

# hub_stop [SIGNAL]: stop_pid on the hub started last (TERM by default);
# returns its exit status, 0 when none runs. Two hubs (SCEAUX_TEST_HUBS=2):
# both with SIGNAL, then nginx (which passes on what they answer as they
# stop, such as the long-polls they end); the first non-zero status of
# the hubs.
hub_stop() {
    local rc=0 one p
    for p in "${hub_pid:-}" "${hub_pid2:-}"; do
        [ -n "$p" ] || continue
        stop_pid "$p" "${1:-TERM}"
        one=$?
        [ "$rc" -eq 0 ] && rc=$one
    done
    hub_pid=
    hub_pid2=
    [ -n "${hub_ngx_pid:-}" ] && stop_pid "$hub_ngx_pid"
    hub_ngx_pid=
    return "$rc"
}

# hub_conns_at_least N: true once N connections to the hub are established
# on its side (a long-poll is in), from /proc/net/tcp so no extra tool is
# needed.
hub_conns_at_least() {
    local hp
    hp=$(printf '%04X' "$hub_port")
    [ "$(awk -v p=":$hp" '$4 == "01" && substr($2, length($2) - 4) == p' /proc/net/tcp | wc -l)" -ge "$1" ]
}

# hub_token DB NAME ROLE [SITE]: a new token of ROLE named NAME (in
# hub_db DB), printed.
hub_token() {
    local opt=() url
    [ -n "${4:-}" ] && opt=(--site "$4")
    url=$(hub_db "$1") || return 1
    "$bin/sceaux-hub" token add --db "$url" --role "$3" --name "$2" "${opt[@]}"
}

# api METHOD PATH TOKEN [curl args...]: one request to the hub at
# $hub_url (no Authorization header when TOKEN is empty); the body goes to
# $tmp/out and the HTTP status is printed.
api() {
    local method=$1 path=$2 token=$3
    shift 3
    local auth=()
    [ -n "$token" ] && auth=(-H "Authorization: Bearer $token")
    curl -s -o "$tmp/out" -w '%{http_code}' -X "$method" "${auth[@]}" "$@" "$hub_url$path"
}

# push_upsert TOKEN CHANGE-ID TABLE ROW: a push of one upsert; the HTTP
# status printed, the results in $tmp/out.
push_upsert() {
    printf '{"format":"sceaux/1","changes":[{"id":"%s","table":"%s","op":"upsert","row":%s}]}' \
        "$2" "$3" "$4" >"$tmp/body"
    api POST /v1/push "$1" --data-binary @"$tmp/body"
}

# pull_is TOKEN QUERY JQ-CONDITION: GET /v1/changes?QUERY answers 200 with
# a page that satisfies the condition.
pull_is() {
    local st
    st=$(api GET "/v1/changes?$2" "$1")
    [ "$st" = 200 ] && jq -e "$3" "$tmp/out" >/dev/null ||
        { echo "  $2: $(head -c 400 "$tmp/out")" >&2; return 1; }
}

# is GOT WANT: equal, or say both.
is() { [ "$1" = "$2" ] || { echo "  expected '$2', got '$1'" >&2; return 1; }; }
