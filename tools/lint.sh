#!/usr/bin/env bash
# tools/lint.sh FILE.c...: what the compiler cannot refuse (docs/style.md).
#  - functions we ban, unbounded or ambiguous ones, in the C files given;
#  - a library #include outside the folders that may use it (the Makefile's
#    per-folder -I flags hide SDL, but curl and microhttpd live in
#    /usr/include where every folder sees them; libvips only for
#    sceaux-picture, never in the hub), and a quoted "../" include
#    that reaches into another module's folder outside tests/ and tools/;
#  - in every text file of the repository (tracked, or new and not
#    ignored): a Markdown link or a cited NAME.md to a file the repository
#    does not hold, and a path outside it (/work/..., /home/...,
#    ../shared): whoever clones it must find everything it cites inside it.
# Prints every finding as FILE:LINE: what, and exits 1 if there was any.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
status=0
finding() { # FILE:LINE what
    echo "$1: $2" >&2
    status=1
}

# ---- C ----------------------------------------------------------------------
banned='\b(sprintf|vsprintf|strcpy|strcat|atoi|atol|atof|strtok|gets|strncpy)\s*\('
if [ $# -gt 0 ]; then
    while IFS=: read -r f line _; do
        finding "$f:$line" "banned function"
    done < <(grep -nHE "$banned" "$@")
fi

# folder pattern, then the #include <...> prefixes it may not use
forbidden=(
    'shared/' '<(SDL|curl/|microhttpd)'
    'sync/client/' '<(SDL|microhttpd)'
    'sync/hub/' '<(SDL|curl/|vips/)'
    'sync/picture/' '<(SDL|curl/|microhttpd)'
    'sync/syncd/' '<(SDL|microhttpd)'
    'sync/admin/' '<(SDL|microhttpd)'
    'kiosk/' '<(curl/|microhttpd)'
)
for ((i = 0; i < ${#forbidden[@]}; i += 2)); do
    dir=${forbidden[i]}
    for f in "$@"; do
        case $f in "$dir"*) ;; *) continue ;; esac
        while IFS=: read -r line _; do
            finding "$f:$line" "#include of a library $dir may not use"
        done < <(grep -nE "^#[[:space:]]*include[[:space:]]*${forbidden[i + 1]}" "$f")
    done
done
for f in "$@"; do
    case $f in tests/* | tools/*) continue ;; esac
    while IFS=: read -r line _; do
        finding "$f:$line" "#include \"../\": use the folder's own headers and shared/"
    done < <(grep -nE '^#[[:space:]]*include[[:space:]]*"\.\./' "$f")
done

# ---- references -------------------------------------------------------------
# in_repo FILE TARGET: TARGET (relative to FILE's folder, or else to the top
# when it has a folder of its own) is a file or folder of the repository.
tracked=$(git ls-files --cached --others --exclude-standard)
in_repo() {
    local base path
    base=$(dirname "$1")
    for path in "$base/$2" "$2"; do
        path=$(realpath -m --relative-to="$top" "$top/$path")
        case $path in ../* | /*) continue ;; esac
        if grep -qxF "$path" <<<"$tracked" || grep -q "^$path/" <<<"$tracked"; then
            return 0
        fi
    done
    return 1
}

# Every text file but the lock file, this one and its test (which spell
# bad references out on purpose).
mapfile -t texts < <(printf "%s\n" "$tracked" |
    grep -vxE 'package-lock\.json|tools/lint\.sh|tests/integration/tools\.sh' |
    xargs -r grep -lI '' --)
mapfile -t mds < <(printf '%s\n' "${texts[@]}" | grep '\.md$')
# Paths of the machine the project was written on, or beside it.
while IFS=: read -r f line _; do
    finding "$f:$line" "a path outside the repository"
done < <(grep -nHE '(^|[^A-Za-z0-9_.~-])(/work/|/home/|/root/|\.\./shared/)' "${texts[@]}")
# Cited NAME.md, anywhere (comments included), web addresses aside.
while IFS=: read -r f line name; do
    in_repo "$f" "$name" || finding "$f:$line" "cites $name, which the repository does not hold"
done < <(grep -noHE '[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.md\b' "${texts[@]}" | grep -vE ':(https?:)?//')
# Markdown links and images, other than web addresses and anchors.
while IFS=: read -r f line link; do
    target=${link#*](}
    target=${target%)}
    target=${target%% *}
    target=${target%%#*}
    case $target in '' | http://* | https://* | mailto:*) continue ;; esac
    in_repo "$f" "$target" || finding "$f:$line" "links to $target, which the repository does not hold"
done < <(grep -noHE '\]\([^)]+\)' "${mds[@]}")
exit $status
