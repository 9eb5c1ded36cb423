#!/usr/bin/env bash
# Writes the pinned action/checksums.sha256 from a release's SHA256SUMS: the same lines under a
# header naming the version. The release workflow commits the result into the commit that the
# version's tags point at; action/install.sh installs only what it lists.
#
# Usage: pin-checksums.sh VERSION SHA256SUMS DEST
set -euo pipefail

version="${1:?usage: pin-checksums.sh VERSION SHA256SUMS DEST}"
sums="${2:?usage: pin-checksums.sh VERSION SHA256SUMS DEST}"
dest="${3:?usage: pin-checksums.sh VERSION SHA256SUMS DEST}"
grep -Eq '^[0-9a-f]{64}  readiness-gate-v'"${version#v}"'-' "$sums" || {
  echo "pin-checksums.sh: \`$sums\` lists no archive of v${version#v}" >&2
  exit 2
}
{
  echo "# sha256 of the release archives of readiness-gate v${version#v}, pinned by the release"
  echo "# workflow: action/install.sh installs only an archive listed here."
  grep -E '^[0-9a-f]{64}  ' "$sums"
} >"$dest"
