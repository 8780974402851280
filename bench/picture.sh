#!/usr/bin/env bash
# Figure: hub upload of a 12-megapixel phone photo (4000 x 3000 JPEG of
# noise, the worst case for a decoder, with EXIF GPS and orientation),
# POST /v1/blobs on loopback until the rendition is stored and named,
# against `vipsthumbnail` making the same rendition from the same file
# (1280 px, stripped) as its own process, same run (budget: at most twice
# vipsthumbnail's time). Each is run 5 times and keeps its median.
set -u
. "$(dirname "$0")/lib.sh"
fig="hub upload of a 12-megapixel photo, checked and stored"
bench_need "$fig" sceaux-hub curl vips vipsthumbnail exiftool || exit 0

photo=$BENCH_TMP/photo.jpg
if ! vips gaussnoise "$BENCH_TMP/noise.v" 4000 3000 ||
    ! vips cast "$BENCH_TMP/noise.v" "$photo[Q=90]" uchar ||
    ! exiftool -q -overwrite_original -GPSLatitude=48.7784 -GPSLatitudeRef=N -Orientation#=6 "$photo"; then
    bench_fail "$fig" "cannot make the test photo"
    exit 1
fi
rm -f "$BENCH_TMP/noise.v"
db=$BENCH_TMP/hub.db
if ! bench_hub_db "$db" "$BENCH_TOP/assets/sceaux.json" || ! bench_start_hub "$db"; then
    bench_fail "$fig" "cannot start sceaux-hub"
    exit 1
fi
tok=$(cat "$BENCH_TMP/staff.token")

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
upload_ms() {
    curl -s -o "$BENCH_TMP/out" -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $tok" \
        --data-binary @"$photo" "http://127.0.0.1:$HUB_PORT/v1/blobs" |
        awk '$1 == 200 { printf "%.0f\n", $2 * 1000 }'
}
thumb_ms() {
    local t0
    t0=$(now_ms)
    vipsthumbnail "$photo" -s 1280 -o "$BENCH_TMP/thumb.jpg[Q=85,strip]" || return 1
    echo $(($(now_ms) - t0))
}
hub=$(for _ in 1 2 3 4 5; do upload_ms; done | median)
base=$(for _ in 1 2 3 4 5; do thumb_ms; done | median)
if [ -z "$hub" ] || [ -z "$base" ] || [ "$base" -le 0 ]; then
    bench_fail "$fig" "an upload or vipsthumbnail failed ($(head -c 200 "$BENCH_TMP/out"))"
    exit 1
fi
echo "# $(stat -c %s "$photo") bytes sent; rendition $(jq -c . "$BENCH_TMP/out")" >&2
bench_line "$fig" "${hub} ms" "vipsthumbnail ${base} ms" "$(bench_calc "$hub / $base")" \
    "at most 2x" "$(bench_verdict "$hub <= 2 * $base")"
