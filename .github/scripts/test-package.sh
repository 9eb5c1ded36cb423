#!/usr/bin/env bash
# Dry run of the release workflow's packaging for the host target, as the
# workflow runs it: package.sh, checksums.sh and pin-checksums.sh on a `gate`
# binary (target/debug/gate, built if missing; GATE_TEST_BIN overrides). Then
# checks what a user gets: the archive's name and layout match
# `[package.metadata.binstall]`, the binary inside runs and reports its
# version, completions for five shells and the man pages are there,
# SHA256SUMS verifies, and action/install.sh installs the archive against the
# pinned checksum file (and refuses it once altered).
#
# Usage: bash .github/scripts/test-package.sh   (prints "N passed, M failed")
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
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

py="$(command -v python3 || command -v python)"
host="$(rustc -vV | sed -n 's/^host: //p')"
version="$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$root/Cargo.toml" | head -n 1)"
ext=tar.gz
exe=gate
if [[ "$host" == *windows* ]]; then ext=zip; exe=gate.exe; fi
bin="${GATE_TEST_BIN:-$root/target/debug/$exe}"
if [ ! -x "$bin" ]; then
  (cd "$root" && cargo build --quiet --bin gate) || { echo "cannot build gate" >&2; exit 1; }
fi

# The workflow's steps.
archive="$(bash "$root/.github/scripts/package.sh" --target "$host" --version "$version" --bin "$bin" --out "$work/dist")"
check "package.sh succeeded" test -f "$archive"
bash "$root/.github/scripts/checksums.sh" "$work/dist" >/dev/null
check "checksums.sh wrote SHA256SUMS" test -s "$work/dist/SHA256SUMS"
mkdir -p "$work/action-checkout/action"
bash "$root/.github/scripts/pin-checksums.sh" "$version" "$work/dist/SHA256SUMS" "$work/action-checkout/action/checksums.sha256"
check "pin-checksums.sh wrote the pinned file" grep -q "readiness-gate-v$version-$host.$ext" "$work/action-checkout/action/checksums.sha256"

# The archive as cargo-binstall finds it.
name="readiness-gate-v$version-$host"
check "archive name" test "$(basename "$archive")" = "$name.$ext"
binstall="$("$py" - "$root/Cargo.toml" "$version" "$host" "$ext" <<'PY'
import sys, tomllib
meta = tomllib.load(open(sys.argv[1], "rb"))["package"]["metadata"]["binstall"]
version, target, ext = sys.argv[2], sys.argv[3], sys.argv[4]
values = {"repo": "REPO", "name": "readiness-gate", "version": version, "target": target,
          "archive-suffix": "." + ext, "bin": "gate", "binary-ext": ".exe" if "windows" in target else ""}
def fill(template):
    for key, value in values.items():
        template = template.replace("{ " + key + " }", value)
    return template
print(fill(meta["pkg-url"]))
print(fill(meta["bin-dir"]))
PY
)"
check "binstall pkg-url names this archive" test "$(echo "$binstall" | sed -n 1p)" = "REPO/releases/download/v$version/$name.$ext"
check "binstall bin-dir is the binary's path in it" test "$(echo "$binstall" | sed -n 2p)" = "$name/$exe"

mkdir -p "$work/unpacked"
if [ "$ext" = zip ]; then
  (cd "$work/unpacked" && "$py" -m zipfile -e "$archive" .)
else
  tar -xzf "$archive" -C "$work/unpacked"
fi
inside="$work/unpacked/$name"
chmod +x "$inside/$exe" 2>/dev/null
check "binary inside runs" bash -c "'$inside/$exe' --version >/dev/null"
check "version reported" bash -c "'$inside/$exe' --version | grep -q '^gate $version ('"
for file in README.md LICENSE-MIT LICENSE-APACHE completions/gate.bash completions/_gate completions/gate.fish completions/_gate.ps1 completions/gate.elv man/man1/gate.1 man/man1/gate-check.1 man/man1/gate-publish.1; do
  check "archive has $file" test -s "$inside/$file"
done
check "zsh completion" grep -q '#compdef gate' "$inside/completions/_gate"
check "man page" grep -q '^.TH gate 1' "$inside/man/man1/gate.1"
check "SHA256SUMS verifies" bash -c "cd '$work/dist' && { sha256sum -c SHA256SUMS 2>/dev/null || shasum -a 256 -c SHA256SUMS; } >/dev/null"

# action/install.sh installs it against the pinned file, and only that.
install() { # install NAME: download() of install.sh for the host target from the local "release"
  (
    export GATE_RELEASE_DIR="$work/dist" GITHUB_ACTION_PATH="$work/action-checkout" ACTION_REPOSITORY=o/r
    # shellcheck source=action/install.sh
    source "$root/action/install.sh"
    download "$version" "$host" "$work/$1"
  ) >"$work/$1.out" 2>"$work/$1.err"
}
install installed
check "install.sh installs the archive" test -x "$(cat "$work/installed.out")"
check "installed binary runs" bash -c "'$(cat "$work/installed.out")' --version >/dev/null"
echo "x" >>"$archive"
install altered
check "install.sh refuses an altered archive" test ! -s "$work/altered.out"
check "refusal names the checksum" grep -q 'checksum mismatch' "$work/altered.err"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
