// Code actions on the C source of a firmware's resource table: open the panel at the finding, and
// where the board says what the value must be, the edit that sets it.
import * as vscode from 'vscode';
import { FirmwareDiagnostics } from './firmwareDiagnostics';

export class FirmwareCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: FirmwareDiagnostics) {}

  provideCodeActions(_document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== 'amp' || typeof d.code !== 'object' || !(d.code.target instanceof vscode.Uri)) continue;
      const link = d.code.target;
      const fix = this.diagnostics.fixFor(link.toString());
      if (fix) {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(fix.uri, fix.range, fix.newText);
        const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        a.edit = edit;
        a.diagnostics = [d];
        a.isPreferred = true;
        actions.push(a);
      }
      const show = new vscode.CodeAction(`Show ${d.code.value} in the resource table`, vscode.CodeActionKind.QuickFix);
      const args = commandArgs(link);
      show.command = { command: 'amp.showResourceTable', title: show.title, arguments: args };
      show.diagnostics = [d];
      actions.push(show);
    }
    return actions;
  }
}

/** Problems for the workspace's ELFs, their code actions, and a first scan once activation is done. */
export function registerFirmwareDiagnostics(): vscode.Disposable {
  const diagnostics = new FirmwareDiagnostics();
  const provider = vscode.languages.registerCodeActionsProvider([{ scheme: 'file', language: 'c' }, { scheme: 'file', language: 'cpp' }], new FirmwareCodeActions(diagnostics), {
    providedCodeActionKinds: FirmwareCodeActions.kinds,
  });
  // Not awaited: activation must not wait for the workspace to be searched.
  diagnostics.rescan().catch(() => undefined);
  return vscode.Disposable.from(diagnostics, provider);
}

/** The arguments of a command URI: its query is JSON (decoded by Uri, or still percent-encoded). */
function commandArgs(link: vscode.Uri): unknown[] {
  try {
    return JSON.parse(link.query) as unknown[];
  } catch {
    return JSON.parse(decodeURIComponent(link.query)) as unknown[];
  }
}
