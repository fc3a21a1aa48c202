// The board and core the user chose in the settings `amp.board` and `amp.core`: a bundled board or
// one of the workspace's `.amp/boards/*.json`, as for `ampw --board` and the debugger's `board`.
import * as vscode from 'vscode';
import type { Board, CoreDesc } from '../core/soc/board';
import { builtinBoards, workspaceBoards, type WorkspaceBoards } from '../core/soc/boardLoader';

export type BoardChoice = { board: Board; core: CoreDesc } | { error: string };

/** The bundled boards, then the workspace's own; `errors` holds the board files that did not load, with why. */
export function knownBoards(): WorkspaceBoards {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  // Board files are read from disk like ampw reads them; a virtual workspace has bundled boards only.
  const own = root?.scheme === 'file' ? workspaceBoards(root.fsPath) : { boards: [], errors: [] };
  return { boards: [...builtinBoards(), ...own.boards], errors: own.errors };
}

export function boardFromSettings(): BoardChoice {
  const config = vscode.workspace.getConfiguration('amp');
  const boardId = config.get<string>('board', 'stm32mp157');
  const { boards, errors } = knownBoards();
  const board = boards.find((b) => b.id === boardId);
  if (!board) {
    const known = boards.map((b) => b.id).join(', ');
    const bad = errors.map((e) => `; ${e.message.replace(/\n/g, '; ')}`).join('');
    return { error: `unknown board '${boardId}' in setting amp.board (known: ${known})${bad}` };
  }
  const coreId = config.get<string>('core', '');
  const core = coreId ? board.cores.find((c) => c.id === coreId) : board.cores[0];
  if (!core) {
    const known = board.cores.map((c) => c.id).join(', ');
    return { error: `board ${board.id} has no core '${coreId}' (setting amp.core; cores: ${known})` };
  }
  return { board, core };
}
