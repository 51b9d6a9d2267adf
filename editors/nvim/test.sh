#!/usr/bin/env bash
# End-to-end test of editors/nvim with a real headless Neovim (0.7+) on a
# copy of tests/vault. usage: test.sh [path/to/vault-lsp]
# Exit 77 (CTest: skipped) when Neovim is missing and cannot be installed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=$(realpath "${1:-${VAULT_LSP:-$repo/build/vault-lsp}}")
[ -x "$bin" ] || { echo "nvim test: no server binary at $bin (build first)" >&2; exit 1; }

if ! command -v nvim >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "nvim test: installing Debian's neovim"
		apt="apt-get -o DPkg::Lock::Timeout=120 -y -qq"
		DEBIAN_FRONTEND=noninteractive $apt install --no-install-recommends neovim >/dev/null ||
			{ $apt update && DEBIAN_FRONTEND=noninteractive $apt install --no-install-recommends neovim >/dev/null; } ||
			{ echo "nvim test: SKIPPED: apt-get could not install neovim"; exit 77; }
	else
		echo "nvim test: SKIPPED: nvim not found (apt-get install neovim, as root)"
		exit 77
	fi
fi
nvim --version | head -1
if ! nvim --headless -u NONE -i NONE -c 'if !has("nvim-0.7") | cquit 1 | endif' -c 'qa!' </dev/null >/dev/null 2>&1; then
	echo "nvim test: SKIPPED: the plugin needs Neovim 0.7 or later"
	exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R "$repo/tests/vault" "$tmp/vault"
mkdir -p "$tmp/other/.obsidian" "$tmp/other/Notes"
printf '# Elsewhere\n\n- Not in the first vault.\n' >"$tmp/other/Notes/Elsewhere.md"

# Neovim's own state, cache and log go to the temporary folder.
export XDG_CONFIG_HOME="$tmp/xdg/config" XDG_DATA_HOME="$tmp/xdg/data" \
	XDG_STATE_HOME="$tmp/xdg/state" XDG_CACHE_HOME="$tmp/xdg/cache"
export VAULT_LSP="$bin" VAULT="$tmp/vault" OTHER_VAULT="$tmp/other" LOG="$tmp/vault-lsp.log"
cd "$tmp"
# Every wait inside has its own 10 s limit; this bounds the whole run.
timeout 120 nvim --headless -u NONE -i NONE -n \
	--cmd "set runtimepath^=$here" \
	-c "luafile $here/test/test.lua" </dev/null
