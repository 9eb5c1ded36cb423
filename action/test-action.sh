#!/usr/bin/env bash
# Tests the Action's scripts with a simulated runner: temporary GITHUB_OUTPUT,
# GITHUB_STEP_SUMMARY, RUNNER_TEMP and event file. The verdicts, outputs, job
# summary, fallback annotations and bundles come from the real `gate` binary
# (target/debug/gate, built if missing; GATE_TEST_BIN overrides) on the
# examples; the event is a fork pull request, whose token is read-only, so
# `gate` sends nothing over the network (GITHUB_API_URL points at a closed
# loopback port besides). A fake `gate` that records its arguments checks how
# run.sh builds the command line. Also checks the platform mapping and the
# checksum verification of install.sh against a local "release" and a pinned
# action/checksums.sha256. A simulated pull request on a depth-1 clone (as
# actions/checkout makes it) shows that the Action passes the base, fetches
# only what the diff needs, and that a patch-coverage gate is evaluated.
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
      INPUT_FAIL_ON=not-ready INPUT_COMMENT=always INPUT_CHECK_NAME=readiness INPUT_DIFF_BASE=off INPUT_BASELINE="${INPUT_BASELINE-auto}" \
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
check "conclusion output" test "$(output_of conclusion "$work/pass/output")" = success
check "no check run url without publishing" test -z "$(output_of check-run-url "$work/pass/output")"
check "read-only token explained once" test "$(grep -c '^::warning title=readiness-gate::' "$work/pass/stdout")" = 1
check "token never printed (ready)" no_token pass

# 2. not ready fails the step; findings become annotations
simulate fail "${demo[@]}"
check "not ready exits 1" test "$(cat "$work/fail/status")" = 1
check "ready=false" test "$(output_of ready "$work/fail/output")" = false
check "score of the demo" test "$(output_of score "$work/fail/output")" = 49.5
check "annotation at the policy line" grep -q '^::error file=examples/demo/readiness.gate,line=19,' "$work/fail/stdout"
check "summary says not ready" grep -q 'Not ready — ' "$work/fail/summary"
check "conclusion failure" test "$(output_of conclusion "$work/fail/output")" = failure
simulate nosummary "${demo[@]}" INPUT_SUMMARY=false
check "summary: false writes no job summary" test ! -s "$work/nosummary/summary"
check "summary: false keeps the outputs" test "$(output_of ready "$work/nosummary/output")" = false
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
check "check run on by default" bash -c "! grep -qx -- --no-check-run '$work/argv/args'"
simulate argv-switches GATE_BIN="$work/gate" INPUT_CHECK_RUN=false INPUT_SUMMARY=false
check "check-run: false" grep -qx -- --no-check-run "$work/argv-switches/args"
check "summary: false" grep -qx -- --no-summary "$work/argv-switches/args"
simulate argv-badswitch GATE_BIN="$work/gate" INPUT_CHECK_RUN=maybe
check "bad check-run rejected" test "$(cat "$work/argv-badswitch/status")" = 2
check "bad check-run explained" grep -q 'check-run must be' "$work/argv-badswitch/stdout"
simulate argv-publish GATE_BIN="$work/gate" INPUT_MODE=publish INPUT_COMMENT=on-failure INPUT_CHECK_RUN=false GITHUB_EVENT_NAME=workflow_run
check "mode publish runs gate publish" test "$(head -n 1 "$work/argv-publish/args")" = publish
check "mode publish: default bundle dir" grep -qx -- readiness-bundle "$work/argv-publish/args"
check "mode publish: comment mode" grep -qx -- on-failure "$work/argv-publish/args"
check "mode publish: check-run false" grep -qx -- --no-check-run "$work/argv-publish/args"
check "mode publish: the same check name" grep -qx -- readiness "$work/argv-publish/args"
check "pull request: baseline from the base's check run" bash -c "grep -qx -- --baseline '$work/argv/args' && grep -qx -- github '$work/argv/args'"
simulate argv-nobase GATE_BIN="$work/gate" INPUT_BASELINE=off
check "baseline off" bash -c "! grep -qx -- --baseline '$work/argv-nobase/args'"
simulate argv-author GATE_BIN="$work/gate" INPUT_COMMENT_AUTHOR=my-app[bot]
check "comment author passed" grep -qx -- 'my-app\[bot\]' "$work/argv-author/args"
check "mode publish: nothing of check" bash -c "! grep -qx -- --policy-from '$work/argv-publish/args' && ! grep -qx -- --diff-base '$work/argv-publish/args'"
simulate argv-mode GATE_BIN="$work/gate" INPUT_MODE=publsh
check "bad mode rejected" test "$(cat "$work/argv-mode/status")" = 2
simulate argv-own-diff GATE_BIN="$work/gate" INPUT_DIFF_BASE=auto INPUT_ARGS="--changed-files changed.txt"
check "own --changed-files: no --diff-base added" bash -c "! grep -qx -- --diff-base '$work/argv-own-diff/args'"

# 6b. a pull request on a depth-1 checkout: the base is passed, the diff's history fetched
# (and no more), and the patch-coverage gate is evaluated, not unknown.
origin="$work/pr/origin.git"
author=(-c user.name=t -c user.email=t@example.com -c commit.gpgsign=false -c init.defaultBranch=main)
git init -q --bare "$origin"
git "${author[@]}" init -q "$work/pr/dev"
(
  cd "$work/pr/dev" || exit 1
  mkdir -p src coverage
  for i in $(seq 1 20); do echo "old line $i"; done >src/app.js
  echo "keep" >README.md
  cat >readiness.gate <<'POLICY'
policy "pull request" {
  target 100%

  evidence {
    coverage = coverage("coverage/lcov.info")
  }

  category tests weight 1 {
    gate "changed lines are tested" when changed("src/**") {
      expect coverage.patch.lines >= 75%
    }
  }
}
POLICY
  git add -A && git "${author[@]}" commit -q -m base
  for n in 1 2 3 4 5; do echo "history $n" >>README.md; git "${author[@]}" commit -q -am "main $n"; done
  git "${author[@]}" checkout -q -b feature HEAD~3
  { for i in $(seq 1 20); do echo "old line $i"; done; echo "new line 21"; echo "new line 22"; echo "new line 23"; echo "new line 24"; } >src/app.js
  git "${author[@]}" commit -q -am "feature: four new lines"
  git "${author[@]}" checkout -q main
  git "${author[@]}" merge -q --no-ff --no-edit feature -m "Merge feature into main"
  git push -q "$origin" main~1:refs/heads/main feature:refs/heads/feature HEAD:refs/pull/3/merge
) >/dev/null 2>&1
pr_base=$(git -C "$origin" rev-parse refs/heads/main)
pr_head=$(git -C "$origin" rev-parse refs/heads/feature)
pr_merge=$(git -C "$origin" rev-parse refs/pull/3/merge)
# What actions/checkout does for pull_request: the merge commit at depth 1.
git init -q "$work/pr/ws"
git -C "$work/pr/ws" remote add origin "file://$origin"
git -C "$work/pr/ws" fetch -q --no-tags --depth=1 origin "+$pr_merge:refs/remotes/pull/3/merge"
git -C "$work/pr/ws" checkout -q --detach refs/remotes/pull/3/merge
# The test run wrote coverage for 3 of the 4 new lines (75%).
mkdir -p "$work/pr/ws/coverage"
{ echo "SF:src/app.js"; for i in $(seq 1 20); do echo "DA:$i,1"; done; echo "DA:21,1"; echo "DA:22,1"; echo "DA:23,1"; echo "DA:24,0"; echo "end_of_record"; } >"$work/pr/ws/coverage/lcov.info"
cat >"$work/pr/event.json" <<EVENT
{"number":3,"pull_request":{"number":3,"head":{"sha":"$pr_head","repo":{"full_name":"someone/r"}},"base":{"sha":"$pr_base","repo":{"full_name":"o/r"}}}}
EVENT
check "the checkout is shallow" test "$(git -C "$work/pr/ws" rev-parse --is-shallow-repository)" = true
simulate pr INPUT_WORKSPACE="$work/pr/ws" INPUT_DIFF_BASE=auto GITHUB_EVENT_PATH="$work/pr/event.json" GITHUB_WORKSPACE="$work/pr/ws" INPUT_ARGS="--today 2026-11-21"
pr_report="$(output_of report-json "$work/pr/output")"
gate_status() { # gate_status REPORT GATE: the status of a gate in a JSON report
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print([g["status"] for c in r["categories"] for g in c["gates"] if g["name"]==sys.argv[2]][0])' "$1" "$2" 2>/dev/null
}
check "pr: ready (75% of the changed lines covered)" test "$(cat "$work/pr/status")" = 0
check "pr: patch-coverage gate evaluated, not unknown" test "$(gate_status "$pr_report" "changed lines are tested")" = pass
check "pr: patch figure is 3 of 4 lines" grep -q '"display": "75%"' "$pr_report"
check "pr: the diff came from git against the base" grep -q "git diff --unified=0 .*$pr_base" "$pr_report"
check "pr: still shallow (no full history fetched)" test "$(git -C "$work/pr/ws" rev-parse --is-shallow-repository)" = true
check "pr: only a few commits fetched" test "$(git -C "$work/pr/ws" rev-list --count --all)" -le 4
# The same pull request when only README.md changed would be n/a: uncovered changes fail it.
sed -i.bak 's/^DA:22,1$/DA:22,0/' "$work/pr/ws/coverage/lcov.info"
simulate pr-fail INPUT_WORKSPACE="$work/pr/ws" INPUT_DIFF_BASE=auto GITHUB_EVENT_PATH="$work/pr/event.json" GITHUB_WORKSPACE="$work/pr/ws" INPUT_ARGS="--today 2026-11-21"
check "pr: 50% of the changed lines fails the gate" test "$(gate_status "$(output_of report-json "$work/pr-fail/output")" "changed lines are tested")" = fail
simulate pr-off INPUT_WORKSPACE="$work/pr/ws" INPUT_DIFF_BASE=off GITHUB_EVENT_PATH="$work/pr/event.json" GITHUB_WORKSPACE="$work/pr/ws" INPUT_ARGS="--today 2026-11-21"
check "pr: diff-base off leaves it unknown" test "$(gate_status "$(output_of report-json "$work/pr-off/output")" "changed lines are tested")" = unknown

# 7. install.sh: platform mapping, version, GATE_BINARY, checksum verification
# shellcheck source=action/install.sh
source "$root/action/install.sh"
set +e # install.sh sets -e; this script counts failures itself
check "linux x64" test "$(target_for Linux X64)" = x86_64-unknown-linux-musl
check "linux arm64" test "$(target_for Linux ARM64)" = aarch64-unknown-linux-musl
check "macos arm64" test "$(target_for macOS ARM64)" = aarch64-apple-darwin
check "macos x64" test "$(target_for macOS X64)" = x86_64-apple-darwin
check "windows x64" test "$(target_for Windows X64)" = x86_64-pc-windows-msvc
check "windows arm64" test "$(target_for Windows ARM64)" = aarch64-pc-windows-msvc
check "unsupported" test -z "$(target_for Linux ARM)"
check "version from input" test "$(INPUT_VERSION=v1.2.3 resolve_version)" = 1.2.3
check "version from ref" test "$(ACTION_REF=v2.0.1 resolve_version)" = 2.0.1
check "version from Cargo.toml" test -n "$(ACTION_REF=main GITHUB_ACTION_PATH="$root" resolve_version)"

rel="$work/release"
mkdir -p "$rel/pkg/readiness-gate-v9.9.9-x86_64-unknown-linux-musl"
cp "$work/gate" "$rel/pkg/readiness-gate-v9.9.9-x86_64-unknown-linux-musl/gate"
tar -C "$rel/pkg" -czf "$rel/readiness-gate-v9.9.9-x86_64-unknown-linux-musl.tar.gz" readiness-gate-v9.9.9-x86_64-unknown-linux-musl
(cd "$rel" && sha256_of readiness-gate-v9.9.9-x86_64-unknown-linux-musl.tar.gz | awk '{print $1"  readiness-gate-v9.9.9-x86_64-unknown-linux-musl.tar.gz"}' >SHA256SUMS)
# The action checkout at a release's ref: its pinned checksums list the archive.
mkdir -p "$work/action-checkout/action"
cp "$rel/SHA256SUMS" "$work/action-checkout/action/checksums.sha256"
install_with() { # install_with NAME [VAR=value ...]
  local name="$1"
  shift
  mkdir -p "$work/$name"
  : >"$work/$name/output"
  env -i PATH="$PATH" HOME="${HOME:-/tmp}" RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_TEMP="$work/$name" \
    GITHUB_OUTPUT="$work/$name/output" GITHUB_ACTION_PATH="$work/action-checkout" \
    GATE_RELEASE_DIR="$rel" GATE_NO_CARGO_FALLBACK=1 INPUT_VERSION=9.9.9 ACTION_REPOSITORY=o/r \
    "$@" bash "$root/action/install.sh" >"$work/$name/stdout" 2>"$work/$name/stderr"
  echo $? >"$work/$name/status"
}
install_with good
check "download verified and unpacked" test "$(cat "$work/good/status")" = 0
bin="$(output_of bin "$work/good/output")"
check "bin output is executable" test -x "$bin"
# Windows: a zip archive holding gate.exe (unpacked with whatever the runner has).
win=readiness-gate-v9.9.9-x86_64-pc-windows-msvc
mkdir -p "$rel/pkg/$win"
cp "$work/gate" "$rel/pkg/$win/gate.exe"
(cd "$rel/pkg" && python3 -m zipfile -c "$rel/$win.zip" "$win")
(cd "$rel" && sha256_of "$win.zip" | awk -v a="$win.zip" '{print $1"  "a}' >>"$work/action-checkout/action/checksums.sha256")
install_with windows RUNNER_OS=Windows
check "windows zip verified and unpacked" test "$(cat "$work/windows/status")" = 0
check "windows bin is gate.exe" bash -c "[[ '$(output_of bin "$work/windows/output")' == */$win/gate.exe ]]"
# The release's own checksum file is not trusted: a tampered archive whose SHA256SUMS was
# rewritten to match is still refused, because the pinned file disagrees.
cp "$rel/readiness-gate-v9.9.9-x86_64-unknown-linux-musl.tar.gz" "$work/good.tar.gz"
echo tampered >>"$rel/readiness-gate-v9.9.9-x86_64-unknown-linux-musl.tar.gz"
(cd "$rel" && sha256_of readiness-gate-v9.9.9-x86_64-unknown-linux-musl.tar.gz | awk '{print $1"  readiness-gate-v9.9.9-x86_64-unknown-linux-musl.tar.gz"}' >SHA256SUMS)
install_with tampered
check "checksum mismatch refused" test "$(cat "$work/tampered/status")" != 0
check "mismatch explained" grep -q 'checksum mismatch' "$work/tampered/stderr"
check "no bin after mismatch" test -z "$(output_of bin "$work/tampered/output")"
mv "$work/good.tar.gz" "$rel/readiness-gate-v9.9.9-x86_64-unknown-linux-musl.tar.gz"
install_with unpinned GITHUB_ACTION_PATH="$work/no-action-checkout"
check "an archive the pinned file does not list is not installed" test "$(cat "$work/unpinned/status")" != 0
check "unpinned explained" grep -q 'not in the pinned action/checksums.sha256' "$work/unpinned/stderr"
check "unpinned: nothing downloaded" bash -c "! grep -q 'downloading' '$work/unpinned/stderr'"
install_with unsupported RUNNER_ARCH=ARM
check "unsupported platform without cargo fails clearly" grep -q 'no prebuilt binary for Linux/ARM' "$work/unsupported/stderr"
install_with local GATE_BINARY="$work/gate"
check "GATE_BINARY is used as is" test "$(output_of bin "$work/local/output")" = "$work/gate"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
