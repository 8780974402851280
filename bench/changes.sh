#!/usr/bin/env bash
# Figure: hub GET /v1/changes with an empty delta (since = head), keep-alive,
# against nginx serving the same bytes as a static file, same run, wrk on
# loopback (budget: at least half nginx's requests/s).
# The hub runs on the bundled data with its default options; nginx runs
# with its own configuration in BENCH_TMP (2 workers, access log on, as
# nginx ships), on a free loopback port; its pid file is in BENCH_TMP and
# only that pid is stopped. Each server gets `wrk -t2 -c50 -d5s` twice,
# alternating, and keeps its best run.
set -u
. "$(dirname "$0")/lib.sh"
fig="hub GET /v1/changes, empty delta, keep-alive"
bench_need "$fig" sceaux-hub curl wrk nginx || exit 0
WRK_ARGS=(-t2 -c50 -d5s)

db=$BENCH_TMP/hub.db
if ! bench_hub_db "$db" "$BENCH_TOP/assets/sceaux.json" || ! bench_start_hub "$db"; then
    bench_fail "$fig" "cannot start sceaux-hub"
    exit 1
fi
tok=$(cat "$BENCH_TMP/kiosk.token")
head=$(bench_head)
path="/v1/changes?since=$head"
www=$BENCH_TMP/www
mkdir -p "$www/v1"
code=$(curl -s -o "$www/v1/changes" -w '%{http_code}' -H "Authorization: Bearer $tok" \
    "http://127.0.0.1:$HUB_PORT$path")
if [ "$code" != 200 ] || ! grep -q '"changes":\[\]' "$www/v1/changes"; then
    bench_fail "$fig" "GET $path answered $code, not an empty delta"
    exit 1
fi

# nginx serves one file of ours, on loopback, with two workers and its
# access log on, as nginx ships (nginx_run, tests/integration/lib/common.sh).
nport=$(bench_free_port) || {
    bench_fail "$fig" "no free loopback port for nginx"
    exit 1
}
cat >"$BENCH_TMP/site.conf" <<CONF
server {
    listen 127.0.0.1:$nport;
    keepalive_requests 1000000;
    location = /v1/changes {
        default_type application/json;
        alias $www/v1/changes;
    }
}
CONF
NGINX_WORKERS=2 nginx_run "$BENCH_TMP/ngx" "$BENCH_TMP/site.conf"
bench_own "$ngx_pid"
for _ in $(seq 1 200); do
    curl -sf -o /dev/null "http://127.0.0.1:$nport$path" && break
    kill -0 "$ngx_pid" 2>/dev/null || break
    sleep 0.025
done
if ! cmp -s <(curl -sf "http://127.0.0.1:$nport$path") "$www/v1/changes"; then
    bench_fail "$fig" "nginx did not serve the file: $(tail -1 "$BENCH_TMP/ngx/error.log" 2>/dev/null)"
    exit 1
fi

# rps PORT: wrk's Requests/sec, or fails when any answer was not 2xx.
rps() {
    local out=$BENCH_TMP/wrk.out
    wrk "${WRK_ARGS[@]}" -H "Authorization: Bearer $tok" "http://127.0.0.1:$1$path" >"$out" 2>&1 ||
        return 1
    if grep -q 'Non-2xx\|Socket errors' "$out"; then
        grep 'Non-2xx\|Socket errors' "$out" >&2
        return 1
    fi
    sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$out"
}

hub_best=0
ngx_best=0
for _ in 1 2; do
    r=$(rps "$HUB_PORT" 2>"$BENCH_TMP/wrk.err") || {
        bench_fail "$fig" "wrk against the hub: $(tail -1 "$BENCH_TMP/wrk.err")"
        exit 1
    }
    bench_true "$r > $hub_best" && hub_best=$r
    r=$(rps "$nport" 2>"$BENCH_TMP/wrk.err") || {
        bench_fail "$fig" "wrk against nginx: $(tail -1 "$BENCH_TMP/wrk.err")"
        exit 1
    }
    bench_true "$r > $ngx_best" && ngx_best=$r
done
ratio=$(bench_calc "$hub_best / $ngx_best")
bytes=$(wc -c <"$www/v1/changes")
bench_line "$fig" "$(bench_int "$hub_best") req/s (wrk ${WRK_ARGS[*]}, best of 2)" \
    "$(bench_int "$ngx_best") req/s nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), same $bytes B static" \
    "${ratio}x" ">= 0.5x" "$(bench_verdict "$ratio >= 0.5")"
