#!/usr/bin/env bash
# Runs `gate check` for the readiness-gate composite action.
#
# Inputs arrive as INPUT_* variables (composite actions must map them
# explicitly, see action.yml). The token is passed in the environment
# (GITHUB_TOKEN), never on the command line. `gate` writes the step outputs
# (ready, score, level, report-json) and the job summary itself.
#
# Exit codes of `gate check`: 0 ready, 1 not ready, 2 could not evaluate.
# fail-on=never turns 1 into success; 2 always fails the step.
set -uo pipefail

gate="${GATE_BIN:?GATE_BIN must point at the gate binary}"
args=(check)
[ -n "${INPUT_POLICY:-}" ] && args+=(--policy "$INPUT_POLICY")
[ -n "${INPUT_WORKSPACE:-}" ] && args+=(--workspace "$INPUT_WORKSPACE")
[ -n "${INPUT_CHECK_NAME:-}" ] && args+=(--check-name "$INPUT_CHECK_NAME")
[ -n "${INPUT_COMMENT:-}" ] && args+=(--comment "$INPUT_COMMENT")
[ -n "${INPUT_FORMAT:-}" ] && args+=(--format "$INPUT_FORMAT")
case "${INPUT_POLICY_FROM:-base}" in
  base)
    # On pull requests the base commit's policy judges. A shallow checkout lacks that commit:
    # fetch just it (one commit, no history) so `git show <base>:<policy>` works.
    if [ "${GITHUB_EVENT_NAME:-}" = pull_request ] && [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "${GITHUB_EVENT_PATH}" ]; then
      base_sha=$(sed -n 's/.*"base": *{[^}]*"sha": *"\([0-9a-f]\{40\}\)".*/\1/p' "$GITHUB_EVENT_PATH" | head -n 1)
      if [ -z "$base_sha" ] && command -v python3 >/dev/null 2>&1; then
        base_sha=$(python3 -c 'import json,os;print(json.load(open(os.environ["GITHUB_EVENT_PATH"]))["pull_request"]["base"]["sha"])' 2>/dev/null || true)
      fi
      if [ -n "$base_sha" ] && ! git cat-file -e "${base_sha}^{commit}" 2>/dev/null; then
        git fetch --no-tags --depth=1 origin "$base_sha" >/dev/null 2>&1 || true
      fi
    fi
    ;;
  head) args+=(--policy-from head) ;;
  *)
    echo "::error title=readiness-gate::policy-from must be \`base\` or \`head\`, got \`${INPUT_POLICY_FROM}\`"
    exit 2
    ;;
esac
if [ -n "${INPUT_BUNDLE:-}" ]; then
  # Fork-safe phase one: no API calls, write the bundle for a workflow_run job.
  args+=(--bundle "$INPUT_BUNDLE")
else
  args+=(--publish)
fi
if [ -n "${INPUT_ARGS:-}" ]; then
  # Extra arguments, split like a shell would split words (no globbing).
  set -f
  # shellcheck disable=SC2206
  extra=($INPUT_ARGS)
  set +f
  args+=("${extra[@]}")
fi

case "${INPUT_FAIL_ON:-not-ready}" in
  not-ready | never) ;;
  *)
    echo "::error title=readiness-gate::fail-on must be \`not-ready\` or \`never\`, got \`${INPUT_FAIL_ON}\`"
    exit 2
    ;;
esac

"$gate" "${args[@]}"
status=$?
if [ "$status" -eq 1 ] && [ "${INPUT_FAIL_ON:-not-ready}" = never ]; then
  echo "readiness-gate: not ready, but fail-on is \`never\`"
  exit 0
fi
exit "$status"
