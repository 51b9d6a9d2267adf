// package.test.js — the extension as shipped: it type-checks, its manifest
// says what the issue asks (activation, settings, commands, exact
// versions), the lockfile names no registry, and the .vsix holds only the
// bundle, the manifest and the README.
'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const cp = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');

const { ROOT, loadGlue, manifest } = require('./helpers');

const glue = loadGlue();
const pkg = manifest();

function bin(name) {
	return path.join(ROOT, 'node_modules', '.bin', name);
}

/** The entries of a zip file (a .vsix), with a reader for each. */
function readZip(file) {
	const buf = fs.readFileSync(file);
	let eocd = -1;
	for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
		if (buf.readUInt32LE(i) === 0x06054b50) {
			eocd = i;
			break;
		}
	}
	assert.ok(eocd >= 0, `${file} is not a zip file`);
	const count = buf.readUInt16LE(eocd + 10);
	let at = buf.readUInt32LE(eocd + 16);
	const entries = new Map();
	for (let n = 0; n < count; n++) {
		assert.equal(buf.readUInt32LE(at), 0x02014b50, 'a central directory entry');
		const method = buf.readUInt16LE(at + 10);
		const size = buf.readUInt32LE(at + 20);
		const nameLen = buf.readUInt16LE(at + 28), extraLen = buf.readUInt16LE(at + 30), commentLen = buf.readUInt16LE(at + 32);
		const local = buf.readUInt32LE(at + 42);
		const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
		entries.set(name, () => {
			const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
			const raw = buf.subarray(start, start + size);
			return method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw);
		});
		at += 46 + nameLen + extraLen + commentLen;
	}
	return entries;
}

/** The .vsix test.sh built ($VAULT_LSP_VSIX), else one packaged now into a
 *  temporary folder (never a stale one lying here). */
function withVsix(fn) {
	if (process.env.VAULT_LSP_VSIX)
		return fn(path.resolve(process.env.VAULT_LSP_VSIX));
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vault-lsp-vsix-'));
	try {
		const out = path.join(dir, 'vault-lsp.vsix');
		const r = cp.spawnSync(bin('vsce'), ['package', '--no-dependencies', '--allow-missing-repository',
			'--skip-license', '--out', out], { cwd: ROOT, encoding: 'utf8' });
		assert.equal(r.status, 0, `vsce package failed:\n${r.stdout}\n${r.stderr}`);
		return fn(out);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** A stand-in for the `vscode` module: every property is another stand-in,
 *  callable and constructible, so a module can load against it. */
function fakeVscode() {
	const make = () => new Proxy(function () {}, {
		get: (target, key) => key === Symbol.toPrimitive ? () => 0
			: key === 'then' ? undefined
			: (target[key] ??= make()),
		apply: () => make(),
		construct: () => make(),
	});
	return make();
}

/** Runs a CommonJS bundle with `vscode` replaced by the stand-in. */
function loadWithFakeVscode(source) {
	const Module = require('node:module');
	const file = path.join(ROOT, 'dist', '__vsix_extension.js');
	const m = new Module(file, module);
	m.filename = file;
	m.paths = [];
	const realRequire = Module.prototype.require;
	const vscode = fakeVscode();
	m.require = (id) => id === 'vscode' ? vscode : realRequire.call(m, id);
	m._compile(source, file);
	return m.exports;
}

describe('the extension source', () => {
	it('type-checks (tsc --noEmit)', () => {
		const r = cp.spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
			'--noEmit', '-p', ROOT], { cwd: ROOT, encoding: 'utf8' });
		assert.equal(r.status, 0, `tsc --noEmit failed:\n${r.stdout}${r.stderr}`);
	});
});

describe('package.json', () => {
	it('activates on Markdown and on a vault, not on every *.md of any workspace', () => {
		assert.deepEqual([...pkg.activationEvents].sort(),
			['onLanguage:markdown', 'workspaceContains:.obsidian', 'workspaceContains:.vault-lsp.yaml']);
		assert.equal(pkg.main, './dist/extension.js');
	});

	it('lets no untrusted workspace choose the binary it runs', () => {
		assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, ['vault-lsp.path']);
	});

	it('contributes the path, trace and every server option as vault-lsp settings', () => {
		const props = pkg.contributes.configuration.properties;
		assert.equal(props['vault-lsp.path'].default, 'vault-lsp');
		assert.deepEqual(props['vault-lsp.trace.server'].enum, ['off', 'messages', 'verbose']);
		assert.equal(props['vault-lsp.trace.server'].default, 'off');
		for (const key of glue.SERVER_KEYS)
			assert.ok(props[`vault-lsp.${key}`], `a setting for the server's '${key}'`);
		const extra = Object.keys(props).filter((k) => !['vault-lsp.path', 'vault-lsp.trace.server',
			...glue.SERVER_KEYS.map((k) => `vault-lsp.${k}`)].includes(k));
		assert.deepEqual(extra, [], 'no setting the glue does not pass on');
		/* The defaults shown are the server's (README, "Configuration"). */
		assert.deepEqual(props['vault-lsp.folders'].default, { People: 'person', Projects: 'project', Customers: 'customer' });
		assert.deepEqual(props['vault-lsp.peopleKeys'].default,
			['participants', 'person', 'attendees', 'people', 'owner', 'entity', 'with']);
		assert.equal(props['vault-lsp.duplicates.threshold'].default, 0.75);
		assert.equal(props['vault-lsp.duplicates.crossNote'].default, false);
		assert.equal(props['vault-lsp.identity.enabled'].default, true);
		assert.equal(props['vault-lsp.identity.minScore'].default, 0.9);
		/* Every code the server has (README's table) can be turned down. */
		assert.deepEqual(Object.keys(props['vault-lsp.diagnostics'].properties).sort(),
			['ambiguous-link', 'cross-note-fact', 'duplicate-card', 'duplicate-fact',
				'invalid-frontmatter', 'mojibake', 'name-variant', 'near-duplicate-fact',
				'subsumed-fact', 'unresolved-block', 'unresolved-heading', 'unresolved-link']);
		assert.deepEqual(props['vault-lsp.logLevel'].enum, ['error', 'warn', 'info', 'debug', 'trace']);
	});

	it('has the restart command', () => {
		const restart = pkg.contributes.commands.find((c) => c.command === 'vault-lsp.restart');
		assert.ok(restart);
		assert.equal(`${restart.category}: ${restart.title}`, 'vault-lsp: Restart server');
	});

	it('pins every dependency exactly, @types/vscode at engines.vscode', () => {
		const all = { ...pkg.dependencies, ...pkg.devDependencies };
		for (const [name, version] of Object.entries(all))
			assert.match(version, /^\d+\.\d+\.\d+$/, `${name} is pinned exactly`);
		const engine = /^\^(\d+\.\d+)\.\d+$/.exec(pkg.engines.vscode);
		assert.ok(engine, `engines.vscode: ${pkg.engines.vscode}`);
		assert.ok(all['@types/vscode'].startsWith(`${engine[1]}.`), '@types/vscode matches engines.vscode');
		assert.match(all.typescript, /^5\./, 'TypeScript 5 (7 dropped what this setup uses)');
	});

	it('has a lockfile that matches it and names no registry', () => {
		const text = fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8');
		const lock = JSON.parse(text);
		assert.doesNotMatch(text, /"resolved"/);
		assert.doesNotMatch(text, /registry\./i);
		const root = lock.packages[''];
		assert.deepEqual(root.dependencies, pkg.dependencies);
		assert.deepEqual(root.devDependencies, pkg.devDependencies);
		for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }))
			assert.equal(lock.packages[`node_modules/${name}`]?.version, version, `${name} locked at ${version}`);
	});
});

describe('the .vsix', () => {
	it('holds the bundle, the manifest, the README and its pictures, nothing else', () => {
		const entries = withVsix(readZip);
		assert.deepEqual([...entries.keys()].sort(), [
			'[Content_Types].xml',
			'extension.vsixmanifest',
			'extension/dist/extension.js',
			'extension/package.json',
			'extension/readme.md',
			'extension/screenshots/completion.png',
			'extension/screenshots/hover.png',
			'extension/screenshots/quickfix.png',
		]);
		const readme = entries.get('extension/readme.md')().toString('utf8');
		const pictures = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
		assert.equal(pictures.length, 3, `the README's pictures: ${pictures}`);
		for (const target of pictures)
			assert.ok(entries.has(`extension/${target}`), `the README's picture ${target} is in the .vsix`);
		const shipped = JSON.parse(entries.get('extension/package.json')().toString('utf8'));
		assert.equal(shipped.main, './dist/extension.js');
		assert.deepEqual(shipped.activationEvents, pkg.activationEvents);
		const bundle = entries.get('extension/dist/extension.js')().toString('utf8');
		assert.match(bundle, /require\(["']vscode["']\)/, 'vscode comes from the editor');
		assert.doesNotMatch(bundle, /require\(["']vscode-languageclient/, 'the client library is bundled');
		assert.ok(bundle.includes('vault-lsp/index'), 'the glue is in the bundle');

		/* It loads (only `vscode` missing, given here as a stand-in that
		 * answers anything) and exports activate and deactivate. */
		const exports = loadWithFakeVscode(bundle);
		assert.equal(typeof exports.activate, 'function');
		assert.equal(typeof exports.deactivate, 'function');
	});
});
