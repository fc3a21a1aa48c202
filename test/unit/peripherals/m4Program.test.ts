// The peripherals under real code: periph-m4.elf (test/fixtures/periph-m4/periph.c, built by
// arm-none-eabi-gcc) runs on the STM32MP157's M4, enables clocks, prints through UART4, sleeps until
// the test raises an IPCC RX interrupt from the host side, takes and gives a HSEM, and touches
// registers no model serves.
import assert from 'assert';
import { loadBareProgram, runBareProgram } from '../../../src/core/cpu/bareProgram';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { HSEM_LOCK, M4_CORE_ID } from '../../../src/core/soc/peripherals/hsem';
import { Firmware } from '../../../src/core/remoteproc/firmware';
import { readFixture } from '../../fixtures/fixtures';

const BUDGET = 1_000_000;

function load(unmodelled: 'ignore' | 'fault' = 'ignore') {
  const board = findBoard('stm32mp157');
  assert.ok(board);
  const out: number[] = [];
  const reports: string[] = [];
  const program = loadBareProgram(board, board.cores[0], new Firmware('periph-m4.elf', readFixture('periph-m4')), {
    console: (b) => out.push(...b),
    unmodelled,
    report: (l) => reports.push(l),
  });
  return { ...program, text: () => Buffer.from(out).toString('latin1'), reports };
}

describe('peripherals: a real M4 program', () => {
  it('enables clocks, prints through UART4, takes the IPCC RX interrupt the host raises, locks a HSEM; unmodelled accesses reported once', () => {
    const p = load();
    const { ipcc, rcc, hsem } = p.peripherals;
    assert.ok(ipcc && rcc && hsem);
    const hostSaw: number[] = [];
    ipcc.onRemoteSet = (ch) => hostSaw.push(ch);

    const first = runBareProgram(p, BUDGET);
    assert.strictEqual(first.kind, 'sleep'); // WFI, waiting for the host
    assert.strictEqual(p.text(), 'hello from UART4\nRCC_MC_AHB3ENSETR = 0x00001800\n');
    assert.ok(rcc.enabled('AHB3', 12) && rcc.enabled('AHB3', 11) && rcc.enabled('APB1', 16));

    ipcc.hostSet(1);
    const end = runBareProgram(p, BUDGET);
    assert.deepStrictEqual(end.kind, 'exit');
    assert.strictEqual(end.code, 0);
    assert.deepStrictEqual(hostSaw, [1]); // the handler's CHnS
    assert.strictEqual(ipcc.occupied(1, 1), false); // and its CHnC
    const HSEM_M4 = (HSEM_LOCK | (M4_CORE_ID << 8)) >>> 0;
    assert.strictEqual(
      p.text(),
      [
        'hello from UART4',
        'RCC_MC_AHB3ENSETR = 0x00001800',
        'ipcc rx interrupts = 0x00000001',
        'HSEM_R3 locked = 0x80000205', // LOCK, COREID 2 (the M4), PROCID 5
        'HSEM_R3 freed = 0x00000000',
        'HSEM_RLR4 = 0x80000200',
        'EXTI_IMR1 = 0x00000000',
        'done',
        '',
      ].join('\n'),
    );
    assert.strictEqual(hsem.semaphores[4], HSEM_M4);
    assert.deepStrictEqual(p.reports, ['firmware wrote EXTI+0x80 at 0x5000d080 (EXTI, not modelled)', 'firmware wrote RCC_MP_APB1ENSETR at 0x50000a00 (RCC, not modelled)']);
  });

  it("an address the board's map has nothing at reads as zero, reported once per 1 KiB block", () => {
    const p = load();
    p.core.bus.write32(0x48000004, 1);
    assert.strictEqual(p.core.bus.read32(0x48000008), 0);
    assert.strictEqual(p.core.bus.read32(0x5fffff00), 0);
    assert.deepStrictEqual(p.reports, [
      "firmware wrote 0x48000004 (no peripheral at 0x48000000 in the board's map, not modelled)",
      "firmware read 0x5fffff00 (no peripheral at 0x5ffffc00 in the board's map, not modelled)",
    ]);
  });

  it('with the fault policy, the first unmodelled access is a precise BusFault at its address', () => {
    const p = load('fault');
    assert.ok(p.peripherals.ipcc);
    runBareProgram(p, BUDGET);
    p.peripherals.ipcc.hostSet(1);
    const end = runBareProgram(p, BUDGET);
    assert.strictEqual(end.kind, 'exit');
    assert.strictEqual(end.code, 99); // the HardFault handler's status (BusFault escalates: not enabled)
    assert.strictEqual(p.core.scb.bfar, 0x5000d080);
    assert.deepStrictEqual(p.reports, ['firmware wrote EXTI+0x80 at 0x5000d080 (EXTI, not modelled)']);
  });
});
