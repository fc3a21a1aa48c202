// "AMP: Validate Firmware ELF": runs the core validator on one ELF for the configured board and core,
// writes every finding to the "AMP" log channel and returns them.
import * as vscode from 'vscode';
import type { Finding } from '../core/findings';
import { validateFirmware } from '../core/rsc/validate';
import { boardFromSettings } from './boardSetting';
import { pickElf } from './pickElf';

export interface ValidateResult {
  /** Path of the ELF, relative to the workspace when inside it. */
  readonly file: string;
  readonly board: string;
  readonly core: string;
  /** True when the kernel would boot it: no finding is an error. */
  readonly ok: boolean;
  readonly findings: readonly Finding[];
}

export function registerValidateCommand(log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand('amp.validate', (arg?: unknown) => validate(log, arg));
}

async function validate(log: vscode.LogOutputChannel, arg: unknown): Promise<ValidateResult | undefined> {
  const uri = await pickElf(arg);
  if (!uri) return undefined;
  const file = vscode.workspace.asRelativePath(uri);
  const choice = boardFromSettings();
  if ('error' in choice) return refuse(log, choice.error);
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    return refuse(log, `cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { board, core } = choice;
  log.info(`validate ${file} for board ${board.id}, core ${core.id} (${bytes.length} bytes)`);
  const { findings, ok } = validateFirmware(bytes, { board, core });
  for (const f of findings) writeFinding(log, file, f);
  const summary = summarize(file, ok, findings);
  log.info(summary);
  // Not awaited: the command's result must not wait for the user to dismiss a notification.
  void notify(findings, `AMP: ${summary}`).then((button) => button && log.show(true));
  return { file, board: board.id, core: core.id, ok, findings };
}

function notify(findings: readonly Finding[], message: string): Thenable<string | undefined> {
  const has = (s: Finding['severity']): boolean => findings.some((f) => f.severity === s);
  if (has('error')) return vscode.window.showErrorMessage(message, 'Show Output');
  // The kernel boots it but logs a complaint (a table it ignores, a vdev it skips): worth a look.
  if (has('warning')) return vscode.window.showWarningMessage(message, 'Show Output');
  return vscode.window.showInformationMessage(message, 'Show Output');
}

function writeFinding(log: vscode.LogOutputChannel, file: string, f: Finding): void {
  const where = [f.entry !== undefined ? `entry ${f.entry}` : '', f.offset !== undefined ? `offset 0x${f.offset.toString(16)}` : '',
    f.kernelFunction ?? ''].filter(Boolean).join(', ');
  const line = `${file}: ${f.rule}: ${f.message}${where ? ` (${where})` : ''}`;
  if (f.severity === 'error') log.error(line);
  else if (f.severity === 'warning') log.warn(line);
  else log.info(line);
}

function summarize(file: string, ok: boolean, findings: readonly Finding[]): string {
  const count = (s: Finding['severity']): number => findings.filter((f) => f.severity === s).length;
  const errors = count('error');
  const warnings = count('warning');
  const verdict = ok ? 'the kernel would boot it' : 'the kernel would refuse it';
  return `${file}: ${verdict} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})`;
}

function refuse(log: vscode.LogOutputChannel, message: string): undefined {
  log.error(message);
  void vscode.window.showErrorMessage(`AMP: ${message}`);
  return undefined;
}
