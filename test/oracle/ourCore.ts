// Runs a bare program on our Cortex-M4 the way a user would: `ampw run --board stm32mp157 --core m4`,
// in-process. Every oracle comparison goes through this one function.
import { COMMANDS } from '../../src/cli/main';
import { ampw } from '../unit/cli/cliHarness';
import type { ProgramRun } from './programRun';

/** True once `ampw run` exists (the sys part of issue 12); until then the core-side suites skip. */
export function ourCoreAvailable(): boolean {
  return COMMANDS.some((c) => c.name === 'run');
}

export async function runOnOurCore(elfPath: string, opts: { maxInstructions?: number } = {}): Promise<ProgramRun> {
  const limit = opts.maxInstructions === undefined ? [] : ['--max-instructions', String(opts.maxInstructions)];
  const run = await ampw(['run', '--board', 'stm32mp157', '--core', 'm4', ...limit, elfPath]);
  const lines = run.stderr.trim().split('\n');
  return { stdout: run.stdout, exitCode: run.code, reason: run.stderr.trim() ? lines[lines.length - 1] : 'exit' };
}
