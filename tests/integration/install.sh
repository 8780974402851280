#!/usr/bin/env bash
# install.sh: `make install` into a DESTDIR, as a Debian service expects it.
# Prints "ok NAME" / "not ok NAME" per case.
#
# Cases: every file in place (programs, console, data, man pages, units,
# sysusers, /etc/sceaux/*.conf) with the units' paths filled in; an
# edited config survives a second install; the man pages render without a
# groff warning; `systemd-analyze verify` finds nothing to say on any unit
# (the units' program paths pointed at the DESTDIR, man pages looked up
# there); each service's exposure by `systemd-analyze security` is under
# 3 (of 10); the hub's and the backup's command lines, expanded from the
# shipped hub.conf as systemd does, start the hub and write a backup.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup

root=$tmp/root
# The binaries under test: build/ is the release flavour, others asan.
flavor=asan
[ "$bin" = "$top/build" ] && flavor=release
not_ok_log=$tmp/make.log
if make -s -C "$top" install FLAVOR="$flavor" OUT="$bin" PREFIX=/usr DESTDIR="$root" \
    >"$tmp/make.log" 2>&1; then
    ok "make install PREFIX=/usr DESTDIR=... exits 0"
else
    not_ok "make install PREFIX=/usr DESTDIR=... exits 0"
    test_done
fi
not_ok_log=

units="sceaux-hub.service sceaux-syncd.service sceaux-kiosk.service sceaux-backup.service
sceaux-backup.timer"
missing=
for f in usr/bin/sceaux-hub usr/bin/sceaux-picture usr/bin/sceaux-syncd usr/bin/sceaux-kiosk \
    usr/bin/sceaux-admin \
    usr/share/sceaux/sceaux.json usr/share/sceaux/console/index.html \
    usr/share/man/man1/sceaux-{hub,syncd,kiosk,admin}.1 usr/lib/sysusers.d/sceaux.conf \
    etc/sceaux/{hub,syncd,kiosk}.conf $(printf 'usr/lib/systemd/system/%s ' $units); do
    [ -s "$root/$f" ] || missing="$missing $f"
done
check "every file is installed${missing:+ (missing:$missing)}" test -z "$missing"
check "the installed hub runs" "$root/usr/bin/sceaux-hub" --version >/dev/null
check "the installed hub checks a picture with the sceaux-picture beside it" bash -c \
    "'$root/usr/bin/sceaux-hub' blob add --blobs '$tmp/installed.blobs' \
        '$top/tests/data/picture/small.png' | grep -qx '[0-9a-f]\{64\}'"
unitdir=$root/usr/lib/systemd/system
check "the units' paths are filled in" \
    test "$(grep -l '@[A-Z]*@' "$unitdir"/sceaux-* | wc -l)" = 0
check "the units start /usr/bin's programs" grep -q '^ExecStart=/usr/bin/sceaux-hub serve' \
    "$unitdir/sceaux-hub.service"

echo "SCEAUX_HUB_LISTEN=127.0.0.1:1 # edited" >>"$root/etc/sceaux/hub.conf"
make -s -C "$top" install FLAVOR="$flavor" OUT="$bin" PREFIX=/usr DESTDIR="$root" \
    >>"$tmp/make.log" 2>&1
check "a second install keeps an edited config" grep -q "# edited" "$root/etc/sceaux/hub.conf"
sed -i '$d' "$root/etc/sceaux/hub.conf"

# Copies of the units that start the programs of the DESTDIR.
mkdir -p "$tmp/units"
for u in $units; do
    sed "s|/usr/bin/sceaux-|$root/usr/bin/sceaux-|g" "$unitdir/$u" >"$tmp/units/$u"
done

# ---- man pages -------------------------------------------------------------------
if command -v groff >/dev/null; then
    for m in "$root"/usr/share/man/man1/*.1; do
        out=$(groff -man -ww -z "$m" 2>&1)
        check "${m##*/} renders without a warning" test -z "$out"
    done
else
    echo "# groff missing: the man pages were not rendered"
fi

# ---- systemd-analyze -------------------------------------------------------------
if command -v systemd-analyze >/dev/null; then
    for u in $units; do
        out=$(cd "$tmp/units" && MANPATH=$root/usr/share/man systemd-analyze verify "$u" 2>&1)
        rc=$?
        if [ $rc -eq 0 ] && [ -z "$out" ]; then
            ok "systemd-analyze verify $u"
        else
            not_ok "systemd-analyze verify $u (exit $rc)" "$out"
        fi
    done
    for u in sceaux-hub sceaux-syncd sceaux-kiosk sceaux-backup; do
        level=$(systemd-analyze security --offline=yes "$tmp/units/$u.service" 2>/dev/null |
            sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p')
        if [ -n "$level" ] && awk -v l="$level" 'BEGIN { exit !(l < 3) }'; then
            ok "$u.service is hardened (exposure $level of 10)"
        else
            not_ok "$u.service is hardened (exposure '$level' of 10, want under 3)"
        fi
    done
else
    echo "not ok systemd-analyze is missing (apt-get install systemd)"
    failures=$((failures + 1))
fi

# ---- the units' command lines with the shipped configuration ----------------------
# expand UNIT KEY CONF: KEY's command line, with ${VAR} (one word) and $VAR
# (split on spaces) taken from CONF, $$ and %% unescaped as systemd does;
# one argument a line.
expand() {
    python3 - "$@" <<'PY'
import re, shlex, sys
unit, key, conf = sys.argv[1:4]
env = {}
for line in open(conf):
    line = line.strip()
    if line and not line.startswith("#"):
        k, _, v = line.partition("=")
        env[k] = v
cmd = next(l.split("=", 1)[1] for l in open(unit) if l.startswith(key + "="))
out = []
for word in shlex.split(cmd):
    if re.fullmatch(r"\$[A-Z_]+", word):
        out += env.get(word[1:], "").split()
        continue
    word = re.sub(r"(?<!\$)\$\{([A-Z_]+)\}", lambda m: env.get(m.group(1), ""), word)
    out.append(word.replace("$$", "$").replace("%%", "%"))
print("\n".join(out))
PY
}
conf=$tmp/hub.conf
sed -e "s|^SCEAUX_HUB_DB=.*|SCEAUX_HUB_DB=$tmp/hub.db|" -e "s|^SCEAUX_HUB_LISTEN=.*|SCEAUX_HUB_LISTEN=127.0.0.1:0|" \
    -e "s|^SCEAUX_BACKUP_DIR=.*|SCEAUX_BACKUP_DIR=$tmp/backup|" "$root/etc/sceaux/hub.conf" >"$conf"
mapfile -t argv < <(expand "$tmp/units/sceaux-hub.service" ExecStart "$conf")
"${argv[@]}" >"$tmp/hub.log" 2>&1 &
hub_pid=$!
listening() { grep -q "listening on" "$tmp/hub.log"; }
check "the hub unit's command line with hub.conf's defaults serves" wait_until 20 listening
stop_pid "$hub_pid"
mkdir -p "$tmp/backup"
mapfile -t argv < <(expand "$tmp/units/sceaux-backup.service" ExecStart "$conf")
# shellcheck disable=SC2046 # the variables the unit's EnvironmentFile= sets
env $(grep -E '^[A-Z_]+=' "$conf") "${argv[@]}" >"$tmp/backup.log" 2>&1
check "the backup unit's command line writes a dated copy" \
    test "$(find "$tmp/backup" -name 'hub-*.db' -size +0 | wc -l)" = 1
test_done
