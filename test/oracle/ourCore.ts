// Runs a bare program on our Cortex-M4 the way a user would: `ampw run --board stm32mp157 --core m4`,
// in-process. Every oracle comparison goes through this one function.
import { COMMANDS, main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';
import * as fs from 'fs';
import type { ProgramRun } from './programRun';

/** True once `ampw run` exists (the sys part of issue 12); until then the core-side suites skip. */
export function ourCoreAvailable(): boolean {
  return COMMANDS.some((c) => c.name === 'run');
}

export async function runOnOurCore(elfPath: string, opts: { maxInstructions?: number } = {}): Promise<ProgramRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    isTTY: false,
    env: {},
    cwd: process.cwd(),
    readFile: async (p) => new Uint8Array(await fs.promises.readFile(p)),
  };
  const limit = opts.maxInstructions === undefined ? [] : ['--max-instructions', String(opts.maxInstructions)];
  const exitCode = await main(['run', '--board', 'stm32mp157', '--core', 'm4', ...limit, elfPath], io);
  const lines = stderr.trim().split('\n');
  return { stdout, exitCode, reason: stderr.trim() ? lines[lines.length - 1] : 'exit' };
}
