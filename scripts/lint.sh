#!/bin/sh
# make lint: formatting, source rules, cppcheck and clang-tidy. Prints
# "lint: N passed, N failed" (one count per check) and exits non-zero on failure.
cd "$(dirname "$0")/.."
pass=0
fail=0
check() {
    name=$1
    shift
    if out=$("$@" 2>&1); then
        echo "ok - $name"
        pass=$((pass + 1))
    else
        echo "not ok - $name"
        echo "$out" | grep -v 'warnings\{0,1\} generated' | head -n 40
        fail=$((fail + 1))
    fi
}
csrc=$(git ls-files 'src/*.c' 'src/*.h' 'tools/*.c' 'tests/*.c' 'tests/*.h' 'bench/*.c')
lib=$(git ls-files 'src/*.c')
flags="-std=c11 -Isrc -Ibuild/gen -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DPRAXIS_VERSION=\"lint\" $(pkg-config --cflags libmicrohttpd sqlite3 libpq jansson libsodium libcmark-gfm)"

# shellcheck disable=SC2086
check clang-format clang-format --dry-run -Werror $csrc
check checksrc tools/checksrc.sh
# shellcheck disable=SC2086
check cppcheck cppcheck --quiet --std=c11 --enable=warning,portability,performance \
    --error-exitcode=1 --inline-suppr -Isrc -Ibuild/gen --suppress=missingIncludeSystem \
    -D_POSIX_C_SOURCE=200809L -DPRAXIS_VERSION=\"lint\" $lib
# shellcheck disable=SC2086
check clang-tidy clang-tidy --quiet $lib -- $flags
echo "lint: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
