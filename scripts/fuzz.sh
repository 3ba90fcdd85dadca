#!/bin/sh
# Fuzz each libFuzzer target in tests/fuzz/fuzz_<target>.c for SECONDS.
#
# Each target is built with clang -fsanitize=fuzzer,address,undefined from
# its own source, src/core/*.c and the files its "fuzz-src:" comment line
# names (globs, e.g. " * fuzz-src: src/http/parse*.c"), linked with jansson
# plus any pkg-config packages on a "fuzz-pkg:" line. The gcc-built archive
# is not used: everything is compiled with the fuzzer's instrumentation.
# tests/fuzz/fuzz_<target>.dict, when there is one, is passed as -dict.
#
# It starts from tests/fuzz/corpus/<target> but writes new inputs to a
# scratch directory under build/fuzz-clang/, so the committed corpus only
# changes by hand. Crashes, leaks and timeouts are saved in
# tests/fuzz/regress/<target>/, where scripts/run-fuzz-replay.sh replays them
# in every test run: fix the bug, keep the file.
#
# usage: scripts/fuzz.sh SECONDS      (FUZZ_TARGETS="json cookie" to pick,
#                                      FUZZ_CC to use another clang)
# Needs clang and Debian's libclang-rt-14-dev. Prints one line per target and
# exits non-zero when a target failed to build or found a bug.
secs=${1:?usage: $0 SECONDS}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
cc=${FUZZ_CC:-clang}
out=build/fuzz-clang
flags="-std=c11 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
       -fno-sanitize-recover=all -Isrc -I$out/gen -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE"
mkdir -p "$out"

if ! command -v "$cc" >/dev/null 2>&1; then
    echo "fuzz: $cc not found (apt-get install clang libclang-rt-14-dev)"
    exit 1
fi
targets=${FUZZ_TARGETS:-$(for f in tests/fuzz/fuzz_*.c; do
    [ -e "$f" ] || continue
    f=${f##*/fuzz_}
    echo "${f%.c}"
done)}
if [ -z "$targets" ]; then
    echo "fuzz: no targets in tests/fuzz"
    exit 1
fi

failed=0
passed=0
for t in $targets; do
    src=tests/fuzz/fuzz_$t.c
    log=$out/fuzz_$t.log
    if [ ! -f "$src" ]; then
        echo "fuzz_$t: no such target ($src)"
        failed=$((failed + 1))
        continue
    fi
    extra=$(sed -n 's/^.*fuzz-src:[[:space:]]*//p' "$src" | sed 's/[[:space:]]*\*\/.*$//')
    pkgs="jansson $(sed -n 's/^.*fuzz-pkg:[[:space:]]*//p' "$src" | sed 's/[[:space:]]*\*\/.*$//')"
    # shellcheck disable=SC2086,SC2046 # word splitting and globbing wanted
    if ! "$cc" $flags -o "$out/fuzz_$t" "$src" src/core/*.c $extra \
        $(pkg-config --cflags --libs $pkgs) -pthread -lm >"$log" 2>&1; then
        echo "fuzz_$t: build failed, see $log"
        failed=$((failed + 1))
        continue
    fi
    scratch=$out/scratch/$t
    regress=tests/fuzz/regress/$t
    mkdir -p "$scratch" "$regress"
    set -- "$scratch"
    [ -d "tests/fuzz/corpus/$t" ] && set -- "$@" "tests/fuzz/corpus/$t"
    [ -f "tests/fuzz/fuzz_$t.dict" ] && set -- -dict="tests/fuzz/fuzz_$t.dict" "$@"
    "$out/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$regress/" "$@" >>"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
    cov=$(sed -n 's/^#[0-9]*[[:space:]]*DONE.*cov: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
    if [ "$rc" -eq 0 ]; then
        echo "fuzz_$t: ok, ${runs:-?} runs in ${secs}s, cov ${cov:-?}"
        passed=$((passed + 1))
    else
        art=$(sed -n 's/^.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        echo "fuzz_$t: FAILED (exit $rc), input saved as ${art:-?}, see $log"
        failed=$((failed + 1))
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
