#!/usr/bin/env bash
# Time from a clean clone to the first page of `delimit serve`: clones this checkout's HEAD into
# a temporary folder, runs the README's first command there (`cargo run --release -- serve`,
# with --timings), and asks for the first-run page until it answers. Prints the seconds and
# where cargo's timing report is. Crates already downloaded are reused (~/.cargo).
#
#   bench/first-page.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d /tmp/delimit-first-page.XXXXXX)
git clone -q . "$dir/delimit"
cd "$dir/delimit"
port=$((20000 + RANDOM % 10000))
started=$(date +%s.%N)
cargo run --release --timings -- serve --listen "127.0.0.1:$port" >"$dir/serve.log" 2>&1 &
pid=$!
trap 'kill -INT $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/setup" || true)" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { cat "$dir/serve.log" >&2; exit 1; }
    sleep 0.5
done
ended=$(date +%s.%N)
awk -v a="$started" -v b="$ended" 'BEGIN { printf "first page after %.0f s\n", b - a }'
grep -m1 'Finished' "$dir/serve.log" || true
echo "timings: $dir/delimit/target/cargo-timings/cargo-timing.html"
