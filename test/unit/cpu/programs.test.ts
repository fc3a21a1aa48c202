// The CPU test programs (test/fixtures/cpu) run on our core and on QEMU's Cortex-M4F
// (mps2-an386): the same ELF must print the same lines and exit the same way.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { loadElf, machine, runUntilStop } from './testMachine';

const BUILD = path.resolve(__dirname, '../../../../test/fixtures/build');

export function qemuRun(elf: string): { out: string; status: number | null } {
  const r = spawnSync('qemu-system-arm', ['-M', 'mps2-an386', '-nographic', '-semihosting-config', 'enable=on,target=native', '-kernel', elf], {
    encoding: 'utf8',
    timeout: 60000,
  });
  if (r.error) throw new Error(`qemu-system-arm: ${r.error.message} (scripts/setup.sh installs it)`);
  // semihosting's console is QEMU's stderr when stdout is not a terminal
  return { out: r.stdout + r.stderr, status: r.status };
}

describe('cpu: test programs against QEMU', () => {
  for (const name of ['integer', 'dsp', 'fp']) {
    it(`cpu-${name}.elf prints what QEMU prints`, () => {
      const elf = path.join(BUILD, `cpu-${name}.elf`);
      const m = machine();
      loadElf(m, elf);
      runUntilStop(m, 50_000_000);
      assert.strictEqual(m.hooks.stop, 'exit', `stopped by ${m.hooks.stop} after ${m.state.instructions} instructions`);
      const q = qemuRun(elf);
      assert.strictEqual(m.hooks.output, q.out);
      assert.strictEqual(m.hooks.exitCode, q.status);
      assert.ok(m.hooks.output.split('\n').length > 3, m.hooks.output);
    });
  }
});
