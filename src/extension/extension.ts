// VS Code glue for AMP Workbench: activation wires the commands to the core. No domain logic here.
import * as vscode from 'vscode';
import { registerValidateCommand } from './validateCommand';
import { registerDebugger } from './debug';
import { registerFaces, type Faces } from './faces';
import { registerFirmwareDiagnostics } from './diagnostics/codeActions';
import { registerResourceTable } from './panel/resourceTableEditor';

/** What activate() returns to other extensions and to the integration tests. */
export interface AmpApi extends Faces {
  /** Folder of this extension's logs; the "AMP" channel writes `AMP.log` there. */
  readonly logUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): AmpApi {
  const log = vscode.window.createOutputChannel('AMP', { log: true });
  context.subscriptions.push(log, registerValidateCommand(log));
  context.subscriptions.push(registerDebugger());
  context.subscriptions.push(registerResourceTable(context, log), registerFirmwareDiagnostics());
  const faces = registerFaces(context, log);
  return { logUri: context.logUri, ...faces };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
