#!/usr/bin/env bash
# Batch-mode test of editors/emacs/vault-lsp.el with Eglot on a copy of
# tests/vault. usage: test.sh [path/to/vault-lsp]
# Exit 77 (CTest: skipped) when Emacs or Eglot is missing and cannot be
# installed (as root: apt-get install emacs-nox elpa-eglot elpa-markdown-mode).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=$(realpath "${1:-${VAULT_LSP:-$repo/build/vault-lsp}}")
[ -x "$bin" ] || { echo "emacs test: no server binary at $bin (build first)" >&2; exit 1; }

have() {
	command -v emacs >/dev/null 2>&1 &&
		emacs --batch -q --eval '(progn (require (quote eglot)) (require (quote markdown-mode)))' >/dev/null 2>&1
}
if ! have; then
	pkgs="emacs-nox elpa-eglot elpa-markdown-mode"
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "emacs test: installing $pkgs"
		apt="apt-get -o DPkg::Lock::Timeout=120 -y -qq"
		DEBIAN_FRONTEND=noninteractive $apt install --no-install-recommends $pkgs >/dev/null ||
			{ $apt update && DEBIAN_FRONTEND=noninteractive $apt install --no-install-recommends $pkgs >/dev/null; } ||
			{ echo "emacs test: SKIPPED: apt-get could not install $pkgs"; exit 77; }
	fi
	have || { echo "emacs test: SKIPPED: needs emacs with eglot and markdown-mode ($pkgs)"; exit 77; }
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R "$repo/tests/vault" "$tmp/vault"
# Settings as a user would give them: eglot-workspace-configuration in the
# vault's .dir-locals.el (section vault-lsp).
cat >"$tmp/vault/.dir-locals.el" <<'EL'
((nil . ((eglot-workspace-configuration
          . (:vault-lsp (:duplicates (:threshold 0.9)))))))
EL
export HOME="$tmp/home" VAULT_LSP="$bin" VAULT="$tmp/vault" LOG="$tmp/vault-lsp.log" EMACS_DIR="$here"
mkdir -p "$HOME"
cd "$tmp"
timeout 120 emacs --batch -q -l "$here/test/test.el" </dev/null
