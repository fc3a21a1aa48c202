// Everything a command touches of the outside world, so commands run in-process in tests.
import * as fs from 'fs';
import * as path from 'path';

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
    readFile: readBounded,
    stdin: process.stdin,
  };
}

/** Larger than any firmware image; a bound so `/dev/zero` or a huge file cannot exhaust memory. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

function tooLarge(p: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${p}: File too large`), { code: 'EFBIG' });
}

/** Reads a file or a stream-like path (`/dev/stdin`, a FIFO) up to MAX_INPUT_BYTES. */
async function readBounded(p: string): Promise<Uint8Array> {
  const st = await fs.promises.stat(p);
  if (st.isFile()) {
    if (st.size > MAX_INPUT_BYTES) throw tooLarge(p);
    return new Uint8Array(await fs.promises.readFile(p));
  }
  if (st.isDirectory()) throw Object.assign(new Error(`${p}: Is a directory`), { code: 'EISDIR' });
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of fs.createReadStream(p)) {
    total += (chunk as Buffer).length;
    if (total > MAX_INPUT_BYTES) throw tooLarge(p);
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

export type ReadResult = { readonly bytes: Uint8Array } | { readonly error: string };

/** A FILE argument of `command`, relative to the working directory; failures are reported on stderr. */
export async function readInput(io: CliIO, command: string, file: string): Promise<ReadResult> {
  try {
    return { bytes: await io.readFile(path.resolve(io.cwd, file)) };
  } catch (e) {
    const error = fileErrorReason(e);
    io.stderr(`ampw ${command}: cannot read '${file}': ${error}\n`);
    return { error };
  }
}

/** `ENOENT: no such file or directory` rather than Node's full sentence with the path repeated. */
export function fileErrorReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'No such file or directory';
  if (err.code === 'EACCES') return 'Permission denied';
  if (err.code === 'EISDIR') return 'Is a directory';
  if (err.code === 'EFBIG') return `File too large (over ${MAX_INPUT_BYTES / (1024 * 1024)} MiB)`;
  return err.message ?? String(e);
}
