#!/usr/bin/env bash
# Integration tests of the hub's pictures (docs/protocol.md, "Pictures"):
# `sceaux-hub blob add`, GET /v1/blobs/<sha256> for every role (200 with
# the bytes, type and cache headers, 304, 404, 400), the --blobs folder,
# and rows naming a picture (its alternative text required); uploads
# (POST /v1/blobs): a phone photo stored without metadata, hostile files
# refused with their reason and timed. Prints "ok NAME" / "not ok NAME"
# per case. Needs curl, jq, python3, sha256sum, vips and exiftool. With
# SCEAUX_TEST_DB=pg the database is PostgreSQL's and the pictures are in
# the same folder, given by --blobs; backup and restore (SQLite's file
# copy; pg_dump's on PostgreSQL) are skipped. Not run
# under ThreadSanitizer: libvips's worker threads meet through glib's
# futex-based locks, which it does not see, so it reports races that are
# none.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
hub="$bin/sceaux-hub"
data="$top/tests/data/hub"
db=$(hub_db "$tmp/hub.db") || setup_fail "no database"

# png FILE W H R G B: a plain RGB PNG of one colour.
png() {
    python3 - "$@" <<'EOF'
import struct, sys, zlib
path, w, h, r, g, b = sys.argv[1], *map(int, sys.argv[2:])
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
raw = b"".join(b"\0" + bytes([r, g, b]) * w for _ in range(h))
with open(path, "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
EOF
}
# header NAME: the value of the answer's header NAME in $tmp/headers.
header() { sed -n "s/^$1: *//Ip" "$tmp/headers" | tr -d '\r' | tail -1; }
# get TOKEN PATH [curl args...]: the status; body in $tmp/out, headers in $tmp/headers.
get() {
    local token=$1 path=$2
    shift 2
    rm -f "$tmp/out" # curl writes no file for an answer without a body
    api GET "$path" "$token" -D "$tmp/headers" "$@"
}

"$hub" import --db "$db" "$data/content.json" >/dev/null
admin=$(hub_token "$tmp/hub.db" admin admin)
staff=$(hub_token "$tmp/hub.db" staff staff)
kiosk=$(hub_token "$tmp/hub.db" k1 kiosk tiers-lieu)

# ---- blob add -------------------------------------------------------------------
png "$tmp/green.png" 40 30 0 128 0
# --blobs: the folder hub_start gives the hub (needed on PostgreSQL).
name=$("$hub" blob add --db "$db" --blobs "$tmp/hub.db.blobs" "$tmp/green.png")
check "blob add stores the rendition beside the database, named by its SHA-256" bash -c \
    "[ \"\$(sha256sum '$tmp/hub.db.blobs/$name' | cut -d' ' -f1)\" = '$name' ] &&
     [ \"\$(vipsheader -f width '$tmp/hub.db.blobs/$name')x\$(vipsheader -f height '$tmp/hub.db.blobs/$name')\" = 40x30 ]"
check "blob add of the same picture again: the same name, one file" bash -c \
    "[ \"\$('$hub' blob add --db '$db' --blobs '$tmp/hub.db.blobs' '$tmp/green.png')\" = '$name' ] &&
     [ \"\$(ls -A '$tmp/hub.db.blobs' | wc -l)\" = 1 ]"
printf 'PK\003\004 not a picture' >"$tmp/not.png"
check "blob add refuses what is not a picture (exit 1, nothing stored)" bash -c \
    "'$hub' blob add --db '$db' --blobs '$tmp/hub.db.blobs' '$tmp/not.png' 2>'$tmp/err'; [ \$? = 1 ] &&
     grep -q 'not_image' '$tmp/err' && [ \"\$(ls -A '$tmp/hub.db.blobs' | wc -l)\" = 1 ]"
check "blob add without a folder is a usage error" bash -c \
    "'$hub' blob add '$tmp/green.png' 2>/dev/null; [ \$? = 2 ]"

hub_start "$tmp/hub.db" "$tmp/hub.log" 0 || { not_ok "hub starts"; test_done; }

# ---- GET /v1/blobs/<sha256> -------------------------------------------------------
for who in kiosk staff admin; do
    st=$(get "${!who}" "/v1/blobs/$name")
    check "a $who token gets the picture: 200, its bytes" bash -c \
        "[ $st = 200 ] && cmp -s '$tmp/out' '$tmp/hub.db.blobs/$name'"
done
check "its type, ETag and a year of private, immutable caching" bash -c \
    "[ \"\$(sed -n 's/^Content-Type: *//Ip' '$tmp/headers' | tr -d '\r')\" = image/png ] &&
     [ \"\$(sed -n 's/^ETag: *//Ip' '$tmp/headers' | tr -d '\r')\" = '\"$name\"' ] &&
     [ \"\$(sed -n 's/^Cache-Control: *//Ip' '$tmp/headers' | tr -d '\r')\" = 'private, max-age=31536000, immutable' ]"
st=$(get "$kiosk" "/v1/blobs/$name" -H "If-None-Match: \"$name\"")
check "If-None-Match with its ETag: 304 without a body" bash -c \
    "[ $st = 304 ] && [ ! -s '$tmp/out' ] && [ \"\$(sed -n 's/^ETag: *//Ip' '$tmp/headers' | tr -d '\r')\" = '\"$name\"' ]"
st=$(get "$kiosk" "/v1/blobs/$name" -H "If-None-Match: \"abc\", W/\"$name\"")
check "If-None-Match listing it among others: 304" is "$st" 304
st=$(get "$kiosk" "/v1/blobs/$name" -H 'If-None-Match: "abc"')
check "If-None-Match with another tag: 200" is "$st" 200
st=$(api HEAD "/v1/blobs/$name" "$kiosk" -I)
check "HEAD: 200" is "$st" 200
st=$(get "" "/v1/blobs/$name")
check "without a token: 401" is "$st" 401
missing=$(printf 'missing' | sha256sum | cut -d' ' -f1)
st=$(get "$kiosk" "/v1/blobs/$missing")
check "an unknown picture: 404 not_found" bash -c \
    "[ $st = 404 ] && jq -e '.error == \"not_found\"' '$tmp/out' >/dev/null"
for bad in "${name^^}" "${name:1}" "${name}0" "xyz" "$(printf 'a%.0s' {1..200})"; do
    st=$(get "$kiosk" "/v1/blobs/$bad")
    check "a malformed name (${bad:0:12}...): 400 invalid" bash -c \
        "[ $st = 400 ] && jq -e '.error == \"invalid\"' '$tmp/out' >/dev/null"
done
st=$(get "$kiosk" "/v1/blobs/../hub.db" --path-as-is)
check "a path out of the folder: no such endpoint" bash -c \
    "[ $st = 404 ] && jq -e '.error == \"not_found\"' '$tmp/out' >/dev/null"
st=$(api POST "/v1/blobs/$name" "$kiosk" -d x)
check "another method: 405" is "$st" 405

# ---- rows naming a picture -----------------------------------------------------------
# push TOKEN ROW: one organization upsert; the result's status[:error:field].
push_org() {
    printf '{"format":"sceaux/1","changes":[{"id":"c%s","table":"organization","op":"upsert","row":%s}]}' \
        "$RANDOM$RANDOM" "$2" >"$tmp/body"
    api POST /v1/push "$1" --data-binary @"$tmp/body" >/dev/null
    jq -r '.results[0] | .status + (if .error then ":" + .error + ":" + .field else "" end)' "$tmp/out"
}
org() { # picture alt-json
    printf '{"id":"o-pic","name":"Asso","kind":"association","description":"D","picture":"%s","picture_alt":%s}' "$1" "$2"
}
check "a picture without its alternative text: invalid picture_alt" \
    is "$(push_org "$staff" "$(org "$name" null)")" "rejected:invalid:picture_alt"
check "a blank alternative text: invalid picture_alt" \
    is "$(push_org "$staff" "$(org "$name" '" \u00a0 "')")" "rejected:invalid:picture_alt"
check "a picture that is not a SHA-256: invalid picture" \
    is "$(push_org "$staff" "$(org "${name:0:63}" '"Logo"')")" "rejected:invalid:picture"
check "a picture with its alternative text: applied" \
    is "$(push_org "$staff" "$(org "$name" '"Le logo vert de l’association"')")" applied
st=$(api GET "/v1/changes?since=0" "$kiosk")
check "a kiosk pulls the row with its picture and alternative text" bash -c "[ $st = 200 ] && jq -e '
    [.changes[] | select(.table == \"organization\" and .row.id == \"o-pic\") | .row |
     .picture == \"$name\" and .picture_alt == \"Le logo vert de l’association\"] == [true]' '$tmp/out' >/dev/null"
check "rows without a picture carry null" bash -c "jq -e '
    [.changes[] | select(.table == \"event\") | .row | has(\"picture\") and .picture == null
     and .picture_alt == null] | all and length > 0' '$tmp/out' >/dev/null"
# ---- POST /v1/blobs: uploads ---------------------------------------------------------
# upload TOKEN FILE [curl args...]: the status; the answer in $tmp/out.
upload() {
    local token=$1 file=$2
    shift 2
    api POST /v1/blobs "$token" -H 'Content-Type: application/octet-stream' \
        --data-binary @"$file" "$@"
}
# refused_as FILE REASON: a staff upload of FILE is 400 invalid, field
# picture, with that reason, and stores nothing; its time is printed.
refused_as() {
    local before t0 st
    before=$(ls -A "$tmp/hub.db.blobs" | wc -l)
    t0=$(now_ms)
    st=$(upload "$staff" "$1")
    echo "# $2: refused in $(($(now_ms) - t0)) ms ($(stat -c %s "$1") bytes sent)"
    [ "$st" = 400 ] && jq -e --arg r "$2" '.error == "invalid" and .field == "picture" and
        .reason == $r and (.message | length) > 0' "$tmp/out" >/dev/null &&
        [ "$(ls -A "$tmp/hub.db.blobs" | wc -l)" = "$before" ] ||
        { echo "  $st $(cat "$tmp/out")" >&2; return 1; }
}
# pngfile FILE W H TEXT-BYTES IHDR-W IHDR-H: a PNG of W x H pixels whose
# header claims IHDR-W x IHDR-H, with a text chunk of TEXT-BYTES.
pngfile() {
    python3 - "$@" <<'EOF'
import struct, sys, zlib
path, w, h, text, cw, ch = sys.argv[1], *map(int, sys.argv[2:])
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
raw = b"".join(b"\0" + b"\x10\x20\x30" * w for _ in range(h))
extra = chunk(b"tEXt", b"Comment\0" + b"x" * text) if text else b""
with open(path, "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", cw, ch, 8, 2, 0, 0, 0))
            + extra + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
EOF
}

# A phone photo: 2000 x 1500, turned a quarter by its EXIF orientation,
# with a GPS position, an author and a comment.
vips gaussnoise "$tmp/noise.v" 2000 1500 && vips cast "$tmp/noise.v" "$tmp/phone.jpg" uchar
exiftool -q -overwrite_original -GPSLatitude=48.7784 -GPSLatitudeRef=N -GPSLongitude=2.2905 \
    -GPSLongitudeRef=E -Orientation#=6 -Artist='Camille Dupont' -Comment='chez moi' "$tmp/phone.jpg"
check "the test photo carries a GPS position and an orientation" bash -c \
    "exiftool -s -GPSLatitude -Orientation '$tmp/phone.jpg' | grep -q 'Rotate 90'"
st=$(upload "$staff" "$tmp/phone.jpg")
photo=$(jq -r .sha256 "$tmp/out")
check "a staff token uploads a photo: 200, its rendition's name, type and size" bash -c \
    "[ $st = 200 ] && jq -e '.type == \"image/jpeg\" and .width == 960 and .height == 1280' '$tmp/out' >/dev/null &&
     [ \"\$(sha256sum '$tmp/hub.db.blobs/$photo' | cut -d' ' -f1)\" = '$photo' ]"
exiftool -a -G1 -s "$tmp/hub.db.blobs/$photo" >"$tmp/meta"
# exiftool's groups other than the file's own facts would be metadata.
check "what is stored has no metadata at all (no EXIF, GPS, XMP, comment)" bash -c \
    "! grep -vE '^\[(ExifTool|System|File|Composite)\]' '$tmp/meta' &&
     ! grep -qiE 'GPS|Camille|chez moi|Orientation' '$tmp/meta'"
check "it was turned upright by its orientation before the tag went" bash -c \
    "[ \"\$(vipsheader -f width '$tmp/hub.db.blobs/$photo')\" = 960 ]"
st=$(get "$kiosk" "/v1/blobs/$photo")
check "a kiosk gets the uploaded picture" bash -c "[ $st = 200 ] && cmp -s '$tmp/out' '$tmp/hub.db.blobs/$photo'"
vips black "$tmp/clear.v" 300 200 --bands 4 && vips copy "$tmp/clear.v" "$tmp/clear.png"
st=$(upload "$admin" "$tmp/clear.png")
check "an admin token uploads a PNG with transparency: stored as PNG" bash -c \
    "[ $st = 200 ] && jq -e '.type == \"image/png\" and .width == 300' '$tmp/out' >/dev/null"

st=$(upload "$kiosk" "$tmp/phone.jpg")
check "a kiosk token may not upload: 403" bash -c "[ $st = 403 ] && jq -e '.error == \"forbidden\"' '$tmp/out' >/dev/null"
st=$(upload "" "$tmp/phone.jpg")
check "without a token: 401" is "$st" 401
st=$(upload "$staff" "$tmp/phone.jpg" -H 'Content-Encoding: gzip')
check "an encoded body: 415" is "$st" 415
head -c $((16 * 1024 * 1024 + 1)) /dev/zero >"$tmp/huge.bin"
st=$(upload "$staff" "$tmp/huge.bin")
check "over 16 MiB: 413 too_big" bash -c "[ $st = 413 ] && jq -e '.error == \"too_big\"' '$tmp/out' >/dev/null"

# Hostile uploads, each refused with its reason.
printf '%s\n' 'Bonjour, je ne suis pas une image.' >"$tmp/text.jpg"
check "not an image: not_image" refused_as "$tmp/text.jpg" not_image
pngfile "$tmp/bomb.png" 64 48 0 100000 100000
check "a PNG whose header claims 100,000 x 100,000 pixels: too_many_pixels" \
    refused_as "$tmp/bomb.png" too_many_pixels
head -c $(($(stat -c %s "$tmp/phone.jpg") / 2)) "$tmp/phone.jpg" >"$tmp/truncated.jpg"
check "a truncated JPEG: truncated" refused_as "$tmp/truncated.jpg" truncated
python3 -c '
import io, sys, zipfile
z = io.BytesIO()
with zipfile.ZipFile(z, "w") as a:
    a.writestr("payload.html", "<script>alert(1)</script>")
open(sys.argv[2], "wb").write(open(sys.argv[1], "rb").read() + z.getvalue())
' "$tmp/green.png" "$tmp/poly.png"
check "the polyglot is a ZIP that a ZIP reader lists" bash -c \
    "python3 -m zipfile -l '$tmp/poly.png' | grep -q payload"
check "a file that is both a PNG and a ZIP: polyglot" refused_as "$tmp/poly.png" polyglot
pngfile "$tmp/meta.png" 64 48 3000000 64 48
check "a huge metadata block (3 MB of PNG text): metadata_too_big" \
    refused_as "$tmp/meta.png" metadata_too_big
cp "$tmp/phone.jpg" "$tmp/corrupt.jpg"
printf '\377\320\377\325\000\000\000\000\000\000\000\000' |
    dd of="$tmp/corrupt.jpg" bs=1 seek=$(($(stat -c %s "$tmp/phone.jpg") / 2)) conv=notrunc 2>/dev/null
check "a JPEG with corrupt data: malformed" refused_as "$tmp/corrupt.jpg" malformed

# The cheapest upload that costs the hub the most: one colour over 7000 x
# 7000 pixels (just under the limit), a few hundred kilobytes that
# inflate to 147 MB of pixels.
vips black "$tmp/flat.v" 7000 7000 --bands 3 && vips copy "$tmp/flat.v" "$tmp/flat.png[compression=9]"
rm -f "$tmp/flat.v" "$tmp/noise.v" "$tmp/clear.v"
t0=$(now_ms)
curl -s -o "$tmp/flat.out" -w '%{http_code}' -H "Authorization: Bearer $staff" \
    --data-binary @"$tmp/flat.png" "$hub_url/v1/blobs" >"$tmp/flat.st" &
flat_pid=$!
# While it is checked, another upload is told to come back in a second.
# The other upload waits for the hub's checker process to exist: sent
# sooner, it could take the slot itself and leave the big one the 429.
checking() { pgrep -P "$hub_pid" -x sceaux-picture >/dev/null || ! kill -0 "$flat_pid" 2>/dev/null; }
busy=
wait_until 60 checking
if [ "$(upload "$staff" "$tmp/green.png" -D "$tmp/busy.h")" = 429 ] &&
    grep -qi '^Retry-After: 1' "$tmp/busy.h"; then
    busy=yes
fi
wait "$flat_pid"
echo "# the 7000 x 7000 one-colour PNG ($(stat -c %s "$tmp/flat.png") bytes): checked in $(($(now_ms) - t0)) ms"
check "the largest picture allowed is taken (rendition 1280 px)" bash -c \
    "[ \"\$(cat '$tmp/flat.st')\" = 200 ] && jq -e '.width == 1280' '$tmp/flat.out' >/dev/null"
check "an upload while another is checked: 429 with Retry-After: 1" test -n "$busy"
st=$(api GET /v1/health "")
check "the hub answers after all of this" is "$st" 200

hub_stop

# ---- --blobs DIR ----------------------------------------------------------------------
mkdir -p "$tmp/elsewhere"
png "$tmp/red.png" 8 8 200 0 0
red=$("$hub" blob add --blobs "$tmp/elsewhere/pics" "$tmp/red.png")
hub_start "$tmp/hub.db" "$tmp/hub.log" 0 --blobs "$tmp/elsewhere/pics" ||
    { not_ok "hub starts with --blobs"; test_done; }
st=$(get "$kiosk" "/v1/blobs/$red")
check "serve --blobs DIR answers from that folder" bash -c \
    "[ $st = 200 ] && cmp -s '$tmp/out' '$tmp/elsewhere/pics/$red'"
st=$(get "$kiosk" "/v1/blobs/$name")
check "and not from the default one" is "$st" 404
hub_stop
check "the hub stops cleanly" is "$?" 0

# ---- backup and restore: the pictures go with the database ------------------------------
# SQLite's file copy; on PostgreSQL backup and restore are pg_dump's
# (sync/hub/README.md), and a copy of the database (hub_db_copy) stands
# for a restored one without its pictures.
# pictures_match DIR DIR2: the same names in both, each file hashing to its name.
pictures_match() {
    [ "$(ls "$1" | sort)" = "$(ls "$2" | sort)" ] && [ -n "$(ls "$2")" ] &&
        (cd "$2" && for f in *; do echo "$f  $f"; done | sha256sum -c --quiet)
}
backup_restore() {
    mkdir -p "$tmp/backup"
    check "backup writes the pictures beside the copy (OUT.blobs), each whole" bash -c \
        "'$hub' backup --db '$tmp/hub.db' '$tmp/backup/hub-1.db' &&
         $(declare -f pictures_match); pictures_match '$tmp/hub.db.blobs' '$tmp/backup/hub-1.db.blobs'"
    check "on the same file system they are hard links, costing no space" bash -c \
        "[ \"\$(stat -c %i '$tmp/hub.db.blobs/$photo')\" = \"\$(stat -c %i '$tmp/backup/hub-1.db.blobs/$photo')\" ]"
    # Elsewhere (a tmpfs): copied, each checked against its name; a picture
    # altered on the hub is left out and said so.
    shm=$(mktemp -d /dev/shm/sceaux-backup.XXXXXX)
    cp "$tmp/hub.db.blobs/$name" "$tmp/green.keep"
    rm "$tmp/hub.db.blobs/$name" && printf 'altered' >"$tmp/hub.db.blobs/$name"
    "$hub" backup --db "$tmp/hub.db" "$shm/hub-2.db" 2>"$tmp/err"
    check "on another file system they are copied; an altered one is left out, and said" bash -c \
        "[ \$? = 0 ] && grep -q '1 pictures .* no longer match' '$tmp/err' && [ ! -e '$shm/hub-2.db.blobs/$name' ] &&
         [ \"\$(stat -c %h '$shm/hub-2.db.blobs/$photo')\" = 1 ] && cmp -s '$shm/hub-2.db.blobs/$photo' '$tmp/hub.db.blobs/$photo'"
    rm -rf "$shm"
    cp "$tmp/green.keep" "$tmp/hub.db.blobs/$name"
    check "restore brings the backup's pictures into the restored hub's folder" bash -c \
        "'$hub' restore --db '$tmp/restored.db' '$tmp/backup/hub-1.db' &&
         $(declare -f pictures_match); pictures_match '$tmp/backup/hub-1.db.blobs' '$tmp/restored.db.blobs'"

    cp "$tmp/backup/hub-1.db" "$tmp/lost.db"
    check "restore from a backup without its pictures: done, and said" bash -c \
        "'$hub' restore --db '$tmp/nopics.db' '$tmp/lost.db' 2>'$tmp/err' && grep -q 'no pictures in' '$tmp/err'"
}
if [ "${SCEAUX_TEST_DB:-}" = pg ]; then
    skip "backup and restore with their pictures" "SQLite's file backup (pg_dump on PostgreSQL)"
    hub_db_copy "$tmp/hub.db" "$tmp/nopics.db"
else
    backup_restore
fi

# A row naming a picture the hub lacks (a backup whose pictures were lost,
# an import of rows from elsewhere): the row is kept and served, the
# picture answers 404, and kiosks keep its placeholder (docs/protocol.md).
hub_start "$tmp/nopics.db" "$tmp/hub.log" 0 || { not_ok "the restored hub starts"; test_done; }
missing=$(printf 'a picture nobody uploaded' | sha256sum | cut -c1-64)
check "a push naming a picture the hub lacks is applied" \
    is "$(push_org "$staff" "$(printf '{"id":"o-lost","name":"Asso","kind":"association","description":"D","picture":"%s","picture_alt":"Logo"}' "$missing")")" applied
st=$(get "$kiosk" "/v1/blobs/$missing")
check "that picture answers 404 not_found" bash -c "[ $st = 404 ] && jq -e '.error == \"not_found\"' '$tmp/out' >/dev/null"
st=$(get "$kiosk" "/v1/changes?since=0&limit=5000")
check "and the rows naming pictures it lacks are pulled as they are" bash -c \
    "[ $st = 200 ] && jq -e --arg m '$missing' '[.changes[] | select(.row.picture == \$m)] | length == 1' '$tmp/out' >/dev/null"
hub_stop
test_done
