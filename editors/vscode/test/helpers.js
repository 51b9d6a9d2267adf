// helpers.js — what the tests share: the extension's pure glue (bundled
// from src/glue.ts on the fly, so the tests never run a stale build), paths,
// and file URIs written the way VS Code writes them.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

let glue;
/** src/glue.ts, compiled by esbuild into out/glue.js and loaded. */
function loadGlue() {
	if (!glue) {
		const esbuild = require('esbuild');
		const outfile = path.join(ROOT, 'out', 'glue.js');
		esbuild.buildSync({
			entryPoints: [path.join(ROOT, 'src', 'glue.ts')],
			outfile, bundle: true, format: 'cjs', platform: 'node', target: 'node18',
			logLevel: 'error',
		});
		glue = require(outfile);
	}
	return glue;
}

/** The vault-lsp binary: $VAULT_LSP, else the build of this repository. */
function serverPath() {
	return path.resolve(process.env.VAULT_LSP || path.join(ROOT, '..', '..', 'build', 'vault-lsp'));
}

/** The repository's fixture vault. */
function fixtureVault() {
	return path.resolve(ROOT, '..', '..', 'tests', 'vault');
}

/**
 * A file URI as VS Code (vscode-uri) writes it: every byte of the path but
 * the unreserved characters and "/" percent-encoded, so spaces, commas,
 * parentheses and accents all are.
 */
function vscodeUri(abs) {
	const enc = (seg) => Array.from(Buffer.from(seg, 'utf8'))
		.map((b) => /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b)
			: '%' + b.toString(16).toUpperCase().padStart(2, '0'))
		.join('');
	return 'file://' + abs.split('/').map(enc).join('/');
}

/** The JSON of package.json. */
function manifest() {
	return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
}

module.exports = { ROOT, loadGlue, serverPath, fixtureVault, vscodeUri, manifest };
