// Shared by the suites of the session-backed faces (commands, tree, terminal, log): a fresh
// session on a known board and firmware, and the commands' typed results.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import type { ActionResult } from '../../../src/extension/session';
import type { AmpApi } from '../../../src/extension/extension';
import type { ProcessorNode } from '../../../src/extension/processorsTree';
import type { RpmsgTerminal } from '../../../src/extension/rpmsgTerminal';
import { EXAMPLE_ELF, ampApi, eventually } from './helpers';

const KEYS = ['board', 'core', 'firmware', 'seed', 'recovery', 'earlyBoot', 'remoteApp', 'unmodelledAccess'] as const;

/** Sets the amp.* settings given (user level), clears the others, and drops the running system. */
export async function freshSession(settings: Partial<Record<(typeof KEYS)[number], unknown>> = {}): Promise<AmpApi> {
  const api = await ampApi();
  const config = vscode.workspace.getConfiguration('amp');
  const all: Record<string, unknown> = { firmware: EXAMPLE_ELF, ...settings };
  for (const k of KEYS) {
    if (config.inspect(k)?.globalValue !== all[k]) await config.update(k, all[k], vscode.ConfigurationTarget.Global);
  }
  await vscode.commands.executeCommand('workbench.action.terminal.killAll');
  api.session.reset();
  return api;
}

/**
 * Stops the debug sessions and waits until the tree follows none: VS Code tells the extension of
 * a session's end after stopDebugging() resolves, and until then the tree, and a terminal opened
 * from the palette, are on the ended session's system.
 */
export async function stopDebugging(api: AmpApi): Promise<void> {
  await vscode.debug.stopDebugging();
  await eventually('the tree back on the settings\' system', () => (api.processors.debugSession ? undefined : true));
}

export async function clearSettings(): Promise<void> {
  const config = vscode.workspace.getConfiguration('amp');
  for (const k of KEYS) if (config.inspect(k)?.globalValue !== undefined) await config.update(k, undefined, vscode.ConfigurationTarget.Global);
}

export function act(command: string, ...args: unknown[]): Thenable<ActionResult | undefined> {
  return vscode.commands.executeCommand<ActionResult | undefined>(command, ...args);
}

export type Row = { node: ProcessorNode; item: vscode.TreeItem };

/** The Remote Processors tree's rows under `parent` (the cores without one), as VS Code gets them. */
export async function rows(api: AmpApi, parent?: ProcessorNode): Promise<Row[]> {
  const nodes = (await api.processors.getChildren(parent)) ?? [];
  return Promise.all(nodes.map(async (node) => ({ node, item: await api.processors.getTreeItem(node) })));
}

export async function child(api: AmpApi, parent: ProcessorNode, label: string): Promise<Row> {
  const found = (await rows(api, parent)).find((r) => r.item.label === label);
  assert.ok(found, `no '${label}' under ${parent.id}: ${JSON.stringify((await rows(api, parent)).map((r) => r.item.label))}`);
  return found;
}

export const icon = (item: vscode.TreeItem): string => (item.iconPath as vscode.ThemeIcon).id;

/** AMP: Open RPMsg Terminal on `node` (a tree row's node or a device path), once VS Code has opened its pty. */
export async function openTerminal(api: AmpApi, node?: ProcessorNode | string): Promise<RpmsgTerminal> {
  const n = api.terminals.length;
  await vscode.commands.executeCommand('amp.openTerminal', node);
  const pty = await eventually('the terminal', () => (api.terminals.length > n ? api.terminals[api.terminals.length - 1] : undefined));
  // VS Code opens the pty once the terminal is shown; input before that would be lost.
  return eventually('the terminal open', () => (pty.transcript.includes('[AMP]') ? pty : undefined));
}

/** Types into the VS Code terminal running `pty`, as the keyboard would. */
export function typeInto(pty: RpmsgTerminal, text: string): void {
  const terminal = vscode.window.terminals.find((t) => (t.creationOptions as vscode.ExtensionTerminalOptions).pty === pty);
  assert.ok(terminal, 'the VS Code terminal of the pty');
  terminal.sendText(text, false);
}
