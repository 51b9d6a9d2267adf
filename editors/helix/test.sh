#!/usr/bin/env bash
# Tests editors/helix: the languages.toml snippet against the server, the
# server as Helix's capabilities drive it, then Helix itself (Debian 13's
# hx 25.01, unpacked by editors/debian.sh) in tmux on a copy of
# tests/vault: completion, hover, goto definition, diagnostics, a quick
# fix and settings (see e2e.py), with screenshots of three of its screens.
#
#   editors/helix/test.sh [path/to/vault-lsp]
#
# Environment: VAULT_EDITORS_DIR, where debian.sh keeps hx (default
# build-editors/); HELIX_SHOTS, a folder for the screenshots (PNG; default
# a temporary folder, removed). As root it installs what is missing with
# apt-get (tmux; chromium and fonts for the screenshots); without
# chromium the screenshots are skipped and the test still runs.
# Exit 0 passed, 1 failed, 77 (CTest: skipped) when Python 3.11, tmux or
# Helix cannot be had; one summary line at the end either way.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=$(realpath "${1:-${VAULT_LSP:-$repo/build/vault-lsp}}")
[ -x "$bin" ] || { echo "helix test: FAILED: no server binary at $bin (build first)"; exit 1; }
start=$(date +%s)

skip() {
	echo "helix test: SKIPPED: $*"
	exit 77
}
fail() {
	echo "helix test: FAILED: $*"
	exit 1
}
# apt-get install PACKAGES, as root only; updates the lists once if needed.
apt_install() {
	[ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
	local apt=(apt-get -o DPkg::Lock::Timeout=300 -y -qq)
	echo "helix test: installing $* (apt-get)"
	DEBIAN_FRONTEND=noninteractive "${apt[@]}" install --no-install-recommends "$@" >/dev/null 2>&1 ||
		{ "${apt[@]}" update >/dev/null 2>&1 &&
			DEBIAN_FRONTEND=noninteractive "${apt[@]}" install --no-install-recommends "$@" >/dev/null; }
}

python3 -c 'import tomllib' 2>/dev/null || skip "needs python3 >= 3.11 (tomllib)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/offline"
cp -R "$repo/tests/vault" "$tmp/offline/vault"

echo "== languages.toml"
python3 "$here/check_config.py" "$here/languages.toml" "$repo/README.md" "$bin" \
	"$tmp/offline/config.json" || fail "languages.toml (above)"

# The protocol test also checks that the config took effect: at a
# threshold of 0.9 the 85% near duplicate is no longer reported.
python3 - "$tmp/offline/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["vault-lsp"].setdefault("duplicates", {})["threshold"] = 0.9
json.dump(c, open(sys.argv[1], "w"))
PY
echo "== the server, with the capabilities Helix sends"
timeout 120 python3 "$here/test_protocol.py" "$bin" "$tmp/offline/vault" \
	"$tmp/offline/config.json" "$tmp/offline/vault-lsp.log" || fail "the protocol test (above)"

echo "== Helix itself"
command -v tmux >/dev/null 2>&1 || apt_install tmux ||
	skip "Helix e2e: no tmux, and apt-get could not install it (config and protocol passed)"
rc=0
root=$(timeout 600 "$repo/editors/debian.sh" trixie hx=25.01.1-4) || rc=$?
[ $rc -eq 77 ] && skip "Helix e2e: cannot fetch Debian 13's hx 25.01.1-4 (config and protocol passed)"
[ $rc -eq 0 ] || fail "editors/debian.sh trixie hx=25.01.1-4 exited $rc"
"$repo/editors/debian.sh" --run "$root" hx --version
mkdir "$tmp/e2e" "$tmp/ansi"
e2e_start=$(date +%s)
out=$tmp/e2e.out
rc=0
timeout 240 python3 "$here/e2e.py" "$bin" "$root" "$tmp/e2e" "$tmp/ansi" 2>&1 | tee "$out" || rc=$?
[ $rc -eq 0 ] || fail "Helix e2e (above)"
checks=$(sed -n 's/^\([0-9]*\) passed$/\1/p' "$out")
e2e_time=$(($(date +%s) - e2e_start))

echo "== screenshots"
shots=${HELIX_SHOTS:-$tmp/shots}
mkdir -p "$shots"
shots=$(cd "$shots" && pwd)
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -q "DejaVu Sans Mono" ||
	! fc-list 2>/dev/null | grep -q "Noto Color Emoji"; then
	apt_install chromium fonts-dejavu-core fonts-noto-color-emoji || true
fi
if command -v chromium >/dev/null 2>&1; then
	# A picture that cannot be made fails the test only when it was asked
	# for (HELIX_SHOTS); otherwise it is a note.
	made=0
	for ansi in "$tmp/ansi"/*.ansi; do
		png=$shots/helix-$(basename "$ansi" .ansi).png
		if python3 "$here/screenshot.py" "$ansi" "$png" 100 30; then
			made=$((made + 1))
			[ "$(stat -c %s "$png")" -le 102400 ] || echo "helix test: $png is over 100 KB"
		elif [ -n "${HELIX_SHOTS:-}" ]; then
			fail "chromium could not render $ansi (above)"
		fi
	done
	note="$made screenshots in $shots"
	[ -z "${HELIX_SHOTS:-}" ] && note="$made screenshots rendered (HELIX_SHOTS=DIR keeps them)"
else
	note="screenshots SKIPPED: no chromium (apt-get install chromium, as root)"
fi

echo "helix test: PASSED: languages.toml, protocol, hx 25.01 e2e ($checks checks, ${e2e_time} s); $note; $(($(date +%s) - start)) s in all"
