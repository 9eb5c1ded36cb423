#!/usr/bin/env bash
# Runs `gate check` (or `gate publish` in mode publish) for the readiness-gate composite action.
#
# Inputs arrive as INPUT_* variables (composite actions must map them
# explicitly, see action.yml). The token is passed in the environment
# (GITHUB_TOKEN), never on the command line. `gate` writes the step outputs
# (ready, score, level, report-json, conclusion, check-run-url, comment-url)
# and the job summary itself.
#
# On pull requests the base commit is passed as `--diff-base` (`when changed`
# gates, `coverage.patch`). On the default depth-1 checkout of
# actions/checkout only the commits the diff needs are fetched: the base
# commit, then the history of HEAD and of the base deepened step by step
# until their merge base is present (one step for the merge commit that
# actions/checkout checks out by default). Never the whole history.
#
# Exit codes of `gate check`: 0 ready, 1 not ready, 2 could not evaluate.
# fail-on=never turns 1 into success; 2 always fails the step.
set -uo pipefail

say() { printf '%s\n' "$*" >&2; }
git_() { git -c core.quotepath=off --no-pager "$@"; }

error() {
  echo "::error title=readiness-gate::$*"
  exit 2
}

# The pull request's base commit from the event file (no jq on every runner; python3 as a
# fallback for payloads the sed pattern does not match).
event_base_sha() {
  [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "${GITHUB_EVENT_PATH}" ] || return 0
  local sha
  sha=$(tr -d '\n\r' <"$GITHUB_EVENT_PATH" | sed -n 's/.*"base": *{[^}]*"sha": *"\([0-9a-f]\{40\}\)".*/\1/p' | head -n 1)
  if [ -z "$sha" ] && command -v python3 >/dev/null 2>&1; then
    sha=$(python3 -c 'import json,os;print(json.load(open(os.environ["GITHUB_EVENT_PATH"]))["pull_request"]["base"]["sha"])' 2>/dev/null || true)
  fi
  printf '%s' "$sha"
}

is_pull_request() {
  case "${GITHUB_EVENT_NAME:-}" in
    pull_request | pull_request_target | pull_request_review | pull_request_review_comment) return 0 ;;
    *) return 1 ;;
  esac
}

# Makes `git merge-base HEAD <base>` work in the repository at $1 with as little history as
# possible. Returns 1 when it cannot (no git, no remote, the base is gone).
fetch_for_diff() {
  local dir="$1" base="$2"
  git_ -C "$dir" rev-parse --git-dir >/dev/null 2>&1 || return 1
  if ! git_ -C "$dir" cat-file -e "${base}^{commit}" 2>/dev/null; then
    git_ -C "$dir" fetch --no-tags --quiet --depth=1 origin "$base" >/dev/null 2>&1 || return 1
  fi
  git_ -C "$dir" merge-base HEAD "$base" >/dev/null 2>&1 && return 0
  [ "$(git_ -C "$dir" rev-parse --is-shallow-repository 2>/dev/null)" = true ] || return 1
  local head step
  head=$(git_ -C "$dir" rev-parse HEAD) || return 1
  for step in 1 10 100 1000; do
    say "readiness-gate: shallow checkout: fetching $step more commit(s) of history for the diff against ${base:0:12}"
    git_ -C "$dir" fetch --no-tags --quiet --deepen="$step" origin "$head" "$base" >/dev/null 2>&1 || return 1
    git_ -C "$dir" merge-base HEAD "$base" >/dev/null 2>&1 && return 0
  done
  say "readiness-gate: no merge base within 1111 commits; fetching the rest of the history"
  git_ -C "$dir" fetch --no-tags --quiet --unshallow origin "$head" "$base" >/dev/null 2>&1 || return 1
  git_ -C "$dir" merge-base HEAD "$base" >/dev/null 2>&1
}

# Extra arguments, split like a shell would split words (no globbing).
extra=()
if [ -n "${INPUT_ARGS:-}" ]; then
  set -f
  # shellcheck disable=SC2206
  extra=($INPUT_ARGS)
  set +f
fi
has_extra() { # has_extra FLAG...: one of the flags is in the extra arguments
  local flag word
  for flag in "$@"; do
    for word in ${extra[@]+"${extra[@]}"}; do
      [ "$word" = "$flag" ] || [[ "$word" == "$flag="* ]] && return 0
    done
  done
  return 1
}

case "${INPUT_FAIL_ON:-not-ready}" in
  not-ready | never) ;;
  *) error "fail-on must be \`not-ready\` or \`never\`, got \`${INPUT_FAIL_ON}\`" ;;
esac
for switch in CHECK_RUN SUMMARY; do
  value_name="INPUT_$switch"
  case "${!value_name:-true}" in
    true | false) ;;
    *) error "$(echo "$switch" | tr 'A-Z_' 'a-z-') must be \`true\` or \`false\`, got \`${!value_name}\`" ;;
  esac
done

gate="${GATE_BIN:?GATE_BIN must point at the gate binary}"
delivery=()
[ -n "${INPUT_COMMENT:-}" ] && delivery+=(--comment "$INPUT_COMMENT")
[ -n "${INPUT_COMMENT_AUTHOR:-}" ] && delivery+=(--comment-author "$INPUT_COMMENT_AUTHOR")
[ "${INPUT_CHECK_RUN:-true}" = false ] && delivery+=(--no-check-run)
[ "${INPUT_SUMMARY:-true}" = false ] && delivery+=(--no-summary)

case "${INPUT_MODE:-check}" in
  publish)
    # Phase two: publish the downloaded bundle; nothing of the pull request is run.
    args=(publish --bundle "${INPUT_BUNDLE:-readiness-bundle}" ${delivery[@]+"${delivery[@]}"})
    [ -n "${INPUT_CHECK_NAME:-}" ] && args+=(--check-name "$INPUT_CHECK_NAME")
    "$gate" "${args[@]}" ${extra[@]+"${extra[@]}"}
    exit $?
    ;;
  check) ;;
  *) error "mode must be \`check\` or \`publish\`, got \`${INPUT_MODE}\`" ;;
esac

args=(check)
[ -n "${INPUT_POLICY:-}" ] && args+=(--policy "$INPUT_POLICY")
[ -n "${INPUT_WORKSPACE:-}" ] && args+=(--workspace "$INPUT_WORKSPACE")
[ -n "${INPUT_CHECK_NAME:-}" ] && args+=(--check-name "$INPUT_CHECK_NAME")
[ -n "${INPUT_FORMAT:-}" ] && args+=(--format "$INPUT_FORMAT")
workspace="${INPUT_WORKSPACE:-.}"

base_sha=""
is_pull_request && base_sha="$(event_base_sha)"

case "${INPUT_POLICY_FROM:-base}" in
  base)
    # The base commit's policy judges; a shallow checkout lacks that commit: fetch just it.
    if [ -n "$base_sha" ] && ! git_ -C "$workspace" cat-file -e "${base_sha}^{commit}" 2>/dev/null; then
      git_ -C "$workspace" fetch --no-tags --quiet --depth=1 origin "$base_sha" >/dev/null 2>&1 || true
    fi
    ;;
  head) args+=(--policy-from head) ;;
  *) error "policy-from must be \`base\` or \`head\`, got \`${INPUT_POLICY_FROM}\`" ;;
esac

diff_base="${INPUT_DIFF_BASE:-auto}"
if has_extra --diff-base --changed-files --patch; then
  diff_base=off # the caller said how the changes are known
fi
case "$diff_base" in
  off | "") ;;
  auto)
    if [ -n "$base_sha" ]; then
      if fetch_for_diff "$workspace" "$base_sha"; then
        args+=(--diff-base "$base_sha")
      else
        echo "::warning title=readiness-gate::the pull request's base commit ${base_sha:0:12} could not be fetched, so \`when changed\` gates and patch coverage are unknown; check that actions/checkout ran and kept its credentials (persist-credentials), or pass \`diff-base\`"
      fi
    fi
    ;;
  *)
    fetch_for_diff "$workspace" "$diff_base" || true
    args+=(--diff-base "$diff_base")
    ;;
esac

# Baselines kept for you: on pull requests `base.` figures come from the base commit's own
# check run of the same name (`--baseline github`), which every published run fills.
baseline="${INPUT_BASELINE:-auto}"
has_extra --baseline && baseline=off
case "$baseline" in
  off | "") ;;
  auto) [ -n "$base_sha" ] && args+=(--baseline github) ;;
  *) args+=(--baseline "$baseline") ;;
esac

if [ -n "${INPUT_BUNDLE:-}" ]; then
  # Fork-safe phase one: no API calls, write the bundle for a workflow_run job.
  args+=(--bundle "$INPUT_BUNDLE")
  [ "${INPUT_SUMMARY:-true}" = false ] && args+=(--no-summary)
else
  args+=(--publish ${delivery[@]+"${delivery[@]}"})
fi

"$gate" "${args[@]}" ${extra[@]+"${extra[@]}"}
status=$?
if [ "$status" -eq 1 ] && [ "${INPUT_FAIL_ON:-not-ready}" = never ]; then
  echo "readiness-gate: not ready, but fail-on is \`never\`"
  exit 0
fi
exit "$status"
