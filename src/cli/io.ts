// Everything a command touches of the outside world, so commands run in-process in tests.
import * as fs from 'fs';

export interface CliIO {
  stdout(s: string): void;
  stderr(s: string): void;
  /** stdout is a terminal: colour is allowed. */
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readFile(path: string): Promise<Uint8Array>;
  /** Standard input, for commands that read scripts or lines (`isTTY` when a person types). */
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
}

export function processIO(): CliIO {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    readFile: async (p) => new Uint8Array(await fs.promises.readFile(p)),
    stdin: process.stdin,
  };
}

/** `ENOENT: no such file or directory` rather than Node's full sentence with the path repeated. */
export function fileErrorReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'No such file or directory';
  if (err.code === 'EACCES') return 'Permission denied';
  if (err.code === 'EISDIR') return 'Is a directory';
  return err.message ?? String(e);
}
