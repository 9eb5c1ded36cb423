#!/usr/bin/env bash
# Unresolved imports from source: `gate check` with `imports(...)` against what a user would run
# instead, side by side on the same generated TypeScript tree.
#
#   bench/code.sh                 # 10,000 files (and 2,500 / 5,000 for the scaling line)
#   BENCH_FILES=2000 bench/code.sh
#
# The tree (target/bench-code/tree-N/): package.json (react, declared, no node_modules),
# tsconfig.json with `paths` `@/*` → `src/*`, and N files in folders of 100; each file imports
# five siblings (relative and through `@/`), `node:fs`, and every 100th file one missing module.
# So exactly N/100 imports are unresolved: each tool's count is printed beside its time.
#
# Measured, one after the other, wall time from `date +%s%N`, peak RSS from `/usr/bin/time -v`:
#   - ours: `gate check` (release build) with `imports("src/**/*.ts").unresolved == 0`;
#   - `tsc --noEmit -p .`, counting TS2307 ("Cannot find module");
#   - eslint with eslint-plugin-import's `import/no-unresolved` (typescript resolver);
#   - dependency-cruiser `--validate` with a `not-to-unresolvable` rule.
# The npm peers are installed by this script into target/bench-code/peers (npm registry).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$ROOT/target/bench-code
PEERS=$WORK/peers
SIZES=${BENCH_FILES:-"2500 5000 10000"}
PEER_TIMEOUT=${BENCH_PEER_TIMEOUT:-900}
mkdir -p "$WORK"

cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" --bin gate
GATE=$ROOT/target/release/gate

if [[ ! -x $PEERS/node_modules/.bin/tsc ]]; then
  mkdir -p "$PEERS"
  (cd "$PEERS" && npm init -y >/dev/null &&
    npm install --silent --no-audit --no-fund typescript@5 eslint@8 eslint-plugin-import@2 \
      @typescript-eslint/parser@7 eslint-import-resolver-typescript@3 dependency-cruiser@16 >/dev/null)
fi

generate() {
  local n=$1 dir=$2
  rm -rf "$dir"
  mkdir -p "$dir/src"
  cat > "$dir/package.json" <<'JSON'
{ "name": "bench-tree", "private": true, "dependencies": { "react": "19.0.0" } }
JSON
  cat > "$dir/tsconfig.json" <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "esnext", "moduleResolution": "bundler",
    "strict": false, "noEmit": true, "skipLibCheck": true, "types": [], "baseUrl": ".",
    "paths": { "@/*": ["src/*"] } }, "include": ["src"] }
JSON
  python3 - "$n" "$dir" <<'PY'
import os, sys
n, root = int(sys.argv[1]), sys.argv[2]
for i in range(n):
    folder = f"m{i // 100:03d}"
    os.makedirs(f"{root}/src/{folder}", exist_ok=True)
    lines = ['import { readFileSync } from "node:fs";']
    for k in range(1, 6):
        j = (i + k) % n
        other = f"m{j // 100:03d}"
        if k % 2:
            lines.append(f'import {{ v{j} as a{k} }} from "@/{other}/f{j}";')
        else:
            rel = f"./f{j}" if other == folder else f"../{other}/f{j}"
            lines.append(f'import {{ v{j} as a{k} }} from "{rel}";')
    if i % 100 == 0:
        lines.append(f'import {{ gone }} from "@/missing/module{i}";')
    lines.append(f"export const v{i} = [a1, a2, a3, a4, a5].length + readFileSync.length;")
    with open(f"{root}/src/{folder}/f{i}.ts", "w") as out:
        out.write("\n".join(lines) + "\n")
PY
  cat > "$dir/imports.gate" <<'GATE'
policy "bench" {
  target 100%
  category imports weight 1 {
    gate "imports resolve" { expect imports("src/**/*.ts").unresolved == 0 }
  }
}
GATE
  cat > "$dir/.eslintrc.json" <<'JSON'
{ "root": true, "parser": "@typescript-eslint/parser", "plugins": ["import"],
  "settings": { "import/resolver": { "typescript": { "project": "./tsconfig.json" } } },
  "rules": { "import/no-unresolved": "error" } }
JSON
  cat > "$dir/.dependency-cruiser.json" <<'JSON'
{ "forbidden": [ { "name": "not-to-unresolvable", "severity": "error",
    "from": {}, "to": { "couldNotResolve": true } } ],
  "options": { "tsConfig": { "fileName": "tsconfig.json" }, "doNotFollow": { "path": "node_modules" } } }
JSON
}

# run NAME COMMAND... : prints "seconds peak_mb" and leaves the output in $WORK/out.txt
run() {
  local start end
  start=$(date +%s%N)
  /usr/bin/time -v -o "$WORK/time.txt" timeout "$PEER_TIMEOUT" "$@" > "$WORK/out.txt" 2>&1 || true
  end=$(date +%s%N)
  local rss
  rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$WORK/time.txt")
  printf '%s %s' "$(echo "scale=2; ($end - $start) / 1000000000" | bc)" "$((rss / 1024))"
}

echo "| files | tool | unresolved found | wall time (s) | peak RSS (MB) |"
echo "|---:|---|---:|---:|---:|"
for n in $SIZES; do
  dir=$WORK/tree-$n
  generate "$n" "$dir"
  cd "$dir"
  cat src/*/*.ts > /dev/null  # warm the page cache
  read -r t m <<<"$(run "$GATE" check --policy imports.gate --workspace . --format json)"
  found=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print([e for c in r["categories"] for g in c["gates"] for e in g["expectations"]][0]["actual"])' "$WORK/out.txt" 2>/dev/null || echo "?")
  echo "| $n | gate check, \`imports(...)\` | $found | $t | $m |"
  [[ ${BENCH_OURS_ONLY:-0} == 1 ]] && continue
  read -r t m <<<"$(run "$PEERS/node_modules/.bin/tsc" --noEmit -p .)"
  echo "| $n | tsc --noEmit (TS2307) | $(grep -c 'TS2307' "$WORK/out.txt" || true) | $t | $m |"
  read -r t m <<<"$(run "$PEERS/node_modules/.bin/eslint" --no-eslintrc -c .eslintrc.json --resolve-plugins-relative-to "$PEERS" --ext .ts src)"
  echo "| $n | eslint import/no-unresolved | $(grep -c 'import/no-unresolved' "$WORK/out.txt" || true) | $t | $m |"
  read -r t m <<<"$(run "$PEERS/node_modules/.bin/depcruise" --config .dependency-cruiser.json --output-type err src)"
  echo "| $n | dependency-cruiser not-to-unresolvable | $(grep -c 'not-to-unresolvable' "$WORK/out.txt" || true) | $t | $m |"
  cd "$ROOT"
done
[[ ${BENCH_KEEP:-0} == 1 ]] || rm -rf "$WORK"/tree-*
