#!/usr/bin/env bash
# Whole-build benchmark against Hugo; see benches/site.py for the options.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 benches/site.py "$@"
