#!/bin/sh
# Test tools/tmplc on the templates under tests/tmplc:
#   bad/*.html   tmplc must refuse each, naming file:line (and the message
#                fragment) given by its first line: {{! expect LINE: TEXT }}
#   good/*.html  tmplc must accept each, and its C must compile cleanly with
#                the project's warnings against tests/tmplc/views.h
#   cbad/*.html  tmplc accepts each, but the C compiler must refuse it with
#                an error naming the template's file:line (#line at work)
# The same three folders hold text templates (*.txt, tmplc's text mode).
# Prints "tmplc: N passed, N failed"; exits non-zero on any failure.
# Knobs: TMPLC (default build/tools/tmplc, built if missing), CCS (compilers,
# default "cc" plus clang when installed).
set -u
cd "$(dirname "$0")/.." || exit 1

TMPLC=${TMPLC:-build/tools/tmplc}
if [ "$TMPLC" = build/tools/tmplc ]; then
    make -s build/tools/tmplc || exit 1
fi
if [ -z "${CCS:-}" ]; then
    CCS=cc
    command -v clang >/dev/null 2>&1 && CCS="cc clang"
fi
WARN="-std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
      -Wold-style-definition -Wpointer-arith -Wwrite-strings -Wvla -Wformat=2
      -Wimplicit-fallthrough -Wcast-qual -Wundef -Wconversion -Wno-sign-conversion -fno-common
      -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Isrc -Itests/tmplc"

out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT INT TERM
pass=0
fail=0

ok() {
    pass=$((pass + 1))
}

not_ok() {
    fail=$((fail + 1))
    echo "not ok - $1"
    [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/#   /'
}

# "{{! expect 12: some text }}" -> line and text
expectation() {
    sed -n '1s/^{{! expect \([0-9][0-9]*\)\(: \(.*\)\)\{0,1\} }}$/\1|\3/p' "$1"
}

for f in tests/tmplc/bad/*.html tests/tmplc/bad/*.txt; do
    e=$(expectation "$f")
    if [ -z "$e" ]; then
        not_ok "$f: first line lacks {{! expect LINE: TEXT }}"
        continue
    fi
    line=${e%%|*}
    text=${e#*|}
    if msg=$("$TMPLC" -o "$out/bad.c" "$f" 2>&1); then
        not_ok "$f: tmplc accepted it"
    elif [ -e "$out/bad.c" ] || ls "$out"/bad.c.tmp.* >/dev/null 2>&1; then
        not_ok "$f: output left behind after an error"
    else
        case $msg in
        "$f:$line:"*"$text"*) ok ;;
        *) not_ok "$f: wanted $f:$line: ...$text" "$msg" ;;
        esac
    fi
    rm -f "$out"/bad.c*
done

for f in tests/tmplc/good/*.html tests/tmplc/good/*.txt; do
    c="$out/$(basename "$f").c"
    if ! msg=$("$TMPLC" -o "$c" "$f" 2>&1); then
        not_ok "$f: tmplc refused it" "$msg"
        continue
    fi
    for cc in $CCS; do
        # shellcheck disable=SC2086
        if msg=$($cc $WARN -fsyntax-only "$c" 2>&1); then
            ok
        else
            not_ok "$f: $cc refused the generated C" "$msg"
        fi
    done
done

for f in tests/tmplc/cbad/*.html tests/tmplc/cbad/*.txt; do
    e=$(expectation "$f")
    line=${e%%|*}
    c="$out/$(basename "$f").c"
    if ! msg=$("$TMPLC" -o "$c" "$f" 2>&1); then
        not_ok "$f: tmplc refused it" "$msg"
        continue
    fi
    for cc in $CCS; do
        # shellcheck disable=SC2086
        if msg=$($cc $WARN -fsyntax-only "$c" 2>&1); then
            not_ok "$f: $cc accepted it"
        elif printf '%s\n' "$msg" | grep -q "^$f:$line:[0-9]*: error"; then
            ok
        else
            not_ok "$f: $cc did not name $f:$line" "$msg"
        fi
    done
done

echo "tmplc: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
