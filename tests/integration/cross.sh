#!/usr/bin/env bash
# Raspberry Pi class hardware: `make cross ARCH=arm64` builds every
# program and unit test with Debian's cross toolchain, and each unit test
# passes under qemu-user (tools/cross.sh prints "ok"/"not ok" per test and
# checks that the four programs are arm64 binaries).
# SCEAUX_CROSS=0 skips it on a machine that must not add an architecture.
. "$(dirname "$0")/lib/common.sh"
test_setup
if [ "${SCEAUX_CROSS:-1}" = 0 ]; then
    echo "ok cross_arm64 # SKIP SCEAUX_CROSS=0"
    test_done
fi
not_ok_log=$tmp/cross.log
"$top/tools/cross.sh" arm64 >"$tmp/cross.log" 2>&1
rc=$?
grep -E '^(ok|not ok) ' "$tmp/cross.log"
if [ "$rc" -eq 0 ]; then ok cross_arm64_built_and_tested; else not_ok cross_arm64_built_and_tested; fi
test_done
