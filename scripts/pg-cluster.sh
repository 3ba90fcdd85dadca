#!/bin/sh
# A throwaway PostgreSQL cluster for tests, living entirely in one folder.
#
#   scripts/pg-cluster.sh start DIR   create DIR, initdb, start, create database
#                                     "praxis"; print its URL on one line
#   scripts/pg-cluster.sh url DIR     print the URL again
#   scripts/pg-cluster.sh stop DIR    stop the server and remove DIR
#
# The server listens only on a unix socket inside DIR (no TCP port), runs
# with fsync off (tests only: a crash loses data), and trusts every local
# connection. initdb and postgres refuse to run as root, so when run as root
# the cluster belongs to the unprivileged "postgres" system user.
# PG_BINDIR overrides where the PostgreSQL programs are found.
set -eu

PORT=5432
MARK=.praxis-pg-cluster

die() {
    echo "pg-cluster: $*" >&2
    exit 1
}

usage() {
    echo "usage: $0 start|stop|url DIR" >&2
    exit 2
}

# The folder holding initdb, pg_ctl and postgres: PostgreSQL 15 first.
find_bindir() {
    for d in ${PG_BINDIR:+"$PG_BINDIR"} /usr/lib/postgresql/15/bin; do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
            echo "$d"
            return 0
        fi
    done
    if command -v pg_config >/dev/null 2>&1; then
        d=$(pg_config --bindir 2>/dev/null || true)
        if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return 0
        fi
    fi
    found=
    for d in /usr/lib/postgresql/*/bin; do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
            found=$d
        fi
    done
    [ -n "$found" ] && echo "$found"
}

# Run a command as the cluster's owner, from inside DIR (the caller's
# working directory may be closed to that user).
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null 2>&1; then
            (cd "$DIR" && runuser -u postgres -- "$@")
        else
            # su needs one command string; quote each argument for sh.
            cmd=
            for a in "$@"; do
                cmd="$cmd '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"
            done
            (cd "$DIR" && su postgres -s /bin/sh -c "$cmd")
        fi
    else
        (cd "$DIR" && "$@")
    fi
}

url() {
    echo "postgresql://praxis@/praxis?host=$DIR&port=$PORT"
}

[ $# -eq 2 ] || usage
CMD=$1
DIR=$2

# The folder ends up inside a URL and a config file: keep it to plain characters.
case $DIR in
*[!A-Za-z0-9/._-]*) die "folder name must use only A-Z a-z 0-9 / . _ -: $DIR" ;;
"") die "empty folder name" ;;
esac

case $CMD in
start)
    BINDIR=$(find_bindir) || die "PostgreSQL is not installed (no initdb found in" \
        "/usr/lib/postgresql/15/bin; on Debian: apt-get install postgresql-15," \
        "or set PG_BINDIR)"
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        die "running as root needs the unprivileged 'postgres' user (created by the postgresql package)"
    fi
    if [ -e "$DIR" ] && [ -n "$(ls -A "$DIR" 2>/dev/null)" ]; then
        die "$DIR exists and is not empty"
    fi
    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd)
    # The socket path .s.PGSQL.NNNN must fit in sun_path (108 bytes).
    [ ${#DIR} -le 90 ] || die "folder path too long for a unix socket: $DIR"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$DIR"
        chmod 700 "$DIR"
        runuser -u postgres -- test -w "$DIR" 2>/dev/null ||
            su postgres -s /bin/sh -c "test -w '$DIR'" 2>/dev/null ||
            die "user postgres cannot write to $DIR (is a parent folder closed to it?)"
    fi
    echo "$PORT" >"$DIR/$MARK"

    if ! as_owner "$BINDIR/initdb" -D "$DIR/data" -A trust --username=praxis \
        --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1; then
        # Older systems lack the C.UTF-8 locale; C with UTF8 encoding is enough.
        rm -rf "$DIR/data"
        as_owner "$BINDIR/initdb" -D "$DIR/data" -A trust --username=praxis \
            --encoding=UTF8 --locale=C >"$DIR/initdb.log" 2>&1 || {
            cat "$DIR/initdb.log" >&2
            die "initdb failed"
        }
    fi
    cat >>"$DIR/data/postgresql.conf" <<EOF
# scripts/pg-cluster.sh: a throwaway test cluster
listen_addresses = ''
unix_socket_directories = '$DIR'
port = $PORT
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    as_owner "$BINDIR/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 start \
        >/dev/null 2>&1 || {
        cat "$DIR/server.log" >&2 2>/dev/null || true
        die "postgres did not start within 30 s (log above)"
    }
    # pg_ctl -w waits for readiness; check it the way clients will connect.
    i=0
    until as_owner "$BINDIR/pg_isready" -q -h "$DIR" -p "$PORT" -U praxis -d postgres; do
        i=$((i + 1))
        [ $i -lt 60 ] || die "postgres is not accepting connections after 30 s"
        sleep 0.5
    done
    as_owner "$BINDIR/createdb" -h "$DIR" -p "$PORT" -U praxis praxis ||
        die "could not create database praxis"
    url
    ;;
url)
    [ -f "$DIR/$MARK" ] || die "$DIR is not a cluster made by $0"
    DIR=$(cd "$DIR" && pwd)
    url
    ;;
stop)
    [ -f "$DIR/$MARK" ] || die "$DIR is not a cluster made by $0; not removing it"
    DIR=$(cd "$DIR" && pwd)
    if [ -f "$DIR/data/postmaster.pid" ]; then
        BINDIR=$(find_bindir) || die "PostgreSQL is not installed"
        if ! as_owner "$BINDIR/pg_ctl" -D "$DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
            # A stale postmaster.pid (the server died) is fine; a live server is not.
            if as_owner "$BINDIR/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
                die "could not stop the server in $DIR"
            fi
        fi
    fi
    rm -rf "$DIR"
    ;;
*)
    usage
    ;;
esac
