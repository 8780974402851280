#!/usr/bin/env bash
# Figure: wire size of a full pull, at most 20% of the uncompressed JSON.
# A real sceaux-hub on loopback; the pull from 0 is read page by page
# (limit=5000, the maximum) with curl, once with Accept-Encoding: gzip and
# once without, and the bodies' sizes as sent are summed. Two datasets:
# the bundled assets/sceaux.json, and a synthetic one from sceaux-gendata
# --rows 2000 (10,040 rows in every public table).
set -u
. "$(dirname "$0")/lib.sh"
fig="wire size of a full pull"
bench_need "$fig" sceaux-hub curl gunzip || exit 0

# pull_all GZIP(0|1): prints "BYTES PAGES CHANGES" for a full pull, or fails.
pull_all() {
    local since=0 total=0 pages=0 changes=0 more=true code size tok hdr=() body=$BENCH_TMP/body
    tok=$(cat "$BENCH_TMP/kiosk.token")
    [ "$1" = 1 ] && hdr=(-H 'Accept-Encoding: gzip')
    while [ "$more" = true ]; do
        read -r code size < <(curl -s -D "$BENCH_TMP/headers" -o "$body" \
            -w '%{http_code} %{size_download}\n' "${hdr[@]}" -H "Authorization: Bearer $tok" \
            "http://127.0.0.1:$HUB_PORT/v1/changes?since=$since&limit=5000")
        if [ "$code" != 200 ]; then
            echo "GET /v1/changes?since=$since answered $code" >&2
            return 1
        fi
        if [ "$1" = 1 ]; then
            if ! grep -qi '^content-encoding: *gzip' "$BENCH_TMP/headers"; then
                echo "the hub did not gzip its answer" >&2
                return 1
            fi
            gunzip -c <"$body" >"$body.json" || return 1
        else
            cp "$body" "$body.json"
        fi
        since=$(head -c 300 "$body.json" | sed -n 's/.*"next":\([0-9]*\).*/\1/p')
        more=$(head -c 300 "$body.json" | sed -n 's/.*"more":\([a-z]*\).*/\1/p')
        [ -n "$since" ] && [ -n "$more" ] || return 1
        total=$((total + size))
        pages=$((pages + 1))
        changes=$((changes + $(grep -o '"seq":' "$body.json" | wc -l)))
    done
    echo "$total $pages $changes"
}

# measure LABEL DATA.json
measure() {
    local name="$fig ($1)" db=$BENCH_TMP/hub-$RANDOM.db plain gz
    if ! bench_hub_db "$db" "$2" || ! bench_start_hub "$db"; then
        bench_fail "$name" "cannot start sceaux-hub on $2 (log in stderr)"
        bench_stop_hub
        return 1
    fi
    plain=$(pull_all 0 2>"$BENCH_TMP/pull.err") && gz=$(pull_all 1 2>>"$BENCH_TMP/pull.err")
    local rc=$?
    bench_stop_hub
    if [ $rc -ne 0 ]; then
        bench_fail "$name" "$(tail -1 "$BENCH_TMP/pull.err")"
        return 1
    fi
    # 3: JSON bytes, 4: pages, 5: changes, 6: gzip bytes
    # shellcheck disable=SC2086 # split on purpose
    set -- "$1" "$2" $plain $gz
    local pct
    pct=$(bench_calc "100 * $6 / $3")
    bench_line "$name" "$(bench_int "$6") B gzip ($(bench_int "$5") changes, $4 page(s))" \
        "$(bench_int "$3") B uncompressed JSON" "${pct}%" "<= 20%" \
        "$(bench_verdict "$pct <= 20")"
}

rc=0
measure "assets/sceaux.json" "$BENCH_TOP/assets/sceaux.json" || rc=1
if bench_need "$fig (synthetic)" sceaux-gendata; then
    "$BENCH_BIN/sceaux-gendata" --rows 2000 >"$BENCH_TMP/gen.json"
    measure "sceaux-gendata --rows 2000" "$BENCH_TMP/gen.json" || rc=1
fi
exit $rc
