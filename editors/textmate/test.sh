#!/usr/bin/env bash
# Tests the TextMate grammar of `.gate` files with vscode-tmgrammar-test (npm), which tokenizes
# with VS Code's own engine (vscode-textmate and the Oniguruma regex engine):
#   1. tests/syntax.gate: every construct of the language, with hand-chosen scopes;
#   2. every policy in policies/, examples/ and tests/fixtures/good/, each line followed by
#      assertions for every token on it (tests/policy_assertions.py, a lexer that follows
#      grammar/policy.pest).
# vscode-tmgrammar-test is installed into target/tmgrammar when missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools="$root/target/tmgrammar"
version=0.1.3
bin="$tools/node_modules/.bin/vscode-tmgrammar-test"
if [ ! -x "$bin" ]; then
  mkdir -p "$tools"
  npm install --silent --no-audit --no-fund --prefix "$tools" "vscode-tmgrammar-test@$version" >&2
fi
grammar="$root/editors/textmate/gate.tmLanguage.json"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
mapfile -t policies < <(find policies examples tests/fixtures/good -name '*.gate' | LC_ALL=C sort)
python3 editors/textmate/tests/policy_assertions.py "$work" "${policies[@]}" >/dev/null
cp editors/textmate/tests/syntax.gate "$work/syntax.gate"
"$bin" --compact -g "$grammar" "$work/*.gate"
echo "textmate grammar: syntax.gate and ${#policies[@]} policies tokenized as asserted"
