// Runs `ampw` in-process with captured output, a chosen terminal-ness and environment, and real files.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly isTTY?: boolean;
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
}

export async function ampw(args: string[], opts: RunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    isTTY: opts.isTTY ?? false,
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    readFile: async (p) => new Uint8Array(await fs.promises.readFile(p)),
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** A temporary directory holding the given files; removed by the returned function. */
export function tempDir(files: Record<string, Uint8Array | string>): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ampw-cli-'));
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
