#!/bin/sh
# make cross ARCH=arm64: the programs and unit tests for another Debian
# architecture (a Raspberry Pi 4 or 5 runs arm64), built with Debian's
# cross toolchain and multiarch -dev packages into build/ARCH/, then the
# unit tests run under qemu-user. As root, adds the architecture and
# installs what is missing; otherwise prints the exact lines to run.
set -u
arch=${1:?usage: tools/cross.sh ARCH}
cd "$(dirname "$0")/.." || exit 1
case "$arch" in
arm64) triplet=aarch64-linux-gnu qemu=qemu-aarch64 machine=b7 ;; # ELF e_machine
armhf) triplet=arm-linux-gnueabihf qemu=qemu-arm machine=28 ;;
*)
    echo "cross: unknown architecture '$arch' (arm64 or armhf)" >&2
    exit 2
    ;;
esac

libs="libsqlite3-dev libjansson-dev zlib1g-dev libsodium-dev libmicrohttpd-dev
  libcurl4-openssl-dev libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
  libqrencode-dev libcmocka-dev libsystemd-dev"
missing=
for p in crossbuild-essential-$arch qemu-user; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q ' installed$' || missing="$missing $p"
done
for p in $libs; do
    dpkg-query -W -f='${Status}\n' "$p:$arch" 2>/dev/null | grep -q ' installed$' ||
        missing="$missing $p:$arch"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "cross: missing packages; run:" >&2
        echo "  sudo dpkg --add-architecture $arch && sudo apt-get update" >&2
        echo "  sudo apt-get install -y$missing" >&2
        exit 1
    fi
    echo "cross: installing:$missing" >&2
    dpkg --add-architecture "$arch" &&
        apt-get update -q >&2 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >&2 || exit 1
fi

out=build/$arch
make -j"$(nproc)" OUT="$out" CC="$triplet-gcc" PKG_CONFIG="$triplet-pkg-config" \
    FLAVOR=release progs tests || exit 1
elf_machine() { od -An -tx1 -j18 -N1 "$1" | tr -d ' '; }
for p in sceaux-hub sceaux-syncd sceaux-kiosk sceaux-admin; do
    [ "$(elf_machine "$out/$p")" = "$machine" ] && continue
    echo "cross: $out/$p is not an $arch binary" >&2
    exit 1
done

# The unit tests under qemu-user, with the target's libraries (-L: the
# loader and /usr/lib/$triplet are found there through multiarch).
passed=0
failed=0
for t in "$out"/tests/test_*; do
    log=$out/$(basename "$t").log
    if QEMU_LD_PREFIX=/ "$qemu" "$t" >"$log" 2>&1; then
        r=ok
    else
        r="not ok"
        failed=$((failed + 1))
    fi
    n=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
    passed=$((passed + ${n:-0}))
    echo "$r $(basename "$t") (${n:-0} passed under $qemu)"
done
echo "cross $arch: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
