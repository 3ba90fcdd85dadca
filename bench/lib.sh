# What the bench scripts share (sourced by bench/run.sh and bench/live.sh):
# a work folder and the processes they start, cleaned up on exit, and ports.
work=$(mktemp -d /tmp/praxis-bench.XXXXXX)
pgdir=
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ -n "$pgdir" ]; then scripts/pg-cluster.sh stop "$pgdir" >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# Stop what was started so far (the next part starts its own).
stop_all() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    pids=()
}

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
