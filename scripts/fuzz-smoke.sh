#!/usr/bin/env bash
# A short fuzzing run of every target, as continuous integration does: builds the targets with
# cargo-fuzz on the stable toolchain (installing cargo-fuzz when missing), replays each seed
# corpus, then fuzzes each target for SECONDS seconds (default 20) from a copy of its corpus.
# Any crash, hang or out-of-memory fails the run, and libFuzzer keeps the input under
# fuzz/artifacts/. Longer runs: see README.md, "Fuzzing".
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-20}"
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install --locked cargo-fuzz
fi
targets=$(cargo fuzz list)
cargo fuzz build -s none -O
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for target in $targets; do
    mkdir -p "$work/$target"
    if ! cargo fuzz run -s none -O "$target" "$work/$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 >"$work/$target.log" 2>&1; then
        status=1
        tail -n 40 "$work/$target.log"
    fi
    echo "$target: $(grep -E '^stat::number_of_executed_units' "$work/$target.log" || echo 'no statistics')"
done
exit "$status"
