#!/bin/sh
# Checks that every pkg-config module named on the command line, and the
# programs the tests run, are present.
# As root, installs the Debian packages that are missing; otherwise prints
# the exact apt-get line to run and fails.
deb_of() {
    case "$1" in
    sqlite3) echo libsqlite3-dev ;;
    jansson) echo libjansson-dev ;;
    zlib) echo zlib1g-dev ;;
    libsodium) echo libsodium-dev ;;
    libmicrohttpd) echo libmicrohttpd-dev ;;
    gnutls) echo libgnutls28-dev ;;
    libcurl) echo libcurl4-openssl-dev ;;
    sdl2) echo libsdl2-dev ;;
    SDL2_ttf) echo libsdl2-ttf-dev ;;
    SDL2_image) echo libsdl2-image-dev ;;
    libqrencode) echo libqrencode-dev ;;
    cmocka) echo libcmocka-dev ;;
    libsystemd) echo libsystemd-dev ;;
    *) echo "$1" ;;
    esac
}
command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"
for m in "$@"; do
    pkg-config --exists "$m" 2>/dev/null || missing="$missing $(deb_of "$m")"
done
# Programs the tests run, as command:package.
for t in systemd-analyze:systemd openssl:openssl groff:groff-base; do
    command -v "${t%%:*}" >/dev/null 2>&1 || missing="$missing ${t#*:}"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing:$missing" >&2
    apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >&2 && exit 0
fi
echo "missing packages; run: sudo apt-get install -y$missing" >&2
exit 1
