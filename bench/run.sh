#!/bin/bash
# make bench: drive praxis with wrk and print requests/s and p50/p99 latency
# for / and /healthz, each beside two references measured in the same run:
#   ref   - a minimal libmicrohttpd server answering the same bytes from memory
#           (bench/ref.c: the ceiling for our stack)
#   nginx - nginx serving the same bytes as a static file
# Rounds are interleaved and the median is printed, because this machine is
# shared and runs of one binary drift. Figures are reported, never asserted.
#
#
# Then discussions, on an instance made by `praxis demo --scale N` (N people,
# about 10N topics and 100N posts; N=10000 gives a million posts), on SQLite
# and on PostgreSQL (a throwaway cluster, scripts/pg-cluster.sh):
#   topic page  - GET /topics/{id} (HTML, signed in with a session cookie) and
#                 GET /api/v1/topics/{id} (JSON, a bearer token), a topic of 20
#                 posts, each beside the reference answering the same bytes
#   search      - GET /api/v1/search?q= with one-word and two-word queries, a
#                 mix of common and rare words, at BENCH_SEARCH_CONNS
#   posting     - POST /api/v1/topics/{id}/posts over twenty topics, posts/s
#                 at BENCH_POST_CONNS
# The generated SQLite file is kept in build/bench/, keyed by N, the schema
# and the generator's sources, and PostgreSQL's as a pg_dump beside it, so
# only the first run pays for making them (SQLite ~2 min for N=10000). A
# route not served yet is reported as such and left out.
#
# Knobs: BENCH_SECONDS (per run, default 5), BENCH_ROUNDS (default 3),
#        BENCH_CONNS (default 100), BENCH_SCALE (N, default 10000),
#        BENCH_PG_SCALE (N on PostgreSQL, default 1000: its bulk load is
#        several times slower; set 10000 for the same instance), BENCH_PG=0
#        (leave PostgreSQL out), BENCH_SEARCH_CONNS (default 4),
#        BENCH_POST_CONNS (default 8), BENCH_DISCUSS=0 (only / and /healthz).
set -eu
cd "$(dirname "$0")/.."
SECS=${BENCH_SECONDS:-5}
ROUNDS=${BENCH_ROUNDS:-3}
CONNS=${BENCH_CONNS:-100}
SCALE=${BENCH_SCALE:-10000}
PG_SCALE=${BENCH_PG_SCALE:-1000}
SEARCH_CONNS=${BENCH_SEARCH_CONNS:-4}
POST_CONNS=${BENCH_POST_CONNS:-8}

scripts/install-deps.sh bench
make -s all
mkdir -p build/bench
cc -O2 -o build/bench/ref bench/ref.c $(pkg-config --cflags --libs libmicrohttpd) -lpthread

# shellcheck source=bench/lib.sh
. bench/lib.sh

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

# One wrk run: prints "rps p50_ms p99_ms". measure_at takes the connections
# and wrk's own arguments (headers, a script) after the URL.
measure() { measure_at "$CONNS" "$@"; }
measure_at() {
    local conns=$1 url=$2 out
    shift 2
    out=$(wrk -t2 -c"$conns" -d"${SECS}s" --latency "$url" "$@" 2>&1)
    local rps p50 p99
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1=="50%" {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    if echo "$out" | grep -q 'Non-2xx'; then
        echo "bench: non-2xx answers from $url" >&2
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

[ "${BENCH_DISCUSS:-1}" = 0 ] && exit 0
# The servers above are done with; the discussions have their own.
stop_all

# ---------------------------------------------------------------------------
# Discussions.

# What a generated instance depends on: the schema and the generator.
instance_key() { # BACKEND
    cat migrations/"$1"/*.sql src/feature/demo/scale.c src/feature/demo/vocab.c \
        src/feature/demo/stmts.def | sha256sum | cut -c1-12
}
schema_of() { ls migrations/"$1" | tail -1 | cut -c1-4; }

# The member to sign in as and the password, from the generator's summary.
signin_of() { sed -n "s/.* as \([^ ]*\) (a member of every space) with the password '\([^']*\)'.*/\1 \2/p" "$1"; }

# An SQLite instance of N people, made once and kept: prints its path.
sqlite_instance() {
    local n=$1 base
    base=build/bench/scale-$n-v$(schema_of sqlite)-$(instance_key sqlite)
    if [ ! -f "$base.db" ]; then
        rm -f build/bench/scale-"$n"-v*.db build/bench/scale-"$n"-v*.txt "$base".tmp*
        echo "bench: making the SQLite instance (praxis demo --scale $n), once" >&2
        ./praxis demo --scale "$n" --db "sqlite:$base.tmp" --test-mode on \
            --password-cost minimum >"$base.txt" 2>"$work/scale.err" ||
            { cat "$work/scale.err" >&2; exit 1; }
        grep -v '^demo: [0-9]* of ' "$work/scale.err" | grep -v 'applied migration' >&2 || true
        mv "$base.tmp" "$base.db"
    fi
    echo "$base"
}

# Fill the throwaway cluster's database with an instance of N people, from a
# dump kept in build/bench when there is one: prints the summary's path.
pg_instance() {
    local n=$1 url=$2 base
    base=build/bench/pg-scale-$n-v$(schema_of pg)-$(instance_key pg)
    if [ -f "$base.dump" ] && [ -f "$base.txt" ]; then
        echo "bench: restoring the PostgreSQL instance from $base.dump" >&2
        pg_restore --no-owner -j 2 -d "$url" "$base.dump" >&2
    else
        rm -f build/bench/pg-scale-"$n"-v*.dump build/bench/pg-scale-"$n"-v*.txt
        echo "bench: making the PostgreSQL instance (praxis demo --scale $n), once" >&2
        ./praxis demo --scale "$n" --db "$url" --test-mode on --password-cost minimum \
            >"$base.txt" 2>"$work/pgscale.err" || { cat "$work/pgscale.err" >&2; exit 1; }
        grep -v '^demo: [0-9]* of ' "$work/pgscale.err" | grep -v 'applied migration' >&2 || true
        pg_dump -Fc -d "$url" -f "$base.dump.tmp" && mv "$base.dump.tmp" "$base.dump"
    fi
    echo "$base"
}

# One line a query: common words, middling ones, rare ones and made-up names
# (in a million posts: "lesson" is in ~380k, "feedback" ~46k, "secondment"
# ~1k, "quabel" ~80, "zorwyn" 2).
printf '%s\n' lesson time feedback pupils fraction dressing governor hinge tessellation \
    haematoma secondment asymptote karo quabel mikaro zorwyn >"$work/q1.txt"
printf '%s\n' "hinge question" "exit ticket" "wound dressing" "lesson feedback" \
    "fraction misconception" "tessellation spiral" "karo lesson" "pupils time" \
    "governor budget" "dressing pain" "secondment coaching" "quabel lesson" >"$work/q2.txt"

declare -A dres dnote
dbackends=()

# Benchmark one backend: serve DB, sign in, measure in interleaved rounds.
bench_backend() { # NAME DB-URL SUMMARY-FILE POSTS
    local name=$1 url=$2 summary=$3 port rport jport dir who pass topic
    dir=$work/$name
    mkdir -p "$dir/data"
    port=$(free_port)
    ./praxis serve --listen 127.0.0.1:"$port" --data "$dir/data" --db "$url" \
        >/dev/null 2>"$dir/praxis.err" &
    pids+=($!)
    wait_port "$port"
    read -r who pass < <(signin_of "$summary")
    node bench/setup.mjs "http://127.0.0.1:$port" "$who" "$pass" "$dir"
    topic=$(cat "$dir/topic")
    local auth="Authorization: Bearer $(cat "$dir/token")" cookie="Cookie: $(cat "$dir/cookie")"
    local base="http://127.0.0.1:$port" t=()
    if [ "$(cat "$dir/status.html")" = 200 ]; then
        rport=$(free_port)
        build/bench/ref "$rport" "$dir/topic.html" &
        pids+=($!)
        wait_port "$rport"
        t+=("page html|$base/topics/$topic|$CONNS|-H|$cookie"
            "ref html|http://127.0.0.1:$rport/|$CONNS")
    else
        dnote[$name html]="GET /topics/{id} answered $(cat "$dir/status.html"): not served yet"
    fi
    if [ "$(cat "$dir/status.json")" = 200 ]; then
        jport=$(free_port)
        build/bench/ref "$jport" "$dir/topic.json" application/json &
        pids+=($!)
        wait_port "$jport"
        t+=("page json|$base/api/v1/topics/$topic|$CONNS|-H|$auth"
            "ref json|http://127.0.0.1:$jport/|$CONNS")
    fi
    if [ "$(cat "$dir/status.search")" = 200 ]; then
        t+=("search 1|$base/|$SEARCH_CONNS|-H|$auth|-s|bench/search.lua|--|$work/q1.txt"
            "search 2|$base/|$SEARCH_CONNS|-H|$auth|-s|bench/search.lua|--|$work/q2.txt")
    else
        dnote[$name search]="GET /api/v1/search answered $(cat "$dir/status.search"): not served yet"
    fi
    t+=("posting|$base/|$POST_CONNS|-H|$auth|-H|Content-Type: application/json|-s|bench/post.lua|--|$(cat "$dir/post_topics")")
    dres[$name bytes html]=$(wc -c <"$dir/topic.html")
    dres[$name bytes json]=$(wc -c <"$dir/topic.json")
    dres[$name posts]=$4
    # Warm the caches: one short run of each page.
    for x in "${t[@]}"; do
        IFS='|' read -r -a f <<<"$x"
        case ${f[0]} in page*) SECS=2 measure_at "${f[2]}" "${f[1]}" "${f[@]:3}" >/dev/null ;; esac
    done
    for round in $(seq 1 "$ROUNDS"); do
        for x in "${t[@]}"; do
            IFS='|' read -r -a f <<<"$x"
            dres[$name ${f[0]}]+="$(measure_at "${f[2]}" "${f[1]}" "${f[@]:3}")"$'\n'
        done
        echo "bench: $name round $round done"
    done
    dbackends+=("$name")
    stop_all
}

echo
sq=$(sqlite_instance "$SCALE")
cp "$sq.db" "$work/scale.db"
bench_backend sqlite "sqlite:$work/scale.db" "$sq.txt" \
    "$(sed -n 's/.* topics, \([0-9]*\) posts,.*/\1/p' "$sq.txt")"

if [ "${BENCH_PG:-1}" != 0 ]; then
    pgdir=$(mktemp -d /tmp/praxis-bench-pg.XXXXXX)
    if pgurl=$(scripts/pg-cluster.sh start "$pgdir" 2>"$work/pg.err"); then
        pq=$(pg_instance "$PG_SCALE" "$pgurl")
        bench_backend pg "$pgurl" "$pq.txt" "$(sed -n 's/.* topics, \([0-9]*\) posts,.*/\1/p' "$pq.txt")"
    else
        echo "bench: no PostgreSQL cluster, so no PostgreSQL figures: $(tail -1 "$work/pg.err")"
        pgdir=
    fi
fi

dcol() { echo -n "${dres[$1]:-}" | awk -v c="$2" 'NF {print $c}' | median; }
row() { # LABEL KEY GOAL [VS-KEY]
    local rps
    [ -n "${dres[$2]:-}" ] || return 0
    rps=$(dcol "$2" 1)
    printf '%-34s %10.0f %9s %9s %7s   %s\n' "$1" "$rps" "$(dcol "$2" 2)" "$(dcol "$2" 3)" \
        "$([ -n "${4:-}" ] && ratio "$rps" "$(dcol "$4" 1)" || echo -)" "$3"
}
printf '\n%-34s %10s %9s %9s %7s   %s\n' "discussions" "req/s" "p50 ms" "p99 ms" "vs ref" \
    "goal (reported, not asserted)"
for b in "${dbackends[@]}"; do
    echo "$b: ${dres[$b posts]} posts"
    row "  topic page html, $CONNS conns" "$b page html" "≥ 0.5× ref, p99 < 10 ms" "$b ref html"
    row "  ref, same ${dres[$b bytes html]} bytes" "$b ref html" ""
    row "  topic page json, $CONNS conns" "$b page json" "≥ 0.5× ref, p99 < 10 ms" "$b ref json"
    row "  ref, same ${dres[$b bytes json]} bytes" "$b ref json" ""
    row "  search, one word, $SEARCH_CONNS conns" "$b search 1" "p50 < 5 ms, p99 < 25 ms"
    row "  search, two words, $SEARCH_CONNS conns" "$b search 2" "p50 < 5 ms, p99 < 25 ms"
    row "  posting (posts/s), $POST_CONNS conns" "$b posting" "≥ 2000 posts/s"
    for k in html search; do
        if [ -n "${dnote[$b $k]:-}" ]; then echo "  ${dnote[$b $k]}"; fi
    done
done
echo
echo "topic page: a topic of 20 posts, signed in as a member (cookie for HTML, token for JSON);"
echo "ref: the in-memory reference answering the same bytes. search: queries of common and rare"
echo "words in turn. posting: replies spread over twenty topics, each its own transaction."
