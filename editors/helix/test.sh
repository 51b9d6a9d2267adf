#!/usr/bin/env bash
# Tests editors/helix without Helix (not packaged in Debian 12): the
# languages.toml snippet against the server, then the server as Helix
# drives it. usage: test.sh [path/to/vault-lsp]
# Exit 77 (CTest: skipped) without Python 3.11+ (tomllib).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=$(realpath "${1:-${VAULT_LSP:-$repo/build/vault-lsp}}")
[ -x "$bin" ] || { echo "helix test: no server binary at $bin (build first)" >&2; exit 1; }
if ! python3 -c 'import tomllib' 2>/dev/null; then
	echo "helix test: SKIPPED: needs python3 >= 3.11 (tomllib)"
	exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R "$repo/tests/vault" "$tmp/vault"

echo "== languages.toml"
python3 "$here/check_config.py" "$here/languages.toml" "$repo/README.md" "$bin" "$tmp/config.json"

# The protocol test also checks that the config took effect: at a
# threshold of 0.9 the 85% near duplicate is no longer reported.
python3 - "$tmp/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["vault-lsp"].setdefault("duplicates", {})["threshold"] = 0.9
json.dump(c, open(sys.argv[1], "w"))
PY
echo "== the server, as Helix drives it"
timeout 120 python3 "$here/test_protocol.py" "$bin" "$tmp/vault" "$tmp/config.json" "$tmp/vault-lsp.log"
