/*
 * glue.ts — the extension's pure parts: settings to the server's
 * configuration, the server command, and indexing progress to status-bar
 * text. No `vscode` import, so node's test runner loads it as it is.
 *
 * Nothing here decides what the vault means: that is the server's job.
 */

/** The settings section, the client id, and the section the server asks for. */
export const SECTION = 'vault-lsp';

/** The token of the server's indexing progress. */
export const INDEX_TOKEN = 'vault-lsp/index';

/**
 * The server's own configuration keys (README, "Configuration"), as
 * settings under `vault-lsp.`; a dot nests (`duplicates.threshold`).
 */
export const SERVER_KEYS = [
	'folders',
	'peopleKeys',
	'ignore',
	'logLevel',
	'duplicates.threshold',
	'duplicates.crossNote',
	'identity.enabled',
	'identity.minScore',
	'diagnostics',
	'diagnosticsIgnore',
] as const;

/** What `WorkspaceConfiguration.inspect` tells about one setting. */
export interface Inspection {
	defaultValue?: unknown;
	globalValue?: unknown;
	workspaceValue?: unknown;
	workspaceFolderValue?: unknown;
}

export type JsonObject = { [key: string]: unknown };

/**
 * The server's settings from the user's: only the keys set somewhere
 * (user, workspace or folder settings), the most specific value winning.
 * Defaults are left out on purpose: the server's configuration is
 * `.vault-lsp.yaml`, then initializationOptions, then these settings, later
 * wins, so sending VS Code's defaults would silently override the vault's
 * own `.vault-lsp.yaml`.
 */
export function serverSettings(inspect: (key: string) => Inspection | undefined): JsonObject {
	const result: JsonObject = {};
	for (const key of SERVER_KEYS) {
		const i = inspect(key);
		if (!i)
			continue;
		const value = i.workspaceFolderValue !== undefined ? i.workspaceFolderValue
			: i.workspaceValue !== undefined ? i.workspaceValue
			: i.globalValue;
		if (value === undefined)
			continue;
		const path = key.split('.');
		let at = result;
		for (const part of path.slice(0, -1)) {
			if (typeof at[part] !== 'object' || at[part] === null)
				at[part] = {};
			at = at[part] as JsonObject;
		}
		at[path[path.length - 1]] = plainJson(value);
	}
	return result;
}

/** A deep copy as plain JSON (settings objects are proxies). */
function plainJson(value: unknown): unknown {
	return JSON.parse(JSON.stringify(value));
}

/**
 * The answer to `workspace/configuration`: our settings for the item that
 * asks for the `vault-lsp` section, what VS Code answered for the others.
 */
export function answerConfiguration(
	items: ReadonlyArray<{ section?: string | null }>,
	vscodeAnswer: ReadonlyArray<unknown>,
	settings: JsonObject,
): unknown[] {
	return items.map((item, i) => item.section === SECTION ? settings : vscodeAnswer[i] ?? null);
}

/**
 * The command to run from the `vault-lsp.path` setting: a name looked up
 * on PATH, an absolute path, or `~/…` in the home folder.
 */
export function serverCommand(setting: unknown, home: string): string {
	const path = typeof setting === 'string' ? setting.trim() : '';
	if (!path)
		return 'vault-lsp';
	if (path === '~')
		return home;
	if (path.startsWith('~/'))
		return home.replace(/\/+$/, '') + path.slice(1);
	return path;
}

/** What a file is, for serverProblem: the extension asks the file system. */
export type FileKind = 'missing' | 'folder' | 'not-executable' | 'program';

/**
 * Why the server command cannot run, in words for the user, or undefined
 * when it can: a path that is missing, a folder or not executable, or a
 * name found in none of PATH's folders (`dirs`). Checked before starting,
 * so that the user reads what is wrong rather than `spawn … ENOENT`.
 */
export function serverProblem(command: string, dirs: readonly string[], probe: (file: string) => FileKind): string | undefined {
	if (command.includes('/')) {
		switch (probe(command)) {
		case 'missing':
			return `there is no file '${command}'`;
		case 'folder':
			return `'${command}' is a folder, not the vault-lsp program`;
		case 'not-executable':
			return `'${command}' is not executable (chmod +x)`;
		default:
			return undefined;
		}
	}
	let notExecutable: string | undefined;
	for (const dir of dirs) {
		if (!dir)
			continue;
		const file = `${dir.replace(/\/+$/, '')}/${command}`;
		const kind = probe(file);
		if (kind === 'program')
			return undefined;
		if (kind === 'not-executable' && !notExecutable)
			notExecutable = file;
	}
	if (notExecutable)
		return `'${notExecutable}' (found on PATH) is not executable (chmod +x)`;
	return `'${command}' is not on PATH`;
}

/** The error notification when the server cannot start. */
export function startFailureMessage(problem: string): string {
	return `vault-lsp: cannot start the server: ${problem}. ` +
		'Set "vault-lsp.path" to the vault-lsp program (an absolute path), or put vault-lsp on PATH; ' +
		'changing the setting restarts the server.';
}

/* ---- status ---------------------------------------------------------- */

/** A `$/progress` value of work-done progress. */
export interface ProgressValue {
	kind: 'begin' | 'report' | 'end';
	title?: string;
	message?: string;
	percentage?: number;
}

export type Status =
	| { state: 'starting' }
	| { state: 'indexing'; percentage?: number; message?: string; total?: number }
	| { state: 'ready'; notes?: number; message?: string }
	| { state: 'error'; message: string };

export const STARTING: Status = { state: 'starting' };

/** "7/14 notes" (report) or "14 notes in 12 ms" (end), as the server words it. */
function noteCount(message: string | undefined, which: 'total' | 'count'): number | undefined {
	if (!message)
		return undefined;
	const m = which === 'total' ? /^\s*\d+\s*\/\s*(\d+)\s+notes?\b/.exec(message)
		: /^\s*(\d+)\s+notes?\b/.exec(message);
	return m ? Number(m[1]) : undefined;
}

/** The status after one progress notification of the indexing token. */
export function onProgress(status: Status, value: ProgressValue): Status {
	if (status.state === 'error')
		return status;
	switch (value.kind) {
	case 'begin':
	case 'report': {
		const prev = status.state === 'indexing' ? status : undefined;
		const pct = typeof value.percentage === 'number'
			? Math.max(0, Math.min(100, Math.round(value.percentage))) : prev?.percentage;
		return {
			state: 'indexing',
			percentage: pct,
			message: value.message ?? prev?.message,
			total: noteCount(value.message, 'total') ?? prev?.total,
		};
	}
	case 'end': {
		const prev = status.state === 'indexing' ? status : undefined;
		return {
			state: 'ready',
			notes: noteCount(value.message, 'count') ?? prev?.total,
			message: value.message,
		};
	}
	default:
		return status;
	}
}

/**
 * The status once the client is running: the server answered `initialize`.
 * Indexing progress may already have begun (then it goes on); a server
 * that reports none is ready now.
 */
export function onRunning(status: Status): Status {
	return status.state === 'starting' || status.state === 'error' ? { state: 'ready' } : status;
}

export interface StatusView {
	text: string;
	tooltip: string;
	error: boolean;
	/** what a click does */
	command: 'vault-lsp.restart' | 'vault-lsp.showOutput';
}

/** What the status-bar item shows. */
export function statusView(status: Status): StatusView {
	switch (status.state) {
	case 'starting':
		return { text: '$(sync~spin) vault-lsp: starting', tooltip: 'vault-lsp: starting the server',
			 error: false, command: 'vault-lsp.showOutput' };
	case 'indexing': {
		const pct = status.percentage !== undefined ? ` ${status.percentage}%` : '';
		return { text: `$(sync~spin) vault-lsp: indexing${pct}`,
			 tooltip: `vault-lsp: indexing the vault${status.message ? ` (${status.message})` : ''}`,
			 error: false, command: 'vault-lsp.showOutput' };
	}
	case 'ready': {
		const what = status.notes !== undefined ? `${status.notes} ${status.notes === 1 ? 'note' : 'notes'}` : 'ready';
		return { text: `$(book) vault-lsp: ${what}`,
			 tooltip: status.message ? `vault-lsp: indexed ${status.message}` : 'vault-lsp: ready',
			 error: false, command: 'vault-lsp.showOutput' };
	}
	case 'error':
		return { text: '$(error) vault-lsp: stopped',
			 tooltip: `vault-lsp: ${status.message}. Click to restart the server.`,
			 error: true, command: 'vault-lsp.restart' };
	}
}

/** The command of the server's code lenses: the editor shows the references there. */
export const SHOW_REFERENCES = 'vault-lsp.showReferences';

/**
 * The arguments of a `vault-lsp.showReferences` lens ([uri, position]),
 * checked: undefined for anything else.
 */
export function showReferencesArgs(args: unknown[]): { uri: string; line: number; character: number } | undefined {
	const [uri, pos] = args;
	if (typeof uri !== 'string' || typeof pos !== 'object' || pos === null)
		return undefined;
	const { line, character } = pos as { line?: unknown; character?: unknown };
	if (!Number.isInteger(line) || !Number.isInteger(character) || (line as number) < 0 || (character as number) < 0)
		return undefined;
	return { uri, line: line as number, character: character as number };
}
