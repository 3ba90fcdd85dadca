#!/bin/bash
# make test: every tier, both backends, then the same again under
# AddressSanitizer + UndefinedBehaviorSanitizer. Ends with one line
# "N passed, N failed".
#
# Tiers: C unit tests, template-compiler tests, fuzz-corpus replay, HTTP tests
# on SQLite and on PostgreSQL (a throwaway cluster started here), browser
# tests in Debian's Chromium.
set -u
cd "$(dirname "$0")/.."
JOBS=$(nproc 2>/dev/null || echo 2)
log=$(mktemp -d /tmp/praxis-test.XXXXXX)
pass=0
fail=0
failed_tiers=""

# Add up one tier: its output is in $log/$1.out; the counts are read from the
# "name: N passed, N failed" line our runners print, or node's "# pass / # fail".
tally() {
    local name=$1 rc=$2 p f line
    line=$(grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed' "$log/$name.out" | tail -n 1)
    if [ -n "$line" ]; then
        p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
        f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    else
        p=$(grep -E '^# pass [0-9]+' "$log/$name.out" | tail -n 1 | awk '{print $3}')
        f=$(grep -E '^# fail [0-9]+' "$log/$name.out" | tail -n 1 | awk '{print $3}')
        p=${p:-0}
        f=${f:-0}
    fi
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # the tier failed without counting a failure: count the tier itself
    fi
    pass=$((pass + p))
    fail=$((fail + f))
    [ "$f" -ne 0 ] && failed_tiers="$failed_tiers $name"
    printf '%-22s %5d passed, %d failed\n' "$name" "$p" "$f"
}

# Run a tier, keep its output, show its failures.
tier() {
    local name=$1
    shift
    "$@" >"$log/$name.out" 2>&1
    local rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "--- $name failed (rc $rc); the end of its output:"
        grep -E -B2 -A12 '^not ok|^# Subtest|failureType|Error|error:|ERROR' "$log/$name.out" | head -n 80
        tail -n 15 "$log/$name.out"
        echo "---"
    fi
    tally "$name" "$rc"
}

node_tests() {
    local backend=$1 bin=$2
    shift 2
    PRAXIS_BIN=$bin PRAXIS_TEST_BACKEND=$backend node --test --test-reporter=tap \
        --test-concurrency=2 "$@"
}

echo "== build"
if ! make -s -j"$JOBS" all >"$log/build.out" 2>&1; then
    cat "$log/build.out"
    echo "0 passed, 1 failed"
    exit 1
fi
make -s -j"$JOBS" build/tools/tmplc >/dev/null

echo "== PostgreSQL: a throwaway cluster"
pgdir=$(mktemp -d /tmp/praxis-pg.XXXXXX)
if PRAXIS_TEST_PG_URL=$(scripts/pg-cluster.sh start "$pgdir"); then
    export PRAXIS_TEST_PG_URL
else
    echo "could not start PostgreSQL"
    fail=$((fail + 1))
    failed_tiers="$failed_tiers postgres"
fi
trap 'scripts/pg-cluster.sh stop "$pgdir" >/dev/null 2>&1; rm -rf "$log"' EXIT

echo "== tests"
tier lint scripts/lint.sh
tier unit make -s -j"$JOBS" unit
tier tmplc scripts/test-tmplc.sh
tier fuzz-replay make -s -j"$JOBS" fuzz-replay
tier http-sqlite node_tests sqlite build/praxis tests/http/*.test.mjs
tier http-pg node_tests pg build/praxis tests/http/*.test.mjs
tier browser node_tests sqlite build/praxis tests/browser/*.test.mjs
tier build-clang make -s -j"$JOBS" CC=clang BUILD=build/clang all
tier fuzz scripts/fuzz.sh "${FUZZ_SECONDS:-15}"

echo "== the same under AddressSanitizer + UndefinedBehaviorSanitizer"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
if make -s -j"$JOBS" SAN=1 all >"$log/build-san.out" 2>&1; then
    tier unit-san make -s -j"$JOBS" SAN=1 unit
    tier fuzz-replay-san make -s -j"$JOBS" SAN=1 fuzz-replay
    tier http-sqlite-san node_tests sqlite build/san/praxis tests/http/*.test.mjs
    tier http-pg-san node_tests pg build/san/praxis tests/http/*.test.mjs
else
    cat "$log/build-san.out"
    fail=$((fail + 1))
    failed_tiers="$failed_tiers build-san"
fi

[ -n "$failed_tiers" ] && echo "failed tiers:$failed_tiers"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
