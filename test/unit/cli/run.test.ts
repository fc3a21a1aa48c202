// `ampw run`: loading, reset from the vector table, and the exit statuses of every way a run ends.
// The bare-m4 fixtures are real ELFs built from C, whose outcomes were checked against QEMU.
import assert from 'assert';
import { RUN_STATUS } from '../../../src/cli/commands/run';
import { FIXTURE_BUILD_DIR } from '../../fixtures/fixtures';
import { ampw } from './cliHarness';

const run = (...args: string[]) => ampw(['run', ...args], { cwd: FIXTURE_BUILD_DIR });

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
    const r = await run('--board', 'stm32mp157', 'bare-bad-stack.elf');
    assert.strictEqual(r.code, RUN_STATUS.lockup);
    assert.strictEqual(
      r.stderr,
      'ampw run: bare-bad-stack.elf: lockup at PC 0x00000070; HFSR FORCED; CFSR 0x00029200 (PRECISERR STKERR BFARVALID INVSTATE); BFAR 0x7fffffd8\n', // the address QEMU reports too
    );
  });

  it('the reset vector without the Thumb bit goes to the HardFault handler (INVSTATE, FORCED), which exits 99 as on QEMU; --trace lists each instruction', async () => {
    const r = await run('--board', 'stm32mp157', '--trace', 'bare-reset-no-thumb.elf');
    assert.strictEqual(r.code, 99);
    assert.strictEqual(r.stdout, 'HardFault\n');
    // trace: nothing runs at the reset address (INVSTATE before it executes), then every
    // instruction of the handler up to its SYS_EXIT_EXTENDED, a 32-bit one as its two halfwords
    const handler = ['64  b082', '66  2004', '68  4904', '6a  beab', '6c  4a04', '6e  2363', '70  e9cd 2300', '74  2020', '76  4669', '78  beab'];
    assert.strictEqual(r.stderr, handler.map((l) => `0x000000${l}\n`).join(''));
  });

  it("the program's SYS_EXIT_EXTENDED code is the exit status; its output goes to stdout", async () => {
    const r = await run('--board', 'stm32mp157', 'bare-exit-7.elf');
    assert.deepStrictEqual([r.code, r.stdout, r.stderr], [7, 'hello from the M4\n', '']);
  });

  it('--max-instructions N: stops once N instructions have run, exit 124', async () => {
    const r = await run('--board', 'stm32mp157', '--max-instructions', '2500000', 'cpu/bench.elf');
    assert.strictEqual(r.code, RUN_STATUS.budget);
    const m = /^ampw run: cpu\/bench\.elf: stopped after (\d+) instructions \(--max-instructions\) at PC 0x[0-9a-f]{8}\n$/.exec(r.stderr);
    assert.ok(m, r.stderr);
    assert.ok(Number(m[1]) >= 2500000 && Number(m[1]) < 2500000 + 64, `within one block of the budget: ${m[1]}`);
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

  it("what the STM32MP157's UART4 transmits goes to stdout; --unmodelled takes only 'ignore' or 'fault'", async () => {
    const r = await run('--board', 'stm32mp157', 'periph-m4.elf'); // sleeps: nothing raises the IPCC interrupt it waits for
    assert.strictEqual(r.code, RUN_STATUS.sleep);
    assert.strictEqual(r.stdout, 'hello from UART4\nRCC_MC_AHB3ENSETR = 0x00001800\n');
    const bad = await run('--board', 'stm32mp157', '--unmodelled', 'warn', 'periph-m4.elf');
    assert.strictEqual(bad.code, RUN_STATUS.usage);
    assert.match(bad.stderr, /option '--unmodelled' needs 'ignore' or 'fault' \(got 'warn'\)/);
  });

  it('a WWDG1 reset resets the core, says so on stderr, and the run goes on to the restarted program\'s exit', async () => {
    const r = await run('--board', 'stm32mp157', 'wwdg-m4.elf');
    assert.strictEqual(r.code, 0);
    assert.strictEqual(r.stderr, 'ampw run: WWDG1 reset the MCU: the counter reached 0x3f\n');
    assert.match(r.stdout, /^refreshes = 0x00000005\nEWI at WWDG_CR = 0x000000c0\nRCC_MC_RSTSCLRR = 0x00000415\n/m);
  });

  it('is listed in ampw --help', async () => {
    const r = await ampw(['--help']);
    assert.match(r.stdout, /^ {2}run +Run a bare program on a core without the Linux host/m);
  });
});
