// Reads an ELF and builds the panel's snapshot for the board and core of the settings.
import * as vscode from 'vscode';
import { TableView, tableView } from '../../core/rsc/tableView';
import { boardFromSettings } from '../boardSetting';

/** As the CLI: a firmware image is far smaller; a bigger file is refused before it is read. */
const MAX_ELF_BYTES = 256 * 1024 * 1024;

export type LoadedView = { view: TableView; bytes: Uint8Array } | { file: string; reason: string };

export async function loadTableView(uri: vscode.Uri): Promise<LoadedView> {
  const file = vscode.workspace.asRelativePath(uri);
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_ELF_BYTES) return { file, reason: `File too large: ${stat.size} bytes (at most ${MAX_ELF_BYTES})` };
    const bytes = await vscode.workspace.fs.readFile(uri);
    const choice = boardFromSettings();
    // An unusable board setting still shows the table: the board-free checks hold anyway.
    const opts = 'error' in choice ? {} : choice;
    return { view: tableView(file, bytes, opts), bytes };
  } catch (e) {
    return { file, reason: `cannot read ${file}: ${e instanceof Error ? e.message : String(e)}` };
  }
}
