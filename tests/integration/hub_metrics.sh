#!/usr/bin/env bash
# GET /metrics (issue 9 §6): off by default, on its own listen address with
# --metrics-listen, in Prometheus text format. curl as the scraper.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup

hub_start "$tmp/hub.db" "$tmp/hub.log" 0 || exit 1
check "without --metrics-listen: no metrics, /metrics is 404 on the API port" \
    [ "$(api GET /metrics '')" = 404 -a -z "$(grep 'metrics on' "$tmp/hub.log")" ]
hub_stop

from=$(log_size "$tmp/hub.log")
hub_start "$tmp/hub.db" "$tmp/hub.log" 0 --metrics-listen 127.0.0.1:0 --offline-after 60 || exit 1
mport=$(log_since "$tmp/hub.log" "$from" | sed -n 's/.*metrics on .* port \([0-9]*\).*/\1/p')
kiosk=$(hub_token "$tmp/hub.db" k1 kiosk s1)
scrape() { curl -s "http://127.0.0.1:$mport/metrics"; }
# value NAME{LABELS}: the sample's value in the last scrape ($tmp/m).
value() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/m"; }

api GET /v1/health '' >/dev/null
api POST /v1/push "$kiosk" --data-binary '{"format":"sceaux/1","changes":[
  {"id":"c1","table":"proposal","op":"upsert","row":{"id":"p1","text":"hello","status":"submitted"}},
  {"id":"c2","table":"room","op":"upsert","row":{"id":"r1"}}]}' >/dev/null
curl -s -o /dev/null -H "Authorization: Bearer $kiosk" "$hub_url/v1/changes?since=1&wait=20" &
poll=$!
parked() {
    scrape >"$tmp/m"
    [ "$(value sceaux_hub_longpolls_held)" = 1 ] && [ "$(value sceaux_hub_kiosks_online)" = 1 ]
}
if wait_until 10 parked; then
    ok "a parked long-poll and the online kiosk are counted"
else
    not_ok "a parked long-poll and the online kiosk are counted" "$(grep -v '^#' "$tmp/m" | tail -5)"
fi
stop_pid "$poll" 9
check "requests per endpoint and status" \
    [ "$(value 'sceaux_hub_requests_total{endpoint="/v1/health",code="200"}')" -ge 1 ]
check "push results by status and error" [ \
    "$(value 'sceaux_hub_push_changes_total{result="applied",error=""}')" = 1 -a \
    "$(value 'sceaux_hub_push_changes_total{result="rejected",error="invalid"}')" = 1 ]
check "latency histogram per endpoint" \
    [ "$(value 'sceaux_hub_request_duration_seconds_count{endpoint="/v1/push"}')" = 1 ]
check "replica lag per kiosk" [ -n "$(value 'sceaux_hub_kiosk_replica_lag{kiosk="k1",site="s1"}')" ]
# On PostgreSQL the database is no file of the hub's: no size, rather than 0.
if [ "${SCEAUX_TEST_DB:-}" = pg ]; then
    check "no database size on PostgreSQL" [ -z "$(grep sceaux_hub_database_bytes "$tmp/m")" ]
else
    check "the database size" [ "$(value sceaux_hub_database_bytes)" -gt 0 ]
fi
check "the format: every family has HELP and TYPE" \
    [ "$(grep -c '^# TYPE' "$tmp/m")" -eq "$(grep -c '^# HELP' "$tmp/m")" -a \
    "$(grep -c '^# TYPE' "$tmp/m")" -ge 8 ]
echo "# $(grep -vc '^#' "$tmp/m") samples, $(wc -c <"$tmp/m") bytes"
hub_stop
test_done
