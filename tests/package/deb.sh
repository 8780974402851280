#!/usr/bin/env bash
# deb.sh: the packages of `make deb` in a fresh Debian 12 root, as root
# (`make deb-check` runs it). Prints "ok NAME" / "not ok NAME" per case.
#
# The root is a copy of SCEAUX_DEB_ROOT (a clean bookworm root, copied
# with cp -a, never changed) or else made by debootstrap, in this test's
# folder. Cases: dpkg -i + apt-get -f install; files, the sceaux user,
# /var/lib/sceaux, the hub's units enabled and the kiosk's not; the
# installed hub serves and the installed syncd fills a replica from it;
# an upgrade (the same packages one version up) keeps an edited config and
# the data; remove keeps data and configs; only purge deletes them.
# Not in make check: it copies or bootstraps a whole system and downloads
# the packages' dependencies.
set -u
# shellcheck source=../integration/lib/common.sh
. "$(dirname "$0")/../integration/lib/common.sh"
test_setup
debs=$top/build/deb

if [ "$(id -u)" != 0 ]; then
    echo "not ok deb-setup (run as root: it uses chroot)"
    exit 1
fi
if ! ls "$debs"/sceaux-hub_*.deb "$debs"/sceaux-kiosk_*.deb >/dev/null 2>&1; then
    echo "not ok deb-setup (no packages in $debs: run make deb)"
    exit 1
fi

root=$tmp/root
# Nothing is mounted in the root: the folder is removed with everything
# in it, and a bind mount there would take the host's files along.
if [ -n "${SCEAUX_DEB_ROOT:-}" ]; then
    cp -a --one-file-system "$SCEAUX_DEB_ROOT" "$root" || {
        echo "not ok deb-setup (cannot copy $SCEAUX_DEB_ROOT)"
        exit 1
    }
elif ! debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian \
    >"$tmp/debootstrap.log" 2>&1; then
    echo "not ok deb-setup (debootstrap failed, see $tmp/debootstrap.log)"
    exit 1
fi
# The copy leaves the mounted /dev behind: the few nodes scripts need.
mkdir -p "$root/dev"
for d in null zero random urandom; do
    [ -e "$root/dev/$d" ] || cp -a "/dev/$d" "$root/dev/"
done
cp /etc/resolv.conf "$root/etc/resolv.conf"
in_root() { DEBIAN_FRONTEND=noninteractive chroot "$root" "$@" </dev/null; }
as_sceaux() { chroot --userspec=sceaux:sceaux "$root" "$@" </dev/null; }
not_ok_log=$tmp/apt.log

# ---- install ------------------------------------------------------------------------
# The packages' paths inside the root (chroot runs no shell to expand them).
mkdir -p "$root/tmp/debs"
cp "$debs"/sceaux-hub_*.deb "$debs"/sceaux-kiosk_*.deb "$root/tmp/debs/"
pkgs=()
for d in "$root"/tmp/debs/*.deb; do pkgs+=("/tmp/debs/${d##*/}"); done
in_root dpkg -i "${pkgs[@]}" >"$tmp/apt.log" 2>&1
in_root apt-get update -q >>"$tmp/apt.log" 2>&1
fix() { in_root apt-get -f install -y -q >>"$tmp/apt.log" 2>&1; }
check "dpkg -i then apt-get -f install installs both packages" fix
installed() { in_root dpkg-query -W -f '${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
check "sceaux-hub is installed" installed sceaux-hub
check "sceaux-kiosk is installed" installed sceaux-kiosk
not_ok_log=

missing=
for f in usr/bin/sceaux-hub usr/bin/sceaux-picture usr/bin/sceaux-admin usr/bin/sceaux-syncd \
    usr/bin/sceaux-kiosk \
    usr/share/sceaux/console/index.html usr/share/man/man1/sceaux-hub.1.gz \
    lib/systemd/system/sceaux-hub.service lib/systemd/system/sceaux-backup.timer \
    lib/systemd/system/sceaux-syncd.service lib/systemd/system/sceaux-kiosk.service \
    etc/sceaux/hub.conf etc/sceaux/syncd.conf etc/sceaux/kiosk.conf \
    usr/share/fonts/truetype/noto/NotoSans-Regular.ttf \
    usr/share/fonts/truetype/materialdesignicons-webfont/materialdesignicons-webfont.ttf; do
    [ -e "$root/$f" ] || missing="$missing $f"
done
check "the files and the kiosk's fonts are in place${missing:+ (missing:$missing)}" test -z "$missing"
user_made() { in_root getent passwd sceaux >/dev/null; }
check "the sceaux system user exists" user_made
# The root's own stat: its user names are not the host's.
check "/var/lib/sceaux belongs to sceaux, mode 750" \
    test "$(in_root stat -c '%U %a' /var/lib/sceaux)" = "sceaux 750"
wants=$root/etc/systemd/system
check "sceaux-hub.service is enabled" test -L "$wants/multi-user.target.wants/sceaux-hub.service"
check "sceaux-backup.timer is enabled" test -L "$wants/timers.target.wants/sceaux-backup.timer"
check "the kiosk's services wait to be configured" \
    test ! -e "$wants/multi-user.target.wants/sceaux-kiosk.service"

# ---- the installed programs work --------------------------------------------------------
import() {
    as_sceaux /usr/bin/sceaux-hub import --db /var/lib/sceaux/hub.db \
        /usr/share/sceaux/sceaux.json >>"$tmp/hub.log" 2>&1
}
check "the installed hub imports the bundled data" import
in_root sh -c '/usr/bin/sceaux-hub token add --db /var/lib/sceaux/hub.db --role kiosk \
    --name k1 >/etc/sceaux/kiosk.token && chgrp sceaux /etc/sceaux/kiosk.token &&
    chmod 640 /etc/sceaux/kiosk.token'
port=$(free_port)
chroot --userspec=sceaux:sceaux "$root" /usr/bin/sceaux-hub serve --db /var/lib/sceaux/hub.db \
    --listen "127.0.0.1:$port" >>"$tmp/hub.log" 2>&1 </dev/null &
hub_pid=$!
up() { curl -fs -m 2 -o /dev/null "http://127.0.0.1:$port/v1/health"; }
check "the installed hub serves" wait_until 20 up
sync_once() {
    as_sceaux /usr/bin/sceaux-syncd --once --db /var/lib/sceaux/kiosk.db \
        --hub "http://127.0.0.1:$port" --token-file /etc/sceaux/kiosk.token >"$tmp/syncd.log" 2>&1
}
check "the installed syncd fills a replica from it" sync_once
stop_pid "$hub_pid"
# rows DB: its count of events, "none" when it cannot be read.
rows() {
    [ -f "$root/var/lib/sceaux/$1" ] && q "$root/var/lib/sceaux/$1" "SELECT count(*) FROM event" \
        2>/dev/null || echo none
}
kept() { [ "$2" != none ] && [ "$(rows "$1")" = "$2" ]; } # DB COUNT
hub_rows=$(rows hub.db)
kiosk_rows=$(rows kiosk.db)
check "hub and replica hold the events ($hub_rows)" test "$hub_rows" != none -a "$hub_rows" -gt 0 \
    -a "$hub_rows" = "$kiosk_rows"

# ---- upgrade ----------------------------------------------------------------------------
# The same packages one version up: what an upgrade runs, with nothing
# else changing.
bump() { # DEB: writes the bumped package into $root/tmp/up/
    local x
    x=$tmp/bump/$(basename "$1" .deb)
    dpkg-deb -R "$1" "$x" &&
        sed -i 's/^Version: \(.*\)$/Version: \1+up1/' "$x/DEBIAN/control" &&
        dpkg-deb -b "$x" "$root/tmp/up/" >/dev/null
}
mkdir -p "$tmp/bump" "$root/tmp/up"
bump "$root"/tmp/debs/sceaux-hub_*.deb && bump "$root"/tmp/debs/sceaux-kiosk_*.deb ||
    not_ok "the packages are rebuilt one version up"
up=()
for d in "$root"/tmp/up/*.deb; do up+=("/tmp/up/${d##*/}"); done
upgrade() { in_root dpkg -i "${up[@]}" >"$tmp/upgrade.log" 2>&1; }
echo "SCEAUX_HUB_OPTS=--threads 4 # edited" >>"$root/etc/sceaux/hub.conf"
not_ok_log=$tmp/upgrade.log
check "the upgrade installs without a question" upgrade
not_ok_log=
check "the new version is installed" \
    grep -q '+up1' <(in_root dpkg-query -W -f '${Version}' sceaux-hub)
check "the upgrade keeps the edited hub.conf" grep -q "# edited" "$root/etc/sceaux/hub.conf"
check "the upgrade keeps the hub's data" kept hub.db "$hub_rows"
check "the upgrade keeps the replica" kept kiosk.db "$kiosk_rows"

# ---- remove, then purge ----------------------------------------------------------------------
in_root dpkg -r sceaux-hub sceaux-kiosk >"$tmp/remove.log" 2>&1
check "remove takes the programs away" test ! -e "$root/usr/bin/sceaux-hub"
check "remove keeps the hub's data" kept hub.db "$hub_rows"
check "remove keeps the replica" kept kiosk.db "$kiosk_rows"
check "remove keeps the settings" grep -q "# edited" "$root/etc/sceaux/hub.conf"
in_root dpkg --purge sceaux-hub sceaux-kiosk >"$tmp/purge.log" 2>&1
check "purge deletes the data" test ! -e "$root/var/lib/sceaux/hub.db" -a ! -e "$root/var/lib/sceaux/kiosk.db"
check "purge deletes the settings" test ! -e "$root/etc/sceaux/hub.conf"
test_done
