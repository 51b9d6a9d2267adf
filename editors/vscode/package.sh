#!/usr/bin/env bash
# package.sh — installs the extension's pinned packages (npm ci), bundles
# dist/extension.js and packages the .vsix; prints the .vsix's path last.
# test.sh and e2e.sh both start with it.
#
#   editors/vscode/package.sh      # -> editors/vscode/vault-lsp-VERSION.vsix
#
# Needs Node.js 20 or later (@vscode/vsce requires it).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

echo "== npm ci" >&2
npm ci --no-audit --no-fund --prefer-offline >&2

echo "== bundle and package the .vsix" >&2
version="$(node -p 'require("./package.json").version')"
vsix="$here/vault-lsp-$version.vsix"
rm -f "$vsix"
# vsce runs the vscode:prepublish script (the production bundle) first.
# The README's pictures ship in the .vsix, so their relative links stay.
./node_modules/.bin/vsce package --no-dependencies --allow-missing-repository --skip-license \
	--no-rewrite-relative-links --out "$vsix" >&2
echo "$vsix"
