#!/bin/sh
# Run each unit-test program given; print its TAP and a summary line
# "unit: N passed, N failed" that scripts/test-all.sh adds up.
pass=0
fail=0
for t in "$@"; do
    out=$("$t" 2>&1)
    rc=$?
    p=$(printf '%s\n' "$out" | grep -c '^ok ')
    f=$(printf '%s\n' "$out" | grep -c '^not ok ')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # crashed or exited non-zero without saying why
        printf '%s\n' "$out"
        echo "not ok - $t exited with $rc"
    elif [ "$f" -ne 0 ]; then
        printf '%s\n' "$out" | grep -A3 '^not ok'
    fi
    echo "# $(basename "$t"): $p passed, $f failed"
    pass=$((pass + p))
    fail=$((fail + f))
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
