#!/bin/bash
# make bench: drive praxis with wrk and print requests/s and p50/p99 latency
# for / and /healthz, each beside two references measured in the same run:
#   ref   - a minimal libmicrohttpd server answering the same bytes from memory
#           (bench/ref.c: the ceiling for our stack)
#   nginx - nginx serving the same bytes as a static file
# Rounds are interleaved and the median is printed, because this machine is
# shared and runs of one binary drift. Figures are reported, never asserted.
#
# Knobs: BENCH_SECONDS (per run, default 5), BENCH_ROUNDS (default 3),
#        BENCH_CONNS (default 100).
set -eu
cd "$(dirname "$0")/.."
SECS=${BENCH_SECONDS:-5}
ROUNDS=${BENCH_ROUNDS:-3}
CONNS=${BENCH_CONNS:-100}

scripts/install-deps.sh bench
make -s all
mkdir -p build/bench
cc -O2 -o build/bench/ref bench/ref.c $(pkg-config --cflags --libs libmicrohttpd) -lpthread

work=$(mktemp -d /tmp/praxis-bench.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_port() {
    for _ in $(seq 1 200); do
        if node -e "require('net').connect($1,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"; then
            return 0
        fi
        sleep 0.05
    done
    echo "bench: nothing listens on $1" >&2
    exit 1
}

fetch_to() { # URL FILE
    node -e "fetch('$1').then(r=>r.arrayBuffer()).then(b=>require('fs').writeFileSync('$2',Buffer.from(b)))"
}

# praxis, release build, SQLite, access log on as in production (to /dev/null).
P_PORT=$(free_port)
./praxis serve --listen 127.0.0.1:"$P_PORT" --data "$work/data" --name "Bench Community" \
    >/dev/null 2>"$work/praxis.err" &
pids+=($!)
wait_port "$P_PORT"
mkdir -p "$work/www"
fetch_to "http://127.0.0.1:$P_PORT/" "$work/www/home.html"
fetch_to "http://127.0.0.1:$P_PORT/healthz" "$work/www/healthz.json"

R_PORT=$(free_port)
build/bench/ref "$R_PORT" "$work/www/home.html" &
pids+=($!)
R2_PORT=$(free_port)
build/bench/ref "$R2_PORT" "$work/www/healthz.json" application/json &
pids+=($!)

N_PORT=$(free_port)
mkdir -p "$work/nginx/logs"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes $(nproc);
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
user root;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    types { text/html html; application/json json; }
    server {
        listen 127.0.0.1:$N_PORT;
        root $work/www;
    }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=($!)
wait_port "$R_PORT"
wait_port "$R2_PORT"
wait_port "$N_PORT"

# One wrk run: prints "rps p50_ms p99_ms".
measure() {
    local out
    out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$1" 2>&1)
    local rps p50 p99
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1=="50%" {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    if echo "$out" | grep -q 'Non-2xx'; then
        echo "bench: non-2xx answers from $1" >&2
    fi
    echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}

to_ms() { # wrk prints 1.23ms, 456.78us or 1.02s
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
        else printf "nan" }'
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A res
targets=(
    "praxis /|http://127.0.0.1:$P_PORT/"
    "ref /|http://127.0.0.1:$R_PORT/"
    "nginx /|http://127.0.0.1:$N_PORT/home.html"
    "praxis /healthz|http://127.0.0.1:$P_PORT/healthz"
    "ref /healthz|http://127.0.0.1:$R2_PORT/"
    "nginx /healthz|http://127.0.0.1:$N_PORT/healthz.json"
)
echo "bench: $ROUNDS rounds of ${SECS}s per target, $CONNS connections, wrk -t2, $(nproc) cores"
for round in $(seq 1 "$ROUNDS"); do
    for t in "${targets[@]}"; do
        name=${t%%|*}
        url=${t#*|}
        res[$name]+="$(measure "$url")"$'\n'
    done
    echo "bench: round $round done"
done

col() { echo -n "${res[$1]}" | awk -v c="$2" 'NF {print $c}' | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

printf '\n%-16s %10s %9s %9s %9s %9s   %s\n' "target" "req/s" "p50 ms" "p99 ms" "vs ref" "vs nginx" "bytes"
for path in / /healthz; do
    file=$([ "$path" = / ] && echo home.html || echo healthz.json)
    bytes=$(wc -c <"$work/www/$file")
    p_rps=$(col "praxis $path" 1)
    r_rps=$(col "ref $path" 1)
    n_rps=$(col "nginx $path" 1)
    for who in praxis ref nginx; do
        rps=$(col "$who $path" 1)
        printf '%-16s %10.0f %9s %9s %9s %9s   %s\n' "$who $path" "$rps" "$(col "$who $path" 2)" \
            "$(col "$who $path" 3)" \
            "$([ $who = praxis ] && ratio "$p_rps" "$r_rps" || echo -)" \
            "$([ $who = praxis ] && ratio "$p_rps" "$n_rps" || echo -)" "$bytes"
    done
done
echo
echo "vs ref: praxis req/s over the in-memory libmicrohttpd reference (the ceiling for our stack)."
echo "vs nginx: praxis req/s over nginx serving the same bytes as a static file."
