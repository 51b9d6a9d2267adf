/*
 * extension.ts — starts vault-lsp over stdio for the Markdown files of a
 * workspace and shows its state in the status bar. Configuration and glue
 * only: every feature (completion, hover, definition, diagnostics, quick
 * fixes, references, code lenses) comes from the server; the lenses'
 * command shows the references in VS Code's peek view.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import {
	DidChangeConfigurationNotification,
	LanguageClient,
	LanguageClientOptions,
	ReferencesRequest,
	ResponseError,
	ServerOptions,
	State,
	WorkDoneProgressCreateRequest,
} from 'vscode-languageclient/node';
import { ProgressPart } from 'vscode-languageclient/lib/common/progressPart';

import {
	answerConfiguration,
	FileKind,
	INDEX_TOKEN,
	JsonObject,
	onProgress,
	onRunning,
	ProgressValue,
	SECTION,
	serverCommand,
	serverProblem,
	serverSettings,
	SHOW_REFERENCES,
	showReferencesArgs,
	startFailureMessage,
	STARTING,
	Status,
	statusView,
} from './glue';

let client: LanguageClient | undefined;
let disposeClient: vscode.Disposable[] = [];
let output: vscode.OutputChannel;
let item: vscode.StatusBarItem;
let status: Status = STARTING;
/* Starts and stops, one at a time, in the order asked. */
let queue: Promise<void> = Promise.resolve();

function serialize(step: () => Promise<void>): Promise<void> {
	queue = queue.then(step, step);
	return queue;
}

function setStatus(next: Status): void {
	status = next;
	const view = statusView(status);
	item.text = view.text;
	item.tooltip = view.tooltip;
	item.command = view.command;
	item.backgroundColor = view.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
	item.show();
}

/** The server's settings: only what the user set (see glue.ts). */
function currentSettings(): JsonObject {
	const config = vscode.workspace.getConfiguration(SECTION);
	return serverSettings((key) => config.inspect(key));
}

function hasFolder(): boolean {
	return (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
}

/** What a file is: serverProblem's view of the file system. */
function probeFile(file: string): FileKind {
	try {
		if (fs.statSync(file).isDirectory())
			return 'folder';
		fs.accessSync(file, fs.constants.X_OK);
		return 'program';
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'EACCES' ? 'not-executable' : 'missing';
	}
}

/** The server cannot start: the status bar, the output and a notification say why. */
function reportStartFailure(problem: string): void {
	setStatus({ state: 'error', message: `cannot start the server: ${problem}` });
	const message = startFailureMessage(problem);
	output.appendLine(message);
	void vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output').then((choice) => {
		if (choice === 'Open Settings')
			void vscode.commands.executeCommand('workbench.action.openSettings', 'vault-lsp.path');
		else if (choice === 'Show Output')
			output.show(true);
	});
}

async function startClient(): Promise<void> {
	if (client || !hasFolder())
		return;
	const command = serverCommand(vscode.workspace.getConfiguration(SECTION).get('path'), os.homedir());
	/* A missing program is reported in words, and no client is made:
	 * vscode-languageclient would add its own "couldn't create connection"
	 * notification. (Windows looks programs up differently: spawn says.) */
	const problem = process.platform === 'win32' ? undefined
		: serverProblem(command, (process.env.PATH ?? '').split(path.delimiter), probeFile);
	if (problem) {
		reportStartFailure(problem);
		return;
	}
	const serverOptions: ServerOptions = { command, args: [] };
	const watcher = vscode.workspace.createFileSystemWatcher('**/*.md');
	let self: LanguageClient | undefined;

	const clientOptions: LanguageClientOptions = {
		documentSelector: [{ scheme: 'file', language: 'markdown' }],
		outputChannel: output,
		initializationOptions: currentSettings(),
		synchronize: { configurationSection: SECTION, fileEvents: watcher },
		middleware: {
			handleWorkDoneProgress: (token, params, next) => {
				if (token === INDEX_TOKEN && self === client)
					setStatus(onProgress(status, params as ProgressValue));
				next(token, params);
			},
			workspace: {
				configuration: async (params, token, next) => {
					const answer = await next(params, token);
					if (answer instanceof ResponseError || !Array.isArray(answer))
						return answer;
					return answerConfiguration(params.items, answer, currentSettings());
				},
				/* VS Code's section holds every default (and `path`,
				 * `trace`): send the settings the user set instead. */
				didChangeConfiguration: async () => {
					await self?.sendNotification(DidChangeConfigurationNotification.type,
						{ settings: { [SECTION]: currentSettings() } });
				},
			},
		},
	};

	const c = new LanguageClient(SECTION, 'vault-lsp', serverOptions, clientOptions);
	self = c;
	client = c;
	disposeClient = [
		watcher,
		c.onDidChangeState((e) => {
			if (c !== client)
				return;
			if (e.newState === State.Starting)
				setStatus(STARTING);
			else if (e.newState === State.Running)
				setStatus(onRunning(status));
			else if (e.newState === State.Stopped)
				setStatus({ state: 'error', message: 'the server stopped; see the vault-lsp output' });
		}),
	];
	/* vscode-languageclient 9 registers its handler of
	 * window/workDoneProgress/create only after sending `initialized`,
	 * and the server asks for its indexing progress as soon as it gets
	 * `initialized`: in between, the request would be refused and the
	 * progress lost (microsoft/vscode-languageserver-node#1575). This
	 * handler, registered before start, does what the client's own does;
	 * the client's replaces it once registered. */
	c.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
		new ProgressPart(c, params.token);
	});
	setStatus(STARTING);
	try {
		await c.start();
	} catch (err) {
		if (c !== client)
			return;
		const why = err instanceof Error ? err.message : String(err);
		reportStartFailure(`'${command}' did not start (${why})`);
	}
}

async function stopClient(): Promise<void> {
	const c = client;
	const owned = disposeClient;
	client = undefined;
	disposeClient = [];
	if (!c)
		return;
	try {
		await c.dispose(2000);
	} catch (err) {
		/* A client that never started cannot be stopped; say so, unless
		 * the window is closing and the channel with it. */
		try {
			output.appendLine(`vault-lsp: stopping the server: ${err instanceof Error ? err.message : String(err)}`);
		} catch { /* closed */ }
	}
	for (const d of owned)
		d.dispose();
}

function restart(): Promise<void> {
	return serialize(async () => {
		await stopClient();
		if (!hasFolder()) {
			item.hide();
			return;
		}
		await startClient();
	});
}

export function activate(context: vscode.ExtensionContext): Promise<void> {
	output = vscode.window.createOutputChannel('vault-lsp');
	item = vscode.window.createStatusBarItem('vault-lsp.status', vscode.StatusBarAlignment.Left, 0);
	item.name = 'vault-lsp';
	context.subscriptions.push(
		output,
		item,
		vscode.commands.registerCommand('vault-lsp.restart', () => {
			if (!hasFolder())
				void vscode.window.showInformationMessage('vault-lsp: open a folder (your vault) first.');
			return restart();
		}),
		vscode.commands.registerCommand('vault-lsp.showOutput', () => output.show(true)),
		/* A code lens's "N references": asks for them where the lens
		 * stands and shows them in the peek view, as VS Code does its own. */
		vscode.commands.registerCommand(SHOW_REFERENCES, async (...args: unknown[]) => {
			const at = showReferencesArgs(args);
			if (!at)
				return;
			const uri = vscode.Uri.parse(at.uri);
			const pos = new vscode.Position(at.line, at.character);
			/* The references the lens counted: without the declaration,
			 * which VS Code's reference provider would add. */
			const c = client;
			const locations = c?.isRunning()
				? await c.protocol2CodeConverter.asReferences(await c.sendRequest(ReferencesRequest.type, {
					textDocument: { uri: at.uri },
					position: { line: at.line, character: at.character },
					context: { includeDeclaration: false },
				}))
				: await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', uri, pos);
			await vscode.commands.executeCommand('editor.action.showReferences', uri, pos, locations ?? []);
		}),
		vscode.workspace.onDidChangeConfiguration((e) => {
			if (e.affectsConfiguration(`${SECTION}.path`))
				void restart();
		}),
		/* The server takes its folders from initialize only. */
		vscode.workspace.onDidChangeWorkspaceFolders(() => void restart()),
	);
	return serialize(startClient);
}

export function deactivate(): Promise<void> {
	return serialize(stopClient);
}
