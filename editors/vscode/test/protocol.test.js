// protocol.test.js — the real vault-lsp binary, driven over stdio through
// vscode-languageserver-protocol (what VS Code's language client is built
// on), with the capabilities VS Code sends and the extension's own glue
// answering workspace/configuration and turning progress into status text,
// on a copy of tests/vault. On failure it prints what the client saw.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const cp = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { fileURLToPath } = require('node:url');
const P = require('vscode-languageserver-protocol/node');

const { loadGlue, serverPath, fixtureVault, vscodeUri } = require('./helpers');

const glue = loadGlue();
const SERVER = serverPath();
const GENERATED = 2000;

/* What VS Code 1.82 with vscode-languageclient 9 offers, for what the
 * server looks at (and a little more, as the real client sends). */
const CAPABILITIES = {
	general: {
		positionEncodings: ['utf-16'],
		markdown: { parser: 'marked', version: '1.1.0' },
		regularExpressions: { engine: 'ECMAScript', version: 'ES2020' },
		staleRequestSupport: { cancel: true, retryOnContentModified: [] },
	},
	window: {
		workDoneProgress: true,
		showMessage: { messageActionItem: { additionalPropertiesSupport: true } },
		showDocument: { support: true },
	},
	workspace: {
		applyEdit: true,
		configuration: true,
		workspaceFolders: true,
		didChangeConfiguration: { dynamicRegistration: true },
		didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
		workspaceEdit: {
			documentChanges: true,
			resourceOperations: ['create', 'rename', 'delete'],
			failureHandling: 'textOnlyTransactional',
			normalizesLineEndings: true,
			changeAnnotationSupport: { groupsOnLabel: true },
		},
		symbol: { dynamicRegistration: true },
		executeCommand: { dynamicRegistration: true },
	},
	textDocument: {
		synchronization: { dynamicRegistration: true, willSave: true, willSaveWaitUntil: true, didSave: true },
		completion: {
			dynamicRegistration: true,
			contextSupport: true,
			completionItem: {
				snippetSupport: true,
				commitCharactersSupport: true,
				documentationFormat: ['markdown', 'plaintext'],
				deprecatedSupport: true,
				preselectSupport: true,
				tagSupport: { valueSet: [1] },
				insertReplaceSupport: true,
				resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] },
				insertTextModeSupport: { valueSet: [1, 2] },
				labelDetailsSupport: true,
			},
			insertTextMode: 2,
			completionItemKind: { valueSet: Array.from({ length: 25 }, (_, i) => i + 1) },
			completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode'] },
		},
		hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
		definition: { dynamicRegistration: true, linkSupport: true },
		documentLink: { dynamicRegistration: true, tooltipSupport: true },
		documentSymbol: {
			dynamicRegistration: true,
			hierarchicalDocumentSymbolSupport: true,
			symbolKind: { valueSet: Array.from({ length: 26 }, (_, i) => i + 1) },
			tagSupport: { valueSet: [1] },
			labelSupport: true,
		},
		foldingRange: { dynamicRegistration: true, rangeLimit: 5000, lineFoldingOnly: true },
		codeAction: {
			dynamicRegistration: true,
			isPreferredSupport: true,
			disabledSupport: true,
			dataSupport: true,
			resolveSupport: { properties: ['edit'] },
			codeActionLiteralSupport: {
				codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'refactor.extract', 'refactor.inline',
					'refactor.rewrite', 'source', 'source.organizeImports'] },
			},
			honorsChangeAnnotations: false,
		},
		publishDiagnostics: {
			relatedInformation: true,
			versionSupport: false,
			tagSupport: { valueSet: [1, 2] },
			codeDescriptionSupport: true,
			dataSupport: true,
		},
	},
};

/* ---- the session ------------------------------------------------------- */

let tmp, vault, proc, conn;
let stderr = '';
let exitCode = null;
let resolveExit;
const exited = new Promise((resolve) => { resolveExit = resolve; });
const transcript = [];
const created = [];         // window/workDoneProgress/create tokens
const configRequests = [];  // workspace/configuration params
const progress = [];        // $/progress values of the index token
const statuses = [];        // the status-bar text after each change
let status = glue.STARTING;
const diagnostics = new Map(); // decoded path -> { uri, diagnostics }
const publishedUris = new Set();
const docs = new Map();     // uri -> { text, version }

/* What the user set in VS Code, as WorkspaceConfiguration.inspect says. */
const USER_SETTINGS = {
	'duplicates.threshold': { defaultValue: 0.75, globalValue: 0.75 },
	logLevel: { defaultValue: 'info', workspaceValue: 'info' },
	folders: { defaultValue: { People: 'person', Projects: 'project', Customers: 'customer' } },
};
const settings = glue.serverSettings((key) => USER_SETTINGS[key]);

function setStatus(next) {
	status = next;
	statuses.push(glue.statusView(status).text);
}

function record(line) {
	transcript.push(line.length > 1500 ? line.slice(0, 1500) + ' …' : line);
	if (transcript.length > 150)
		transcript.shift();
}

/** Runs a step; on failure, adds what the client saw to the error. */
function step(fn) {
	return async () => {
		try {
			await fn();
		} catch (err) {
			const seen = `\n--- what the client saw (last ${transcript.length} messages) ---\n` +
				transcript.join('\n') +
				`\n--- server stderr (last 3000 characters) ---\n${stderr.slice(-3000)}` +
				`\n--- status-bar texts ---\n${statuses.join('\n')}\n---`;
			if (err && typeof err === 'object' && 'message' in err) {
				err.message += seen;
				if (typeof err.stack === 'string')
					err.stack += seen;
			}
			throw err;
		}
	};
}

function within(ms, what, promise) {
	let timer;
	return Promise.race([
		promise,
		new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms); }),
	]).finally(() => clearTimeout(timer));
}

async function waitFor(what, pred, ms = 15000) {
	const start = Date.now();
	for (;;) {
		const v = pred();
		if (v)
			return v;
		if (Date.now() - start > ms)
			throw new Error(`timed out after ${ms} ms waiting for ${what}`);
		if (exitCode !== null)
			throw new Error(`the server exited (code ${exitCode}) while waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

function request(type, params, ms = 10000) {
	return within(ms, type.method, conn.sendRequest(type, params));
}

function abs(rel) { return path.join(vault, rel); }
function uriOf(rel) { return vscodeUri(abs(rel)); }

function decode(uri) {
	try {
		return fileURLToPath(uri);
	} catch {
		return uri;
	}
}

/* ---- documents, as VS Code keeps and sends them ------------------------- */

function open(rel) {
	const uri = uriOf(rel);
	const text = fs.readFileSync(abs(rel), 'utf8');
	docs.set(uri, { text, version: 1 });
	conn.sendNotification(P.DidOpenTextDocumentNotification.type,
		{ textDocument: { uri, languageId: 'markdown', version: 1, text } });
	return uri;
}

function offsetAt(text, pos) {
	const lines = text.split('\n');
	let off = 0;
	for (let i = 0; i < pos.line; i++)
		off += lines[i].length + 1;
	return off + pos.character;
}

function positionAt(text, offset) {
	const before = text.slice(0, offset).split('\n');
	return { line: before.length - 1, character: before[before.length - 1].length };
}

/** An incremental change, as VS Code sends one per keystroke or paste. */
function edit(uri, range, newText) {
	const doc = docs.get(uri);
	const a = offsetAt(doc.text, range.start), b = offsetAt(doc.text, range.end);
	doc.text = doc.text.slice(0, a) + newText + doc.text.slice(b);
	doc.version++;
	conn.sendNotification(P.DidChangeTextDocumentNotification.type, {
		textDocument: { uri, version: doc.version },
		contentChanges: [{ range, rangeLength: b - a, text: newText }],
	});
}

function endOf(uri) {
	const doc = docs.get(uri);
	return positionAt(doc.text, doc.text.length);
}

function lineOf(uri, line) {
	return docs.get(uri).text.split('\n')[line];
}

/** Where `needle` begins in the document, plus `delta` characters. */
function find(uri, needle, delta = 0) {
	const text = docs.get(uri).text;
	const at = text.indexOf(needle);
	assert.ok(at >= 0, `'${needle}' is not in ${uri}`);
	return positionAt(text, at + delta);
}

/** Applies a completion item's edit to its line, as VS Code does. */
function applyItem(uri, item) {
	const te = item.textEdit;
	assert.ok(te, `item '${item.label}' has no textEdit: ${JSON.stringify(item)}`);
	const range = te.range ?? te.replace;
	assert.equal(range.start.line, range.end.line, 'a completion edit stays on its line');
	const line = lineOf(uri, range.start.line);
	return line.slice(0, range.start.character) + te.newText + line.slice(range.end.character);
}

async function complete(uri, position, triggerCharacter) {
	const context = triggerCharacter ? { triggerKind: 2, triggerCharacter } : { triggerKind: 1 };
	const result = await request(P.CompletionRequest.type, { textDocument: { uri }, position, context });
	assert.ok(result, 'completion answered null');
	return Array.isArray(result) ? { isIncomplete: false, items: result } : result;
}

/* ---- lifecycle --------------------------------------------------------- */

before(() => {
	assert.ok(fs.existsSync(SERVER), `no server binary at ${SERVER} (build it, or set VAULT_LSP)`);
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vault-lsp-vscode-'));
	vault = path.join(tmp, 'vault');
	fs.cpSync(fixtureVault(), vault, { recursive: true });
	/* Enough notes that indexing outlasts the initialize/initialized round
	 * trip: the server reports progress only while it is still indexing. */
	fs.mkdirSync(path.join(vault, 'Generated'));
	for (let i = 1; i <= GENERATED; i++) {
		fs.writeFileSync(path.join(vault, 'Generated', `Generated ${i}.md`),
			`# Generated ${i}\n\n- Generated note ${i} links to [[Generated ${i % GENERATED + 1}]] and [[Tomasz Wierzbicki]].\n`);
	}

	proc = cp.spawn(SERVER, [], { cwd: tmp, stdio: ['pipe', 'pipe', 'pipe'] });
	proc.stderr.setEncoding('utf8');
	proc.stderr.on('data', (d) => { stderr += d; });
	proc.on('exit', (code, signal) => {
		exitCode = code === null ? `signal ${signal}` : code;
		record(`[server exited: ${exitCode}]`);
		resolveExit(exitCode);
	});

	conn = P.createProtocolConnection(new P.StreamMessageReader(proc.stdout), new P.StreamMessageWriter(proc.stdin));
	conn.trace(P.Trace.Verbose, { log: (msg, data) => record(data ? `${msg}\n${data}` : msg) });
	conn.onError(([err]) => record(`[connection error: ${err && err.message}]`));

	conn.onRequest(P.WorkDoneProgressCreateRequest.type, (params) => {
		created.push(params.token);
		return null;
	});
	conn.onRequest(P.ConfigurationRequest.type, (params) => {
		configRequests.push(params);
		/* The extension's answer: its settings for "vault-lsp", VS Code's
		 * (here: nothing) for any other section. */
		return glue.answerConfiguration(params.items, params.items.map(() => null), settings);
	});
	conn.onRequest(P.RegistrationRequest.type, () => null);
	conn.onProgress(P.WorkDoneProgress.type, glue.INDEX_TOKEN, (value) => {
		progress.push(value);
		setStatus(glue.onProgress(status, value));
	});
	conn.onNotification(P.PublishDiagnosticsNotification.type, (params) => {
		publishedUris.add(params.uri);
		diagnostics.set(decode(params.uri), params);
	});
	conn.onNotification(P.LogMessageNotification.type, () => {});
	conn.onNotification(P.ShowMessageNotification.type, () => {});
	conn.listen();
	setStatus(glue.STARTING);
});

after(() => {
	if (conn)
		conn.dispose();
	if (proc && exitCode === null)
		proc.kill('SIGKILL');
	if (tmp)
		fs.rmSync(tmp, { recursive: true, force: true });
});

/* ---- the steps --------------------------------------------------------- */

describe('vault-lsp over stdio, as VS Code drives it', { timeout: 90000 }, () => {
	it('answers initialize with the capabilities the extension relies on', step(async () => {
		const result = await request(P.InitializeRequest.type, {
			processId: process.pid,
			clientInfo: { name: 'Visual Studio Code', version: '1.82.0' },
			locale: 'en',
			rootPath: vault,
			rootUri: vscodeUri(vault),
			capabilities: CAPABILITIES,
			initializationOptions: settings,
			trace: 'off',
			workspaceFolders: [{ uri: vscodeUri(vault), name: 'vault' }],
		});
		const caps = result.capabilities;
		assert.equal(result.serverInfo?.name, 'vault-lsp');
		assert.equal(caps.positionEncoding ?? 'utf-16', 'utf-16');
		const sync = caps.textDocumentSync;
		assert.equal(typeof sync === 'number' ? sync : sync.change, P.TextDocumentSyncKind.Incremental);
		assert.ok(caps.completionProvider?.triggerCharacters?.includes('['), 'completion on "["');
		assert.equal(caps.completionProvider.resolveProvider, true);
		assert.ok(caps.hoverProvider, 'hover');
		assert.ok(caps.definitionProvider, 'definition');
		assert.ok(caps.codeActionProvider, 'code actions');
		conn.sendNotification(P.InitializedNotification.type, {});
		setStatus(glue.onRunning(status));
	}));

	it('reports indexing progress and asks for the vault-lsp settings', step(async () => {
		await waitFor('the end of indexing progress', () => progress.some((v) => v.kind === 'end'));
		assert.deepEqual(created, [glue.INDEX_TOKEN]);
		assert.equal(progress[0].kind, 'begin');
		assert.equal(progress[progress.length - 1].kind, 'end');
		for (const v of progress.filter((v) => typeof v.percentage === 'number'))
			assert.ok(v.percentage >= 0 && v.percentage <= 100, `a percentage in 0..100: ${v.percentage}`);
		assert.ok(statuses.some((t) => /vault-lsp: indexing \d+%$/.test(t)), 'an "indexing N%" status');

		/* The note count the status bar shows is what `vault-lsp check` counts. */
		const check = cp.spawnSync(SERVER, ['check', vault], { encoding: 'utf8' });
		const m = /(\d+) notes?:/.exec(check.stdout + check.stderr);
		assert.ok(m, `vault-lsp check printed no count: ${check.stdout}${check.stderr}`);
		assert.equal(glue.statusView(status).text, `$(book) vault-lsp: ${m[1]} notes`);

		await waitFor('workspace/configuration', () => configRequests.length > 0);
		assert.deepEqual(configRequests[0].items.map((i) => i.section), ['vault-lsp']);
		/* Settings pass through without a complaint from the server. */
		assert.doesNotMatch(stderr, /configuration/i);
	}));

	/* The indexing workers report concurrently; the server sends only
	 * counts higher than any sent, so the status bar never steps back. */
	it('reports indexing progress in order', step(async () => {
		let last = -1;
		for (const v of progress.filter((v) => v.kind === 'report')) {
			const done = Number(/^(\d+)\//.exec(v.message ?? '')?.[1] ?? v.percentage);
			assert.ok(done >= last, `progress went back from ${last} to ${done} (${v.message})`);
			last = done;
		}
	}));

	it('completes [[Tomas with the alias, inserting the canonical name and the closing brackets', step(async () => {
		const uri = open('_Open Topics.md');
		/* Typing "\n- Met [[": VS Code closes the brackets, the user types on. */
		edit(uri, { start: endOf(uri), end: endOf(uri) }, '\n- Met [[]]');
		let pos = find(uri, '[[]]', 2);
		const first = await complete(uri, pos, '[');
		assert.ok(first.items.length > 0, 'notes offered after [[');
		assert.ok(first.items.some((i) => i.label === 'Tomasz Wierzbicki'), 'every note after [[');

		edit(uri, { start: pos, end: pos }, 'Tomas');
		pos = { line: pos.line, character: pos.character + 'Tomas'.length };
		const list = await complete(uri, pos);
		assert.equal(typeof list.isIncomplete, 'boolean');
		const alias = list.items.find((i) => i.label === 'Tomas Wierzbicki');
		assert.ok(alias, `an item for the alias: ${list.items.map((i) => i.label).join(', ')}`);
		assert.equal(alias.textEdit.newText, 'Tomasz Wierzbicki|Tomas Wierzbicki');
		assert.equal(applyItem(uri, alias), '- Met [[Tomasz Wierzbicki|Tomas Wierzbicki]]');
		const canonical = list.items.find((i) => i.label === 'Tomasz Wierzbicki');
		assert.ok(canonical, 'the note itself is offered too');
		assert.equal(applyItem(uri, canonical), '- Met [[Tomasz Wierzbicki]]');

		/* Resolve fills in the preview (resolveSupport: documentation). */
		const resolved = await request(P.CompletionResolveRequest.type, alias);
		const doc = resolved.documentation;
		const docText = typeof doc === 'string' ? doc : doc?.value;
		assert.ok(docText && docText.includes('Tomasz Wierzbicki'), `a preview: ${JSON.stringify(resolved)}`);
		if (typeof doc === 'object')
			assert.equal(doc.kind, 'markdown');

		/* Without the closing brackets (auto-closing off) they are added. */
		edit(uri, { start: endOf(uri), end: endOf(uri) }, '\n- Also [[Tomas');
		const again = await complete(uri, endOf(uri));
		const alias2 = again.items.find((i) => i.label === 'Tomas Wierzbicki');
		assert.ok(alias2, 'the alias again');
		assert.equal(alias2.textEdit.newText, 'Tomasz Wierzbicki|Tomas Wierzbicki]]');
		assert.equal(applyItem(uri, alias2), '- Also [[Tomasz Wierzbicki|Tomas Wierzbicki]]');
	}));

	const MEETING = 'Inbox/_archive/2026-01-04/2025-12-16 09 08 - Ragnar Priya 1-1.md';

	it('hovers on an alias link, saying whose alias it is', step(async () => {
		const uri = open(MEETING);
		const pos = find(uri, '[[Tomas Wierzbicki]]', 4);
		const hover = await request(P.HoverRequest.type, { textDocument: { uri }, position: pos });
		assert.ok(hover, 'a hover');
		const contents = hover.contents;
		assert.equal(contents.kind, 'markdown');
		assert.ok(contents.value.startsWith('*Tomas Wierzbicki* is an alias of **Tomasz Wierzbicki** (person)'),
			`hover text: ${contents.value}`);
	}));

	it('goes to the definition of an alias link: People/Tomasz Wierzbicki.md', step(async () => {
		const uri = uriOf(MEETING);
		const pos = find(uri, '[[Tomas Wierzbicki]]', 4);
		const result = await request(P.DefinitionRequest.type, { textDocument: { uri }, position: pos });
		const targets = Array.isArray(result) ? result : [result];
		assert.ok(targets.length >= 1 && targets[0], `a target: ${JSON.stringify(result)}`);
		const first = targets[0];
		assert.ok(first.targetUri, `a LocationLink (linkSupport): ${JSON.stringify(first)}`);
		assert.equal(decode(first.targetUri), abs('People/Tomasz Wierzbicki.md'));
		const origin = first.originSelectionRange;
		if (origin) {
			assert.equal(origin.start.line, pos.line);
			assert.ok(origin.start.character <= pos.character && pos.character <= origin.end.character);
		}
	}));

	it('finds the references of a person, and counts them in the code lens the command shows', step(async () => {
		const uri = open('People/Tomasz Wierzbicki.md');
		const refs = await request(P.ReferencesRequest.type, {
			textDocument: { uri }, position: { line: 0, character: 0 }, context: { includeDeclaration: false } });
		assert.ok(Array.isArray(refs) && refs.length > 0, `references: ${JSON.stringify(refs)}`);
		assert.ok(refs.some((r) => decode(r.uri) === abs(MEETING)), 'the meeting that names him by an alias');
		const lenses = await request(P.CodeLensRequest.type, { textDocument: { uri } });
		assert.ok(lenses.length >= 1 && lenses[0].range.start.line === 0, `a lens on the first line: ${JSON.stringify(lenses)}`);
		const lens = await request(P.CodeLensResolveRequest.type, lenses[0]);
		assert.equal(lens.command.command, glue.SHOW_REFERENCES);
		assert.match(lens.command.title,
			new RegExp(`^${refs.length} references? · \\d+ unlinked mentions?$`), lens.command.title);
		assert.deepEqual(glue.showReferencesArgs(lens.command.arguments), { uri, line: 0, character: 0 });
	}));

	it('publishes duplicate-fact diagnostics for a closed note, and for it once opened', step(async () => {
		const rel = 'People/Ragnar Eiriksson.md';
		const want = ['duplicate-fact', 'near-duplicate-fact', 'subsumed-fact'];
		const codesOf = (p) => new Set((p?.diagnostics ?? []).map((d) => d.code));
		const closed = await waitFor(`diagnostics of ${rel}`, () => {
			const p = diagnostics.get(abs(rel));
			return p && want.every((c) => codesOf(p).has(c)) ? p : undefined;
		});
		const dup = closed.diagnostics.find((d) => d.code === 'duplicate-fact');
		assert.equal(dup.severity, P.DiagnosticSeverity.Warning);
		assert.deepEqual(dup.tags, [P.DiagnosticTag.Unnecessary]);
		assert.ok(dup.relatedInformation?.length, 'points at the other fact');
		assert.equal(decode(dup.relatedInformation[0].location.uri), abs(rel));

		diagnostics.delete(abs(rel));
		const uri = open(rel);
		const opened = await waitFor(`diagnostics of ${rel} once open`, () => diagnostics.get(abs(rel)));
		assert.deepEqual(codesOf(opened), codesOf(closed));
		assert.equal(opened.uri, uri, 'an open note\'s diagnostics come back under the URI VS Code sent');
	}));

	it('indexes a note that appears on disk (didChangeWatchedFiles)', step(async () => {
		const rel = 'People/Ingrid Halvorsen.md';
		fs.writeFileSync(abs(rel), '---\ntype: person\naliases: [Inga]\n---\n# Ingrid Halvorsen\n');
		conn.sendNotification(P.DidChangeWatchedFilesNotification.type,
			{ changes: [{ uri: uriOf(rel), type: P.FileChangeType.Created }] });
		const uri = uriOf('_Open Topics.md');
		edit(uri, { start: endOf(uri), end: endOf(uri) }, '\n- With [[Ingr');
		const list = await complete(uri, endOf(uri));
		const item = list.items.find((i) => i.label === 'Ingrid Halvorsen');
		assert.ok(item, `the new note is offered: ${list.items.map((i) => i.label).join(', ')}`);
	}));

	it('shuts down and exits with status 0', step(async () => {
		const result = await request(P.ShutdownRequest.type, undefined);
		assert.equal(result, null);
		conn.sendNotification(P.ExitNotification.type);
		const code = await within(5000, 'the server to exit', exited);
		assert.equal(code, 0);
	}));
});

