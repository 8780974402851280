#!/usr/bin/env bash
# tests/integration/tools.sh: the project's own checkers, each run on a
# small tree made for the case: tools/lint.sh refuses what it must and
# passes a clean tree; tools/run-tests counts skipped cases apart from
# passed ones.
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup

# tree DIR: a git repository holding tools/lint.sh, a README linking a page
# that exists, and one clean C file.
tree() {
    mkdir -p "$1/tools" "$1/shared" "$1/docs"
    cp "$top/tools/lint.sh" "$1/tools/"
    printf '# T\n\nSee [the page](docs/page.md), docs/page.md and ![a](docs).\n' >"$1/README.md"
    printf '# Page\n\nBack to [the top](../README.md#t).\n' >"$1/docs/page.md"
    printf '#include <stdio.h>\n/* See docs/page.md. */\nint f(void);\n' >"$1/shared/a.c"
    git -C "$1" init -q && git -C "$1" add -A
}

lint_in() { (cd "$1" && tools/lint.sh shared/*.c) 2>"$tmp/lint.err"; }

n=0
# lint_finds NAME FILE TEXT EXPECTED: in a clean tree with FILE holding
# TEXT (a new file, not yet added to git), lint fails and says EXPECTED.
lint_finds() {
    n=$((n + 1))
    local d="$tmp/t$n"
    tree "$d"
    mkdir -p "$(dirname "$d/$2")"
    printf '%s\n' "$3" >"$d/$2"
    if lint_in "$d"; then
        not_ok "$1" "lint passed"
    elif ! grep -qF "$2:1: $4" "$tmp/lint.err"; then
        not_ok "$1" "no '$2:1: $4' in: $(cat "$tmp/lint.err")"
    else
        ok "$1"
    fi
}

tree "$tmp/clean"
check "lint passes a clean tree" lint_in "$tmp/clean"
lint_finds "lint refuses a link to a missing page" README.md '[x](docs/nope.md)' \
    "links to docs/nope.md, which the repository does not hold"
lint_finds "lint refuses a missing image" docs/b.md '![shot](shots/home.png)' \
    "links to shots/home.png, which the repository does not hold"
lint_finds "lint refuses a link leaving the repository" docs/c.md '[x](../../elsewhere/a.md)' \
    "links to ../../elsewhere/a.md, which the repository does not hold"
lint_finds "lint refuses a cited page that is missing" shared/b.c '/* as DESIGN.md says */' \
    "cites DESIGN.md, which the repository does not hold"
lint_finds "lint refuses a path outside the repository" tools/x.sh '# see /work/shared/notes' \
    "a path outside the repository"
lint_finds "lint refuses curl in shared/" shared/c.c '#include <curl/curl.h>' \
    "#include of a library shared/ may not use"
lint_finds "lint refuses a banned function" shared/d.c 'void g(char *b) { sprintf(b, "x"); }' \
    "banned function"

# run-tests on a tree with one cmocka-like unit test (1 passed, 1 skipped)
# and one script (1 passed, 1 skipped, with both spellings of a skip).
r="$tmp/runner"
mkdir -p "$r/tools" "$r/tests/integration" "$r/bin/tests"
cp "$top/tools/run-tests" "$r/tools/"
cat >"$r/bin/tests/test_x" <<'EOF'
#!/bin/sh
echo '[==========] 2 test(s) run.'
echo '[  PASSED  ] 1 test(s).'
echo '[  SKIPPED ] 1 test(s), listed below:'
echo '[  SKIPPED ] needs_tzdata'
EOF
chmod +x "$r/bin/tests/test_x"
printf 'echo "ok first"\necho "ok second # SKIP not here"\n' >"$r/tests/integration/a.sh"
PG_TESTS= PG2_TESTS= FUZZ_SECONDS=0 "$r/tools/run-tests" bin >"$tmp/runner.out" 2>&1
check "run-tests counts skipped cases apart" \
    [ "$(tail -1 "$tmp/runner.out")" = "2 passed, 0 failed, 2 skipped" ]
printf 'echo "ok # skip: nothing could run"\n' >"$r/tests/integration/a.sh"
PG_TESTS= PG2_TESTS= FUZZ_SECONDS=0 "$r/tools/run-tests" bin >"$tmp/runner.out" 2>&1
check "a script that only skips is not a failure" \
    [ "$(tail -1 "$tmp/runner.out")" = "1 passed, 0 failed, 2 skipped" ]
printf 'exit 0\n' >"$r/tests/integration/a.sh"
check "a script that reports nothing still fails" \
    bash -c "! PG_TESTS= PG2_TESTS= FUZZ_SECONDS=0 '$r/tools/run-tests' bin >'$tmp/runner.out' 2>&1"
test_done
