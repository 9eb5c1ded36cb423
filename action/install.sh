#!/usr/bin/env bash
# Installs the `gate` binary for the readiness-gate composite action.
#
# 1. GATE_BINARY set (tests, or a binary built earlier in the job): use it.
# 2. Else download readiness-gate-v<version>-<target>.{tar.gz,zip} from the
#    action repository's GitHub release, verify its sha256 against
#    action/checksums.sha256 *committed at the action's ref* (the release
#    workflow writes it into the commit that the version's tags point at), and
#    unpack it. The release's own checksum file is never trusted alone: an
#    asset that the pinned file does not list is not installed.
#    The version is INPUT_VERSION, else the action's ref when it is a full
#    `vX.Y.Z` tag, else the version in the action's own Cargo.toml (right for
#    `@v1`, `@v1.2` and `@<sha>` of a release commit).
# 3. No binary for this platform, none pinned, or the download failed: `cargo
#    install --locked --path` of the action's own source (unless
#    GATE_NO_CARGO_FALLBACK=1).
#
# Runs in bash on Linux and macOS and in Git Bash, the `bash` of Windows
# runners (zip archives unpacked with unzip, 7z, tar.exe or PowerShell,
# whichever exists).
#
# Writes `bin=<path>` to GITHUB_OUTPUT.
set -euo pipefail

say() { printf '%s\n' "$*" >&2; }

# Maps RUNNER_OS / RUNNER_ARCH to a Rust target triple; empty when unsupported.
target_for() {
  case "$1/$2" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    Windows/ARM64) echo aarch64-pc-windows-msvc ;;
    *) echo "" ;;
  esac
}

# The release version (without `v`) to install.
resolve_version() {
  local input="${INPUT_VERSION:-}" ref="${ACTION_REF:-}" action_path="${GITHUB_ACTION_PATH:-.}"
  input="${input#v}"
  if [ -n "$input" ] && [ "$input" != "auto" ]; then
    echo "$input"
  elif [[ "$ref" =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+].*)?$ ]]; then
    echo "${ref#v}"
  else
    sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$action_path/Cargo.toml" | head -n 1
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  else
    shasum -a 256 "$1" | cut -d ' ' -f 1
  fi
}

# fetch URL_OR_NAME DEST: from GATE_RELEASE_DIR (tests) or over HTTPS.
fetch() {
  if [ -n "${GATE_RELEASE_DIR:-}" ]; then
    cp "$GATE_RELEASE_DIR/$(basename "$1")" "$2"
  else
    curl --proto '=https' --tlsv1.2 -fsSL --retry 5 --retry-delay 2 -o "$2" "$1"
  fi
}

# unzip_to ARCHIVE DIR with whatever the runner has (Git Bash has no unzip of its own).
unzip_to() {
  if command -v unzip >/dev/null 2>&1; then
    unzip -q -o "$1" -d "$2"
  elif command -v 7z >/dev/null 2>&1; then
    7z x -y -o"$2" "$1" >/dev/null
  elif [ -x /c/Windows/System32/tar.exe ]; then
    /c/Windows/System32/tar.exe -xf "$1" -C "$2"
  elif command -v pwsh >/dev/null 2>&1; then
    pwsh -NoProfile -Command 'Expand-Archive -Force -LiteralPath $args[0] -DestinationPath $args[1]' "$1" "$2"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -m zipfile -e "$1" "$2"
  else
    say "::error title=readiness-gate::cannot unpack $1: no unzip, 7z, tar.exe, pwsh or python3"
    return 1
  fi
}

download() {
  local version="$1" target="$2" dest="$3"
  local ext=tar.gz
  [[ "$target" == *windows* ]] && ext=zip
  local asset="readiness-gate-v${version}-${target}.${ext}"
  local repo="${ACTION_REPOSITORY:-${GITHUB_REPOSITORY:-}}"
  local base="${GITHUB_SERVER_URL:-https://github.com}/${repo}/releases/download/v${version}"
  local work
  work="$(mktemp -d)"
  local expected=""
  local pinned="${GITHUB_ACTION_PATH:-.}/action/checksums.sha256"
  if [ -f "$pinned" ]; then
    expected="$(tr -d '\r' <"$pinned" | awk -v a="$asset" '$1 !~ /^#/ && ($2 == a || $2 == "*"a) {print $1}')"
  fi
  if [ -z "$expected" ]; then
    say "readiness-gate: $asset is not in the pinned action/checksums.sha256 of this action's ref; not installing an unpinned download"
    return 1
  fi
  say "readiness-gate: downloading $asset"
  fetch "$base/$asset" "$work/$asset" || return 1
  local actual
  actual="$(sha256_of "$work/$asset")"
  if [ "$expected" != "$actual" ]; then
    say "::error title=readiness-gate::checksum mismatch for $asset (pinned '$expected', downloaded $actual)"
    return 1
  fi
  mkdir -p "$dest"
  if [ "$ext" = zip ]; then
    unzip_to "$work/$asset" "$dest" || return 1
  else
    tar -xzf "$work/$asset" -C "$dest"
  fi
  local exe=gate
  [[ "$target" == *windows* ]] && exe=gate.exe
  local found
  found="$(find "$dest" -type f -name "$exe" | head -n 1)"
  [ -n "$found" ] || return 1
  chmod +x "$found"
  echo "$found"
}

cargo_install() {
  local root="$1"
  if [ "${GATE_NO_CARGO_FALLBACK:-0}" = 1 ] || ! command -v cargo >/dev/null 2>&1; then
    say "::error title=readiness-gate::no prebuilt binary could be installed and cargo is not available to build one"
    return 1
  fi
  say "readiness-gate: building from the action's source with cargo install --locked"
  cargo install --locked --path "${GITHUB_ACTION_PATH:-.}" --root "$root" --bin gate >&2
  local exe="$root/bin/gate"
  [ -f "$exe.exe" ] && exe="$exe.exe"
  echo "$exe"
}

main() {
  local bin=""
  if [ -n "${GATE_BINARY:-}" ]; then
    bin="$GATE_BINARY"
  else
    local version target dest
    version="$(resolve_version)"
    target="$(target_for "${RUNNER_OS:-}" "${RUNNER_ARCH:-}")"
    dest="${RUNNER_TEMP:-$(mktemp -d)}/readiness-gate/${version}"
    if [ -n "$target" ] && [ -n "$version" ]; then
      bin="$(download "$version" "$target" "$dest/$target")" || bin=""
    else
      say "readiness-gate: no prebuilt binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"
    fi
    if [ -z "$bin" ]; then
      bin="$(cargo_install "$dest/cargo")"
    fi
  fi
  if [ ! -x "$bin" ]; then
    say "::error title=readiness-gate::\`$bin\` is not an executable"
    exit 1
  fi
  say "readiness-gate: using $bin"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    printf 'bin=%s\n' "$bin" >>"$GITHUB_OUTPUT"
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
