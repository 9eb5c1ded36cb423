#!/usr/bin/env bash
# Throughput and peak-memory benchmark of the evidence readers against `wc -l` and real peers,
# and of the whole `gate check` on the three large cases of issue 12: every figure of
# BENCHMARKS.md comes from one run of this script.
#
#   bench/run.sh            # 500 MB per format, writes the tables into BENCHMARKS.md
#   BENCH_MB=50 BENCH_SHARD_MB=2 BENCH_NODE_MODULES=30000 BENCH_NEXT=5000 bench/run.sh --no-write
#                           # a quick look, BENCHMARKS.md untouched
#
# Cases beyond the single files (inputs from bench/workloads.py):
#   - shards: BENCH_SHARDS (50) LCOV shards of BENCH_SHARD_MB (20) MB that all list the same
#     source files, merged by `bench_read lcov SHARD...` (read_files: merge + sha256), against
#     `wc -l` on all of them;
#   - patch: `gate check --patch` with 2,000 changed files (BENCH_CHANGED) against a BENCH_MB LCOV,
#     beside the same run without patch coverage, for report paths that are the workspace's own
#     and for CI paths mapped by suffix; peer: diff-cover (PyPI) with `--diff-file`;
#   (BENCH_SKIP_GATE=1 skips the two `gate check` cases, which need a release build of `gate`.)
#   - walk: `gate check` with a `files("**/*.ts")` gate in a workspace with BENCH_NODE_MODULES
#     (300,000) files under node_modules/ and BENCH_NEXT (50,000) under .next/, both gitignored,
#     against `rg --files` (ripgrep, Debian) in the same workspace.
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
for tool in lcov:lcov rg:ripgrep; do
  if ! command -v "${tool%%:*}" >/dev/null; then
    apt-get install -y "${tool##*:}" >/dev/null || echo "warning: could not install ${tool##*:}" >&2
  fi
done
if [[ ! -x $VENV/bin/pycobertura || ! -x $VENV/bin/diff-cover || ! -x $VENV/bin/python ]] ||
  ! "$VENV/bin/python" -c 'import junitparser' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q pycobertura junitparser diff-cover
fi
(cd "$ROOT" && cargo build --release -q -p readiness-evidence --example bench_read)
BENCH_READ=$ROOT/target/release/examples/bench_read
GATE=$ROOT/target/release/gate

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
  measure "$format" "peer: $peer_name" 1 "$@" "$file"
  rm -f "$file"
}

bench_format lcov "$CORPUS/js/jest-lcov-mailflow/lcov.info" "$DATA/big.lcov.info" \
  "lcov --summary (lcov $(lcov --version | awk '{ print $NF }'), Debian)" lcov --summary
bench_format cobertura "$CORPUS/native/coveragepy-cobertura-branch/coverage.xml" "$DATA/big.cobertura.xml" \
  "pycobertura show ($("$VENV/bin/pip" show pycobertura | awk '/^Version/ { print $2 }'), PyPI)" "$VENV/bin/pycobertura" show
bench_format junit "$CORPUS/native/pytest-junit-mixed/junit.xml" "$DATA/big.junit.xml" \
  "junitparser ($("$VENV/bin/pip" show junitparser | awk '/^Version/ { print $2 }'), PyPI)" "$VENV/bin/python" "$ROOT/bench/peers/junitparser_summary.py"

# --- shards: 50 overlapping LCOV shards merged ---------------------------------------------------
SHARDS=${BENCH_SHARDS:-50}
SHARD_MB=${BENCH_SHARD_MB:-20}
echo "== shards: $SHARDS x ${SHARD_MB} MB" >&2
rm -rf "$DATA/shards"
python3 "$ROOT/bench/workloads.py" shards "$CORPUS/js/jest-lcov-mailflow/lcov.info" "$DATA/shards" "$SHARDS" "$SHARD_MB" >&2
printf 'shards\tbytes\t%s\t0\tok\n' "$(cat "$DATA"/shards/*.info | wc -c)" >>"$RESULTS"
cat "$DATA"/shards/*.info >/dev/null
measure shards "wc -l" "$RUNS" wc -l "$DATA"/shards/*.info
measure shards "readiness-evidence (read_files: merge + sha256)" "$RUNS" "$BENCH_READ" lcov "$DATA"/shards/*.info
measure shards "readiness-evidence (merge only)" "$RUNS" "$BENCH_READ" --reader-only lcov "$DATA"/shards/*.info
rm -rf "$DATA/shards"

if [[ ${BENCH_SKIP_GATE:-0} == 1 ]]; then
  echo "== patch and walk skipped (BENCH_SKIP_GATE=1)" >&2
else
# --- patch coverage: gate check --patch against diff-cover ---
(cd "$ROOT" && cargo build --release -q --bin gate) # built here: the reader cases need no `gate`------------------------------------
CHANGED=${BENCH_CHANGED:-2000}
PATCH_WS=$DATA/patch
echo "== patch: ${MB} MB LCOV, $CHANGED changed files" >&2
rm -rf "$PATCH_WS"
python3 "$ROOT/bench/workloads.py" patch "$CORPUS/js/jest-lcov-mailflow/lcov.info" "$PATCH_WS" "$MB" "$CHANGED" >&2
git -C "$PATCH_WS" init -q # diff-cover needs a repository (it reads the diff from the file)
printf 'patch\tbytes\t%s\t0\tok\n' "$(stat -c %s "$PATCH_WS/coverage/lcov.info")" >>"$RESULTS"
cat "$PATCH_WS"/coverage/*.info >/dev/null
measure patch "wc -l" "$RUNS" wc -l "$PATCH_WS/coverage/lcov.info"
for paths in "workspace paths:" "CI paths, mapped by suffix:ci-"; do
  label=${paths%%:*} prefix=${paths##*:}
  measure patch "gate check, whole-report coverage ($label)" "$RUNS" \
    "$GATE" check --workspace "$PATCH_WS" --policy "$PATCH_WS/${prefix}plain.gate"
  measure patch "gate check, patch coverage ($label)" "$RUNS" \
    "$GATE" check --workspace "$PATCH_WS" --policy "$PATCH_WS/${prefix}patch.gate" --patch "$PATCH_WS/changes.patch"
done
measure patch "peer: diff-cover ($("$VENV/bin/pip" show diff-cover | awk '/^Version/ { print $2 }'), PyPI; workspace paths)" 1 \
  sh -c 'cd "$1" && exec "$2" coverage/lcov.info --diff-file changes.patch' sh "$PATCH_WS" "$VENV/bin/diff-cover"
rm -rf "$PATCH_WS"

# --- monorepo walk: gate check with a files() gate against rg --files ----------------------------
WALK_WS=$DATA/monorepo
echo "== walk: ${BENCH_NODE_MODULES:-300000} files in node_modules/, ${BENCH_NEXT:-50000} in .next/" >&2
rm -rf "$WALK_WS"
python3 "$ROOT/bench/workloads.py" monorepo "$WALK_WS" "${BENCH_NODE_MODULES:-300000}" "${BENCH_NEXT:-50000}" >&2
git -C "$WALK_WS" init -q
measure walk "rg --files ($(rg --version | awk 'NR == 1 { print $2 }'), Debian)" "$RUNS" rg --files "$WALK_WS"
measure walk "gate check (files(\"**/*.ts\").count)" "$RUNS" "$GATE" check --workspace "$WALK_WS" --policy "$WALK_WS/walk.gate"
rm -rf "$WALK_WS"
fi

# --- report ----------------------------------------------------------------------------------
MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
python3 "$ROOT/bench/report.py" "$RESULTS" "$MACHINE" "BENCH_MB=$MB BENCH_RUNS=$RUNS BENCH_SKIP_GATE=${BENCH_SKIP_GATE:-0} bench/run.sh" >"$DATA/tables.md"
cat "$DATA/tables.md"
if ((WRITE)); then
  python3 "$ROOT/bench/report.py" --splice "$ROOT/BENCHMARKS.md" "$DATA/tables.md"
  echo "tables written into BENCHMARKS.md" >&2
fi
[[ ${BENCH_KEEP:-0} == 1 ]] || rm -f "$DATA"/big.* "$DATA/out.txt"
