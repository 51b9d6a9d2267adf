#!/usr/bin/env bash
# End-to-end test of editors/nvim in real headless Neovims, on copies of
# tests/vault: test/test.lua in each version and each way of installing
# the plugin.
#
#   editors/nvim/test.sh [path/to/vault-lsp]
#
#   Neovim 0.7.2   Debian 12's package (apt-get install neovim, as root)
#   Neovim 0.10.4  Debian 13's package  } unpacked by editors/debian.sh
#   Neovim 0.12.4  Debian forky's       } into build-editors/, not installed
#
# Ways of installing (MODE, see test/test.lua): setup (setup() in init.lua)
# and lazy (what lazy.nvim does with the README's spec) in every version,
# native (vim.lsp.config + vim.lsp.enable, no setup()) from 0.11 on.
# VAULT_NVIM_VERSIONS="0.7 0.10 0.12" picks versions; VAULT_EDITORS_DIR
# is where debian.sh keeps what it fetched (default build-editors/).
#
# A version that cannot be had (no apt, no network, not x86_64) is skipped
# with a message; the test fails if any version that could be had fails,
# and exits 77 (CTest: skipped) only when no version could be had.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=$(realpath "${1:-${VAULT_LSP:-$repo/build/vault-lsp}}")
[ -x "$bin" ] || { echo "nvim test: no server binary at $bin (build first)" >&2; exit 1; }
read -r -a versions <<<"${VAULT_NVIM_VERSIONS:-0.7 0.10 0.12}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ran=() failed=() skipped=()

# Debian 12's Neovim, installed with apt-get when missing (as root).
# Prints why not when it cannot be had.
system_nvim() {
	if ! command -v nvim >/dev/null 2>&1; then
		if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
			echo "nvim test: installing Debian's neovim" >&2
			local apt="apt-get -o DPkg::Lock::Timeout=300 -y -qq"
			DEBIAN_FRONTEND=noninteractive $apt install --no-install-recommends neovim >/dev/null ||
				{ $apt update && DEBIAN_FRONTEND=noninteractive $apt install --no-install-recommends neovim >/dev/null; } ||
				{ echo "apt-get could not install neovim"; return 1; }
		else
			echo "nvim not found (apt-get install neovim, as root)"
			return 1
		fi
	fi
	if ! nvim --headless -u NONE -i NONE -c 'if !has("nvim-0.7") | cquit 1 | endif' -c 'qa!' </dev/null >/dev/null 2>&1; then
		echo "$(nvim --version | head -1) is older than 0.7, which the plugin needs"
		return 1
	fi
}

# A newer Debian's Neovim, run from the folder debian.sh unpacked it into:
# its own dynamic loader and libraries (debian.sh --run), its own runtime
# files, and its own Lua modules (lpeg and luv are linked in; the paths
# keep the host's Lua modules out) and tree-sitter parsers (usr/lib/nvim,
# which Neovim would look for next to the loader, not the binary).
# Writes a wrapper script, so that `timeout` can run it.
debian_nvim() {
	local root=$1 wrapper=$2
	cat >"$wrapper" <<-EOF
		#!/bin/sh
		export VIM="$root/usr/share/nvim" VIMRUNTIME="$root/usr/share/nvim/runtime"
		export LUA_PATH="$root/usr/share/lua/5.1/?.lua;$root/usr/share/lua/5.1/?/init.lua"
		export LUA_CPATH="$root/usr/lib/x86_64-linux-gnu/lua/5.1/?.so"
		exec "$repo/editors/debian.sh" --run "$root" nvim --cmd "set runtimepath+=$root/usr/lib/nvim" "\$@"
	EOF
	chmod +x "$wrapper"
}

# run_one LABEL MODE NVIM-COMMAND...: test/test.lua in that Neovim.
run_one() {
	local label=$1 mode=$2
	shift 2
	local dir=$tmp/$label-$mode
	mkdir -p "$dir"
	cp -R "$repo/tests/vault" "$dir/vault"
	mkdir -p "$dir/other/.obsidian" "$dir/other/Notes"
	printf '# Elsewhere\n\n- Not in the first vault.\n' >"$dir/other/Notes/Elsewhere.md"
	local rtp=(--cmd "set runtimepath^=$here")
	[ "$mode" = lazy ] && rtp=() # lazy adds it when the note's FileType comes
	echo "== Neovim $label, $mode"
	local start=$SECONDS status=0
	# Neovim's state, cache and logs go to the run's folder; every wait in
	# test.lua has its own deadline, the timeout bounds the whole run.
	(
		cd "$dir"
		export XDG_CONFIG_HOME="$dir/xdg/config" XDG_DATA_HOME="$dir/xdg/data" \
			XDG_STATE_HOME="$dir/xdg/state" XDG_CACHE_HOME="$dir/xdg/cache" \
			XDG_CONFIG_DIRS="$dir/xdg/etc" XDG_DATA_DIRS="$dir/xdg/share"
		export VAULT_LSP="$bin" VAULT="$dir/vault" OTHER_VAULT="$dir/other" \
			LOG="$dir/vault-lsp.log" PLUGIN_DIR="$here" MODE="$mode"
		timeout 120 "$@" --headless -u NONE -i NONE -n "${rtp[@]}" \
			--cmd "luafile $here/test/test.lua" "$dir/vault/People/Ragnar Eiriksson.md" </dev/null
	) || status=$?
	if [ "$status" -eq 124 ]; then
		echo "TIMEOUT after 120 s; the server's log:"
		tail -n 60 "$dir/vault-lsp.log" 2>/dev/null || true
		echo "Neovim's LSP log:"
		tail -c 6000 "$dir/xdg/state/nvim/lsp.log" 2>/dev/null || true
	fi
	echo "== Neovim $label, $mode: $([ "$status" -eq 0 ] && echo passed || echo "FAILED ($status)") in $((SECONDS - start)) s"
	ran+=("$label/$mode")
	[ "$status" -eq 0 ] || failed+=("$label/$mode")
}

for v in "${versions[@]}"; do
	modes=(setup lazy)
	case $v in
	0.7)
		if why=$(system_nvim); then
			label=$(nvim --version | head -1 | sed 's/^NVIM v//')
			# (Another Neovim on PATH is tested as what it is.)
			nvim --headless -u NONE -i NONE -c 'if !has("nvim-0.11") | cquit 1 | endif' -c 'qa!' \
				</dev/null >/dev/null 2>&1 && modes+=(native)
			for mode in "${modes[@]}"; do
				run_one "$label" "$mode" nvim
			done
		else
			echo "nvim test: SKIPPED Neovim 0.7 (Debian 12): $why"
			skipped+=(0.7)
		fi
		continue
		;;
	0.10) suite=trixie pkg=neovim=0.10.4-8+deb13u1 label=0.10.4 ;;
	0.12) suite=forky pkg=neovim=0.12.4-1 label=0.12.4 modes=(setup lazy native) ;;
	*) echo "nvim test: unknown version $v (0.7, 0.10 or 0.12)" >&2; exit 2 ;;
	esac
	status=0
	root=$("$repo/editors/debian.sh" "$suite" "$pkg") || status=$?
	if [ "$status" -eq 77 ]; then
		echo "nvim test: SKIPPED Neovim $label: debian.sh could not fetch $pkg from Debian $suite"
		skipped+=("$v")
		continue
	elif [ "$status" -ne 0 ]; then
		echo "nvim test: debian.sh failed ($status) for $pkg" >&2
		failed+=("$label/fetch")
		continue
	fi
	debian_nvim "$root" "$tmp/nvim-$label"
	for mode in "${modes[@]}"; do
		run_one "$label" "$mode" "$tmp/nvim-$label"
	done
done

echo "nvim test: ran ${ran[*]:-nothing}; skipped ${skipped[*]:-nothing}; failed ${failed[*]:-nothing}"
if [ ${#failed[@]} -gt 0 ]; then
	exit 1
elif [ ${#ran[@]} -eq 0 ]; then
	echo "nvim test: SKIPPED: no Neovim could be had"
	exit 77
fi
