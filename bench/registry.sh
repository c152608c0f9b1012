#!/usr/bin/env bash
# The example journey as the body of classify requests: bench/classify-body.json.
# Registry benchmarks on a fresh SQLite registry: import, requalification and statistics over
# N synthetic journeys, and classify-without-storing under load (wrk, 64 connections).
#   bench/registry.sh [N]        (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
cargo build --profile dist -q -p delimit-cli -p delimit-bench --bin delimit --bin gen-journeys
BIN="$PWD/target/dist"
WORK="$(mktemp -d)"
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
export DELIMIT_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
DB="$WORK/registry.db"
"$BIN/gen-journeys" "$N" > "$WORK/cases.jsonl"
seconds() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; }
t=$(seconds "$BIN/delimit" import "$WORK/cases.jsonl" --db "$DB")
echo "import of $N cases: $t s ($(python3 -c "print(round($N/$t))") cases/s)"
t=$(seconds "$BIN/delimit" requalify --db "$DB")
echo "requalification of $N cases: $t s ($(python3 -c "print(round($N/$t))") cases/s)"
t=$(seconds "$BIN/delimit" stats qualification --db "$DB")
echo "statistics (one dimension, whole process): $t s"
t=$(seconds "$BIN/delimit" stats --db "$DB")
echo "statistics (all nine dimensions, whole process): $t s"
"$BIN/delimit" serve --db "$DB" --listen 127.0.0.1:18181 2>/dev/null &
SERVER=$!
sleep 2
curl -sf -XPOST --data @bench/classify-body.json 127.0.0.1:18181/api/classify >/dev/null
# Statistics through the API, the server warm: one dimension, then every dimension.
curl -sf -XPOST 127.0.0.1:18181/api/setup -d '{"username":"bench","password":"timing every request"}' >/dev/null
TOKEN=$(curl -sf -XPOST 127.0.0.1:18181/api/session -d '{"username":"bench","password":"timing every request"}' | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')
for q in "dimension=qualification" "dimension=age" ""; do
    for _ in 1 2; do
        t=$(curl -sf -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "127.0.0.1:18181/api/statistics?$q")
    done
    echo "statistics over HTTP (${q:-all dimensions}): $t s"
done
# Signed in, as a program would be: requests without a credential are rate-limited per
# address, and 64 connections from one address are one client.
cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.body = io.open("$PWD/bench/classify-body.json"):read("*a")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
wrk -t2 -c64 -d15s --latency -s "$WORK/post.lua" http://127.0.0.1:18181/api/classify | grep -E "Requests/sec|50%|99%"
