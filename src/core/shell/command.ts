// What a shell command is given (arguments, the tree, standard input and output) and returns
// (its exit status); the utilities and the rpmsg tools implement it.
import type { AmpSystem } from '../system';
import type { FileTree } from './fileTree';

/** The host machine's disk, as `cp` needs it. Throws KernelError('ENOENT'...) when unreadable. */
export interface HostDisk {
  readFile(path: string): Uint8Array;
}

export interface CommandContext {
  readonly system: AmpSystem;
  readonly files: FileTree;
  readonly disk: HostDisk;
  /** Standard output of the command (a redirect collects it). */
  out(text: string | Uint8Array): void;
  err(text: string): void;
  /** Resolves a path against the working directory. */
  path(p: string): string;
  /** What the previous command of a pipeline wrote; undefined when not in a pipeline. */
  readonly stdin: Uint8Array | undefined;
}

export type Command = (args: string[], ctx: CommandContext) => number;
