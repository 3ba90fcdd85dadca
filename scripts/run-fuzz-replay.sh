#!/bin/sh
# Replay the committed fuzz inputs through the plain-main() replay binaries:
# for each DIR/replay_fuzz_<target>, feed it tests/fuzz/corpus/<target> and
# tests/fuzz/regress/<target>. A file passes when the binary got past it
# without crashing; a run whose binary exits non-zero (a crash, a failed
# assertion, an unreadable input) counts one failure and its output is shown.
# Prints "fuzz-replay: N passed, N failed" and exits non-zero on any failure.
#
# usage: scripts/run-fuzz-replay.sh DIR
dir=${1:?usage: $0 DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
pass=0
fail=0
found=0
for bin in "$dir"/replay_fuzz_*; do
    [ -x "$bin" ] || continue
    found=1
    target=${bin##*/replay_fuzz_}
    set --
    for d in "$root/tests/fuzz/corpus/$target" "$root/tests/fuzz/regress/$target"; do
        [ -d "$d" ] && set -- "$@" "$d"
    done
    if [ $# -eq 0 ]; then
        echo "# $target: no corpus or regress directory"
        continue
    fi
    out=$("$bin" "$@" 2>&1)
    rc=$?
    p=$(printf '%s\n' "$out" | grep -c '^ok ')
    f=$(printf '%s\n' "$out" | grep -c '^not ok ')
    if [ "$rc" -ne 0 ]; then
        printf '%s\n' "$out" | tail -n 40
        [ "$f" -eq 0 ] && f=1
        echo "not ok - $target: replay exited with $rc"
    fi
    echo "# $target: $p passed, $f failed"
    pass=$((pass + p))
    fail=$((fail + f))
done
if [ "$found" -eq 0 ]; then
    echo "not ok - no replay_fuzz_* binaries in $dir"
    fail=$((fail + 1))
fi
echo "fuzz-replay: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
