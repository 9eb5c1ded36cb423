#!/usr/bin/env bash
# Throughput and peak-memory benchmark of the evidence readers against `wc -l` and real peers.
#
#   bench/run.sh            # 500 MB per format, writes the tables into BENCHMARKS.md
#   BENCH_MB=50 bench/run.sh --no-write   # a quick look, BENCHMARKS.md untouched
#
# For each format (LCOV, Cobertura, JUnit) it scales a real corpus file to BENCH_MB megabytes by
# repeating its records with distinct file/suite names (bench/gen.py, into target/bench-data/),
# warms the page cache, then runs, one after the other on the same file:
#   - our reader, release build: `bench_read FORMAT FILE` (what `gate inspect` does: the reader
#     plus the provenance sha256 pass) and `bench_read --reader-only` (the reader alone);
#   - `wc -l FILE`, the floor;
#   - the peers: `lcov --summary` (Debian's lcov) for LCOV, `pycobertura show` (PyPI) for
#     Cobertura, junitparser (PyPI, bench/peers/junitparser_summary.py) for JUnit.
# Fast tools run BENCH_RUNS times (best time kept); peers run once. Wall time is taken with
# `date +%s%N` around the command, peak RSS from `/usr/bin/time -v`. Missing peers are installed:
# lcov with apt-get, the PyPI ones into a venv under target/bench-venv.
# The generated files are deleted at the end unless BENCH_KEEP=1.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-$ROOT/corpus}
DATA=$ROOT/target/bench-data
VENV=$ROOT/target/bench-venv
MB=${BENCH_MB:-500}
RUNS=${BENCH_RUNS:-3}
PEER_TIMEOUT=${BENCH_PEER_TIMEOUT:-900}
WRITE=1
[[ ${1:-} == --no-write ]] && WRITE=0

mkdir -p "$DATA"
RESULTS=$DATA/results.tsv
: >"$RESULTS"

# --- tools -----------------------------------------------------------------------------------
if ! command -v lcov >/dev/null; then
  apt-get install -y lcov >/dev/null || echo "warning: could not install lcov" >&2
fi
if [[ ! -x $VENV/bin/pycobertura || ! -x $VENV/bin/python ]] ||
  ! "$VENV/bin/python" -c 'import junitparser' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q pycobertura junitparser
fi
(cd "$ROOT" && cargo build --release -q -p readiness-evidence --example bench_read)
BENCH_READ=$ROOT/target/release/examples/bench_read

# --- measuring -------------------------------------------------------------------------------
# measure FORMAT TOOL RUNS CMD...: appends "format tool seconds peak_kb status" to $RESULTS.
measure() {
  local format=$1 tool=$2 runs=$3
  shift 3
  local best="" peak=0 status=ok
  for ((run = 0; run < runs; run++)); do
    local start end seconds rss
    start=$(date +%s%N)
    if ! timeout "$PEER_TIMEOUT" /usr/bin/time -v -o "$DATA/time.txt" "$@" >"$DATA/out.txt" 2>"$DATA/err.txt"; then
      status="failed"
    fi
    end=$(date +%s%N)
    seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) / 1e9 }')
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$DATA/time.txt")
    rss=${rss:-0}
    if [[ -z $best ]] || awk -v a="$seconds" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$seconds
    fi
    ((rss > peak)) && peak=$rss
    echo "  $tool run $((run + 1)): ${seconds}s, peak RSS ${rss} KB, $(head -c 300 "$DATA/out.txt" | tail -n 3 | tr '\n' ' ')" >&2
    [[ $status == ok ]] || { echo "  $tool: $(tail -n 3 "$DATA/err.txt")" >&2; break; }
  done
  printf '%s\t%s\t%s\t%s\t%s\n' "$format" "$tool" "$best" "$peak" "$status" >>"$RESULTS"
}

bench_format() {
  local format=$1 source=$2 file=$3 peer_name=$4
  shift 4
  echo "== $format: scaling $source to ${MB} MB" >&2
  python3 "$ROOT/bench/gen.py" "$format" "$source" "$file" "$MB" >&2
  local bytes
  bytes=$(stat -c %s "$file")
  printf '%s\tbytes\t%s\t0\tok\n' "$format" "$bytes" >>"$RESULTS"
  cat "$file" >/dev/null # warm the page cache
  cat "$file" >/dev/null
  measure "$format" "wc -l" "$RUNS" wc -l "$file"
  measure "$format" "readiness-evidence (read_file: reader + sha256)" "$RUNS" "$BENCH_READ" "$format" "$file"
  measure "$format" "readiness-evidence (reader only)" "$RUNS" "$BENCH_READ" --reader-only "$format" "$file"
  measure "$format" "$peer_name" 1 "$@" "$file"
  rm -f "$file"
}

bench_format lcov "$CORPUS/js/jest-lcov-mailflow/lcov.info" "$DATA/big.lcov.info" \
  "lcov --summary (lcov $(lcov --version | awk '{ print $NF }'), Debian)" lcov --summary
bench_format cobertura "$CORPUS/native/coveragepy-cobertura-branch/coverage.xml" "$DATA/big.cobertura.xml" \
  "pycobertura show ($("$VENV/bin/pip" show pycobertura | awk '/^Version/ { print $2 }'), PyPI)" "$VENV/bin/pycobertura" show
bench_format junit "$CORPUS/native/pytest-junit-mixed/junit.xml" "$DATA/big.junit.xml" \
  "junitparser ($("$VENV/bin/pip" show junitparser | awk '/^Version/ { print $2 }'), PyPI)" "$VENV/bin/python" "$ROOT/bench/peers/junitparser_summary.py"

# --- report ----------------------------------------------------------------------------------
MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
python3 "$ROOT/bench/report.py" "$RESULTS" "$MACHINE" "BENCH_MB=$MB BENCH_RUNS=$RUNS bench/run.sh" >"$DATA/tables.md"
cat "$DATA/tables.md"
if ((WRITE)); then
  python3 "$ROOT/bench/report.py" --splice "$ROOT/BENCHMARKS.md" "$DATA/tables.md"
  echo "tables written into BENCHMARKS.md" >&2
fi
[[ ${BENCH_KEEP:-0} == 1 ]] || rm -f "$DATA"/big.* "$DATA/out.txt"
