#!/usr/bin/env bash
# Integration tests of the hub's pictures (docs/protocol.md, "Pictures"):
# `sceaux-hub blob add`, GET /v1/blobs/<sha256> for every role (200 with
# the bytes, type and cache headers, 304, 404, 400), the --blobs folder,
# and rows naming a picture (its alternative text required). Prints
# "ok NAME" / "not ok NAME" per case. Needs curl, jq, python3, sha256sum.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
hub="$bin/sceaux-hub"
data="$top/tests/data/hub"

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
is() { [ "$1" = "$2" ] || { echo "  expected '$2', got '$1'" >&2; return 1; }; }
# header NAME: the value of the answer's header NAME in $tmp/headers.
header() { sed -n "s/^$1: *//Ip" "$tmp/headers" | tr -d '\r' | tail -1; }
# get TOKEN PATH [curl args...]: the status; body in $tmp/out, headers in $tmp/headers.
get() {
    local token=$1 path=$2
    shift 2
    rm -f "$tmp/out" # curl writes no file for an answer without a body
    api GET "$path" "$token" -D "$tmp/headers" "$@"
}

"$hub" import --db "$tmp/hub.db" "$data/content.json" >/dev/null
admin=$(hub_token "$tmp/hub.db" admin admin)
staff=$(hub_token "$tmp/hub.db" staff staff)
kiosk=$(hub_token "$tmp/hub.db" k1 kiosk tiers-lieu)

# ---- blob add -------------------------------------------------------------------
png "$tmp/green.png" 40 30 0 128 0
want=$(sha256sum "$tmp/green.png" | cut -d' ' -f1)
name=$("$hub" blob add --db "$tmp/hub.db" "$tmp/green.png")
check "blob add prints the picture's SHA-256" is "$name" "$want"
check "blob add stores it beside the database, under its name" \
    cmp "$tmp/green.png" "$tmp/hub.db.blobs/$name"
check "blob add of the same picture again: the same name, one file" bash -c \
    "[ \"\$('$hub' blob add --db '$tmp/hub.db' '$tmp/green.png')\" = '$name' ] &&
     [ \"\$(ls -A '$tmp/hub.db.blobs' | wc -l)\" = 1 ]"
printf 'PK\003\004 not a picture' >"$tmp/not.png"
check "blob add refuses what is not a picture (exit 1, nothing stored)" bash -c \
    "'$hub' blob add --db '$tmp/hub.db' '$tmp/not.png' 2>'$tmp/err'; [ \$? = 1 ] &&
     grep -q 'not a JPEG or PNG' '$tmp/err' && [ \"\$(ls -A '$tmp/hub.db.blobs' | wc -l)\" = 1 ]"
check "blob add without a folder is a usage error" bash -c \
    "'$hub' blob add '$tmp/green.png' 2>/dev/null; [ \$? = 2 ]"

hub_start "$tmp/hub.db" "$tmp/hub.log" 0 || { not_ok "hub starts"; test_done; }

# ---- GET /v1/blobs/<sha256> -------------------------------------------------------
for who in kiosk staff admin; do
    st=$(get "${!who}" "/v1/blobs/$name")
    check "a $who token gets the picture: 200, its bytes" bash -c \
        "[ $st = 200 ] && cmp -s '$tmp/out' '$tmp/green.png'"
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
hub_stop

# ---- --blobs DIR ----------------------------------------------------------------------
mkdir -p "$tmp/elsewhere"
png "$tmp/red.png" 8 8 200 0 0
red=$("$hub" blob add --blobs "$tmp/elsewhere/pics" "$tmp/red.png")
hub_start "$tmp/hub.db" "$tmp/hub.log" 0 --blobs "$tmp/elsewhere/pics" ||
    { not_ok "hub starts with --blobs"; test_done; }
st=$(get "$kiosk" "/v1/blobs/$red")
check "serve --blobs DIR answers from that folder" bash -c \
    "[ $st = 200 ] && cmp -s '$tmp/out' '$tmp/red.png'"
st=$(get "$kiosk" "/v1/blobs/$name")
check "and not from the default one" is "$st" 404
hub_stop
check "the hub stops cleanly" is "$?" 0
test_done
