// Small helpers shared by the integration suites.
import * as vscode from 'vscode';
import type { AmpApi } from '../../../src/extension/extension';
import type { ValidateResult } from '../../../src/extension/validateCommand';

export const EXTENSION_ID = 'amp-workbench.amp-workbench';
export const EXAMPLE_ELF = 'examples/stm32mp157/rproc-m4-fw.elf';

export function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the integration tests need the project root open as the workspace');
  return vscode.Uri.joinPath(folder.uri, relative);
}

export function validate(arg?: vscode.Uri): Thenable<ValidateResult | undefined> {
  return vscode.commands.executeCommand<ValidateResult | undefined>('amp.validate', arg);
}

export async function ampApi(): Promise<AmpApi> {
  const ext = vscode.extensions.getExtension<AmpApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

/** Polls until check() gives a value other than undefined, or fails after ms. */
export async function eventually<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 10000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The text of the "AMP" log channel as VS Code wrote it to disk. */
export async function ampLogText(): Promise<string> {
  const { logUri } = await ampApi();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(logUri, 'AMP.log')));
  } catch {
    return '';
  }
}

/** Waits until the AMP log has a line containing every one of parts, and returns that line. */
export function ampLogLine(...parts: string[]): Promise<string> {
  return eventually(`an AMP log line with ${JSON.stringify(parts)}`, async () =>
    (await ampLogText()).split('\n').find((l) => parts.every((p) => l.includes(p))));
}
