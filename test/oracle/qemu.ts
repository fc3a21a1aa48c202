// Runs a bare Cortex-M4 program under QEMU's mps2-an386 (a Cortex-M4F) with semihosting: the judge
// our core is compared with. Semihosting output goes to a stdio character device, so stdout holds
// exactly what the program wrote.
import { execFile } from 'child_process';
import type { ProgramRun } from './programRun';
import { toolAvailable } from './toolAvailable';

export const QEMU = 'qemu-system-arm';

/** True when qemu-system-arm runs here (scripts/setup.sh installs it). */
export function qemuAvailable(): boolean {
  return toolAvailable(QEMU);
}

export function qemuArgs(elfPath: string): string[] {
  return ['-M', 'mps2-an386', '-display', 'none', '-serial', 'null', '-monitor', 'none', '-chardev', 'stdio,id=semihosting',
    '-semihosting-config', 'enable=on,target=native,chardev=semihosting', '-kernel', elfPath];
}

export function runOnQemu(elfPath: string, opts: { timeoutMs?: number } = {}): Promise<ProgramRun> {
  const timeout = opts.timeoutMs ?? 20000;
  return new Promise((resolve, reject) => {
    execFile(QEMU, qemuArgs(elfPath), { timeout, maxBuffer: 64 << 20, encoding: 'latin1' }, (err, stdout, stderr) => {
      if (!err) return resolve({ stdout, exitCode: 0, reason: 'exit' });
      const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean; signal?: string };
      if (e.killed || e.signal) return resolve({ stdout, exitCode: -1, reason: `${QEMU} stopped after ${timeout} ms (${e.signal ?? 'killed'})` });
      if (typeof e.code === 'number') return resolve({ stdout, exitCode: e.code, reason: stderr.trim() ? `exit; ${stderr.trim()}` : 'exit' });
      reject(new Error(`cannot run ${QEMU}: ${e.message}`));
    });
  });
}
