#!/usr/bin/env bash
# Figure: a fresh replica catching up, as a user waits: the time from
# starting `sceaux-syncd --once` on an empty replica to its exit, against a
# real sceaux-hub on loopback holding 10,000 initiatives and 2,000 events
# (sceaux-gendata --only ..., with its 100 sites and 100 rooms: 12,200
# rows). The baseline, measured in the same run, is the same rows inserted
# with prepared statements into the same schema in one transaction
# (sceaux-benchapply's raw way). Budget: at least 0.5x the raw rate.
# Each run starts a new hub on the same database (outside the clock), so
# no page comes from the hub's one-page cache. The raw runs are interleaved
# with the syncd runs, so a busy machine weighs on both alike; best of
# RUNS each.
set -u
. "$(dirname "$0")/lib.sh"
fig="syncd fresh replica to caught up, end to end"
RUNS=5
bench_need "$fig" sceaux-gendata sceaux-benchapply sceaux-hub sceaux-syncd || exit 0

gen=$BENCH_TMP/gen.json
if ! "$BENCH_BIN/sceaux-gendata" --only initiative=10000 --only event=2000 >"$gen"; then
    bench_fail "$fig" "sceaux-gendata failed"
    exit 1
fi
rows=12200
out=$BENCH_TMP/raw.out
# raw_run: one raw run; its time in raw_ms, the best so far in raw_best.
raw_best=
raw_run() {
    if ! "$BENCH_BIN/sceaux-benchapply" --data "$gen" --rows $rows --runs 1 \
        --dir "$BENCH_TMP" >"$out" 2>"$BENCH_TMP/raw.err"; then
        bench_fail "$fig" "sceaux-benchapply: $(tail -1 "$BENCH_TMP/raw.err")"
        exit 1
    fi
    raw_ms=$(bench_kv "$out" raw_ms)
    if [ -z "$raw_best" ] || bench_true "$raw_ms < $raw_best"; then raw_best=$raw_ms; fi
}

db=$BENCH_TMP/hub.db
if ! bench_hub_db "$db" "$gen"; then
    bench_fail "$fig" "cannot import the data into sceaux-hub"
    exit 1
fi
rep=$BENCH_TMP/replica.db
best=
for _ in $(seq $RUNS); do
    raw_run
    if ! bench_start_hub "$db"; then
        bench_fail "$fig" "cannot start sceaux-hub"
        exit 1
    fi
    rm -f "$rep" "$rep-wal" "$rep-shm"
    t0=$(date +%s%N)
    "$BENCH_BIN/sceaux-syncd" --db "$rep" --hub "http://127.0.0.1:$HUB_PORT" \
        --token-file "$BENCH_TMP/kiosk.token" --once 2>"$BENCH_TMP/syncd.log"
    rc=$?
    t1=$(date +%s%N)
    bench_stop_hub
    got=$(sqlite3 "$rep" "SELECT (SELECT count(*) FROM initiative) + (SELECT count(*) FROM event)
        + (SELECT count(*) FROM site) + (SELECT count(*) FROM room)" 2>/dev/null)
    if [ $rc -ne 0 ] || [ "$got" != $rows ]; then
        bench_fail "$fig" "sceaux-syncd exited $rc with '$got' rows: $(tail -1 "$BENCH_TMP/syncd.log")"
        exit 1
    fi
    ms=$(((t1 - t0) / 1000000))
    echo "run: syncd $ms ms, raw $raw_ms ms" >&2
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done
pages=$(grep -c 'applied' "$BENCH_TMP/syncd.log")
r=$(bench_calc "$raw_best / $best")
bench_line "$fig" \
    "$(bench_int "$(bench_calc "$rows * 1000 / $best")") rows/s ($best ms for $(bench_int $rows) rows, $pages pages, best of $RUNS)" \
    "$(bench_int "$(bench_calc "$rows * 1000 / $raw_best")") rows/s raw prepared INSERTs, 1 txn ($raw_best ms)" \
    "${r}x" ">= 0.5x" "$(bench_verdict "$r >= 0.5")"
