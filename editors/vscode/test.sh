#!/usr/bin/env bash
# test.sh — builds and tests the VS Code extension: installs the pinned
# packages (npm ci), bundles dist/extension.js and packages the .vsix (all
# three by package.sh), then runs the node tests (type-check, manifest and
# lockfile, .vsix contents, glue, and the real server driven over stdio on
# a copy of tests/vault). VS Code itself: e2e.sh.
#
#   VAULT_LSP=/path/to/vault-lsp editors/vscode/test.sh
#
# VAULT_LSP defaults to build/vault-lsp of this repository. Exits non-zero
# on any failure; the last line is "vscode: N passed, N failed".
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here" || exit 1
VAULT_LSP="$(realpath -m "${VAULT_LSP:-$here/../../build/vault-lsp}")"
export VAULT_LSP

fail() {
	echo "vscode: $*" >&2
	echo "vscode: 0 passed, 1 failed"
	exit 1
}

command -v node >/dev/null && command -v npm >/dev/null || fail "node and npm are needed"
major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$major" -ge 20 ] || fail "Node.js 20 or later is needed (found $(node --version)): @vscode/vsce requires it"
[ -x "$VAULT_LSP" ] || fail "no server binary at $VAULT_LSP (build it, or set VAULT_LSP)"

vsix="$(bash "$here/package.sh")" || fail "npm ci or vsce package failed"

echo "== node --test (server: $VAULT_LSP)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
VAULT_LSP_VSIX="$vsix" node --test \
	--test-reporter=spec --test-reporter-destination=stdout \
	--test-reporter=tap --test-reporter-destination="$log" \
	test/*.test.js
status=$?

passed="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log" | tail -n 1)"
failed="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log" | tail -n 1)"
passed="${passed:-0}"
failed="${failed:-0}"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
	failed=1 # the runner itself failed
fi
echo "vscode: $passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
