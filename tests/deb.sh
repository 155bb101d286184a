#!/usr/bin/env bash
# Builds the Debian package (cargo-deb), unpacks it with dpkg-deb -x into a
# temporary folder, and runs what it holds from there: the binary's
# --version, `man -l` on the man page, and bash on the completions.
# Prints the package's size and contents.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo-deb >/dev/null; then
  cargo install cargo-deb --version 3.8.0 --locked
fi
command -v man >/dev/null || { echo "error: man is missing (apt-get install -y man-db)" >&2; exit 1; }
command -v dpkg-deb >/dev/null || { echo "error: dpkg-deb is missing" >&2; exit 1; }

cargo build --release --locked
extra=target/deb-extra
mkdir -p "$extra/completions"
target/release/utlys manpage | gzip -9n > "$extra/utlys.1.gz"
target/release/utlys completions bash > "$extra/completions/utlys"
target/release/utlys completions zsh > "$extra/completions/_utlys"
target/release/utlys completions fish > "$extra/completions/utlys.fish"
deb=$(cargo deb --no-build --locked 2>/dev/null | tail -n 1)
test -f "$deb"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp"
version=$("$tmp/usr/bin/utlys" --version)
expected="utlys $(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
[ "$version" = "$expected" ] || { echo "--version printed '$version', not '$expected'" >&2; exit 1; }
page=$(MANWIDTH=80 man -l "$tmp/usr/share/man/man1/utlys.1.gz" 2>/dev/null | col -b)
for word in NAME SYNOPSIS build check serve cms completions; do
  grep -q "$word" <<<"$page" || { echo "the man page lacks $word" >&2; exit 1; }
done
bash -c "source '$tmp/usr/share/bash-completion/completions/utlys' && complete -p utlys" >/dev/null
echo "$deb: $(stat -c %s "$deb") bytes"
dpkg-deb -c "$deb"
