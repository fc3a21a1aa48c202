// Shared by the suites of the session-backed faces (commands, tree, terminal, log): a fresh
// session on a known board and firmware, and the commands' typed results.
import * as vscode from 'vscode';
import type { ActionResult } from '../../../src/extension/session';
import type { AmpApi } from '../../../src/extension/extension';
import { EXAMPLE_ELF, ampApi } from './helpers';

const KEYS = ['board', 'core', 'firmware', 'seed', 'recovery', 'earlyBoot'] as const;

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

export async function clearSettings(): Promise<void> {
  const config = vscode.workspace.getConfiguration('amp');
  for (const k of KEYS) if (config.inspect(k)?.globalValue !== undefined) await config.update(k, undefined, vscode.ConfigurationTarget.Global);
}

export function act(command: string, ...args: unknown[]): Thenable<ActionResult | undefined> {
  return vscode.commands.executeCommand<ActionResult | undefined>(command, ...args);
}
