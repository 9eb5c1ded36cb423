#!/usr/bin/env bash
# Tests the Action's scripts with a simulated runner: temporary GITHUB_OUTPUT,
# GITHUB_STEP_SUMMARY and event file, and a fake `gate` standing in for the
# real binary (it records its arguments and environment and writes outputs the
# way `gate check` does). Also checks the platform mapping and the checksum
# verification of install.sh against a local "release".
#
# Usage: bash action/test-action.sh   (prints "N passed, M failed")
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

check() { # check NAME CONDITION...
  local name="$1"
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $name" >&2
  fi
}

# The runner's parser for file commands: value of NAME in FILE.
output_of() {
  awk -v name="$1" '
    inside && $0 == delim { print value; inside = 0; next }
    inside { value = (value == "" ? $0 : value "\n" $0); next }
    index($0, name "<<") == 1 { delim = substr($0, length(name) + 3); inside = 1; value = ""; next }
    index($0, name "=") == 1 { print substr($0, length(name) + 2) }
  ' "$2"
}

# A fake gate: ready unless the policy path contains "failing"; exit 2 for "broken".
cat >"$work/gate" <<'FAKE'
#!/usr/bin/env bash
printf '%s\n' "$@" >"$FAKE_LOG"
printf 'token=%s\n' "${GITHUB_TOKEN:-}" >>"$FAKE_LOG.env"
policy=""
while [ $# -gt 0 ]; do
  case "$1" in --policy) policy="$2"; shift ;; esac
  shift
done
case "$policy" in
  *broken*) echo "error: could not evaluate" >&2; exit 2 ;;
  *failing*) ready=false; score=72.5; code=1 ;;
  *) ready=true; score=97.0; code=0 ;;
esac
d="ghadelimiter_$RANDOM$RANDOM"
{
  printf 'ready<<%s\n%s\n%s\n' "$d" "$ready" "$d"
  printf 'score<<%s\n%s\n%s\n' "$d" "$score" "$d"
  printf 'level<<%s\n%s\n%s\n' "$d" "beta" "$d"
  printf 'report-json<<%s\n%s\n%s\n' "$d" "$PWD/readiness.json" "$d"
} >>"$GITHUB_OUTPUT"
printf '### Readiness: %s\n' "$score" >>"$GITHUB_STEP_SUMMARY"
exit "$code"
FAKE
chmod +x "$work/gate"

simulate() { # simulate NAME [VAR=value ...]: a fresh step environment, then run.sh
  local name="$1"
  shift
  mkdir -p "$work/$name"
  : >"$work/$name/output"
  : >"$work/$name/summary"
  cp "$root/../shared/github/webhooks/payload-examples/api.github.com/pull_request/opened.payload.json" "$work/$name/event.json" 2>/dev/null \
    || echo '{"number":2,"pull_request":{"number":2,"head":{"sha":"ec26c3e57ca3a959ca5aad62de7213c562f8c821","repo":{"full_name":"o/r"}},"base":{"sha":"0","repo":{"full_name":"o/r"}}}}' >"$work/$name/event.json"
  (
    cd "$work/$name" || exit 99
    env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
      GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$work/$name/event.json" \
      GITHUB_REPOSITORY=o/r GITHUB_OUTPUT="$work/$name/output" GITHUB_STEP_SUMMARY="$work/$name/summary" \
      GITHUB_ACTION_PATH="$root" RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_TEMP="$work/$name" \
      FAKE_LOG="$work/$name/args" GATE_BIN="$work/gate" GITHUB_TOKEN=ghs_faketoken \
      INPUT_FAIL_ON=not-ready INPUT_COMMENT=always INPUT_CHECK_NAME=readiness \
      "$@" bash "$root/action/run.sh" >"$work/$name/stdout" 2>"$work/$name/stderr"
  )
  echo $? >"$work/$name/status"
}

# 1. passing
simulate pass INPUT_POLICY=policies/ok.gate INPUT_ARGS="--verbose --min-level beta"
check "passing exits 0" test "$(cat "$work/pass/status")" = 0
check "ready output" test "$(output_of ready "$work/pass/output")" = true
check "score output" test "$(output_of score "$work/pass/output")" = 97.0
check "report-json output" test "$(output_of report-json "$work/pass/output")" = "$work/pass/readiness.json"
check "summary written" grep -q '### Readiness: 97.0' "$work/pass/summary"
check "check + publish" test "$(head -n 1 "$work/pass/args")" = check
check "publishes" grep -qx -- --publish "$work/pass/args"
check "policy passed" grep -qx -- policies/ok.gate "$work/pass/args"
check "extra args split" grep -qx -- --min-level "$work/pass/args"
check "comment mode passed" grep -qx -- always "$work/pass/args"
check "token in env, not argv" bash -c "! grep -q ghs_faketoken '$work/pass/args' && grep -q ghs_faketoken '$work/pass/args.env'"

# 2. not ready fails the step
simulate fail INPUT_POLICY=policies/failing.gate
check "not ready exits 1" test "$(cat "$work/fail/status")" = 1
check "ready=false" test "$(output_of ready "$work/fail/output")" = false

# 3. fail-on never keeps it green but not for errors
simulate never INPUT_POLICY=policies/failing.gate INPUT_FAIL_ON=never
check "fail-on never exits 0" test "$(cat "$work/never/status")" = 0
simulate broken INPUT_POLICY=policies/broken.gate INPUT_FAIL_ON=never
check "evaluation errors still fail" test "$(cat "$work/broken/status")" = 2
simulate badinput INPUT_FAIL_ON=sometimes
check "bad fail-on rejected" test "$(cat "$work/badinput/status")" = 2
check "bad fail-on explained" grep -q '::error title=readiness-gate::fail-on' "$work/badinput/stdout"

# 4. bundle mode does not publish
simulate bundle INPUT_BUNDLE=out/bundle
check "bundle flag" grep -qx -- --bundle "$work/bundle/args"
check "no publish in bundle mode" bash -c "! grep -qx -- --publish '$work/bundle/args'"

# 5. install.sh: platform mapping, version, GATE_BINARY, checksum verification
# shellcheck source=action/install.sh
source "$root/action/install.sh"
set +e # install.sh sets -e; this script counts failures itself
check "linux x64" test "$(target_for Linux X64)" = x86_64-unknown-linux-musl
check "linux arm64" test "$(target_for Linux ARM64)" = aarch64-unknown-linux-musl
check "macos arm64" test "$(target_for macOS ARM64)" = aarch64-apple-darwin
check "macos x64" test "$(target_for macOS X64)" = x86_64-apple-darwin
check "windows x64" test "$(target_for Windows X64)" = x86_64-pc-windows-msvc
check "unsupported" test -z "$(target_for Linux ARM)"
check "version from input" test "$(INPUT_VERSION=v1.2.3 resolve_version)" = 1.2.3
check "version from ref" test "$(ACTION_REF=v2.0.1 resolve_version)" = 2.0.1
check "version from Cargo.toml" test -n "$(ACTION_REF=main GITHUB_ACTION_PATH="$root" resolve_version)"

rel="$work/release"
mkdir -p "$rel/pkg/readiness-gate-v9.9.9-x86_64-unknown-linux-musl"
cp "$work/gate" "$rel/pkg/readiness-gate-v9.9.9-x86_64-unknown-linux-musl/gate"
tar -C "$rel/pkg" -czf "$rel/readiness-gate-v9.9.9-x86_64-unknown-linux-musl.tar.gz" readiness-gate-v9.9.9-x86_64-unknown-linux-musl
(cd "$rel" && sha256_of readiness-gate-v9.9.9-x86_64-unknown-linux-musl.tar.gz | awk '{print $1"  readiness-gate-v9.9.9-x86_64-unknown-linux-musl.tar.gz"}' >SHA256SUMS)
install_with() { # install_with NAME [VAR=value ...]
  local name="$1"
  shift
  mkdir -p "$work/$name"
  : >"$work/$name/output"
  env -i PATH="$PATH" HOME="${HOME:-/tmp}" RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_TEMP="$work/$name" \
    GITHUB_OUTPUT="$work/$name/output" GITHUB_ACTION_PATH="$work/no-action-checkout" \
    GATE_RELEASE_DIR="$rel" GATE_NO_CARGO_FALLBACK=1 INPUT_VERSION=9.9.9 ACTION_REPOSITORY=o/r \
    "$@" bash "$root/action/install.sh" >"$work/$name/stdout" 2>"$work/$name/stderr"
  echo $? >"$work/$name/status"
}
install_with good
check "download verified and unpacked" test "$(cat "$work/good/status")" = 0
bin="$(output_of bin "$work/good/output")"
check "bin output is executable" test -x "$bin"
cp "$rel/SHA256SUMS" "$rel/SHA256SUMS.ok"
echo "0000000000000000000000000000000000000000000000000000000000000000  readiness-gate-v9.9.9-x86_64-unknown-linux-musl.tar.gz" >"$rel/SHA256SUMS"
install_with tampered
check "checksum mismatch refused" test "$(cat "$work/tampered/status")" != 0
check "mismatch explained" grep -q 'checksum mismatch' "$work/tampered/stderr"
check "no bin after mismatch" test -z "$(output_of bin "$work/tampered/output")"
mv "$rel/SHA256SUMS.ok" "$rel/SHA256SUMS"
install_with unsupported RUNNER_ARCH=ARM
check "unsupported platform without cargo fails clearly" grep -q 'no prebuilt binary for Linux/ARM' "$work/unsupported/stderr"
install_with local GATE_BINARY="$work/gate"
check "GATE_BINARY is used as is" test "$(output_of bin "$work/local/output")" = "$work/gate"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
