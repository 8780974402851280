#!/usr/bin/env bash
# Integration tests of the upload check in a process of its own
# (sync/hub/picture.h): the hub does not link libvips; a checker that
# crashes, hangs past --picture-seconds or runs out of its
# --picture-memory-mib refuses the upload as check_failed with a clear
# message, stores nothing, leaves no process behind, and the hub goes on
# serving and checking. Prints "ok NAME" / "not ok NAME" per case. Needs
# curl, jq, ldd and vips. Not run under ThreadSanitizer (libvips, as
# hub_blobs.sh says).
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
hub="$bin/sceaux-hub"
checker="$bin/sceaux-picture"
[ -x "$checker" ] || setup_fail "no $checker (a build without libvips)"

staff=$(hub_token "$tmp/hub.db" staff staff)
vips black "$tmp/small.v" 300 200 --bands 3 && vips copy "$tmp/small.v" "$tmp/small.jpg"
# One colour over 7000 x 7000 pixels: the check takes long enough, even
# in a release build, for the test to catch its process at work.
vips black "$tmp/flat.v" 7000 7000 --bands 3 && vips copy "$tmp/flat.v" "$tmp/flat.png[compression=9]"
rm -f "$tmp/small.v" "$tmp/flat.v"

check "the hub does not link libvips; sceaux-picture does" bash -c \
    "! ldd '$hub' | grep -q libvips && ldd '$checker' | grep -q libvips"

stored() { ls -A "$tmp/hub.db.blobs" 2>/dev/null | wc -l; }
upload() { # FILE: the status, the answer in $tmp/out
    api POST /v1/blobs "$staff" -H 'Content-Type: application/octet-stream' --data-binary @"$1"
}
# child_of_hub: sets child to the pid of the hub's sceaux-picture, once there.
child_of_hub() {
    child=$(ps -o pid= --ppid "$hub_pid" | tr -d ' ' | head -1)
    [ -n "$child" ] && [ "$(cat "/proc/$child/comm")" = sceaux-picture ]
}
# upload_while SIGNAL: uploads flat.png, sends SIGNAL to the checker as
# soon as it runs; the status in $tmp/st, the answer in $tmp/out.
upload_while() {
    child=
    upload "$tmp/flat.png" >"$tmp/st" &
    local up=$!
    wait_until 60 child_of_hub && kill -"$1" "$child"
    wait "$up"
}
# refused_check_failed TEXT: the last upload was refused as check_failed,
# its message containing TEXT, and nothing was stored.
refused_check_failed() {
    [ "$(cat "$tmp/st")" = 400 ] &&
        jq -e --arg t "$1" '.error == "invalid" and .field == "picture" and
            .reason == "check_failed" and (.message | contains($t))' "$tmp/out" >/dev/null &&
        [ "$(stored)" = 0 ] || { echo "  $(cat "$tmp/st") $(cat "$tmp/out")" >&2; return 1; }
}
no_child() { [ -z "$(ps -o pid= --ppid "$hub_pid")" ]; }

# ---- a checker that crashes -------------------------------------------------------
# (An AddressSanitizer build would catch the SEGV and exit 1: let it through.)
ASAN_OPTIONS="${ASAN_OPTIONS:-}:handle_segv=0" hub_start "$tmp/hub.db" "$tmp/hub.log" 0 ||
    { not_ok "hub starts"; test_done; }
upload_while SEGV
check "a checker that crashes: check_failed, 'stopped on signal 11'" \
    refused_check_failed "stopped on signal 11"
check "no process is left behind (reaped)" no_child
check "the hub still answers" is "$(api GET /v1/health "")" 200
check "and the next upload is checked and stored" bash -c \
    "[ \"\$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer $staff' \
        --data-binary @'$tmp/small.jpg' '$hub_url/v1/blobs')\" = 200 ] &&
     [ \"\$(ls -A '$tmp/hub.db.blobs' | wc -l)\" = 1 ]"
rm -f "$tmp/hub.db.blobs"/*
hub_stop

# ---- a checker that hangs: killed by the hub ------------------------------------------
hub_start "$tmp/hub.db" "$tmp/hub.log" 0 --picture-seconds 1 || { not_ok "hub starts"; test_done; }
t0=$(now_ms)
upload_while STOP
stopped=$child
echo "# a stopped checker was refused after $(($(now_ms) - t0)) ms"
check "a checker past --picture-seconds: check_failed, 'took more than 1 s'" \
    refused_check_failed "took more than 1 s"
check "the hub killed it by its pid, and reaped it" bash -c "! kill -0 $stopped 2>/dev/null"
check "the hub still answers" is "$(api GET /v1/health "")" 200
hub_stop

# ---- a checker out of memory ---------------------------------------------------------
# AddressSanitizer's shadow memory allows no address-space limit: with a
# sanitized build, this case runs the release build (make check makes it).
asan_bin=$bin
ldd "$checker" | grep -q libasan && bin=$top/build
if [ ! -x "$bin/sceaux-picture" ] || ldd "$bin/sceaux-picture" | grep -q libasan; then
    skip "a checker past --picture-memory-mib: check_failed" "no release build in $top/build"
else
    echo "# with $bin's hub and checker"
    hub_start "$tmp/hub.db" "$tmp/hub.log" 0 --picture-memory-mib 64 ||
        { not_ok "hub starts"; test_done; }
    upload "$tmp/flat.png" >"$tmp/st"
    check "a checker past --picture-memory-mib: check_failed" refused_check_failed "the check"
    check "what it said is in the hub's log, on one line" \
        grep -q 'sceaux-picture said: .*\(memory\|allocat\)' "$tmp/hub.log"
    check "the hub still answers" is "$(api GET /v1/health "")" 200
    hub_stop
fi
bin=$asan_bin

# ---- no checker -------------------------------------------------------------------------
mkdir -p "$tmp/alone"
cp "$hub" "$tmp/alone/sceaux-hub"
check "a hub without sceaux-picture beside it refuses uploads as unsupported" bash -c \
    "'$tmp/alone/sceaux-hub' blob add --db '$(hub_db "$tmp/hub.db")' --blobs '$tmp/hub.db.blobs' '$tmp/small.jpg' 2>'$tmp/err';
     [ \$? = 1 ] && grep -q unsupported '$tmp/err' && [ \"\$(ls -A '$tmp/hub.db.blobs' | wc -l)\" = 0 ]"
test_done
