#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS (default 75) one after the other and logs to
# target/fuzz-logs/<target>.log. Needs cargo-fuzz; on stable, RUSTC_BOOTSTRAP=1 stands in for nightly.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SECONDS_EACH=${FUZZ_SECONDS:-75}
LOGS=$HERE/../target/fuzz-logs
mkdir -p "$LOGS"
cd "$HERE"
[[ -d corpus ]] || ./seed.sh
for target in ${FUZZ_TARGETS:-read_coverage read_tests read_build read_load read_deps}; do
  RUSTC_BOOTSTRAP=1 cargo fuzz run -s none -a "$target" -- \
    -max_total_time="$SECONDS_EACH" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 >"$LOGS/$target.log" 2>&1
  echo "$target: exit $? $(grep -E 'stat::number_of_executed_units|^==.*ERROR|panicked' "$LOGS/$target.log" | head -3 | tr '\n' ' ')"
done
