#!/usr/bin/env bash
# Builds and runs libFuzzer targets: tools/fuzz.sh SECONDS fuzz_a.c [fuzz_b.c...]
#
# Each target is built with clang (-fsanitize=fuzzer,address,undefined)
# against the shared/*.c sources, compiled into an archive so that a target
# links only the modules it uses, into build/fuzz/. A target may name more
# in its header comment: "fuzz-sources: FILE..." (compiled with -I of
# their folder), "fuzz-packages: PKG..." (pkg-config) and "fuzz-seeds:
# DIR" (its corpus' seeds). It then runs for SECONDS on a corpus seeded
# from tests/data/push and tests/data/pull (plus gzip copies of a few
# seeds), or its own seeds, in build/fuzz/corpus-NAME, which persists
# between runs. Prints "ok NAME" or "not ok NAME" per target (the log is in
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

# header KEY FILE: the words of FILE's " * KEY: ..." lines.
header() { sed -n "s/^ \* $1: \(.*[^/ *]\)[ */]*$/\1/p" "$2" | tr '\n' ' '; }

# build NAME FILE: the target FILE, with the sources and packages its
# header names, into $out/NAME; false with the compiler's words in the log.
build() {
    local name=$1 f=$2 src objs=() pc=() extra=()
    read -r -a pc <<<"$(header fuzz-packages "$f")"
    [ ${#pc[@]} -gt 0 ] && read -r -a extra <<<"$(pkg-config --cflags --libs "${pc[@]}")"
    for src in $(header fuzz-sources "$f"); do
        objs+=("$out/obj/$name-$(basename "$src" .c).o")
        "$CC" "${cflags[@]}" -fsanitize=fuzzer-no-link "-I$(dirname "$src")" "${extra[@]}" \
            -c "$src" -o "${objs[-1]}" || return 1
    done
    "$CC" "${cflags[@]}" -fsanitize=fuzzer $(header fuzz-sources "$f" | xargs -rn1 dirname |
        sort -u | sed 's/^/-I/') "$f" "${objs[@]}" "$lib" "${extra[@]}" "${libs[@]}" -o "$out/$name"
}

status=0
for f in "$@"; do
    name=$(basename "$f" .c)
    bin="$out/$name"
    log="$out/$name.log"
    if ! build "$name" "$f" >"$log" 2>&1; then
        cat "$log" >&2
        echo "not ok $name"
        status=1
        continue
    fi
    corpus="$out/corpus-$name"
    mkdir -p "$corpus"
    seeds=$(header fuzz-seeds "$f")
    if [ -n "$seeds" ]; then
        for d in $seeds; do cp "$d"/* "$corpus/"; done
    else
        cp tests/data/push/*.json tests/data/pull/*.json "$corpus/" 2>/dev/null
        for seed in tests/data/push/ok_every_table.json tests/data/push/change_shapes.json; do
            [ -f "$seed" ] && gzip -c "$seed" >"$corpus/$(basename "$seed" .json).gz"
        done
    fi
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
