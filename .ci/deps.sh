#!/usr/bin/env bash
# Installs what vault-lsp needs to build and test, from Debian 12's packages,
# when it is missing. Idempotent; asks apt only when something is absent.
set -euo pipefail

packages=(cmake gcc make pkg-config libjansson-dev libyaml-dev libcmark-dev libtree-sitter-dev)
# For the editor integration tests: real Neovim and Emacs/Eglot, headless.
packages+=(neovim emacs-nox elpa-eglot elpa-markdown-mode python3)
# For the fuzzers: clang with libFuzzer and the sanitizer runtimes.
packages+=(clang libclang-rt-14-dev)
# For the benchmark's floor: the cmark CLI parsing the same bytes.
packages+=(cmark)
# For the protocol tests under Memcheck, which sees what ASan cannot
# (reads of uninitialised bytes).
packages+=(valgrind)
# For the man page's tests: `man -l` renders lsp/cli/vault-lsp.1 (groff
# comes with it).
packages+=(man-db)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm may come from another Node.js package than Debian's.
if command -v npm >/dev/null 2>&1; then
	tmp=()
	for p in "${missing[@]}"; do [ "$p" = npm ] || tmp+=("$p"); done
	missing=("${tmp[@]+"${tmp[@]}"}")
fi

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
sudo=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
	sudo=sudo
fi
echo "deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
