#!/usr/bin/env bash
# e2e.sh — the extension's end-to-end test in VS Code itself: installs
# code-server 4.100.3 (VS Code in a browser) and playwright-core, pinned in
# e2e/package-lock.json, and Debian's chromium (e2e/install.sh; cached,
# about a minute and 340 MB the first time), packages the .vsix
# (package.sh), installs it into code-server and drives VS Code through
# Chromium on copies of tests/vault (e2e/vscode.e2e.js): completion, hover,
# definition, the Problems panel, settings before start and while running,
# references and the code lens, a quick fix, rename, and a missing server.
#
#   editors/vscode/e2e.sh
#   VAULT_LSP=/path/to/vault-lsp SCREENSHOTS=editors/vscode/screenshots editors/vscode/e2e.sh
#
# VAULT_LSP defaults to build/vault-lsp of this repository. SCREENSHOTS is
# where the pictures of completion, hover and a quick fix go (default: the
# run's scratch folder, removed after a passing run). VAULT_EDITORS_DIR is
# where code-server is installed (default: build-editors/ at the root).
# Exits 0 when every check passes, 1 when one fails (what VS Code showed is
# printed: screenshots, the server's log), 77 when VS Code cannot be
# installed here. The last line is "vscode-e2e: ...".
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
start=$(date +%s)
VAULT_LSP="$(realpath -m "${VAULT_LSP:-$here/../../build/vault-lsp}")"
export VAULT_LSP

fail() {
	echo "vscode-e2e: $*" >&2
	echo "vscode-e2e: 0 passed, 1 failed"
	exit 1
}
[ -x "$VAULT_LSP" ] || fail "no server binary at $VAULT_LSP (build it, or set VAULT_LSP)"

echo "== install code-server, playwright-core and chromium"
status=0
dir="$(bash "$here/e2e/install.sh")" || status=$?
if [ "$status" -eq 77 ]; then
	echo "vscode-e2e: $dir"
	exit 77
fi
[ "$status" -eq 0 ] || fail "installing code-server failed (exit $status)"
# The Node.js 20 code-server runs on (the system's, or a private one).
nodebin="$(sed -n 's/^node=//p' "$dir/.complete")"
export PATH="$nodebin:$PATH"

echo "== package the .vsix"
vsix="$(bash "$here/package.sh")" || fail "npm ci or vsce package failed"

echo "== VS Code (code-server $(sed -n 's/^ *"code-server": "\([^"]*\)".*/\1/p' "$here/e2e/package.json")) on copies of tests/vault"
status=0
CODE_SERVER_DIR="$dir" VSIX="$vsix" VSCODE_E2E_START="$start" \
	timeout -k 10 900 node "$here/e2e/vscode.e2e.js" || status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
	echo "vscode-e2e: the run took over 15 minutes and was stopped"
	echo "vscode-e2e: 0 passed, 1 failed"
fi
exit $((status == 0 ? 0 : 1))
