#!/usr/bin/env bash
# Figure: syncd applying 10,000 pulled rows (gzip JSON to committed rows),
# against raw prepared inserts of the same rows into the same schema in one
# transaction, same run (budget: at least 0.5x). The work is in
# tools/benchapply.c; this script makes the data and prints the lines.
# Rows: the first 10,000 of sceaux-gendata --rows 2000 (every public table).
set -u
. "$(dirname "$0")/lib.sh"
fig="syncd applying 10,000 pulled rows"
bench_need "$fig" sceaux-gendata sceaux-benchapply || exit 0

"$BENCH_BIN/sceaux-gendata" --rows 2000 >"$BENCH_TMP/gen.json" || {
    bench_fail "$fig" "sceaux-gendata failed"
    exit 1
}
out=$BENCH_TMP/apply.out
if ! "$BENCH_BIN/sceaux-benchapply" --data "$BENCH_TMP/gen.json" --rows 10000 --runs 5 \
    --dir "$BENCH_TMP" >"$out" 2>"$BENCH_TMP/apply.err"; then
    bench_fail "$fig" "sceaux-benchapply: $(tail -1 "$BENCH_TMP/apply.err")"
    exit 1
fi
raw=$(bench_kv "$out" raw_rows_per_s)
one=$(bench_kv "$out" one_rows_per_s)
paged=$(bench_kv "$out" paged_rows_per_s)
pages=$(bench_kv "$out" pages_syncd)
size=$(bench_kv "$out" page_syncd)
base="$(bench_int "$raw") rows/s raw prepared INSERTs, 1 txn ($(bench_kv "$out" raw_ms) ms)"

r=$(bench_calc "$one / $raw")
bench_line "$fig (1 page, 1 txn)" \
    "$(bench_int "$one") rows/s ($(bench_kv "$out" one_ms) ms, best of 5)" "$base" "${r}x" \
    ">= 0.5x" "$(bench_verdict "$r >= 0.5")"
r=$(bench_calc "$paged / $raw")
bench_line "$fig ($pages pages of $size, as syncd)" \
    "$(bench_int "$paged") rows/s ($(bench_kv "$out" paged_ms) ms, best of 5)" "$base" "${r}x" \
    ">= 0.5x" "$(bench_verdict "$r >= 0.5")"
