#!/usr/bin/env bash
# The kiosk under a real Wayland compositor, as on a kiosk machine with no
# desktop: cage (headless wlroots output of 1280x720, software rendering)
# runs sceaux-kiosk through Xwayland, as an unprivileged user (cage refuses
# root). The kiosk must take the size the compositor gives, not its own
# default: its screenshot is 1280x720 and every element, the bottom
# navigation included, lies inside it.
. "$(dirname "$0")/lib/common.sh"
test_setup
for t in cage Xwayland setpriv jq; do
    command -v "$t" >/dev/null || { not_ok "cage_setup (missing $t)"; test_done; }
done
chmod 777 "$tmp"
# The user may not reach the build folder (a clone under /root): the
# kiosk runs from a copy in the test's folder.
cp "$bin/sceaux-kiosk" "$tmp/sceaux-kiosk"
"$bin/sceaux-loadreplica" --db "$tmp/k.db" "$top/assets/sceaux.json" >/dev/null ||
    { not_ok cage_setup; test_done; }
chmod 666 "$tmp/k.db"
cat >"$tmp/s.txt" <<'SCRIPT'
wait Accueil
screenshot home.png
dump home.json
quit
SCRIPT
mkdir -m 700 "$tmp/xdg" && chown nobody "$tmp/xdg"
not_ok_log=$tmp/cage.log
# LSan cannot trace a process under another user's ptrace rules here, and
# leaks are checked in every other kiosk test.
(cd "$tmp" && timeout 60 setpriv --reuid=nobody --regid=nogroup --clear-groups env -i PATH="$PATH" \
    XDG_RUNTIME_DIR="$tmp/xdg" WLR_BACKENDS=headless WLR_RENDERER=pixman \
    WLR_LIBINPUT_NO_DEVICES=1 ASAN_OPTIONS=detect_leaks=0 \
    cage -s -- env SDL_VIDEODRIVER=x11 "$tmp/sceaux-kiosk" --db "$tmp/k.db" \
    --kiosk kiosk-cage --site site-sceaux-smart --fullscreen --script "$tmp/s.txt" \
    --screenshots "$tmp") >"$tmp/cage.log" 2>&1
rc=$?
check "cage_kiosk_runs ($rc)" test -s "$tmp/home.json"
size=$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]))' \
    "$tmp/home.png" 2>/dev/null)
check "cage_kiosk_takes_output_size ($size)" test "$size" = 1280x720
outside=$(jq '[.elements[] | select(.x < 0 or .y < 0 or .x + .w > 1280 or .y + .h > 720)] | length' \
    "$tmp/home.json" 2>/dev/null)
check "cage_nothing_cut_off (${outside:-?} outside)" test "${outside:-1}" -eq 0
nav=$(jq '[.elements[] | select(.label == "Idées")] | length' "$tmp/home.json" 2>/dev/null)
check cage_navigation_shown test "${nav:-0}" -ge 1
test_done
