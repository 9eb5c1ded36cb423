#!/usr/bin/env bash
# Seeds fuzz/corpus/read_<kind>/ with the crate's fixtures of that kind and the shared-corpus
# artifacts whose expected.json names that kind. Then, e.g.:
#   RUSTC_BOOTSTRAP=1 cargo fuzz run -s none -a read_coverage -- -max_total_time=120 -max_len=16384
# and fuzz/corpus/policy/ with the example policies, the policy fixtures and the bad policies.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CORPUS=${CORPUS:-$HERE/../corpus}
for kind in coverage tests build load deps; do
  out=$HERE/corpus/read_$kind
  mkdir -p "$out"
  cp "$HERE/../crates/evidence/tests/fixtures/$kind"/* "$out/" 2>/dev/null || true
  for expected in "$CORPUS"/*/*/expected.json; do
    grep -q "\"kind\": *\"$kind\"" "$expected" || continue
    dir=$(dirname "$expected")
    for file in "$dir"/*; do
      case $(basename "$file") in expected.json | HOW.md) continue ;; esac
      cp "$file" "$out/$(basename "$dir")--$(basename "$file")"
    done
  done
  echo "$kind: $(ls "$out" | wc -l) seeds"
done
out=$HERE/corpus/policy
mkdir -p "$out"
for policy in "$HERE"/../policies/*.gate "$HERE"/../policies/fixtures/*/*.gate \
  "$HERE"/../tests/fixtures/bad/*.gate "$HERE"/../examples/*/*.gate; do
  [[ -f $policy ]] || continue
  name=${policy#"$HERE"/../}
  cp "$policy" "$out/${name//\//--}"
done
echo "policy: $(ls "$out" | wc -l) seeds"
