// Where a command stores a setting it changes: where the user already set it (workspace or folder),
// else the user settings, so running a command never creates a .vscode folder in the project.
import * as vscode from 'vscode';

export function settingsTarget(key: string): vscode.ConfigurationTarget {
  const i = vscode.workspace.getConfiguration('amp').inspect(key);
  if (i?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (i?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}
