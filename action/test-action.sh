#!/usr/bin/env bash
# Tests the Action's scripts with a simulated runner: temporary GITHUB_OUTPUT,
# GITHUB_STEP_SUMMARY, RUNNER_TEMP and event file. The verdicts, outputs, job
# summary, fallback annotations and bundles come from the real `gate` binary
# (target/debug/gate, built if missing; GATE_TEST_BIN overrides) on the
# examples; the event is a fork pull request, whose token is read-only, so
# `gate` sends nothing over the network (GITHUB_API_URL points at a closed
# loopback port besides). A fake `gate` that records its arguments checks how
# run.sh builds the command line. Also checks the platform mapping and the
# checksum verification of install.sh against a local "release".
#
# Usage: bash action/test-action.sh   (prints "N passed, M failed")
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

real_gate="${GATE_TEST_BIN:-$root/target/debug/gate}"
if [ ! -x "$real_gate" ]; then
  (cd "$root" && cargo build --quiet --bin gate) || { echo "cannot build gate" >&2; exit 1; }
fi

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

# A fork pull request: its token is read-only, so `gate --publish` does not call the API.
# Its base is this repository's HEAD, so the base's policy (read with `git show`) judges.
base_sha=$(git -C "$root" rev-parse HEAD)
cat >"$work/event.json" <<EVENT
{"number":2,"pull_request":{"number":2,"head":{"sha":"ec26c3e57ca3a959ca5aad62de7213c562f8c821","repo":{"full_name":"someone/r"}},"base":{"sha":"$base_sha","repo":{"full_name":"o/r"}}}}
EVENT

simulate() { # simulate NAME [VAR=value ...]: a fresh step environment, then run.sh (real gate unless GATE_BIN=...)
  local name="$1"
  shift
  mkdir -p "$work/$name"
  : >"$work/$name/output"
  : >"$work/$name/summary"
  (
    cd "$work/$name" || exit 99
    env -i PATH="$PATH" HOME="${HOME:-/tmp}" NO_COLOR=1 \
      GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$work/event.json" \
      GITHUB_REPOSITORY=o/r GITHUB_OUTPUT="$work/$name/output" GITHUB_STEP_SUMMARY="$work/$name/summary" \
      GITHUB_API_URL=http://127.0.0.1:9 GITHUB_WORKSPACE="$root" \
      GITHUB_ACTION_PATH="$root" RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_TEMP="$work/$name" \
      FAKE_LOG="$work/$name/args" GATE_BIN="$real_gate" GITHUB_TOKEN=ghs_faketoken \
      INPUT_FAIL_ON=not-ready INPUT_COMMENT=always INPUT_CHECK_NAME=readiness \
      "$@" bash "$root/action/run.sh" >"$work/$name/stdout" 2>"$work/$name/stderr"
  )
  echo $? >"$work/$name/status"
}

no_token() { # no_token NAME: the token is in none of the step's outputs
  ! grep -q ghs_faketoken "$work/$1/stdout" "$work/$1/stderr" "$work/$1/output" "$work/$1/summary"
}

passing=(INPUT_POLICY="$root/examples/passing/readiness.gate" INPUT_WORKSPACE="$root/examples/passing")
demo=(INPUT_POLICY="$root/examples/demo/readiness.gate" INPUT_WORKSPACE="$root/examples/demo")

# 1. passing, real gate
simulate pass "${passing[@]}" INPUT_ARGS="--today 2026-11-21 --color never"
check "passing exits 0" test "$(cat "$work/pass/status")" = 0
check "ready output" test "$(output_of ready "$work/pass/output")" = true
check "score output" test -n "$(output_of score "$work/pass/output")"
check "level output" test -n "$(output_of level "$work/pass/output")"
report="$(output_of report-json "$work/pass/output")"
check "report-json output is a JSON report" grep -q '"verdict": "ready"' "$report"
check "summary written" grep -q 'Ready — ' "$work/pass/summary"
check "read-only token explained once" test "$(grep -c '^::warning title=readiness-gate::' "$work/pass/stdout")" = 1
check "token never printed (ready)" no_token pass

# 2. not ready fails the step; findings become annotations
simulate fail "${demo[@]}"
check "not ready exits 1" test "$(cat "$work/fail/status")" = 1
check "ready=false" test "$(output_of ready "$work/fail/output")" = false
check "score of the demo" test "$(output_of score "$work/fail/output")" = 49.5
check "annotation at the policy line" grep -q '^::error file=examples/demo/readiness.gate,line=19,' "$work/fail/stdout"
check "summary says not ready" grep -q 'Not ready — ' "$work/fail/summary"
check "token never printed (not ready)" no_token fail

# 3. fail-on never keeps it green but not for errors
simulate never "${demo[@]}" INPUT_FAIL_ON=never
check "fail-on never exits 0" test "$(cat "$work/never/status")" = 0
simulate broken INPUT_POLICY="$root/examples/no-such-policy.gate" INPUT_FAIL_ON=never
check "evaluation errors still fail" test "$(cat "$work/broken/status")" = 2
simulate badinput INPUT_FAIL_ON=sometimes
check "bad fail-on rejected" test "$(cat "$work/badinput/status")" = 2
check "bad fail-on explained" grep -q '::error title=readiness-gate::fail-on' "$work/badinput/stdout"

# 4. bundle mode: phase one writes the bundle and publishes nothing
simulate bundle "${demo[@]}" INPUT_BUNDLE=out/bundle
check "bundle: verdict kept" test "$(cat "$work/bundle/status")" = 1
check "bundle identity written" grep -q '"head_sha": "ec26c3e57ca3a959ca5aad62de7213c562f8c821"' "$work/bundle/out/bundle/identity.json"
check "bundle publication written" test -s "$work/bundle/out/bundle/publication.json"
check "bundle report-json" test "$(output_of report-json "$work/bundle/output")" = "$work/bundle/out/bundle/report.json"
check "bundle: no publishing fallback" bash -c "! grep -q '^::warning' '$work/bundle/stdout'"

# 5. other formats
simulate sarif "${demo[@]}" INPUT_FORMAT=sarif
check "sarif format" grep -q '"version": "2.1.0"' "$work/sarif/stdout"

# 6. the command line run.sh builds (a fake gate records its arguments)
cat >"$work/gate" <<'FAKE'
#!/usr/bin/env bash
printf '%s\n' "$@" >"$FAKE_LOG"
printf 'token=%s\n' "${GITHUB_TOKEN:-}" >>"$FAKE_LOG.env"
exit 0
FAKE
chmod +x "$work/gate"
simulate argv GATE_BIN="$work/gate" INPUT_POLICY=policies/ok.gate INPUT_ARGS="--verbose --min-level beta"
check "check + publish" test "$(head -n 1 "$work/argv/args")" = check
check "publishes" grep -qx -- --publish "$work/argv/args"
check "policy passed" grep -qx -- policies/ok.gate "$work/argv/args"
check "extra args split" grep -qx -- --min-level "$work/argv/args"
check "comment mode passed" grep -qx -- always "$work/argv/args"
check "check name passed" grep -qx -- readiness "$work/argv/args"
check "token in env, not argv" bash -c "! grep -q ghs_faketoken '$work/argv/args' && grep -q ghs_faketoken '$work/argv/args.env'"
simulate argv-bundle GATE_BIN="$work/gate" INPUT_BUNDLE=out/bundle
check "bundle flag" grep -qx -- --bundle "$work/argv-bundle/args"
check "no publish in bundle mode" bash -c "! grep -qx -- --publish '$work/argv-bundle/args'"

# 7. install.sh: platform mapping, version, GATE_BINARY, checksum verification
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
