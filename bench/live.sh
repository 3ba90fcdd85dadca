#!/bin/bash
# Live streams (make bench, after bench/run.sh's tables; BENCH_LIVE=0 leaves
# it out). On a fresh instance:
#   held streams - BENCH_LIVE_STREAMS (default 10000) streams on one node,
#                  subscribed to a chat channel: the server's memory per held
#                  stream, and the topic page's JSON req/s while they are held
#                  beside the same figure without them (same run)
#   fan-out      - one chat message at a time (BENCH_LIVE_MESSAGES, default 50)
#                  to all of them: p50/p99 of the time from the POST's response
#                  to the last delivery
#   two nodes    - two praxis serve on one throwaway PostgreSQL: messages
#                  posted on node A, BENCH_LIVE_REMOTE (default 1000) streams
#                  held on node B: p50/p99 of the last delivery on B
# Figures are reported, never asserted.
set -eu
cd "$(dirname "$0")/.."
N=${BENCH_LIVE_STREAMS:-10000}
K=${BENCH_LIVE_MESSAGES:-50}
REMOTE=${BENCH_LIVE_REMOTE:-1000}
SECS=${BENCH_SECONDS:-5}
CONNS=${BENCH_CONNS:-100}

scripts/install-deps.sh bench
make -s all
mkdir -p build/bench
cc -O2 -Wall -o build/bench/sse bench/sse.c
# shellcheck source=bench/lib.sh
. bench/lib.sh
serve() { # PORT DATA DB
    ./praxis serve --listen 127.0.0.1:"$1" --data "$2" --db "$3" --access-log off \
        --max-connections $((N + 2000)) >/dev/null 2>"$2.err" &
    pids+=($!)
    wait_port "$1"
}
rps_of() { awk '/Requests\/sec/ {printf "%.0f", $2}'; }

echo
echo "live: $N streams held on one node (SQLite), $K chat messages fanned out, $(nproc) cores"
port=$(free_port)
mkdir -p "$work/one"
serve "$port" "$work/one" "sqlite:$work/one/praxis.db"
pid=${pids[-1]}
node bench/live_setup.mjs "http://127.0.0.1:$port" "$work/one"
token=$(cat "$work/one/token")
ch=$(cat "$work/one/channel")
topic=$(cat "$work/one/topic")
page="http://127.0.0.1:$port/api/v1/topics/$topic"
wrk -t2 -c"$CONNS" -d2s "$page" -H "Authorization: Bearer $token" >/dev/null 2>&1 # warm
without=$(wrk -t2 -c"$CONNS" -d"${SECS}s" "$page" -H "Authorization: Bearer $token" 2>&1 | rps_of)
out=$(build/bench/sse -p "$port" -s "/api/v1/stream?channels=$ch" -t "$token" -n "$N" -r "$pid" \
    -c "wrk -t2 -c$CONNS -d${SECS}s $page -H 'Authorization: Bearer $token'" \
    -m "/api/v1/channels/$ch/messages" -k "$K")
echo "$out" | grep -v -e '^Running' -e '^  ' -e 'Latency' -e 'Req/Sec' -e 'requests in' -e 'Transfer/sec' -e 'Requests/sec' || true
with=$(echo "$out" | rps_of)
awk -v a="$with" -v b="$without" -v c="$CONNS" 'BEGIN {
    printf "topic page json, %d conns: %.0f req/s with the streams held, %.0f without: %.2f× (goal: near 1)\n", c, a, b, (b > 0 ? a / b : 0) }'
echo "goals: memory per held stream < 16 kB; fan-out p99 < 200 ms"
stop_all

pgdir=$(mktemp -d /tmp/praxis-live-pg.XXXXXX)
if pgurl=$(scripts/pg-cluster.sh start "$pgdir" 2>"$work/pg.err"); then
    echo
    echo "live: two nodes on one PostgreSQL, $REMOTE streams on node B, $K messages posted on node A"
    pa=$(free_port)
    pb=$(free_port)
    mkdir -p "$work/a" "$work/b"
    serve "$pa" "$work/a" "$pgurl"
    serve "$pb" "$work/b" "$pgurl"
    node bench/live_setup.mjs "http://127.0.0.1:$pa" "$work/a"
    build/bench/sse -p "$pb" -P "$pa" -s "/api/v1/stream?channels=$(cat "$work/a/channel")" \
        -t "$(cat "$work/a/token")" -n "$REMOTE" -m "/api/v1/channels/$(cat "$work/a/channel")/messages" \
        -k "$K" | sed 's/^fan-out:/node A to node B:/'
else
    echo "bench: no PostgreSQL cluster, so no two-node figures: $(tail -1 "$work/pg.err")"
    pgdir=
fi
