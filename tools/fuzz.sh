#!/usr/bin/env bash
# Builds and runs libFuzzer targets: tools/fuzz.sh SECONDS fuzz_a.c [fuzz_b.c...]
#
# Each target is built with clang (-fsanitize=fuzzer,address,undefined)
# against the shared/*.c sources (and the sources and packages its
# "fuzz-with:" line names, such as the kiosk's picture decoder), compiled into an archive so that a target
# links only the modules it uses, into build/fuzz/. It then runs for SECONDS
# on a corpus seeded from tests/data/push and tests/data/pull (plus gzip
# copies of a few seeds) in build/fuzz/corpus-NAME, which persists between
# runs. Prints "ok NAME" or "not ok NAME" per target (the log is in
# build/fuzz/NAME.log, a crashing input in build/fuzz/crash-*) and exits
# non-zero if any failed.
set -u
if [ $# -lt 2 ]; then
    echo "usage: tools/fuzz.sh SECONDS fuzz_a.c [fuzz_b.c...]" >&2
    exit 2
fi
secs=$1
shift
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
out=build/fuzz
mkdir -p "$out/obj"
CC=${CC:-clang}
pkgs=(jansson zlib sqlite3 libsodium)
read -r -a pkg_cflags <<<"$(pkg-config --cflags "${pkgs[@]}")"
read -r -a pkg_libs <<<"$(pkg-config --libs "${pkgs[@]}")"
cflags=(-std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer -Ishared
    '-DSCEAUX_VERSION="fuzz"' "${pkg_cflags[@]}"
    '-fsanitize=address,undefined' -fno-sanitize-recover=all)
libs=("${pkg_libs[@]}" -lm -lpthread)

# The shared library, instrumented for coverage but without libFuzzer's main.
lib="$out/libshared-fuzz.a"
rm -f "$lib"
for src in shared/*.c; do
    obj="$out/obj/$(basename "$src" .c).o"
    if ! "$CC" "${cflags[@]}" -fsanitize=fuzzer-no-link -c "$src" -o "$obj" 2>"$out/build.log"; then
        cat "$out/build.log" >&2
        for f in "$@"; do echo "not ok $(basename "$f" .c)"; done
        exit 1
    fi
    ar rcs "$lib" "$obj"
done

status=0
for f in "$@"; do
    name=$(basename "$f" .c)
    bin="$out/$name"
    log="$out/$name.log"
    # A target outside shared/ names its other sources and pkg-config
    # packages on a "fuzz-with:" line, and seed folders on "fuzz-seeds:".
    extra=() extra_cflags=() extra_libs=() seeds=()
    for w in $(sed -n 's/.*fuzz-with: *//p' "$f"); do
        case $w in
        pkg:*)
            read -r -a more <<<"$(pkg-config --cflags "${w#pkg:}")"
            extra_cflags+=("${more[@]}")
            read -r -a more <<<"$(pkg-config --libs "${w#pkg:}")"
            extra_libs+=("${more[@]}")
            ;;
        *) extra+=("$w") extra_cflags+=("-I$(dirname "$w")") ;;
        esac
    done
    read -r -a seeds <<<"$(sed -n 's/.*fuzz-seeds: *//p' "$f")"
    if ! "$CC" "${cflags[@]}" "${extra_cflags[@]}" -fsanitize=fuzzer "$f" "${extra[@]}" "$lib" \
        "${libs[@]}" "${extra_libs[@]}" -o "$bin" >"$log" 2>&1; then
        cat "$log" >&2
        echo "not ok $name"
        status=1
        continue
    fi
    corpus="$out/corpus-$name"
    mkdir -p "$corpus"
    cp tests/data/push/*.json tests/data/pull/*.json "$corpus/" 2>/dev/null
    for d in "${seeds[@]}"; do cp "$d"/* "$corpus/" 2>/dev/null; done
    for seed in tests/data/push/ok_every_table.json tests/data/push/change_shapes.json; do
        [ -f "$seed" ] && gzip -c "$seed" >"$corpus/$(basename "$seed" .json).gz"
    done
    if (cd "$out" && "./$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 "corpus-$name") >>"$log" 2>&1; then
        echo "ok $name"
    else
        tail -50 "$log" >&2
        echo "not ok $name"
        status=1
    fi
done
exit $status
