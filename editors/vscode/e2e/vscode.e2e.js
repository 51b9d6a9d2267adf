// vscode.e2e.js — the extension's end-to-end test in VS Code itself:
// code-server (VS Code in a browser) with the packaged .vsix installed,
// driven through Debian's Chromium by playwright-core, on copies of
// tests/vault. Run by ../e2e.sh, which installs everything first:
//
//   CODE_SERVER_DIR=build-editors/code-server-4.100.3 VAULT_LSP=build/vault-lsp \
//   VSIX=editors/vscode/vault-lsp-0.1.0.vsix node editors/vscode/e2e/vscode.e2e.js
//
// Optional: SCREENSHOTS=dir (where the three pictures go; default the
// scratch folder), ARTIFACTS=dir (screenshots of failures, logs; default
// the scratch folder), KEEP=1 (keep the scratch folder), ONLY=a or b (one
// session, when debugging).
//
// Two VS Code sessions, each a code-server of its own:
//   A. the user's settings.json names the server (vault-lsp.path) and turns
//      a diagnostic code off before start (initializationOptions): the
//      Problems panel, a setting changed while running (the vault's
//      .vscode/settings.json: didChangeConfiguration), completion after
//      [[, hover on an alias, definition from participants: and to a
//      heading, references (code lens and Shift+F12), a quick fix, rename.
//   B. vault-lsp.path names a missing file: the error notification; then
//      the vault's settings set it to a name on PATH: the server restarts.
// Each check asserts what VS Code shows (the DOM) or what it saved to disk.
// The last line is "vscode-e2e: N passed, M failed in S s".
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const http = require('node:http');
const { spawn, spawnSync } = require('node:child_process');

const HERE = __dirname;
const REPO = path.resolve(HERE, '..', '..', '..');
const CS_DIR = need('CODE_SERVER_DIR');
const SERVER = path.resolve(need('VAULT_LSP'));
const VSIX = path.resolve(need('VSIX'));
const FIXTURE = path.join(REPO, 'tests', 'vault');
const ENTRY = path.join(CS_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const { chromium } = require(path.join(CS_DIR, 'node_modules', 'playwright-core'));
const EXT_VERSION = JSON.parse(fs.readFileSync(path.join(HERE, '..', 'package.json'), 'utf8')).version;

const SCRATCH = fs.mkdtempSync(path.join(os.tmpdir(), 'vault-lsp-vscode-e2e-'));
const SHOTS = path.resolve(process.env.SCREENSHOTS || path.join(SCRATCH, 'screenshots'));
const ARTIFACTS = path.resolve(process.env.ARTIFACTS || path.join(SCRATCH, 'artifacts'));
fs.mkdirSync(SHOTS, { recursive: true });
fs.mkdirSync(ARTIFACTS, { recursive: true });

const MOD = 'Control';
const results = [];
const sessions = [];

function need(name) {
	const v = process.env[name];
	if (!v) {
		console.error(`vscode.e2e.js: set ${name} (see the header)`);
		process.exit(2);
	}
	return v;
}

function log(...args) {
	console.log(`[${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...args);
}
const T0 = Date.now();

/* ---- waiting ------------------------------------------------------- */

/**
 * Polls fn until it returns something truthy; throws after ms, saying
 * `what` (a string, or a function giving one then: what was seen).
 */
async function waitFor(what, fn, ms = 20000) {
	const end = Date.now() + ms;
	let last;
	for (;;) {
		try {
			last = await fn();
			if (last)
				return last;
		} catch (err) {
			last = err;
		}
		if (Date.now() > end)
			throw new Error(`timed out after ${ms} ms waiting for ${typeof what === 'function' ? what() : what}` +
				(last instanceof Error ? ` (last: ${last.message})` : ''));
		await new Promise((r) => setTimeout(r, 150));
	}
}

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

/* ---- the vault and files ------------------------------------------- */

function copyVault(to) {
	fs.cpSync(FIXTURE, to, { recursive: true });
	return to;
}

/** Writes the vault's .vscode/settings.json (workspace settings). */
function writeWorkspaceSettings(vault, settings) {
	fs.mkdirSync(path.join(vault, '.vscode'), { recursive: true });
	fs.writeFileSync(path.join(vault, '.vscode', 'settings.json'), JSON.stringify(settings, null, '\t'));
}

function read(file) {
	return fs.readFileSync(file, 'utf8');
}

/**
 * Where `needle` is on the first line of `file` holding it (after the
 * line holding `after`), plus `offset` characters: the 1-based line, the
 * column in UTF-16 code units (what Go to Line takes) and the column the
 * status bar shows (in characters: an emoji is one).
 */
function where(file, needle, { after, offset = 0 } = {}) {
	const lines = read(file).split('\n');
	let start = 0;
	if (after) {
		start = lines.findIndex((l) => l.includes(after));
		if (start < 0)
			throw new Error(`no line with '${after}' in ${file}`);
	}
	for (let i = start; i < lines.length; i++) {
		const c = lines[i].indexOf(needle);
		if (c >= 0) {
			const before = lines[i].slice(0, c + offset);
			return { line: i + 1, col: before.length + 1, shown: Array.from(before).length + 1 };
		}
	}
	throw new Error(`no '${needle}' in ${file}`);
}

/** What `vault-lsp check` finds in the vault, as JSON records. */
function checkVault(vault) {
	const r = spawnSync(SERVER, ['check', '--format', 'json', vault], { encoding: 'utf8', timeout: 60000 });
	if (r.status !== 0 && r.status !== 1)
		throw new Error(`vault-lsp check: ${r.stderr}`);
	return r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

/** Errors, warnings and infos VS Code would count, given per-code severities. */
function counts(diags, severities = {}) {
	const c = { error: 0, warning: 0, info: 0 };
	for (const d of diags) {
		const s = severities[d.code] ?? d.severity;
		if (s in c)
			c[s]++;
	}
	return c;
}

/* ---- code-server ----------------------------------------------------- */

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

function httpStatus(url) {
	return new Promise((resolve) => {
		const req = http.get(url, (res) => {
			res.resume();
			resolve(res.statusCode);
		});
		req.on('error', () => resolve(0));
		req.setTimeout(2000, () => {
			req.destroy();
			resolve(0);
		});
	});
}

const BASE_SETTINGS = {
	'workbench.startupEditor': 'none',
	'workbench.welcomePage.walkthroughs.openOnInstall': false,
	'workbench.tips.enabled': false,
	'workbench.enableExperiments': false,
	'workbench.editor.enablePreview': false,
	'security.workspace.trust.enabled': false,
	'telemetry.telemetryLevel': 'off',
	'chat.disableAIFeatures': true,
	'update.mode': 'none',
	'extensions.autoCheckUpdates': false,
	'extensions.autoUpdate': false,
	'extensions.ignoreRecommendations': true,
	'git.enabled': false,
	'editor.minimap.enabled': false,
	'editor.hover.delay': 200,
	'files.refactoring.autoSave': true,
	'window.restoreWindows': 'none',
};

/**
 * A code-server of its own (user data, extensions, home and XDG folders
 * under the scratch folder), with the .vsix installed by its CLI.
 */
async function startSession(name, { settings, pathDirs = [] }) {
	const root = path.join(SCRATCH, name);
	const dirs = {};
	for (const d of ['ud', 'ext', 'home', 'xdg-config', 'xdg-data', 'xdg-cache', 'chromium'])
		fs.mkdirSync(dirs[d] = path.join(root, d), { recursive: true });
	fs.mkdirSync(path.join(dirs.ud, 'User'), { recursive: true });
	const settingsFile = path.join(dirs.ud, 'User', 'settings.json');
	fs.writeFileSync(settingsFile, JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, '\t'));
	// VS Code's server takes the extension host's environment from a login
	// shell ($SHELL -il), so PATH is set where people set it: ~/.profile.
	if (pathDirs.length)
		fs.writeFileSync(path.join(dirs.home, '.profile'),
			`PATH=${pathDirs.map((d) => `'${d}'`).join(':')}:"$PATH"\nexport PATH\n`);
	const env = {
		...process.env,
		HOME: dirs.home,
		XDG_CONFIG_HOME: dirs['xdg-config'],
		XDG_DATA_HOME: dirs['xdg-data'],
		XDG_CACHE_HOME: dirs['xdg-cache'],
		PATH: [...pathDirs, process.env.PATH].join(':'),
	};
	const session = { name, root, dirs, settingsFile, env, log: path.join(root, 'code-server.log') };
	sessions.push(session);

	const install = spawnSync(process.execPath, [ENTRY, '--user-data-dir', dirs.ud,
		'--extensions-dir', dirs.ext, '--install-extension', VSIX],
	{ env, encoding: 'utf8', timeout: 120000 });
	session.installOutput = `${install.stdout}${install.stderr}`;

	const port = await freePort();
	session.url = `http://127.0.0.1:${port}`;
	const out = fs.openSync(session.log, 'a');
	session.proc = spawn(process.execPath, [ENTRY, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
		'--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
		'--disable-getting-started-override', '--user-data-dir', dirs.ud, '--extensions-dir', dirs.ext],
	{ env, stdio: ['ignore', out, out], detached: true });
	fs.closeSync(out);
	session.exited = null;
	session.proc.on('exit', (code, signal) => { session.exited = `code ${code}, signal ${signal}`; });
	await waitFor(`code-server on ${session.url} (log: ${session.log})`, async () => {
		if (session.exited)
			throw new Error(`code-server exited (${session.exited}): ${read(session.log).slice(-2000)}`);
		return await httpStatus(`${session.url}/healthz`) === 200;
	}, 60000);

	session.context = await chromium.launchPersistentContext(dirs.chromium, {
		executablePath: '/usr/bin/chromium',
		headless: true,
		env: { ...env, HOME: dirs.home },
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
		viewport: { width: 1280, height: 800 },
		timeout: 60000,
	});
	session.page = session.context.pages()[0] || await session.context.newPage();
	session.page.setDefaultTimeout(20000);
	session.console = [];
	session.page.on('console', (m) => {
		if (m.type() === 'error')
			session.console.push(m.text().slice(0, 300));
	});
	return session;
}

async function stopSession(s) {
	if (!s)
		return;
	try {
		await s.context?.close();
	} catch { /* closing anyway */ }
	if (s.proc && !s.exited) {
		try {
			process.kill(-s.proc.pid, 'SIGTERM');
		} catch { /* gone */ }
		const end = Date.now() + 5000;
		while (!s.exited && Date.now() < end)
			await sleep(100);
		if (!s.exited) {
			try {
				process.kill(-s.proc.pid, 'SIGKILL');
			} catch { /* gone */ }
		}
	}
}

/** The extension's output channel as VS Code logged it (the server's stderr). */
function serverLog(s) {
	const logs = path.join(s.dirs.ud, 'logs');
	const found = [];
	const walk = (d) => {
		for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
			const p = path.join(d, e.name);
			if (e.isDirectory())
				walk(p);
			else if (/vault-lsp\.log$/.test(e.name))
				found.push(p);
		}
	};
	walk(logs);
	return found.map((f) => `${f}:\n${read(f)}`).join('\n');
}

/* ---- the workbench --------------------------------------------------- */

async function openVault(s, vault) {
	await s.page.goto(`${s.url}/?folder=${encodeURIComponent(vault)}`, { timeout: 60000 });
	await s.page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60000 });
}

/** The text of the status-bar item whose text starts with `prefix`. */
async function statusItem(page, prefix) {
	return page.evaluate((p) => {
		for (const el of document.querySelectorAll('.statusbar-item'))
			if (el.textContent.trim().startsWith(p))
				return el.textContent.trim();
		return null;
	}, prefix);
}

/**
 * The status bar once the server runs. A quick index may finish before
 * the client answers the server's progress request, and then no progress
 * is shown ("ready"); otherwise the end of the progress gives the count
 * ("14 notes"). Which one depends on timing, so both mean ready.
 */
function isReady(text) {
	return text === 'vault-lsp: ready' || /^vault-lsp: \d+ notes?$/.test(text || '');
}

/** Errors, warnings and infos in the status bar's problems item. */
async function problemCounts(page) {
	const label = await page.evaluate(() => {
		const el = document.getElementById('status.problems');
		return el ? (el.querySelector('a')?.getAttribute('aria-label') || el.getAttribute('aria-label') || el.textContent) : null;
	});
	if (!label)
		return null;
	// "Errors: 1, Warnings: 16, Infos: 10", or "No Problems"
	const n = (re) => Number((re.exec(label) || [0, 0])[1]);
	return { error: n(/Errors?:\s*(\d+)/i), warning: n(/Warnings?:\s*(\d+)/i), info: n(/Infos?:\s*(\d+)/i) };
}

/** Waits until the status bar counts `want` errors, warnings and infos. */
async function waitCounts(page, want, ms = 30000) {
	let seen;
	await waitFor(() => `problem counts ${JSON.stringify(want)} (the status bar: ${JSON.stringify(seen)})`, async () => {
		seen = await problemCounts(page);
		return seen && seen.error === want.error && seen.warning === want.warning && seen.info === want.info;
	}, ms);
}

/** Runs a command by its palette label (exactly that label, not one like it). */
async function command(page, label) {
	await page.keyboard.press('F1');
	const input = page.locator('.quick-input-widget input');
	await input.waitFor({ state: 'visible' });
	await input.fill(`>${label}`);
	const rows = page.locator('.quick-input-widget .monaco-list-row');
	// "View: Focus Problems (Errors, Warnings, Infos)" is the label
	// "View: Focus Problems" with a description.
	const is = (l) => l === label || l?.startsWith(`${label} (`);
	const labels = () => rows.evaluateAll((els) => els.map((e) => e.querySelector('.label-name')?.textContent.trim()));
	const at = await waitFor(`'${label}' in the palette`, async () => {
		const i = (await labels()).findIndex(is);
		return i >= 0 ? i + 1 : 0;
	}) - 1;
	for (let i = 0; i < at; i++)
		await page.keyboard.press('ArrowDown');
	await waitFor(`'${label}' chosen in the palette`, async () =>
		is((await page.locator('.quick-input-widget .monaco-list-row.focused .label-name').textContent()).trim()));
	await page.keyboard.press('Enter');
	await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Opens a file by quick open (Ctrl+P), typing `query`, choosing the row naming `rel`. */
async function openFile(page, rel) {
	const base = path.basename(rel);
	await page.keyboard.press(`${MOD}+P`);
	const input = page.locator('.quick-input-widget input');
	await input.waitFor({ state: 'visible' });
	await input.fill(rel);
	await waitFor(`quick open to offer ${rel}`, async () => {
		const first = page.locator('.quick-input-widget .monaco-list-row').first();
		const label = await first.getAttribute('aria-label');
		return label && label.includes(base) && label.includes(path.dirname(rel) === '.' ? base : path.dirname(rel));
	});
	await page.keyboard.press('Enter');
	await waitFor(`the tab of ${rel}`, async () => (await activeTab(page)) === base);
	await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor();
	await focusEditor(page);
}

async function focusEditor(page) {
	await page.evaluate(() => {
		const ed = document.querySelector('.editor-group-container.active .monaco-editor textarea, .editor-group-container.active .monaco-editor .native-edit-context');
		ed?.focus();
	});
}

/** The active tab's label. */
async function activeTab(page) {
	return page.evaluate(() => {
		const t = document.querySelector('.editor-group-container.active .tab.active .label-name') ||
			document.querySelector('.editor-group-container.active .title-label .label-name');
		return t ? t.textContent.trim() : null;
	});
}

/** The breadcrumbs of the active editor ("People › Priya Natarajan.md"). */
async function breadcrumbs(page) {
	return page.evaluate(() => Array.from(document.querySelectorAll(
		'.editor-group-container.active .breadcrumbs-control .monaco-breadcrumb-item'))
		.map((e) => e.textContent.trim()).filter(Boolean));
}

/** "Ln 16, Col 3" from the status bar. */
async function cursor(page) {
	const t = await page.evaluate(() => document.getElementById('status.editor.selection')?.textContent.trim());
	const m = /Ln (\d+), Col (\d+)/.exec(t || '');
	return m ? { line: Number(m[1]), col: Number(m[2]) } : null;
}

/** Moves the cursor with Go to Line (Ctrl+G) and checks it arrived. */
async function goTo(page, { line, col, shown }) {
	await focusEditor(page);
	await page.keyboard.press(`${MOD}+G`);
	const input = page.locator('.quick-input-widget input');
	await input.waitFor({ state: 'visible' });
	await input.fill(`:${line}:${col}`);
	await page.keyboard.press('Enter');
	await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
	let seen;
	await waitFor(() => `the cursor at line ${line}, column ${shown ?? col} (the status bar: ${JSON.stringify(seen)})`, async () => {
		seen = await cursor(page);
		return seen && seen.line === line && seen.col === (shown ?? col);
	});
}

/** The visible lines of the active editor, in order. */
async function editorLines(page) {
	return page.evaluate(() => {
		const ed = document.querySelector('.editor-group-container.active .monaco-editor .view-lines');
		if (!ed)
			return [];
		return Array.from(ed.querySelectorAll('.view-line'))
			.map((l) => ({ top: parseFloat(l.style.top), text: l.textContent.replace(/\u00a0/g, ' ') }))
			.sort((a, b) => a.top - b.top).map((l) => l.text);
	});
}

async function escape(page, n = 2) {
	for (let i = 0; i < n; i++)
		await page.keyboard.press('Escape');
}

/**
 * A small picture (at most 900x500) of `widget` and the editor around it:
 * from the editor's left edge (line numbers), from a few lines above the
 * cursor or the widget, whichever is higher, to below both.
 */
async function picture(page, file, widget) {
	const w = await widget.boundingBox();
	const ed = await page.locator('.editor-group-container.active .monaco-editor').first().boundingBox();
	const cur = await page.locator('.editor-group-container.active .monaco-editor .cursors-layer .cursor').first().boundingBox();
	if (!w || !ed)
		throw new Error(`nothing to photograph for ${file}`);
	const vp = page.viewportSize();
	const top = Math.min(w.y, cur ? cur.y : w.y);
	const bottom = Math.max(w.y + w.height, cur ? cur.y + cur.height : 0);
	const x = ed.x;
	const y = Math.max(ed.y, top - 60);
	const clip = {
		x, y,
		width: Math.min(900, vp.width - x, Math.max(720, w.x + w.width + 24 - x)),
		height: Math.min(500, vp.height - y, bottom + 40 - y),
	};
	const to = path.join(SHOTS, file);
	await page.screenshot({ path: to, clip });
	log(`picture ${to} (${Math.round(clip.width)}x${Math.round(clip.height)}, ${fs.statSync(to).size} bytes)`);
}

/* ---- checks ---------------------------------------------------------- */

let current;
async function check(name, fn) {
	const t = Date.now();
	try {
		await fn();
		results.push({ name, ok: true });
		log(`ok   ${name} (${Date.now() - t} ms)`);
	} catch (err) {
		results.push({ name, ok: false });
		log(`FAIL ${name}: ${err && err.stack || err}`);
		if (current?.page) {
			const shot = path.join(ARTIFACTS, `fail-${results.length}-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`);
			try {
				await current.page.screenshot({ path: shot });
				log(`     the screen: ${shot}`);
			} catch (e) {
				log(`     no screenshot: ${e.message}`);
			}
			try {
				await escape(current.page, 3);
			} catch { /* next check */ }
		}
	}
}

function assertEq(actual, expected, what) {
	const a = JSON.stringify(actual), e = JSON.stringify(expected);
	if (a !== e)
		throw new Error(`${what}: got ${a}, expected ${e}`);
}

function assertOk(cond, what) {
	if (!cond)
		throw new Error(what);
}

/* ---- session A: the server by vault-lsp.path ------------------------- */

async function sessionA() {
	const vault = copyVault(path.join(SCRATCH, 'vault-a'));
	const diags = checkVault(vault);
	const before = { 'near-duplicate-fact': 'off' };
	const s = current = await startSession('a', {
		settings: { 'vault-lsp.path': SERVER, 'vault-lsp.diagnostics': before },
	});
	const page = s.page;

	await check('the .vsix installs into code-server', async () => {
		assertOk(/successfully installed/i.test(s.installOutput), `--install-extension said: ${s.installOutput}`);
		const installed = path.join(s.dirs.ext, `vault-lsp.vault-lsp-${EXT_VERSION}`, 'package.json');
		assertOk(fs.existsSync(installed), `no ${installed}`);
	});

	await openVault(s, vault);

	await check('the server starts from vault-lsp.path and indexes the vault', async () => {
		await waitFor('"vault-lsp: ready" in the status bar', async () => isReady(await statusItem(page, 'vault-lsp')), 60000);
	});

	await check('initializationOptions: a code turned off before start is not in Problems', async () => {
		const want = counts(diags, before);
		assertOk(want.info < counts(diags).info, 'the fixture has near-duplicate facts');
		await waitCounts(page, want);
	});

	await check('the Problems panel lists the diagnostics with their codes', async () => {
		await focusEditor(page);
		await command(page, 'View: Focus Problems');
		await page.locator('.markers-panel').waitFor({ state: 'visible' });
		const rows = await problemRows(page, 'duplicate fact');
		const row = rows.find((r) => r.includes('Duplicate fact: the same as line 14'));
		assertOk(row, `no duplicate-fact row in: ${JSON.stringify(rows)}`);
		assertOk(row.includes('duplicate-fact') && row.includes('16'), `the row names its code and line: ${row}`);
		assertOk(rows.some((r) => r.includes('Priya Natarajan.md')), `its note is listed: ${JSON.stringify(rows)}`);
		assertEq(await problemRows(page, 'Near-duplicate'), ['(none)'], 'near-duplicate-fact is off: rows');
	});

	await check('didChangeConfiguration: a setting changed while running changes Problems', async () => {
		// The vault's .vscode/settings.json: VS Code watches the workspace's
		// files (code-server does not watch the user's settings.json).
		const after = { 'near-duplicate-fact': 'warning', 'unresolved-link': 'error' };
		writeWorkspaceSettings(vault, { 'vault-lsp.diagnostics': after });
		const want = counts(diags, after);
		await waitCounts(page, want);
		const near = await problemRows(page, 'Near-duplicate fact: 100% like line 15');
		assertOk(near.some((r) => r.includes('near-duplicate-fact')),
			`a near-duplicate row: ${JSON.stringify(near)}`);
		assertOk(await page.locator('.markers-panel .monaco-list-row .codicon-warning').count() > 0,
			'the near-duplicate row has a warning icon');
		await clearProblemFilter(page);
		await command(page, 'View: Hide Panel');
	});

	await check('completion after [[ lists notes and aliases; an alias inserts [[Note|Alias]]', async () => {
		await openFile(page, 'People/Marek Nowak.md');
		await page.keyboard.press(`${MOD}+End`);
		await page.keyboard.press('Enter');
		await page.keyboard.type('- [[');
		const rows = await suggestRows(page, (r) => r.includes('Priya Natarajan'));
		assertOk(rows.some((r) => r.startsWith('Priya Natarajan')), `a note after [[: ${JSON.stringify(rows)}`);
		assertOk(rows.some((r) => r.startsWith('P. Natarajan')), `an alias after [[: ${JSON.stringify(rows)}`);
		await page.keyboard.type('Tom');
		// The server ranks (the list is incomplete, so VS Code asks again
		// as one types): the note first, then its aliases.
		const tom = await suggestRows(page, (r) => r.startsWith('Tomasz Wierzbicki'));
		assertOk(tom.some((r) => r.startsWith('Tomasz Wierzbicki')), `the note: ${JSON.stringify(tom)}`);
		const alias = tom.findIndex((r) => r.startsWith('Tomek'));
		assertOk(alias >= 0, `the alias Tomek: ${JSON.stringify(tom)}`);
		await picture(page, 'completion.png', page.locator('.suggest-widget'));
		for (let i = 0; i < alias; i++)
			await page.keyboard.press('ArrowDown');
		await waitFor('Tomek focused', async () =>
			(await page.locator('.suggest-widget .monaco-list-row.focused').getAttribute('aria-label') || '').startsWith('Tomek'));
		await page.keyboard.press('Enter');
		await waitFor('the inserted link', async () => (await editorLines(page)).includes('- [[Tomasz Wierzbicki|Tomek]]'));
		await command(page, 'File: Revert File');
	});

	await check('hover on a link written with an alias shows the canonical note', async () => {
		const rel = 'People/Zoë Ólafsdóttir.md';
		await openFile(page, rel);
		await goTo(page, where(path.join(vault, rel), '[[Zoe Olafsdottir|', { offset: 4 }));
		await page.keyboard.press(`${MOD}+K`);
		await page.keyboard.press(`${MOD}+I`);
		const hover = page.locator('.monaco-hover-content', { hasText: 'is an alias of' }).first();
		await hover.waitFor({ state: 'visible' });
		const text = await hover.textContent();
		assertOk(text.includes('Zoe Olafsdottir is an alias of Zoë Ólafsdóttir (person)'), `hover: ${text}`);
		assertOk(text.includes('Orbital Compute'), `the hover previews the note: ${text}`);
		await picture(page, 'hover.png', hover);
		await escape(page);
	});

	await check('go to definition from a participants: value opens the person', async () => {
		const rel = 'Meetings/Ragnar Eiriksson/2026-01-05 - 1-1 with Ragnar, Northwind dynamics.md';
		await openFile(page, rel);
		await goTo(page, where(path.join(vault, rel), 'Priya Natarajan"', { after: 'participants:', offset: 2 }));
		await page.keyboard.press('F12');
		await waitFor('the tab of Priya Natarajan.md', async () => (await activeTab(page)) === 'Priya Natarajan.md');
		assertEq((await breadcrumbs(page)).slice(0, 2), ['People', 'Priya Natarajan.md'], 'breadcrumbs');
		await waitFor('the cursor at the note\'s start', async () => {
			const c = await cursor(page);
			return c && c.line === 1 && c.col === 1;
		});
	});

	await check('go to definition from [[Note#Heading]] reaches the heading\'s line', async () => {
		const rel = 'People/Ragnar Eiriksson.md';
		await openFile(page, rel);
		await goTo(page, where(path.join(vault, rel), '[[Project Lighthouse#Milestones]]', { offset: 3 }));
		await page.keyboard.press('F12');
		await waitFor('the tab of Project Lighthouse.md', async () => (await activeTab(page)) === 'Project Lighthouse.md');
		const want = where(path.join(vault, 'Projects/Project Lighthouse.md'), '## Milestones').line;
		await waitFor(`the cursor on line ${want}`, async () => (await cursor(page))?.line === want);
	});

	const northwindRefs = referencesTo(vault, 'Northwind');
	await check('the code lens counts references and opens them in the peek view', async () => {
		await openFile(page, 'Customers/Northwind.md');
		const lens = page.locator('.editor-group-container.active .codelens-decoration a').first();
		const text = await waitFor('the code lens', async () => {
			const t = await lens.textContent().catch(() => null);
			return t && /references?/.test(t) ? t : null;
		});
		assertOk(text.startsWith(`${northwindRefs.total} references`), `lens '${text}', expected ${northwindRefs.total} references`);
		await lens.click();
		await checkPeek(page, northwindRefs);
	});

	await check('references (Shift+F12) on a link list every note linking there', async () => {
		const rel = 'Projects/Project Lighthouse.md';
		await openFile(page, rel);
		await goTo(page, where(path.join(vault, rel), '[[Northwind]]', { offset: 3 }));
		await page.keyboard.press('Shift+F12');
		// VS Code asks every reference provider: the server's answer has the
		// declaration (Northwind's title heading, includeDeclaration), and
		// VS Code's built-in Markdown extension adds the link under the
		// cursor once more (it reads [[Northwind]] as the shortcut reference
		// link [Northwind], which references itself).
		await checkPeek(page, northwindRefs,
			{ declaration: true, note: 'Northwind.md', extra: { 'Project Lighthouse.md': 1 } });
	});

	await check('a quick fix (Ctrl+.) removes a duplicate fact', async () => {
		const rel = 'People/Priya Natarajan.md';
		const file = path.join(vault, rel);
		const original = read(file);
		await openFile(page, rel);
		const at = where(file, 'Priya Natarajan joined Halden Storage from [[Northwind]]', { offset: 0 });
		await goTo(page, at);
		await page.keyboard.press(`${MOD}+.`);
		const menu = page.locator('.action-widget');
		await menu.waitFor({ state: 'visible' });
		const titles = await waitFor('the quick fixes', async () => {
			const t = await menu.locator('.monaco-list-row').allTextContents();
			return t.some((x) => x.includes('Remove the duplicate fact')) ? t : null;
		});
		log(`     the fixes offered: ${JSON.stringify(titles)}`);
		await picture(page, 'quickfix.png', menu);
		await waitFor('"Remove the duplicate fact" focused', async () =>
			(await menu.locator('.monaco-list-row.focused').textContent().catch(() => '') || '').includes('Remove the duplicate fact'));
		await page.keyboard.press('Enter');
		const lines = original.split('\n');
		lines.splice(at.line - 1, 1);
		const want = lines.join('\n');
		await waitFor('the fact gone from the buffer', async () =>
			!(await editorLines(page)).some((l) => l.includes('from [[Northwind]]')));
		await command(page, 'File: Save');
		await waitFor('the file saved without the duplicate', async () => read(file) === want, 10000);
	});

	await check('rename (F2) of a note renames its file and the links in other notes', async () => {
		const rel = 'People/Priya Natarajan.md';
		const file = path.join(vault, rel);
		await openFile(page, rel);
		await goTo(page, where(file, '[[Project Lighthouse]]', { offset: 4 }));
		await page.keyboard.press('F2');
		const input = page.locator('.rename-box input');
		await input.waitFor({ state: 'visible' });
		await input.fill('Project Beacon');
		await page.keyboard.press('Enter');
		const ragnar = path.join(vault, 'People/Ragnar Eiriksson.md');
		await waitFor('the links rewritten on disk', async () =>
			fs.existsSync(path.join(vault, 'Projects/Project Beacon.md')) &&
			!fs.existsSync(path.join(vault, 'Projects/Project Lighthouse.md')) &&
			read(ragnar).includes('[[Project Beacon]] planning, see [[Project Beacon#Milestones]]') &&
			read(path.join(vault, 'Contacts/Ragnar Eiriksson.md')).includes('- [[Project Beacon]]'), 20000);
		await waitFor('the open note\'s link renamed', async () =>
			(await editorLines(page)).includes('- [[Project Beacon]]'));
	});

	await check('the server logged no error or warning (the indexing progress was accepted)', async () => {
		const text = serverLog(s);
		assertOk(/ info {2}indexed 14 notes/.test(text), `the server logged its indexing: ${text.slice(0, 500)}`);
		const bad = text.split('\n').filter((l) => /^\d\d:\d\d:\d\d\.\d+ (error|warn)\b/.test(l));
		assertOk(!bad.length, `the server's log: ${bad.join('\n')}`);
	});
}

const PROBLEMS_FILTER = '.viewpane-filter-container input';

/**
 * The rows of the Problems panel once filtered by `filter` (the files,
 * their diagnostics, the related lines), or ['(none)'] for VS Code's "No
 * results": read when the same twice running, as the filter applies late.
 */
async function problemRows(page, filter) {
	const input = page.locator(PROBLEMS_FILTER).first();
	await input.waitFor({ state: 'visible' });
	await input.fill(filter);
	let before = null;
	return waitFor(`Problems rows for '${filter}'`, async () => {
		const rows = await page.locator('.markers-panel .monaco-list-row').evaluateAll((els) =>
			els.map((e) => (e.getAttribute('aria-label') || '') + ' | ' + e.textContent.replace(/\s+/g, ' ')));
		const now = rows.length ? rows
			: await page.locator('.markers-panel .message-box-container').isVisible() ? ['(none)'] : [];
		const same = now.length && JSON.stringify(now) === JSON.stringify(before);
		before = now;
		if (same)
			return now;
		await sleep(250);
		return null;
	});
}

async function clearProblemFilter(page) {
	const input = page.locator(PROBLEMS_FILTER).first();
	if (await input.isVisible())
		await input.fill('');
}

/** The suggest widget's rows once `ready(rows)` holds. */
async function suggestRows(page, ready) {
	const widget = page.locator('.suggest-widget');
	await widget.waitFor({ state: 'visible' });
	return waitFor('suggestions', async () => {
		const rows = await widget.locator('.monaco-list-row').evaluateAll((els) =>
			els.map((e) => e.getAttribute('aria-label') || e.textContent));
		return rows.length && ready(rows.join('\n')) ? rows : null;
	});
}

/**
 * What a reference search should find for a note: the links to it, by
 * grep over the vault copy (every [[Name]], [[Name|…]], [[Name#…]]), per file.
 */
function referencesTo(vault, name) {
	const files = {};
	let total = 0;
	const re = new RegExp(`\\[\\[${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\]\\]|\\||#)`, 'g');
	const walk = (d) => {
		for (const e of fs.readdirSync(d, { withFileTypes: true })) {
			const p = path.join(d, e.name);
			const rel = path.relative(vault, p);
			if (e.isDirectory()) {
				if (!e.name.startsWith('.') && rel !== path.join('Archive', 'Old'))
					walk(p);
			} else if (e.name.endsWith('.md')) {
				const n = (read(p).match(re) || []).length;
				if (n) {
					files[e.name] = (files[e.name] || 0) + n;
					total += n;
				}
			}
		}
	};
	walk(vault);
	return { total, files };
}

/**
 * The peek view lists `want` (from referencesTo): its files, and in all
 * as many references as the badges of its files add up to; with the
 * declaration (the note's title heading) when `declaration`.
 */
async function checkPeek(page, want, { declaration = false, note, extra = {} } = {}) {
	const peek = page.locator('.peekview-widget').first();
	await peek.waitFor({ state: 'visible' });
	const total = want.total + (declaration ? 1 : 0) + Object.values(extra).reduce((a, b) => a + b, 0);
	let seen;
	await waitFor(() => `${total} references in the peek view (seen: ${JSON.stringify(seen)})`, async () => {
		seen = await peek.locator('.monaco-list-row').evaluateAll((els) => els.map((e) => ({
			text: e.textContent.replace(/\s+/g, ' ').trim(),
			badge: Number(e.querySelector('.monaco-count-badge')?.textContent || 0),
		})));
		return seen.reduce((n, r) => n + r.badge, 0) === total;
	});
	const files = { ...want.files };
	if (declaration)
		files[note] = (files[note] || 0) + 1;
	for (const [f, n] of Object.entries(extra))
		files[f] = (files[f] || 0) + n;
	for (const [f, n] of Object.entries(files)) {
		const stem = f.replace(/\.md$/, '');
		const rows = seen.filter((r) => r.badge && r.text.startsWith(stem));
		assertOk(rows.reduce((k, r) => k + r.badge, 0) === n,
			`${n} references in '${f}' in the peek view: ${JSON.stringify(seen)}`);
	}
	log(`     the peek view: ${await peek.locator('.peekview-title').textContent()}`);
	await escape(page);
}

/* ---- session B: a missing server, then the server on PATH ------------ */

async function sessionB() {
	const vault = copyVault(path.join(SCRATCH, 'vault-b'));
	const missing = path.join(SCRATCH, 'no-such-folder', 'vault-lsp');
	const bin = path.join(SCRATCH, 'bin');
	fs.mkdirSync(bin, { recursive: true });
	fs.symlinkSync(SERVER, path.join(bin, 'vault-lsp'));
	const s = current = await startSession('b', { settings: { 'vault-lsp.path': missing }, pathDirs: [bin] });
	const page = s.page;
	await openVault(s, vault);

	await check('a missing server is reported clearly', async () => {
		const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'vault-lsp' }).first();
		await toast.waitFor({ state: 'visible', timeout: 60000 });
		const text = (await toast.locator('.notification-list-item-message').textContent()).trim();
		log(`     the notification: ${text}`);
		assertEq(text, `vault-lsp: cannot start the server: there is no file '${missing}'. ` +
			'Set "vault-lsp.path" to the vault-lsp program (an absolute path), or put vault-lsp on PATH; ' +
			'changing the setting restarts the server.', 'the notification');
		const buttons = await toast.locator('.monaco-button').allTextContents();
		assertOk(buttons.includes('Open Settings') && buttons.includes('Show Output'), `buttons: ${JSON.stringify(buttons)}`);
		await sleep(1000); // a second notification would come with the first
		const all = await page.locator('.notifications-toasts .notification-toast').allTextContents();
		assertEq(all.filter((t) => t.includes('vault-lsp')).length, 1, `notifications about vault-lsp (${JSON.stringify(all)})`);
		assertEq(await statusItem(page, 'vault-lsp'), 'vault-lsp: stopped', 'the status bar');
	});

	await check('vault-lsp.path changed to a name on PATH: the server restarts and runs', async () => {
		writeWorkspaceSettings(vault, { 'vault-lsp.path': 'vault-lsp' });
		await waitFor('"vault-lsp: ready" in the status bar', async () => isReady(await statusItem(page, 'vault-lsp')), 30000);
		const want = counts(checkVault(vault));
		await waitCounts(page, want);
	});
}

/* ---- main ------------------------------------------------------------ */

async function main() {
	const deadline = setTimeout(() => {
		log('FAIL the whole run took over 10 minutes');
		finish(1);
	}, 10 * 60 * 1000);
	try {
		const only = process.env.ONLY; // a or b, when debugging
		for (const run of [sessionA, sessionB].filter((r) => !only || r.name === `session${only.toUpperCase()}`)) {
			try {
				await run();
			} catch (err) {
				results.push({ name: `${run.name} set-up`, ok: false });
				log(`FAIL ${run.name} set-up: ${err && err.stack || err}`);
			}
			if (current)
				await report(current);
			else
				await report(sessions[sessions.length - 1]);
			await stopSession(current);
			current = null;
		}
	} finally {
		clearTimeout(deadline);
	}
	await finish(results.every((r) => r.ok) ? 0 : 1);
}

/** On a failure: what VS Code and the server said. */
async function report(s) {
	if (!s || results.every((r) => r.ok))
		return;
	const tail = (t, n = 40) => t.split('\n').slice(-n).join('\n');
	console.log(`--- session ${s.name}: the vault-lsp output channel\n${tail(serverLog(s))}`);
	if (fs.existsSync(s.log))
		console.log(`--- session ${s.name}: code-server's log\n${tail(read(s.log), 20)}`);
	if (s.console?.length)
		console.log(`--- session ${s.name}: browser console errors\n${s.console.slice(-10).join('\n')}`);
}

let finished = false;
async function finish(code) {
	if (finished)
		return;
	finished = true;
	for (const s of sessions)
		await stopSession(s);
	const passed = results.filter((r) => r.ok).length;
	const failed = results.length - passed;
	if (failed || process.env.KEEP)
		log(`scratch folder kept: ${SCRATCH} (artifacts: ${ARTIFACTS})`);
	else
		fs.rmSync(SCRATCH, { recursive: true, force: true });
	// e2e.sh passes when it started, to count the install too.
	const since = Number(process.env.VSCODE_E2E_START) * 1000 || T0;
	console.log(`vscode-e2e: ${passed} passed, ${failed} failed in ${Math.round((Date.now() - since) / 1000)} s`);
	process.exit(code);
}

process.on('SIGINT', () => finish(1));
process.on('SIGTERM', () => finish(1));
main().catch((err) => {
	log(`FAIL ${err && err.stack || err}`);
	finish(1);
});
