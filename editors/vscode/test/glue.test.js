// glue.test.js — the extension's pure parts (src/glue.ts): settings to the
// server's configuration, the server command, progress to status text.
'use strict';

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');

const { loadGlue } = require('./helpers');

const glue = loadGlue();

describe('serverSettings', () => {
	const DEFAULTS = {
		folders: { defaultValue: { People: 'person', Projects: 'project', Customers: 'customer' } },
		peopleKeys: { defaultValue: ['participants'] },
		ignore: { defaultValue: [] },
		logLevel: { defaultValue: 'info' },
		'duplicates.threshold': { defaultValue: 0.75 },
		'duplicates.crossNote': { defaultValue: false },
		diagnostics: { defaultValue: {} },
		diagnosticsIgnore: { defaultValue: [] },
	};

	it('sends nothing the user did not set, so .vault-lsp.yaml still applies', () => {
		assert.deepEqual(glue.serverSettings((k) => DEFAULTS[k]), {});
		assert.deepEqual(glue.serverSettings(() => undefined), {});
	});

	it('sends what is set, nesting dotted keys, the most specific scope winning', () => {
		const set = {
			...DEFAULTS,
			ignore: { defaultValue: [], globalValue: ['Archive/'], workspaceValue: ['Drafts/', '*.excalidraw.md'] },
			logLevel: { defaultValue: 'info', globalValue: 'debug' },
			'duplicates.threshold': { defaultValue: 0.75, workspaceValue: 0.9 },
			'duplicates.crossNote': { defaultValue: false, globalValue: true, workspaceFolderValue: false },
			folders: { defaultValue: {}, workspaceValue: { Contacts: 'person' } },
			diagnostics: { defaultValue: {}, globalValue: { 'ambiguous-link': 'hint', mojibake: 'off' } },
			diagnosticsIgnore: { defaultValue: [], workspaceValue: ['Archive/'] },
		};
		assert.deepEqual(glue.serverSettings((k) => set[k]), {
			folders: { Contacts: 'person' },
			ignore: ['Drafts/', '*.excalidraw.md'],
			logLevel: 'debug',
			duplicates: { threshold: 0.9, crossNote: false },
			diagnostics: { 'ambiguous-link': 'hint', mojibake: 'off' },
			diagnosticsIgnore: ['Archive/'],
		});
	});

	it('asks only for the server\'s keys, never path or trace', () => {
		const asked = [];
		glue.serverSettings((k) => { asked.push(k); return undefined; });
		assert.deepEqual(asked, [...glue.SERVER_KEYS]);
		assert.ok(!asked.includes('path') && !asked.some((k) => k.startsWith('trace')));
	});

	it('copies values into plain JSON', () => {
		const folders = Object.freeze({ People: 'person' });
		const out = glue.serverSettings((k) => k === 'folders' ? { globalValue: folders } : undefined);
		assert.notEqual(out.folders, folders);
		assert.deepEqual(out.folders, { People: 'person' });
	});
});

describe('answerConfiguration', () => {
	it('answers the vault-lsp section with our settings and passes other sections through', () => {
		const settings = { logLevel: 'debug' };
		assert.deepEqual(
			glue.answerConfiguration([{ section: 'vault-lsp' }, { section: 'editor' }, {}],
				[{ path: 'vault-lsp', trace: { server: 'off' } }, { tabSize: 4 }, undefined], settings),
			[settings, { tabSize: 4 }, null]);
	});
});

describe('serverCommand', () => {
	it('defaults to vault-lsp on PATH', () => {
		assert.equal(glue.serverCommand(undefined, '/home/u'), 'vault-lsp');
		assert.equal(glue.serverCommand('  ', '/home/u'), 'vault-lsp');
		assert.equal(glue.serverCommand(42, '/home/u'), 'vault-lsp');
	});
	it('takes a path as it is, and ~/ as the home folder', () => {
		assert.equal(glue.serverCommand('/opt/vault-lsp/bin/vault-lsp', '/home/u'), '/opt/vault-lsp/bin/vault-lsp');
		assert.equal(glue.serverCommand('~/src/vault-lsp/build/vault-lsp', '/home/u/'), '/home/u/src/vault-lsp/build/vault-lsp');
		assert.equal(glue.serverCommand('my-vault-lsp', '/home/u'), 'my-vault-lsp');
	});
});

describe('serverProblem', () => {
	const files = {
		'/opt/bin/vault-lsp': 'program',
		'/opt/src': 'folder',
		'/opt/plain/vault-lsp': 'not-executable',
		'/usr/local/bin/vault-lsp': 'program',
	};
	const probe = (f) => files[f] || 'missing';
	it('accepts a program, by path or on PATH', () => {
		assert.equal(glue.serverProblem('/opt/bin/vault-lsp', [], probe), undefined);
		assert.equal(glue.serverProblem('vault-lsp', ['/usr/bin', '', '/usr/local/bin/'], probe), undefined);
		assert.equal(glue.serverProblem('vault-lsp', ['/opt/plain', '/usr/local/bin'], probe), undefined);
	});
	it('says what is wrong with a path', () => {
		assert.equal(glue.serverProblem('/nowhere/vault-lsp', [], probe), "there is no file '/nowhere/vault-lsp'");
		assert.equal(glue.serverProblem('/opt/src', [], probe), "'/opt/src' is a folder, not the vault-lsp program");
		assert.equal(glue.serverProblem('/opt/plain/vault-lsp', [], probe), "'/opt/plain/vault-lsp' is not executable (chmod +x)");
	});
	it('says what is wrong with a name on PATH', () => {
		assert.equal(glue.serverProblem('vault-lsp', ['/usr/bin'], probe), "'vault-lsp' is not on PATH");
		assert.equal(glue.serverProblem('vault-lsp', [], probe), "'vault-lsp' is not on PATH");
		assert.equal(glue.serverProblem('vault-lsp', ['/opt/plain'], probe),
			"'/opt/plain/vault-lsp' (found on PATH) is not executable (chmod +x)");
	});
	it('words the notification around the problem, naming the setting', () => {
		const m = glue.startFailureMessage("there is no file '/x/vault-lsp'");
		assert.match(m, /^vault-lsp: cannot start the server: there is no file '\/x\/vault-lsp'\. /);
		assert.match(m, /"vault-lsp\.path"/);
	});
});

describe('status from indexing progress', () => {
	const text = (s) => glue.statusView(s).text;

	it('goes starting, indexing N%, then N notes', () => {
		let s = glue.STARTING;
		assert.equal(text(s), '$(sync~spin) vault-lsp: starting');
		s = glue.onRunning(s);
		assert.equal(text(s), '$(book) vault-lsp: ready');
		s = glue.onProgress(s, { kind: 'begin', title: 'Indexing vault', message: 'listing notes', percentage: 0 });
		assert.equal(text(s), '$(sync~spin) vault-lsp: indexing 0%');
		s = glue.onProgress(s, { kind: 'report', message: '42/100 notes', percentage: 42 });
		assert.equal(text(s), '$(sync~spin) vault-lsp: indexing 42%');
		assert.match(glue.statusView(s).tooltip, /42\/100 notes/);
		s = glue.onRunning(s); /* a late "running" does not undo progress */
		assert.equal(text(s), '$(sync~spin) vault-lsp: indexing 42%');
		s = glue.onProgress(s, { kind: 'report' });
		assert.equal(text(s), '$(sync~spin) vault-lsp: indexing 42%');
		s = glue.onProgress(s, { kind: 'end', message: '100 notes in 12 ms' });
		assert.equal(text(s), '$(book) vault-lsp: 100 notes');
		assert.equal(glue.statusView(s).error, false);
		assert.equal(glue.statusView(s).command, 'vault-lsp.showOutput');
	});

	it('counts from the last report when the end says no number', () => {
		let s = glue.onProgress(glue.STARTING, { kind: 'begin', title: 'Indexing vault' });
		assert.equal(text(s), '$(sync~spin) vault-lsp: indexing');
		s = glue.onProgress(s, { kind: 'report', message: '1/1 notes', percentage: 100 });
		s = glue.onProgress(s, { kind: 'end' });
		assert.equal(text(s), '$(book) vault-lsp: 1 note');
		s = glue.onProgress(glue.onProgress(glue.STARTING, { kind: 'begin' }), { kind: 'end', message: 'done' });
		assert.equal(text(s), '$(book) vault-lsp: ready');
	});

	it('clamps percentages', () => {
		assert.equal(text(glue.onProgress(glue.STARTING, { kind: 'report', percentage: 140 })), '$(sync~spin) vault-lsp: indexing 100%');
		assert.equal(text(glue.onProgress(glue.STARTING, { kind: 'report', percentage: -3 })), '$(sync~spin) vault-lsp: indexing 0%');
	});

	it('shows an error that a click restarts, and progress does not hide it', () => {
		const err = { state: 'error', message: 'the server stopped' };
		const view = glue.statusView(err);
		assert.equal(view.text, '$(error) vault-lsp: stopped');
		assert.equal(view.error, true);
		assert.equal(view.command, 'vault-lsp.restart');
		assert.match(view.tooltip, /the server stopped/);
		assert.equal(glue.onProgress(err, { kind: 'end', message: '3 notes' }), err);
		assert.equal(text(glue.onRunning(err)), '$(book) vault-lsp: ready');
	});
});

describe('showReferencesArgs', () => {
	it('takes the [uri, position] of a lens the server resolved', () => {
		assert.deepEqual(glue.showReferencesArgs(['file:///v/A.md', { line: 3, character: 0 }]),
			{ uri: 'file:///v/A.md', line: 3, character: 0 });
	});
	it('refuses anything else', () => {
		assert.equal(glue.showReferencesArgs([]), undefined);
		assert.equal(glue.showReferencesArgs(['file:///v/A.md']), undefined);
		assert.equal(glue.showReferencesArgs([1, { line: 0, character: 0 }]), undefined);
		assert.equal(glue.showReferencesArgs(['file:///v/A.md', { line: -1, character: 0 }]), undefined);
		assert.equal(glue.showReferencesArgs(['file:///v/A.md', { line: 0.5, character: 0 }]), undefined);
		assert.equal(glue.showReferencesArgs(['file:///v/A.md', null]), undefined);
	});
});
