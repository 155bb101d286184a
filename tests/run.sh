#!/usr/bin/env bash
# The whole test suite: installs the tools it needs, then runs every test.
# Usage: bash tests/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# Installs Debian packages the tests need, once; fails loudly without root.
apt_updated=no
apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: $* must be installed, and installing needs root (apt-get install -y $*)" >&2
    exit 1
  fi
  if [ "$apt_updated" = no ]; then
    apt-get update
    apt_updated=yes
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

echo "== Rust: unit and integration tests"
# The hostile-input tests trace the build's file access with strace.
if ! command -v strace >/dev/null; then
  apt_install strace
fi
command -v strace >/dev/null || { echo "error: strace is still missing" >&2; exit 1; }
cargo test --all-targets --locked

echo "== Output formats checked by independent parsers (Python)"
venv=target/test-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/python/requirements.txt
cargo build --locked
UTLYS_BIN="$PWD/target/debug/utlys" "$venv/bin/python" -m pytest -q tests/python

# ---------------------------------------------------------------------------
# Browser tests (tests/browser): axe-core, the Nu HTML checker, keyboard,
# no-JavaScript filters, privacy, reflow at 320 px and escaping, in Debian's
# headless Chromium. Installs Chromium and Java when they are missing; any
# failure to install stops the run here, nothing is skipped.
echo "== Browser tests (Chromium, axe-core, Nu HTML checker)"
if ! command -v /usr/bin/chromium >/dev/null || ! command -v java >/dev/null; then
  apt_install chromium default-jre-headless
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_install nodejs npm
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "error: the browser tests need Node.js 20 or later, found $(node --version)" >&2
  exit 1
fi
for tool in /usr/bin/chromium java node npm; do
  command -v "$tool" >/dev/null || { echo "error: $tool is still missing" >&2; exit 1; }
done
# No package needs its install script: the checker's jar ships in its
# package and runs on the system Java; Chromium comes from Debian.
(cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund)
UTLYS_BIN="$PWD/target/debug/utlys" node --test tests/browser/

echo "== Debian package: built, unpacked and run"
# cargo-deb is compiled from crates.io the first time (see README).
command -v man >/dev/null || apt_install man-db
bash tests/deb.sh
