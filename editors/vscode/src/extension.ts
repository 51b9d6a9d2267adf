/*
 * extension.ts — starts vault-lsp over stdio for the Markdown files of a
 * workspace and shows its state in the status bar. Configuration and glue
 * only: every feature (completion, hover, definition, diagnostics, quick
 * fixes, references, code lenses) comes from the server; the lenses'
 * command shows the references in VS Code's peek view.
 */
import * as os from 'os';
import * as vscode from 'vscode';
import {
	DidChangeConfigurationNotification,
	LanguageClient,
	LanguageClientOptions,
	ResponseError,
	ServerOptions,
	State,
} from 'vscode-languageclient/node';

import {
	answerConfiguration,
	INDEX_TOKEN,
	JsonObject,
	onProgress,
	onRunning,
	ProgressValue,
	SECTION,
	serverCommand,
	serverSettings,
	SHOW_REFERENCES,
	showReferencesArgs,
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

async function startClient(): Promise<void> {
	if (client || !hasFolder())
		return;
	const command = serverCommand(vscode.workspace.getConfiguration(SECTION).get('path'), os.homedir());
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
	setStatus(STARTING);
	try {
		await c.start();
	} catch (err) {
		if (c !== client)
			return;
		const why = err instanceof Error ? err.message : String(err);
		setStatus({ state: 'error', message: `cannot start '${command}': ${why}` });
		void vscode.window.showErrorMessage(
			`vault-lsp: cannot start the server '${command}' (${why}). ` +
			'Set "vault-lsp.path" to the vault-lsp binary, then restart it.',
			'Open Settings', 'Show Output',
		).then((choice) => {
			if (choice === 'Open Settings')
				void vscode.commands.executeCommand('workbench.action.openSettings', 'vault-lsp.path');
			else if (choice === 'Show Output')
				output.show(true);
		});
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
		output.appendLine(`vault-lsp: stopping the server: ${err instanceof Error ? err.message : String(err)}`);
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
			const locations = await vscode.commands.executeCommand<vscode.Location[]>(
				'vscode.executeReferenceProvider', uri, pos);
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
