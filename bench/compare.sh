#!/bin/sh
# Side-by-side comparison of `delimit batch` with other rule engines on the same rules and the
# same 1,000,000 synthetic cases, using the peer benchmark kit (its run.sh, bench.sh and data
# generator), copied to a scratch folder first because the kit may be read-only.
#
# usage: bench/compare.sh [KIT_DIR]
#   KIT_DIR       the kit (default: $DELIMIT_PEER_BENCH, else ../shared/bench from the repository root)
# environment:
#   RUNS=5        measured runs per variant (after one unrecorded warm-up)
#   ZEN=1         also build and run the GoRules ZEN crate (about 10 minutes to build on 2 cores)
#   OPENFISCA=0   leave OpenFisca out (it needs PyPI the first time)
#   SCRATCH=DIR   where to copy the kit (default: a folder under ${TMPDIR:-/tmp}); kept between
#                 runs, so the data and the peers' builds are reused
#   OUT=FILE      also write the Markdown table there
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KIT=${1:-${DELIMIT_PEER_BENCH:-$ROOT/../shared/bench}}
KIT=$(cd "$KIT" && pwd)
RUNS=${RUNS:-5}
SCRATCH=${SCRATCH:-${TMPDIR:-/tmp}/delimit-peer-bench}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}

echo "kit: $KIT -> $SCRATCH" >&2
mkdir -p "$SCRATCH"
# Copy the kit, keeping data, builds and results already in the scratch folder.
(cd "$KIT" && find . -type f ! -path './*/target/*' ! -path './*/.venv/*' ! -path './*/node_modules/*' \
    ! -path './data/facts.*' ! -path './data/*/facts.*' ! -path './results/*') |
  while read -r f; do
    mkdir -p "$SCRATCH/$(dirname "$f")"
    cp "$KIT/$f" "$SCRATCH/$f"
    chmod u+w "$SCRATCH/$f"
  done
cd "$SCRATCH"

echo "building delimit" >&2
(cd "$ROOT" && CARGO_TARGET_DIR=$TARGET cargo build --profile dist -q -p delimit-cli)
DELIMIT=$TARGET/dist/delimit
LAW=$ROOT/bench/peer-law

echo "building the hand-written Rust baseline" >&2
(cd rust-baseline && CARGO_TARGET_DIR=target cargo build --release -q)
VARIANTS="delimit-csv rust-csv-bool rust-csv-kleene-bits rust-csv-kleene delimit-jsonl rust-jsonl-bool rust-jsonl-kleene-bits"
if [ "${OPENFISCA:-1}" != 0 ]; then
  echo "installing OpenFisca" >&2
  [ -d openfisca/.venv ] || python3 -m venv openfisca/.venv
  openfisca/.venv/bin/pip install -q openfisca-core==46.0.1
  VARIANTS="$VARIANTS openfisca"
fi
if [ "${ZEN:-0}" != 0 ]; then
  echo "building the ZEN crate (long)" >&2
  python3 zen-jdm/gen_jdm.py
  (cd zen-rust && CARGO_TARGET_DIR=target cargo build --release -q)
  VARIANTS="$VARIANTS zen-rust-expr"
fi

echo "generating the data" >&2
[ -f data/facts.csv ] || python3 data/gen.py > /dev/null
[ -f data/unknown5/facts.csv ] || python3 data/gen.py --unknown-rate 0.05 --out data/unknown5 > /dev/null

# delimit as one more variant of the kit's run.sh: the same files, the same JSON line.
CONCEPTS=trafficking,smuggling,irregular_migration
awk -v d="$DELIMIT" -v law="$LAW" -v c="$CONCEPTS" '
  /^  \*\)/ {
    print "  delimit-csv)   exec $T \"" d "\" batch --law \"" law "\" --concepts " c " --json \"$D/facts.csv\" ;;"
    print "  delimit-jsonl) exec $T \"" d "\" batch --law \"" law "\" --concepts " c " --json \"$D/facts.jsonl\" ;;"
  }
  { print }' run.sh > run-delimit.sh
chmod +x run-delimit.sh
mv run-delimit.sh run.sh

machine="$(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
for set in full unknown5; do
  if [ $set = full ]; then data=$SCRATCH/data; vs=$VARIANTS; else
    data=$SCRATCH/data/unknown5
    vs="delimit-csv rust-csv-kleene-bits rust-csv-kleene delimit-jsonl rust-jsonl-kleene-bits"
  fi
  echo "running $RUNS times each on $set: $vs" >&2
  rm -rf results/raw
  DATA=$data ./bench.sh "$RUNS" $vs > /dev/null || true  # the table below reads the logs
  rm -rf "results/$set"
  mv results/raw "results/$set"
done

{
  echo "Machine: $machine; $RUNS runs per variant, medians; 1,000,000 cases."
  echo
  python3 "$ROOT/bench/table.py" "$SCRATCH/results/full" "$SCRATCH/data/expected.json" \
    "all facts known" $VARIANTS
  echo
  python3 "$ROOT/bench/table.py" "$SCRATCH/results/unknown5" "$SCRATCH/data/unknown5/expected.json" \
    "5% of facts unknown" delimit-csv rust-csv-kleene-bits rust-csv-kleene delimit-jsonl rust-jsonl-kleene-bits
} | tee "${OUT:-/dev/null}"
