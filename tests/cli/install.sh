#!/usr/bin/env bash
# `cmake --install` into a scratch prefix, then what was installed is used:
# the binary (--version, `check` on a copy of tests/vault: the expected
# lines and exit 1), the man page (`man -l` renders it without a warning,
# and `man` finds it by name under the prefix), the editor files (the same
# bytes as in editors/, the Neovim plugin without its tests), and the VS
# Code .vsix: the one editors/vscode has if built, and one named by
# VAULT_VSIX, installed under DESTDIR as a packager stages it.
#
# Run: bash tests/cli/install.sh BUILD_DIR      (CTest: cli_install)
set -euo pipefail

build=$(cd "${1:?usage: install.sh BUILD_DIR}" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d /tmp/vault-install-XXXXXX)
trap 'rm -rf "$scratch"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
editors=share/vault-lsp/editors

prefix="$scratch/prefix"
timeout 120 cmake --install "$build" --prefix "$prefix" >"$scratch/install.log" 2>&1 \
	|| { cat "$scratch/install.log" >&2; echo "FAIL: cmake --install" >&2; exit 1; }

# The binary.
bin="$prefix/bin/vault-lsp"
[ -x "$bin" ] || fail "no executable $bin"
want=$("$build/vault-lsp" --version)
got=$("$bin" --version) || fail "$bin --version failed"
[ "$got" = "$want" ] && [[ "$got" =~ ^vault-lsp\ [0-9]+\.[0-9]+\.[0-9]+$ ]] \
	|| fail "--version: '$got', the build's is '$want'"
cp -r "$src/tests/vault" "$scratch/vault"
status=0
(cd "$scratch" && timeout 60 "$bin" check vault >check.out 2>check.err) || status=$?
[ "$status" -eq 1 ] || fail "check on the vault: exit $status, not 1 (its invalid frontmatter is an error)"
diff -u "$src/tests/check/vault.expected" "$scratch/check.out" >&2 \
	|| fail "check's output differs from tests/check/vault.expected"
status=0
timeout 60 "$bin" check --format sarif --code mojibake "$scratch/vault" >"$scratch/sarif" 2>/dev/null || status=$?
[ "$status" -eq 0 ] && grep -q '"ruleId": "mojibake"' "$scratch/sarif" || fail "check --format sarif (exit $status)"

# The man page.
page="$prefix/share/man/man1/vault-lsp.1"
cmp -s "$page" "$src/lsp/cli/vault-lsp.1" || fail "the installed man page is not lsp/cli/vault-lsp.1"
if command -v man >/dev/null; then
	MANWIDTH=80 man --warnings -l "$page" >"$scratch/man.txt" 2>"$scratch/man.err" || fail "man -l exited $?"
	[ ! -s "$scratch/man.err" ] || fail "man -l warned: $(cat "$scratch/man.err")"
	grep -q "^VAULT-LSP(1)" "$scratch/man.txt" && grep -q "EXIT STATUS" "$scratch/man.txt" \
		|| fail "man -l did not render the page: $(head -5 "$scratch/man.txt")"
	found=$(MANPATH="$prefix/share/man" man -w vault-lsp 2>&1) || true
	[ "$found" = "$page" ] || fail "man -w vault-lsp with MANPATH under the prefix: '$found'"
else
	echo "man is not installed (.ci/deps.sh installs man-db): man page not rendered" >&2
	fails=$((fails + 1))
fi

# The editor files: the same bytes as in the source tree.
for f in nvim/lua/vault_lsp/init.lua nvim/lsp/vault_lsp.lua nvim/README.md \
	helix/languages.toml emacs/vault-lsp.el; do
	cmp -s "$prefix/$editors/$f" "$src/editors/$f" || fail "$editors/$f missing or not editors/$f"
done
# Every file of the Neovim plugin but its tests.
(cd "$src/editors/nvim" && find . -type f ! -path './test/*' ! -name 'test.sh' | sort) >"$scratch/nvim.want"
(cd "$prefix/$editors/nvim" && find . -type f | sort) >"$scratch/nvim.got"
diff -u "$scratch/nvim.want" "$scratch/nvim.got" >&2 || fail "the Neovim plugin's files differ"
[ ! -e "$prefix/$editors/nvim/test" ] && [ ! -e "$prefix/$editors/nvim/test.sh" ] \
	|| fail "the Neovim plugin's tests were installed"

# The VS Code extension: the built one if there is one, else none.
built=("$src"/editors/vscode/*.vsix)
if [ -e "${built[0]}" ]; then
	for v in "${built[@]}"; do
		cmp -s "$v" "$prefix/$editors/vscode/$(basename "$v")" || fail "$(basename "$v") not installed"
	done
else
	[ ! -e "$prefix/$editors/vscode" ] || fail "a vscode folder without a built .vsix"
	grep -q "No VS Code extension to install" "$scratch/install.log" || fail "install did not say there was no .vsix"
fi
# One named by VAULT_VSIX, staged under DESTDIR as packagers do.
printf 'PK\003\004 not a real package\n' >"$scratch/vault-lsp-9.9.9.vsix"
VAULT_VSIX="$scratch/vault-lsp-9.9.9.vsix" DESTDIR="$scratch/stage" \
	timeout 120 cmake --install "$build" --prefix /usr/local >"$scratch/stage.log" 2>&1 \
	|| { cat "$scratch/stage.log" >&2; fail "cmake --install with DESTDIR"; }
cmp -s "$scratch/vault-lsp-9.9.9.vsix" "$scratch/stage/usr/local/$editors/vscode/vault-lsp-9.9.9.vsix" \
	|| fail "VAULT_VSIX's package not staged under DESTDIR"
[ -x "$scratch/stage/usr/local/bin/vault-lsp" ] || fail "the binary not staged under DESTDIR"
[ ! -e /usr/local/$editors/vscode/vault-lsp-9.9.9.vsix ] || fail "DESTDIR ignored: written to /usr/local"

if [ "$fails" -ne 0 ]; then
	echo "--- cmake --install said:" >&2
	cat "$scratch/install.log" >&2
	echo "cli_install: FAILED ($fails)" >&2
	exit 1
fi
echo "cli_install: passed ($(find "$prefix" -type f | wc -l) files installed)"
