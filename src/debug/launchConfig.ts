// A `type: amp` launch configuration turned into what the runtime needs, with clear errors for
// what a user can get wrong: no program, a file that is not there, a board nobody knows.
import * as fs from 'fs';
import * as path from 'path';
import type { Board } from '../core/soc/board';
import { BoardSchemaError, builtinBoards, findBoard, loadBoardFile, workspaceBoards } from '../core/soc/boardLoader';
import { readRemoteChoice } from '../common/remoteChoice';
import { LaunchError, type RuntimeOptions } from './lifecycleRuntime';
import type { LaunchMode } from './lifecycleSource';

/** The attributes of `launch.json` (package.json's configurationAttributes says the same). */
export interface AmpLaunchArguments {
  /** The firmware ELF. */
  readonly program?: unknown;
  /** Board id (`stm32mp157`, `am64x`, `zynqmp`, one of `.amp/boards`) or a board .json file. */
  readonly board?: unknown;
  /** Remote core id (`m4`, `r5f0_0`, `r5_0`); the board's first when absent. */
  readonly core?: unknown;
  readonly stopOnEntry?: unknown;
  readonly seed?: unknown;
  /** `firmware` (the firmware's code where the CPU is modelled) or a stand-in application (`tty`, ...). */
  readonly remoteApp?: unknown;
  /** `ignore` or `fault`: what an access to a peripheral no model serves does. */
  readonly unmodelledAccess?: unknown;
  /** false: a halted code thread halts its core alone, and the life cycle's runs run the host on (default true: the whole system halts). */
  readonly haltSystem?: unknown;
  /** Directory relative paths start from (the workspace folder). */
  readonly cwd?: unknown;
}

export const DEFAULT_BOARD = 'stm32mp157';

export interface ResolvedLaunch {
  readonly options: Omit<RuntimeOptions, 'defer'>;
  readonly stopOnEntry: boolean;
}

export function resolveLaunch(args: AmpLaunchArguments, mode: LaunchMode, fallbackCwd: string): ResolvedLaunch {
  const cwd = typeof args.cwd === 'string' && args.cwd ? args.cwd : fallbackCwd;
  if (typeof args.program !== 'string' || !args.program) throw new LaunchError('"program" must name the firmware ELF to debug (e.g. "${workspaceFolder}/build/firmware.elf")');
  const file = path.resolve(cwd, args.program);
  const data = readFile(file, `program '${args.program}'`);
  if (args.core !== undefined && typeof args.core !== 'string') throw new LaunchError('"core" must be a core id such as "m4"');
  if (args.seed !== undefined && !(typeof args.seed === 'number' && Number.isInteger(args.seed) && args.seed >= 0)) throw new LaunchError(`"seed" must be a non-negative integer (got ${JSON.stringify(args.seed)})`);
  const remote = readRemoteChoice(args.remoteApp, args.unmodelledAccess, { app: '"remoteApp"', unmodelled: '"unmodelledAccess"' });
  if ('error' in remote) throw new LaunchError(remote.error);
  if (args.haltSystem !== undefined && typeof args.haltSystem !== 'boolean') throw new LaunchError(`"haltSystem" must be true or false (got ${JSON.stringify(args.haltSystem)})`);
  const board = resolveBoard(args.board === undefined ? DEFAULT_BOARD : args.board, cwd);
  return {
    options: {
      mode,
      programName: file,
      data,
      board,
      core: args.core as string | undefined,
      seed: args.seed as number | undefined,
      remote,
      haltSystem: args.haltSystem as boolean | undefined,
      readHostFile: (p) => readFile(path.resolve(cwd, p), p),
    },
    stopOnEntry: args.stopOnEntry === true,
  };
}

function readFile(file: string, what: string): Uint8Array {
  try {
    return new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new LaunchError(`${what}: ${reason} (${file})`);
  }
}

function resolveBoard(spec: unknown, cwd: string): Board {
  if (typeof spec !== 'string' || !spec) throw new LaunchError('"board" must be a board id or the path of a board .json file');
  const known = findBoard(spec) ?? workspaceBoards(cwd).boards.find((b) => b.id === spec);
  if (known) return known;
  if (spec.endsWith('.json') || spec.includes('/') || spec.includes(path.sep)) {
    const file = path.resolve(cwd, spec);
    try {
      return loadBoardFile(file);
    } catch (e) {
      if (e instanceof BoardSchemaError) throw new LaunchError(`bad board file: ${e.message}`);
      throw new LaunchError(`board file '${spec}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
  }
  const ids = [...builtinBoards(), ...workspaceBoards(cwd).boards].map((b) => b.id);
  throw new LaunchError(`unknown board '${spec}' (known: ${ids.join(', ')}; or the path of a board .json file)`);
}
