#!/usr/bin/env bash
# The whole test suite: installs the tools it needs, then runs every test.
# Usage: bash tests/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Rust: unit and integration tests"
cargo test --all-targets --locked

echo "== Output formats checked by independent parsers (Python)"
venv=target/test-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/python/requirements.txt
cargo build --locked
UTLYS_BIN="$PWD/target/debug/utlys" "$venv/bin/python" -m pytest -q tests/python
