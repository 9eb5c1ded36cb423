#!/usr/bin/env bash
# Writes DIR/SHA256SUMS for the release archives in DIR ("<sha256>  <archive>", sorted by
# name), the format of `sha256sum -c` and of action/checksums.sha256.
#
# Usage: checksums.sh DIR
set -euo pipefail

dir="${1:?usage: checksums.sh DIR}"
cd "$dir"
shopt -s nullglob
archives=(readiness-gate-v*.tar.gz readiness-gate-v*.zip)
[ ${#archives[@]} -gt 0 ] || { echo "checksums.sh: no archives in \`$dir\`" >&2; exit 2; }
: >SHA256SUMS.tmp
for archive in $(printf '%s\n' "${archives[@]}" | LC_ALL=C sort); do
  if command -v sha256sum >/dev/null 2>&1; then
    sum="$(sha256sum "$archive" | cut -d ' ' -f 1)"
  else
    sum="$(shasum -a 256 "$archive" | cut -d ' ' -f 1)"
  fi
  printf '%s  %s\n' "$sum" "$archive" >>SHA256SUMS.tmp
done
mv SHA256SUMS.tmp SHA256SUMS
cat SHA256SUMS
