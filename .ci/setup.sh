#!/usr/bin/env bash
# First command of the README: install what is missing, build vault-lsp,
# and run `vault-lsp check` on the bundled example vault.
set -euo pipefail
cd "$(dirname "$0")/.."

bash .ci/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
echo
echo "== build/vault-lsp check tests/vault"
# check exits 1 when the vault has an error-level diagnostic: the example
# vault has one on purpose (People/Broken Frontmatter.md). 2 is a failure.
status=0
./build/vault-lsp check tests/vault || status=$?
if [ "$status" -ge 2 ]; then
	echo "setup: vault-lsp check failed (exit $status)" >&2
	exit "$status"
fi
echo
echo "Built: $(pwd)/build/vault-lsp ($(./build/vault-lsp --version))"
echo "Install it (with its man page and the editor files): cmake --install build --prefix ~/.local"
