#!/usr/bin/env bash
# debian.sh — unpacks a newer Debian release's build of an editor (and the
# libraries it needs, its own libc among them) into a private folder, for
# the editor tests: Debian 12 has no Helix and only Neovim 0.7.
#
#   editors/debian.sh SUITE PACKAGE=VERSION...    prints the folder
#   editors/debian.sh --run ROOT PROGRAM ARGS...  runs ROOT/usr/bin/PROGRAM
#
# Packages come through apt with the machine's own Debian source, its
# suite replaced by SUITE (trixie, forky, ...); nothing is installed on
# the system. The folder is $VAULT_EDITORS_DIR/SUITE-PACKAGE-VERSION
# (default build-editors/ in the repository) and is reused once complete.
# Exits 77 when the packages cannot be fetched, so a test can skip.
set -euo pipefail

if [ "${1:-}" = --run ]; then
	root=$2 prog=$3
	shift 3
	ld=$root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
	libs=$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu
	exec "$ld" --library-path "$libs" "$root/usr/bin/$prog" "$@"
fi

[ $# -ge 2 ] || { echo "usage: debian.sh SUITE PACKAGE=VERSION..." >&2; exit 2; }
suite=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
base=${VAULT_EDITORS_DIR:-$here/../build-editors}
mkdir -p "$base"
base=$(cd "$base" && pwd)
root=$base/$suite-$(echo "$1" | tr '=:+~' '----')
# Tests run in parallel: one fetch of a package at a time, and each
# package its own apt state.
exec 9>"$root.lock"
flock 9
if [ -f "$root/.complete" ]; then
	echo "$root"
	exit 0
fi

skip() {
	echo "debian.sh: cannot fetch $* from Debian $suite" >&2
	exit 77
}
[ "$(uname -m)" = x86_64 ] || skip "(not an x86_64 machine)"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || skip "(no apt-get or dpkg-deb)"

# A private apt state: the system's sources with the suite replaced.
# Security and -updates entries are left out; the release is enough.
src=$(ls /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 || true)
apt=$root.apt
rm -rf "$apt" "$root"
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/debs" "$root"
touch "$apt/status"
if [ -n "$src" ]; then
	awk -v suite="$suite" 'BEGIN { RS = ""; ORS = "\n\n" }
		/debian-security/ { next }
		{ sub(/Suites:[^\n]*/, "Suites: " suite); print }' "$src" >"$apt/debian.sources"
	list=(-o "Dir::Etc::sourcelist=$apt/debian.sources" -o Dir::Etc::sourceparts=-)
else
	grep -E '^deb .*debian' /etc/apt/sources.list | grep -v security | head -1 |
		awk -v suite="$suite" '{ $3 = suite; print }' >"$apt/sources.list" || true
	list=(-o "Dir::Etc::sourcelist=$apt/sources.list" -o Dir::Etc::sourceparts=-)
fi
opts=("${list[@]}" -o "Dir::State::Lists=$apt/lists" -o "Dir::State::status=$apt/status"
	-o "Dir::Cache=$apt/cache" -o APT::Sandbox::User=root -q)
apt-get "${opts[@]}" update >"$apt/update.log" 2>&1 || skip "$* (apt-get update failed; see $apt/update.log)"

# The pinned packages, then what they depend on at this suite's versions.
deps=$(apt-cache "${opts[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts \
	--no-breaks --no-replaces --no-enhances "$@" 2>/dev/null | grep -v '^ ' | grep -v '^<' | sort -u) ||
	skip "$* (a pinned version is gone from $suite)"
want=("$@")
for d in $deps; do
	case " ${*%%=*} " in *" $d "*) ;; *) want+=("$d") ;; esac
done
(cd "$apt/debs" && apt-get "${opts[@]}" download "${want[@]}" >"$apt/download.log" 2>&1) ||
	skip "$* (apt-get download failed; see $apt/download.log)"
for deb in "$apt/debs"/*.deb; do
	dpkg-deb -x "$deb" "$root"
done
rm -rf "$apt"
touch "$root/.complete"
echo "$root"
