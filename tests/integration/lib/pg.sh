# tests/integration/lib/pg.sh: a throwaway PostgreSQL 15 server for the
# scripts that run the hub on PostgreSQL (SCEAUX_TEST_DB=pg, see hub_db in
# common.sh); sourced, never run.
# shellcheck shell=bash
#
#   pg_start        initdb in a fresh folder and start the server
#   pg_db NAME      a new database NAME, its URL printed
#   pg_restart      stop the server and start it again, same data and port
#   pg_stop         stop the server (test_cleanup calls it)
#
# The server runs as the user running the tests, or as `nobody` when that
# is root (PostgreSQL refuses to run as root), with its socket in its
# folder and a loopback port, fsync off (PG_FSYNC=on for a bench that
# compares it with SQLite, which syncs): a test's data need not survive a
# crash. Anyone on the machine may connect (trust): test data only.

pg_bindir=${PG_BINDIR:-/usr/lib/postgresql/15/bin}

# The prefix that runs a command as the server's user (setpriv execs it,
# so the server's pid is the one the shell started).
pg_as=()
[ "$(id -u)" = 0 ] && pg_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)

# pg_start: sets pg_dir, pg_port, pg_pid; 1 (with the server's log on
# stderr) when it does not start within 30 s.
pg_start() {
    pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/sceaux-pg.XXXXXX") || return 1
    [ "$(id -u)" = 0 ] && chown nobody:nogroup "$pg_dir"
    pg_port=$(free_port) || return 1
    if ! "${pg_as[@]}" "$pg_bindir/initdb" -D "$pg_dir/data" -U sceaux --auth=trust -E UTF8 \
        --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1; then
        sed 's/^/#   initdb: /' "$pg_dir/initdb.log" | tail -10 >&2
        return 1
    fi
    _pg_run || return 1
}

# _pg_run: starts the server on pg_dir and pg_port, waits until it answers.
_pg_run() {
    "${pg_as[@]}" "$pg_bindir/postgres" -D "$pg_dir/data" -k "$pg_dir" -h 127.0.0.1 -p "$pg_port" \
        -c fsync="${PG_FSYNC:-off}" -c synchronous_commit="${PG_FSYNC:-off}" \
        -c full_page_writes="${PG_FSYNC:-off}" \
        -c max_connections=200 >>"$pg_dir/server.log" 2>&1 &
    pg_pid=$!
    if ! wait_until 30 _pg_ready; then
        sed 's/^/#   postgres: /' "$pg_dir/server.log" | tail -10 >&2
        return 1
    fi
}
_pg_ready() {
    kill -0 "$pg_pid" && "$pg_bindir/pg_isready" -q -h 127.0.0.1 -p "$pg_port" -U sceaux
}

# pg_url NAME: the URL of database NAME on the server.
pg_url() { echo "postgresql://sceaux@127.0.0.1:$pg_port/$1"; }

# pg_db NAME: creates database NAME (an id: letters, digits, _) and prints
# its URL.
pg_db() {
    "$pg_bindir/createdb" -h 127.0.0.1 -p "$pg_port" -U sceaux "$1" || return 1
    pg_url "$1"
}

pg_restart() {
    local p=$pg_pid
    kill -INT "$p" 2>/dev/null
    { wait "$p"; } 2>/dev/null
    _pg_run
}

# pg_stop: a fast shutdown (the server ends its sessions), waited for;
# its folder removed unless a case failed or KEEP_TMP is set.
pg_stop() {
    [ -n "${pg_pid:-}" ] || return 0
    local p=$pg_pid
    pg_pid=
    kill -INT "$p" 2>/dev/null
    { wait "$p"; } 2>/dev/null
    if [ "${failures:-0}" -eq 0 ] && [ -z "${KEEP_TMP:-}" ]; then
        rm -rf "$pg_dir"
    else
        echo "# the PostgreSQL server's folder kept in $pg_dir"
    fi
}
