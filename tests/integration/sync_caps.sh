#!/usr/bin/env bash
# sync_caps.sh: sceaux-syncd against a hostile stand-in for the hub
# (tests/data/sync/hostile_hub.py): answers over 32 MiB raw or inflated, an
# encoding never asked for and a malformed page are refused with exit 1 and
# a clear line; a hub that never answers does not keep SIGTERM from
# stopping the daemon with exit 0; over TLS the certificate is verified
# (--ca) and the public key pin (--pin) enforced. Prints "ok NAME" /
# "not ok NAME".
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
if ! command -v python3 >/dev/null; then
    skip "hostile hub cases" "no python3 for the hostile hub"
    exit 0
fi
port=$(free_port)
echo "k1-not-checked" >"$tmp/token"

hostile() { # MODE [CERT KEY]: starts the stand-in, returns once it listens
    rm -f "$tmp/ready"
    python3 "$top/tests/data/sync/hostile_hub.py" "$1" "$port" "$tmp/ready" "${@:2}" &
    hostile_pid=$!
    wait_until 10 test -e "$tmp/ready"
}

stop_hostile() { stop_pid "$hostile_pid"; }

refused() { # MODE WHAT PATTERN
    hostile "$1"
    "$bin/sceaux-syncd" --db "$tmp/$1.db" --hub "http://127.0.0.1:$port" --token-file "$tmp/token" \
        --once 2>"$tmp/$1.err"
    local rc=$?
    stop_hostile
    if [ $rc -eq 1 ] && grep -q "$3" "$tmp/$1.err"; then
        ok "$2: exit 1, '$3'"
    else
        not_ok "$2 (exit $rc)"
        sed 's/^/#   /' "$tmp/$1.err"
    fi
    local st
    st=$(sqlite3 "$tmp/$1.db" "SELECT value FROM sync_state WHERE key='online'")
    [ "$st" = 0 ] && ok "$2: online is 0" || not_ok "$2: online is 0 (got '$st')"
}

refused big "an answer over 32 MiB" "over 32 MiB"
refused bomb "a gzip answer inflating past 32 MiB" "over 32 MiB once inflated"
refused br "an answer in an encoding never asked for" "unsupported encoding"
refused junk "a page that is not a page" "bad page"
check_empty() {
    [ "$(sqlite3 "$tmp/junk.db" "SELECT count(*) FROM site")" = 0 ] &&
        [ "$(sqlite3 "$tmp/junk.db" "SELECT value FROM sync_state WHERE key='cursor'")" = 0 ]
}
check_empty && ok "a refused page leaves the replica as it was" ||
    not_ok "a refused page leaves the replica as it was"

hostile silent
"$bin/sceaux-syncd" --db "$tmp/silent.db" --hub "http://127.0.0.1:$port" --token-file "$tmp/token" \
    2>"$tmp/silent.err" &
pid=$!
# Wait until the daemon has set up its replica and is inside its request.
wait_until 10 grep -q serving "$tmp/silent.err"
t0=$(now_ms)
stop_pid $pid
rc=$?
dt=$(($(now_ms) - t0))
if [ $rc -eq 0 ] && [ $dt -lt 3000 ]; then
    ok "SIGTERM while the hub never answers: exit 0 in $dt ms"
else
    not_ok "SIGTERM while the hub never answers: exit 0 within 3 s (exit $rc, $dt ms)"
fi
stop_hostile

# ---- TLS ------------------------------------------------------------------
if command -v openssl >/dev/null &&
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" \
        -days 2 -subj /CN=localhost -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
        2>/dev/null; then
    pin=sha256//$(openssl x509 -in "$tmp/cert.pem" -pubkey -noout |
        openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | openssl enc -base64)
    hostile page "$tmp/cert.pem" "$tmp/key.pem"
    tls() { # NAME WANT ARGS...
        local name=$1 want=$2
        shift 2
        rm -f "$tmp/tls.db"
        "$bin/sceaux-syncd" --db "$tmp/tls.db" --hub "https://127.0.0.1:$port" \
            --token-file "$tmp/token" --once "$@" 2>"$tmp/tls.err"
        local rc=$?
        if [ $rc -eq "$want" ]; then
            ok "$name (exit $rc)"
        else
            not_ok "$name (exit $rc, wanted $want)"
            sed 's/^/#   /' "$tmp/tls.err"
        fi
    }
    tls "https: a certificate from an unknown CA is refused" 1
    grep -qi certificate "$tmp/tls.err" && ok "https: the error names the certificate" ||
        not_ok "https: the error names the certificate"
    tls "https: --ca makes the certificate trusted" 0 --ca "$tmp/cert.pem"
    tls "https: --pin with the server's key is accepted" 0 --ca "$tmp/cert.pem" --pin "$pin"
    tls "https: --pin with another key is refused" 1 --ca "$tmp/cert.pem" \
        --pin "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
    stop_hostile
else
    skip "TLS cases (--ca, --pin)" "openssl missing"
fi
test_done
