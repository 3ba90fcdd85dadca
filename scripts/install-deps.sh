#!/bin/sh
# Install what Praxis needs on Debian 12, only what is missing, saying what it does.
#
#   scripts/install-deps.sh          build + every test tier (make test)
#   scripts/install-deps.sh run      build and run only (make run)
#   scripts/install-deps.sh bench    build + benchmark tools (make bench)
#   scripts/install-deps.sh npm      the npm packages from package-lock.json only
#
# Debian packages come from apt; front-end and test packages from npm with the
# lock file. Nothing is downloaded from anywhere else (no browser downloads:
# the browser tests use Debian's chromium).
set -eu
cd "$(dirname "$0")/.."
mode=${1:-test}

build_pkgs="gcc make libc6-dev pkg-config libmicrohttpd-dev libsqlite3-dev libpq-dev libjansson-dev libsodium-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libcurl4-openssl-dev libical-dev zlib1g-dev tzdata"
test_pkgs="postgresql sqlite3 python3 python3-icalendar python3-aiosmtpd openssl clang libclang-rt-14-dev chromium fonts-dejavu-core clang-format clang-tidy cppcheck"
bench_pkgs="wrk nginx-light"

case "$mode" in
run) want="$build_pkgs" ;;
test) want="$build_pkgs $test_pkgs" ;;
bench) want="$build_pkgs $bench_pkgs" ;;
npm) want="" ;;
*) echo "install-deps: unknown mode '$mode' (run, test, bench or npm)" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
# Node.js and npm: any packaged version from 18 on will do; keep one already there.
if ! command -v node >/dev/null 2>&1; then
    missing="$missing nodejs"
fi
if ! command -v npm >/dev/null 2>&1; then
    missing="$missing npm"
fi

if [ -n "$missing" ]; then
    echo "install-deps: installing Debian packages:$missing"
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            SUDO=sudo
        else
            echo "install-deps: these packages are missing and I am not root:$missing" >&2
            exit 1
        fi
    else
        SUDO=
    fi
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# npm packages (htmx for the pages; playwright-core for browser tests), from the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "install-deps: installing npm packages from package-lock.json"
    npm ci --no-audit --no-fund --loglevel=error
fi
