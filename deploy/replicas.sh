#!/usr/bin/env bash
# Usage: deploy/replicas.sh [--render-only] K PORT
#
#   K      number of Streamlit replicas of dashboard.py, on 127.0.0.1 ports PORT+1 … PORT+K
#   PORT   the port nginx listens on; open http://<LISTEN_ADDR>:PORT
#   --render-only   write the nginx configuration for those ports and exit (starts nothing)
#
# Starts K replicas (`streamlit run dashboard.py --server.port <p> --server.headless true …`), waits for
# each one's /_stcore/health, renders deploy/nginx.conf.template for their ports, runs nginx in front
# of them with cookie affinity (see the template), and stays in the foreground; Ctrl-C or SIGTERM stops
# nginx and every replica. If any of them exits on its own, the rest are stopped too.
#
# Environment:
#   DEPLOY_DIR    nginx prefix: nginx.conf, nginx.pid, logs/ (access.log, error.log, replica-<p>.log),
#                 temp/, replicas.pids (default: test-artifacts/deploy-PORT in the repository)
#   LISTEN_ADDR   the address nginx listens on (default 127.0.0.1; the replicas always use 127.0.0.1)
#   PYTHON        the Python with Streamlit installed (default: python3)
#   NICE          if set, the scheduling priority of the replicas (with their workers) and nginx, e.g.
#                 -10 as benchmarks/load_test.py gives its own server (below 0 needs root)
#   STREAMLIT_SERVER_COOKIE_SECRET  shared by all replicas so that a cookie one signed (XSRF) is valid
#                 on the others (default: a random one per start)
#
# Requires nginx on PATH (Debian/Ubuntu: apt-get install nginx). Runs unprivileged.
set -euo pipefail

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "replicas.sh: $*" >&2; exit 1; }

render_only=0
if [[ "${1:-}" == "--render-only" ]]; then render_only=1; shift; fi
[[ $# -eq 2 ]] || usage
K=$1 PORT=$2
[[ "$K" =~ ^[1-9][0-9]*$ ]] || die "K must be a positive whole number, got '$K'"
[[ "$PORT" =~ ^[0-9]+$ ]] && (( PORT >= 1 && PORT + K <= 65535 )) || die "PORT out of range: '$PORT'"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TEMPLATE="$ROOT/deploy/nginx.conf.template"
DEPLOY_DIR=${DEPLOY_DIR:-"$ROOT/test-artifacts/deploy-$PORT"}
LISTEN_ADDR=${LISTEN_ADDR:-127.0.0.1}
PYTHON=${PYTHON:-python3}
HOST=127.0.0.1

mkdir -p "$DEPLOY_DIR/logs" "$DEPLOY_DIR/temp"
DEPLOY_DIR=$(cd "$DEPLOY_DIR" && pwd)
CONF="$DEPLOY_DIR/nginx.conf"

ports=()
for ((i = 1; i <= K; i++)); do ports+=($((PORT + i))); done

# --- the nginx configuration for these ports -------------------------------------------------------------
servers=""
for p in "${ports[@]}"; do
    servers+="        server $HOST:$p max_fails=3 fail_timeout=10s;"$'\n'
done
servers=${servers%$'\n'}
template=$(<"$TEMPLATE")
template=${template//@LISTEN@/"$LISTEN_ADDR:$PORT"}
printf '%s\n' "${template//@UPSTREAM_SERVERS@/"$servers"}" > "$CONF"

if (( render_only )); then
    echo "$CONF"
    exit 0
fi

command -v nginx >/dev/null 2>&1 || die "nginx not found on PATH (Debian/Ubuntu: apt-get install nginx)"
"$PYTHON" -c 'import streamlit' 2>/dev/null || die "$PYTHON cannot import streamlit (set PYTHON=…)"

port_busy() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
for p in "$PORT" "${ports[@]}"; do
    addr=$HOST; [[ "$p" == "$PORT" ]] && addr=$LISTEN_ADDR
    ! port_busy "$addr" "$p" || die "port $p on $addr is already in use"
done

healthy() {
    if command -v curl >/dev/null 2>&1; then
        [[ "$(curl -fsS --noproxy '*' --max-time 2 "http://$HOST:$1/_stcore/health" 2>/dev/null)" == "ok" ]]
    else
        "$PYTHON" - "$1" <<'PY' 2>/dev/null
import sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
sys.exit(opener.open(f"http://127.0.0.1:{sys.argv[1]}/_stcore/health", timeout=2).read() != b"ok")
PY
    fi
}

# --- start, and always stop ------------------------------------------------------------------------------
# Each replica and nginx run in their own process group (setsid), so stopping one stops everything it
# started too (the app's training workers); Ctrl-C reaches only this script, which then stops them in turn.
pids=()
nginx_pid=""
cleanup() {
    trap - EXIT INT TERM
    local pid groups=("${pids[@]}")
    [[ -n "$nginx_pid" ]] && groups+=("$nginx_pid")
    for pid in "${groups[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    for _ in {1..50}; do  # up to 10 s, then SIGKILL what is left
        local alive=0
        for pid in "${groups[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
        (( alive )) || break
        sleep 0.2
    done
    for pid in "${groups[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    rm -f "$DEPLOY_DIR/replicas.pids"
    echo "replicas.sh: stopped nginx and ${#pids[@]} replica(s)" >&2
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# One secret for all replicas (environment, so it never shows in `ps`): see the header.
if [[ -z "${STREAMLIT_SERVER_COOKIE_SECRET:-}" ]]; then
    STREAMLIT_SERVER_COOKIE_SECRET=$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')
fi
export STREAMLIT_SERVER_COOKIE_SECRET

cd "$ROOT"
for p in "${ports[@]}"; do
    setsid "$PYTHON" -m streamlit run dashboard.py --server.port "$p" --server.headless true \
        --server.address "$HOST" --browser.gatherUsageStats false --server.fileWatcherType none \
        </dev/null >"$DEPLOY_DIR/logs/replica-$p.log" 2>&1 &
    pids+=($!)
    echo "replica on $HOST:$p: pid $!, log $DEPLOY_DIR/logs/replica-$p.log"
done
printf '%s\n' "${pids[@]}" > "$DEPLOY_DIR/replicas.pids"

for i in "${!ports[@]}"; do
    p=${ports[$i]}
    deadline=$((SECONDS + 90))
    until healthy "$p"; do
        kill -0 "${pids[$i]}" 2>/dev/null || die "the replica on port $p exited; its log:
$(tail -n 30 "$DEPLOY_DIR/logs/replica-$p.log")"
        (( SECONDS < deadline )) || die "the replica on port $p did not answer /_stcore/health in 90 s"
        sleep 0.5
    done
    echo "replica on $HOST:$p: healthy"
done

nginx -p "$DEPLOY_DIR" -c "$CONF" -e "$DEPLOY_DIR/logs/error.log" -t -q \
    || die "nginx rejected $CONF (see above)"
setsid nginx -p "$DEPLOY_DIR" -c "$CONF" -e "$DEPLOY_DIR/logs/error.log" -g 'daemon off;' &
nginx_pid=$!
deadline=$((SECONDS + 10))
until port_busy "$LISTEN_ADDR" "$PORT"; do
    kill -0 "$nginx_pid" 2>/dev/null || die "nginx exited; see $DEPLOY_DIR/logs/error.log"
    (( SECONDS < deadline )) || die "nginx did not listen on $LISTEN_ADDR:$PORT within 10 s"
    sleep 0.2
done

if [[ -n "${NICE:-}" ]]; then
    for pid in "${pids[@]}" "$nginx_pid"; do renice -n "$NICE" -g "$pid" >/dev/null; done
fi

echo "Symmetry Lab: http://$LISTEN_ADDR:$PORT  ($K replicas, nginx pid $nginx_pid, replica pids in" \
     "$DEPLOY_DIR/replicas.pids, access log $DEPLOY_DIR/logs/access.log). Ctrl-C stops everything."

# Stay here until Ctrl-C/TERM, or until one of them exits on its own (then stop the others).
set +e
wait -n "${pids[@]}" "$nginx_pid"
status=$?
set -e
echo "replicas.sh: a replica or nginx exited (status $status); stopping the rest" >&2
exit 1
