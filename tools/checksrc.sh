#!/bin/sh
# Source rules no compiler checks (STYLE.md §4, §6, §7, §11):
#   banned functions; SQL outside src/db/stmts.def; `//` comments;
#   HTML literals in a feature's handlers (they belong in templates).
# Prints each offence as file:line: why, and exits 1 if there was any.
cd "$(dirname "$0")/.."
status=0
files=$(git ls-files 'src/*.c' 'src/*.h' 'tools/*.c' 2>/dev/null)
[ -n "$files" ] || files=$(find src tools -name '*.[ch]')

report() { # pattern why files…
    pat=$1
    why=$2
    shift 2
    out=$(grep -n -E "$pat" "$@" /dev/null 2>/dev/null)
    if [ -n "$out" ]; then
        echo "$out" | sed "s/\$/   <- $why/"
        status=1
    fi
}

# shellcheck disable=SC2086
report '\b(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|atoi|atol|gets)[[:space:]]*\(' \
    'banned function (use buf_* and str_to_i64)' $files
# shellcheck disable=SC2086
report '^[^"*]*//|;[[:space:]]*//' 'use /* */ comments' $files
sqlfiles=$(echo "$files" | tr ' ' '\n' | grep -v 'stmts.def$' | grep '^src/')
# shellcheck disable=SC2086
report '"[[:space:]]*(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM|CREATE TABLE|ALTER TABLE|DROP TABLE|PRAGMA)[[:space:]]' \
    'SQL belongs in a stmts.def (src/db/ or beside its feature)' $sqlfiles
handlers=$(echo "$files" | tr ' ' '\n' | grep -E '^src/feature/[^/]+/[^/]+\.c$' | grep -v '/model\.c$')
if [ -n "$handlers" ]; then
    # shellcheck disable=SC2086
    report '"[^"]*<(html|body|div|p|a|ul|li|h[1-6]|span|form|input|table|section|main)[ >]' \
        'HTML belongs in a template' $handlers
fi
exit $status
