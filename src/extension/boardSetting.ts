// The board and core the user chose in the settings `amp.board` and `amp.core`.
import * as vscode from 'vscode';
import type { Board, CoreDesc } from '../core/soc/board';
import { builtinBoards, findBoard } from '../core/soc/boardLoader';

export type BoardChoice = { board: Board; core: CoreDesc } | { error: string };

export function boardFromSettings(): BoardChoice {
  const config = vscode.workspace.getConfiguration('amp');
  const boardId = config.get<string>('board', 'stm32mp157');
  const board = findBoard(boardId);
  if (!board) {
    const known = builtinBoards().map((b) => b.id).join(', ');
    return { error: `unknown board '${boardId}' in setting amp.board (known: ${known})` };
  }
  const coreId = config.get<string>('core', '');
  const core = coreId ? board.cores.find((c) => c.id === coreId) : board.cores[0];
  if (!core) {
    const known = board.cores.map((c) => c.id).join(', ');
    return { error: `board ${board.id} has no core '${coreId}' (setting amp.core; cores: ${known})` };
  }
  return { board, core };
}
