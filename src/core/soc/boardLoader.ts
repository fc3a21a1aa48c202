// Where boards come from: the ones bundled with the tool, a user's own JSON file, and the
// `.amp/boards/*.json` files of a workspace. All go through the same schema check.
import * as fs from 'fs';
import * as path from 'path';
import type { Board } from './board';
import { BoardSchemaError, parseBoard } from './boardSchema';
import stm32mp157 from './boards/stm32mp157.json';
import am64x from './boards/am64x.json';
import zynqmp from './boards/zynqmp.json';

export { BoardSchemaError, parseBoard } from './boardSchema';
export type { SchemaIssue } from './boardSchema';

const BUILTIN: readonly [string, unknown][] = [
  ['stm32mp157.json', stm32mp157],
  ['am64x.json', am64x],
  ['zynqmp.json', zynqmp],
];

let builtin: readonly Board[] | undefined;

/** The boards shipped with AMP Workbench, in a stable order. */
export function builtinBoards(): readonly Board[] {
  builtin ??= BUILTIN.map(([file, json]) => parseBoard(json, `builtin:${file}`));
  return builtin;
}

export function findBoard(id: string): Board | undefined {
  return builtinBoards().find((b) => b.id === id);
}

export type ReadText = (file: string) => string;

/** Far above any board (the builtin ones are a few KiB); keeps a stray huge file from being read whole. */
export const MAX_BOARD_FILE_BYTES = 4 * 1024 * 1024;

const readUtf8: ReadText = (file) => {
  const size = fs.statSync(file).size;
  if (size > MAX_BOARD_FILE_BYTES) throw new BoardSchemaError(file, [{ path: '', reason: `${size} bytes is too large for a board file (at most ${MAX_BOARD_FILE_BYTES})` }]);
  return fs.readFileSync(file, 'utf8');
};

/** A board from the text of a JSON file named `source`. */
export function parseBoardText(text: string, source: string): Board {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new BoardSchemaError(source, [{ path: '', reason: `not valid JSON: ${(e as Error).message}` }]);
  }
  return parseBoard(json, source);
}

/** A board from a JSON file; file-system errors propagate as they are, bad content is a BoardSchemaError. */
export function loadBoardFile(file: string, read: ReadText = readUtf8): Board {
  return parseBoardText(read(file), file);
}

/** The directory of a workspace's own boards. */
export function workspaceBoardDir(root: string): string {
  return path.join(root, '.amp', 'boards');
}

export interface WorkspaceBoards {
  readonly boards: readonly Board[];
  /** Files that did not load, with why; one bad file does not hide the others. */
  readonly errors: readonly Error[];
}

/** Every `.amp/boards/*.json` under `root`, sorted by file name. */
export function workspaceBoards(root: string): WorkspaceBoards {
  const dir = workspaceBoardDir(root);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return { boards: [], errors: [] };
  }
  const boards: Board[] = [];
  const errors: Error[] = [];
  for (const n of names) {
    try {
      boards.push(loadBoardFile(path.join(dir, n)));
    } catch (e) {
      errors.push(e as Error);
    }
  }
  return { boards, errors };
}
