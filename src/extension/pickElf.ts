// Which ELF a command works on: the one it was given, else the one in the active editor, else the
// user's pick among the workspace's ELFs.
import * as vscode from 'vscode';

const ELF_GLOB = '**/*.elf';
// Dependency and tool folders hold thousands of files and no firmware of the user's.
const EXCLUDE_GLOB = '**/{node_modules,.git,.vscode-test}/**';

export async function pickElf(arg: unknown, placeHolder = 'Firmware ELF to validate'): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = activeTabUri();
  if (active && active.path.toLowerCase().endsWith('.elf')) return active;
  const found = await vscode.workspace.findFiles(ELF_GLOB, EXCLUDE_GLOB, 2000);
  if (found.length === 0) {
    void vscode.window.showWarningMessage('AMP: no *.elf file in the workspace. Open a firmware ELF first.');
    return undefined;
  }
  const items = found
    .map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const picked = await vscode.window.showQuickPick(items, { placeHolder });
  return picked?.uri;
}

// A tab rather than activeTextEditor: an ELF opens in the binary placeholder or a custom editor,
// neither of which is a text editor.
function activeTabUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri;
  return undefined;
}
