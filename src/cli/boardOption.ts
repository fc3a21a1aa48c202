// `--board` and `--core`: a builtin board id, a board id from the workspace's `.amp/boards`, or
// the path of a board JSON file; the core defaults to the board's first.
import * as path from 'path';
import type { Board, CoreDesc } from '../core/soc/board';
import { builtinBoards, findBoard, parseBoardText, workspaceBoards } from '../core/soc/boardLoader';
import { UsageError } from './args';
import { fileErrorReason, type CliIO } from './io';

export interface BoardChoice {
  readonly board: Board;
  readonly core: CoreDesc;
}

/** Every board `--board` can name by id: builtin first, then the workspace's own. */
export function knownBoards(io: CliIO): { boards: Board[]; errors: Error[] } {
  const ws = workspaceBoards(io.cwd);
  return { boards: [...builtinBoards(), ...ws.boards], errors: [...ws.errors] };
}

const looksLikePath = (s: string) => s.includes('/') || s.includes(path.sep) || s.endsWith('.json');

/** Resolves the flags; a board that cannot be found or read is a usage error (exit 2), a bad board file a BoardSchemaError. */
export async function chooseBoard(io: CliIO, boardSpec: string | undefined, coreId: string | undefined): Promise<BoardChoice | undefined> {
  if (boardSpec === undefined) {
    if (coreId !== undefined) throw new UsageError("option '--core' needs '--board'");
    return undefined;
  }
  const board = findBoard(boardSpec) ?? workspaceBoards(io.cwd).boards.find((b) => b.id === boardSpec) ?? (looksLikePath(boardSpec) ? await readBoard(io, boardSpec) : undefined);
  if (!board) {
    const ids = knownBoards(io).boards.map((b) => b.id);
    throw new UsageError(`unknown board '${boardSpec}' (known: ${ids.join(', ')}; or give the path of a board .json file)`);
  }
  const core = coreId === undefined ? board.cores[0] : board.cores.find((c) => c.id === coreId);
  if (!core) throw new UsageError(`board '${board.id}' has no core '${coreId}' (cores: ${board.cores.map((c) => c.id).join(', ')})`);
  return { board, core };
}

async function readBoard(io: CliIO, file: string): Promise<Board> {
  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(path.resolve(io.cwd, file));
  } catch (e) {
    throw new UsageError(`cannot read board file '${file}': ${fileErrorReason(e)}`);
  }
  return parseBoardText(new TextDecoder().decode(bytes), file);
}
