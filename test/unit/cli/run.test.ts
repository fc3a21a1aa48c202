// `ampw run`: loading, reset from the vector table, and the exit statuses of every way a run ends.
// The bare-m4 fixtures are real ELFs built from C; until the instruction side is plugged in, the
// paths that need instructions executed use a small stand-in executor written against the interface.
import assert from 'assert';
import { runCommandWith, RUN_STATUS } from '../../../src/cli/commands/run';
import type { ExecutorFactory } from '../../../src/core/cpu/armv7m/cortexM4';
import { ABORT } from '../../../src/core/cpu/armv7m/cpuBus';
import type { CliIO } from '../../../src/cli/io';
import { FIXTURE_BUILD_DIR, fixture } from '../../fixtures/fixtures';
import { ampw } from './cliHarness';

const run = (...args: string[]) => ampw(['run', ...args], { cwd: FIXTURE_BUILD_DIR });

/** Runs the command over a given executor, in-process. */
async function runWith(factory: ExecutorFactory, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    isTTY: false,
    env: {},
    cwd: FIXTURE_BUILD_DIR,
    readFile: async (p) => new Uint8Array(await import('fs').then((fs) => fs.promises.readFile(p))),
  };
  const code = await runCommandWith(factory).run(args, io);
  return { code, stdout, stderr };
}

/** An executor that retires one 1-cycle instruction per step without looking at it: a program that never ends. */
const spinning: ExecutorFactory = (state, _bus, hooks) => ({
  run(until) {
    do {
      state.cycles++;
      state.instructions++;
    } while (state.cycles < until && !hooks.attention);
  },
  flush: () => undefined,
});

/** An executor whose every instruction stores below SP, as a handler's `sub sp, #8; strd` does. */
const storing: ExecutorFactory = (state, bus) => ({
  run() {
    try {
      bus.write32(state.r[13] - 8, 0);
      state.instructions++;
    } catch (e) {
      if (e !== ABORT) throw e;
    }
    state.cycles++;
  },
  flush: () => undefined,
});

/** An executor whose first instruction is a semihosting call: writes R1's string, then exits with `code`. */
function semihostingExit(code: number): ExecutorFactory {
  return (state, bus, hooks) => ({
    run() {
      const block = 0x8000;
      const text = new TextEncoder().encode('out\n\0');
      text.forEach((b, i) => bus.write8(block + 0x10 + i, b));
      state.r[0] = 0x04;
      state.r[1] = block + 0x10;
      hooks.bkpt(0xab);
      bus.write32(block, 0x20026);
      bus.write32(block + 4, code);
      state.r[0] = 0x20;
      state.r[1] = block;
      hooks.bkpt(0xab);
      state.cycles += 2;
      state.instructions += 2;
    },
    flush: () => undefined,
  });
}

describe('cli: ampw run', () => {
  it('a fault whose handler is not a Thumb address: exit 126 and the fault decoded', async () => {
    const r = await run('--board', 'stm32mp157', 'bare-no-handler.elf');
    assert.strictEqual(r.code, RUN_STATUS.fault);
    assert.strictEqual(r.stdout, '');
    assert.strictEqual(
      r.stderr,
      'ampw run: bare-no-handler.elf: HardFault at PC 0x00000040; HFSR FORCED; CFSR 0x00020000 (INVSTATE): no handler (vector 0x00000040 is not a Thumb address)\n',
    );
  });

  it('an unmapped initial stack: HardFault is entered despite STKERR, and its first store locks up (exit 125)', async () => {
    const r = await runWith(storing, ['--board', 'stm32mp157', fixture('bare-bad-stack')]);
    assert.strictEqual(r.code, RUN_STATUS.lockup);
    assert.strictEqual(
      r.stderr,
      `ampw run: ${fixture('bare-bad-stack')}: lockup at PC 0x00000064; HFSR FORCED; CFSR 0x00029200 (PRECISERR STKERR BFARVALID INVSTATE); BFAR 0x7fffffd8\n`, // the address QEMU reports too
    );
  });

  it('loads the segments and resets from the vector table: the core reaches the reset handler', async () => {
    const r = await run('--board', 'stm32mp157', 'bare-exit-7.elf');
    // No instruction executor in this build: it halts on the first instruction of reset_handler.
    assert.strictEqual(r.code, RUN_STATUS.halt);
    assert.match(r.stderr, /halted at PC 0x00000044: no instruction executor/);
  });

  it('the reset vector without the Thumb bit goes to the HardFault handler (INVSTATE, FORCED)', async () => {
    const r = await run('--board', 'stm32mp157', '--trace', 'bare-reset-no-thumb.elf');
    assert.strictEqual(r.code, RUN_STATUS.halt);
    assert.match(r.stderr, /^0x00000040 {2}f000 b800\n0x00000064 {2}b082\n/, 'trace: the reset address (b.w, two halfwords), then the handler');
    assert.match(r.stderr, /halted at PC 0x00000064/, 'in hardfault_handler');
  });

  it("the program's SYS_EXIT_EXTENDED code is the exit status; its output goes to stdout", async () => {
    const r = await runWith(semihostingExit(7), ['--board', 'stm32mp157', fixture('bare-exit-7')]);
    assert.deepStrictEqual([r.code, r.stdout, r.stderr], [7, 'out\n', '']);
    assert.strictEqual((await runWith(semihostingExit(0x1ff), ['--board', 'stm32mp157', fixture('bare-exit-7')])).code, 0xff, 'modulo 256');
  });

  it('--max-instructions N: exactly N instructions, then exit 124', async () => {
    const r = await runWith(spinning, ['--board', 'stm32mp157', '--max-instructions', '2500000', fixture('bare-exit-7')]);
    assert.strictEqual(r.code, RUN_STATUS.budget);
    assert.strictEqual(r.stderr, `ampw run: ${fixture('bare-exit-7')}: stopped after 2500000 instructions (--max-instructions) at PC 0x00000044\n`);
  });

  it('usage errors: a core whose CPU is not modelled, no board, a bad budget, a file that is not an ARM ELF or does not fit', async () => {
    const cases: [string[], RegExp][] = [
      [['--board', 'am64x', 'bare-exit-7.elf'], /core 'r5f0_0' of am64x is a cortex-r5f, whose CPU is not modelled/],
      [['--board', 'zynqmp', '--core', 'r5_0', 'bare-exit-7.elf'], /cortex-r5f, whose CPU is not modelled/],
      [['bare-exit-7.elf'], /option '--board' is required/],
      [['--board', 'stm32mp157', '--max-instructions', '0', 'bare-exit-7.elf'], /'--max-instructions' needs a positive integer \(got '0'\)/],
      [['--board', 'stm32mp157', 'aarch64.elf'], /aarch64\.elf: not a little-endian 32-bit ARM ELF \(class 64/],
      [['--board', 'stm32mp157', 'rproc-r5_0-fw.elf'], /rproc-r5_0-fw\.elf: bad phdr da 0x3ed00000/],
      [['--board', 'stm32mp157', 'no-loadable-segments.elf'], /no loadable segments/],
      [['--board', 'stm32mp157', 'missing.elf'], /cannot read 'missing\.elf': No such file or directory/],
    ];
    for (const [args, message] of cases) {
      const r = await run(...args);
      assert.strictEqual(r.code, 2, args.join(' '));
      assert.match(r.stderr, message, args.join(' '));
    }
  });

  it('is listed in ampw --help', async () => {
    const r = await ampw(['--help']);
    assert.match(r.stdout, /^ {2}run +Run a bare program on a core without the Linux host/m);
  });
});
