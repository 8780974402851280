#!/usr/bin/env bash
# tls.sh: the hub serving HTTPS itself (serve --tls-cert/--tls-key), with a
# CA this script makes with openssl, and sceaux-syncd and sceaux-admin
# talking to it over loopback. Prints "ok NAME" or "not ok NAME" per case.
#
# Cases: bad TLS options (exit 2, exit 1 with the reason); plain HTTP on a
# non-loopback address refused without --insecure-http (the refusal only:
# nothing serves on 0.0.0.0); sync end to end over TLS with --ca; syncd
# refuses an unknown CA, another CA and a wrong pin; the console's cookie
# is Secure; a certificate reloaded on SIGHUP while a syncd long-polls: new
# handshakes get the new certificate, the long-poll is not dropped and an
# announcement pushed after the reload arrives; a broken certificate on
# SIGHUP keeps the old one; then docs/nginx-sceaux.conf in front of a plain
# hub (when nginx is installed). Waits are polls with a deadline. The
# hub's database is SQLite's, or PostgreSQL's with SCEAUX_TEST_DB=pg.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup

if ! command -v openssl >/dev/null; then
    echo "not ok tls-setup (openssl is missing: apt-get install openssl)"
    exit 1
fi

# ---- a CA, and certificates for 127.0.0.1 it signs --------------------------
pki=$tmp/pki
mkdir -p "$pki"
make_ca() { # NAME
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
        -keyout "$pki/$1.key" -out "$pki/$1.pem" -subj "/CN=Sceaux test $1" 2>/dev/null
}
make_cert() { # NAME CA: NAME.pem (leaf then CA) and NAME.key for 127.0.0.1
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/$1.key" \
        -out "$pki/$1.csr" -subj /CN=127.0.0.1 2>/dev/null &&
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$pki/ext" &&
        openssl x509 -req -in "$pki/$1.csr" -CA "$pki/$2.pem" -CAkey "$pki/$2.key" \
            -CAcreateserial -days 2 -extfile "$pki/ext" -out "$pki/$1.leaf" 2>/dev/null &&
        cat "$pki/$1.leaf" "$pki/$2.pem" >"$pki/$1.pem"
}
pin_of() { # CERT.pem: curl's sha256// pin of its public key
    echo "sha256//$(openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform der |
        openssl dgst -sha256 -binary | openssl enc -base64)"
}
if ! { make_ca ca && make_ca other && make_cert hub1 ca && make_cert hub2 ca; }; then
    echo "not ok tls-setup (openssl could not make the test CA)"
    exit 1
fi

hubdb=$tmp/hub.db
hublog=$tmp/hub.log
H=$bin/sceaux-hub
db=$(hub_db "$hubdb") || setup_fail "no database" # a URL with SCEAUX_TEST_DB=pg
hub_token "$hubdb" r0 kiosk >"$tmp/r0.token" 2>>"$hublog" &&
    hub_token "$hubdb" staff staff >"$tmp/staff.token" 2>>"$hublog" &&
    printf 'mot-de-passe-anne\n' | "$H" user add --db "$db" --name anne --role staff \
        >/dev/null 2>>"$hublog" || {
    echo "not ok tls-setup (tokens or account)"
    exit 1
}

# ---- options ------------------------------------------------------------------
expect_rc() { # NAME WANT CMD...: CMD's stderr in $tmp/err
    local name=$1 want=$2 rc
    shift 2
    "$@" >/dev/null 2>"$tmp/err"
    rc=$?
    if [ "$rc" -eq "$want" ]; then ok "$name"; else not_ok "$name (exit $rc, wanted $want)"; fi
}
serve() { "$H" serve --db "$tmp/refused.db" "$@"; }
expect_rc "--tls-cert without --tls-key exits 2" 2 \
    serve --listen 127.0.0.1:0 --tls-cert "$pki/hub1.pem"
expect_rc "a key that is not the certificate's exits 1" 1 \
    serve --listen 127.0.0.1:0 --tls-cert "$pki/hub1.pem" --tls-key "$pki/hub2.key"
check "the refusal names the key" grep -q "is not the key of the certificate" "$tmp/err"
expect_rc "a missing certificate file exits 1" 1 \
    serve --listen 127.0.0.1:0 --tls-cert "$tmp/none.pem" --tls-key "$pki/hub1.key"
# Only the refusal: with the flag missing the hub must exit before binding.
expect_rc "plain HTTP on 0.0.0.0 without --insecure-http exits 1" 1 serve --listen 0.0.0.0:0
check "the refusal says how to allow it" grep -q -- "--insecure-http" "$tmp/err"

# ---- the hub over TLS -----------------------------------------------------------
port=$(free_port)
url=https://127.0.0.1:$port
"$H" serve --db "$db" --blobs "$hubdb.blobs" --listen "127.0.0.1:$port" \
    --tls-cert "$pki/hub1.pem" --tls-key "$pki/hub1.key" >>"$hublog" 2>&1 &
hub_pid=$!
healthy() { curl -fsS -m 2 --cacert "$pki/ca.pem" -o /dev/null "$url/v1/health"; }
if ! wait_until 20 healthy; then
    echo "not ok tls-hub-start (no /v1/health over https)"
    tail -20 "$hublog" | sed 's/^/#   /'
    exit 1
fi
ok "the hub answers /v1/health over https, verified with the test CA"
check "the hub refuses plain HTTP on its TLS port" \
    test "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v1/health")" = 000

served_pin() { # the pin of the certificate the hub shows a new connection
    openssl s_client -connect "127.0.0.1:$port" -CAfile "$pki/ca.pem" </dev/null 2>/dev/null |
        openssl x509 -pubkey -noout | openssl pkey -pubin -outform der |
        openssl dgst -sha256 -binary | openssl enc -base64 | sed 's|^|sha256//|'
}
check "the hub shows the chain's leaf" test "$(served_pin)" = "$(pin_of "$pki/hub1.leaf")"

admin() { # ARGS...
    "$bin/sceaux-admin" --hub "$url" --token-file "$tmp/staff.token" --ca "$pki/ca.pem" "$@"
}
announce() { # TITLE: prints the new announcement's id
    local out
    out=$(admin announce --title "$1" --body "corps" --target all) || return 1
    echo "${out%% *}"
}
has_ann() { test "$(q "$tmp/$1.db" "SELECT count(*) FROM announcement WHERE id = '$2'")" = 1; }
once() { # REPLICA ARGS...: syncd --once against the hub, stderr in $tmp/REPLICA.err
    local r=$1
    shift
    "$bin/sceaux-syncd" --db "$tmp/$r.db" --hub "$url" --token-file "$tmp/r0.token" --once "$@" \
        2>"$tmp/$r.err"
}

if a1=$(announce "Avant"); then
    ok "sceaux-admin announces over https with --ca"
else
    not_ok "sceaux-admin announces over https with --ca"
fi
expect_rc "syncd with --ca syncs over https" 0 once r1 --ca "$pki/ca.pem"
check "the announcement reached the replica over https" has_ann r1 "$a1"
expect_rc "syncd without --ca refuses the test CA's certificate" 1 once bad1
check "its error names the certificate" grep -qi certificate "$tmp/bad1.err"
expect_rc "syncd refuses a certificate of another CA" 1 once bad2 --ca "$pki/other.pem"
expect_rc "syncd refuses a wrong pin" 1 once bad3 --ca "$pki/ca.pem" --pin "$(pin_of "$pki/hub2.leaf")"
expect_rc "syncd accepts the right pin" 0 once r2 --ca "$pki/ca.pem" --pin "$(pin_of "$pki/hub1.leaf")"

# ---- the console's cookie --------------------------------------------------------
cookie=$(curl -s -m 5 --cacert "$pki/ca.pem" -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"name":"anne","password":"mot-de-passe-anne"}' "$url/v1/console/login" |
    grep -i '^set-cookie:')
check "the console's session cookie is Secure over the hub's TLS" grep -q "; Secure" <<<"$cookie"

# ---- reload while a syncd long-polls -----------------------------------------------
"$bin/sceaux-syncd" --db "$tmp/r0.db" --hub "$url" --token-file "$tmp/r0.token" \
    --ca "$pki/ca.pem" >>"$tmp/r0.log" 2>&1 &
syncd_pid=$!
wait_until 20 has_ann r0 "$a1" || not_ok "the long-polling syncd caught up before the reload"
# Caught up: its next request is a long-poll the hub holds (wait=25) on
# the connection it opened with the first certificate.
from=$(log_size "$hublog")
# The hub keeps the paths it started with: renew them in place, as certbot does.
cp "$pki/hub2.pem" "$pki/hub1.pem"
cp "$pki/hub2.key" "$pki/hub1.key"
kill -HUP "$hub_pid"
reloaded() { log_since "$hublog" "$from" | grep -q "certificate reloaded"; }
check "SIGHUP reloads the certificate" wait_until 10 reloaded
check "new connections get the new certificate" test "$(served_pin)" = "$(pin_of "$pki/hub2.leaf")"
a2=$(announce "Après")
check "an announcement pushed after the reload reaches the long-polling syncd" \
    wait_until 10 has_ann r0 "$a2"
if grep -q "failed" "$tmp/r0.log"; then
    not_ok "the syncd saw no failure across the reload" "$(grep failed "$tmp/r0.log" | head -3)"
else
    ok "the syncd saw no failure across the reload"
fi

printf 'not a certificate\n' >"$pki/hub1.pem"
from=$(log_size "$hublog")
kill -HUP "$hub_pid"
kept() { log_since "$hublog" "$from" | grep -q "keeping the current certificate"; }
check "a broken certificate on SIGHUP is refused with a reason" wait_until 10 kept
check "and the hub keeps serving the previous one" \
    test "$(served_pin)" = "$(pin_of "$pki/hub2.leaf")"

stop_pid "$syncd_pid"
check "syncd exits 0 on SIGTERM" test $? -eq 0
stop_pid "$hub_pid"
check "the hub exits 0 on SIGTERM" test $? -eq 0

# ---- behind nginx, with docs/nginx-sceaux.conf as shipped ---------------------------
# Only its listen port, certificate and the hub's port are changed.
nginx_case() {
    hub_start "$hubdb" "$hublog" 0 || return 1
    local nport site=$tmp/ngx/site.conf
    nport=$(free_port)
    mkdir -p "$tmp/ngx"
    sed -e "s/listen 443 ssl;/listen 127.0.0.1:$nport ssl;/" -e '/listen \[::\]:443/d' \
        -e "s|/etc/ssl/sceaux/hub.pem|$pki/hub2.pem|" -e "s|/etc/ssl/sceaux/hub.key|$pki/hub2.key|" \
        -e "s|http://127.0.0.1:8765|http://127.0.0.1:$hub_port|" "$top/docs/nginx-sceaux.conf" >"$site"
    check "the nginx config's port, certificate and upstream were found" \
        test "$(grep -c "$nport\|$pki\|:$hub_port" "$site")" = 4
    nginx_run "$tmp/ngx" "$site"
    url=https://127.0.0.1:$nport
    if ! wait_until 20 healthy; then
        not_ok "nginx with docs/nginx-sceaux.conf answers /v1/health" "$(tail -5 "$tmp/ngx/error.log")"
        return 1
    fi
    ok "nginx with docs/nginx-sceaux.conf answers /v1/health over https"
    expect_rc "syncd syncs through nginx" 0 once r3 --ca "$pki/ca.pem"
    check "the replica behind nginx has every announcement" has_ann r3 "$a2"
    cookie=$(curl -s -m 5 --cacert "$pki/ca.pem" -D - -o /dev/null \
        -H 'Content-Type: application/json' -d '{"name":"anne","password":"mot-de-passe-anne"}' \
        "$url/v1/console/login" | grep -i '^set-cookie:')
    check "the console's cookie is Secure behind nginx" grep -q "; Secure" <<<"$cookie"
    "$bin/sceaux-syncd" --db "$tmp/r4.db" --hub "$url" --token-file "$tmp/r0.token" \
        --ca "$pki/ca.pem" >>"$tmp/r4.log" 2>&1 &
    syncd_pid=$!
    wait_until 20 has_ann r4 "$a2" || not_ok "the syncd behind nginx caught up"
    local a3 t0
    t0=$(now_ms)
    a3=$(announce "Derrière nginx")
    if wait_until 10 has_ann r4 "$a3"; then
        ok "an announcement reaches a syncd long-polling through nginx ($(($(now_ms) - t0)) ms)"
    else
        not_ok "an announcement reaches a syncd long-polling through nginx"
    fi
    stop_pid "$syncd_pid"
    stop_pid "$ngx_pid"
    hub_stop
}
if command -v nginx >/dev/null; then
    nginx_case
else
    echo "# nginx missing: docs/nginx-sceaux.conf not tried (apt-get install nginx-light)"
fi

if grep -q 'ERROR: AddressSanitizer\|runtime error:' "$hublog" "$tmp/r0.log"; then
    not_ok "no sanitizer report"
else
    ok "no sanitizer report"
fi
test_done
