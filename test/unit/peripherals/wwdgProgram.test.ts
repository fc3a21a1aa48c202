// The watchdog under real code: wwdg-m4.elf (test/fixtures/wwdg-m4/wwdg.c, built by arm-none-eabi-gcc)
// enables WWDG1, refreshes it from SysTick five times, stops, takes the early wakeup interrupt and is
// reset by it; the restarted program finds WWDG1RSTF in RCC_MC_RSTSCLRR. The reset comes 64 counts
// of PCLK1 / 4096 / 8 after the last refresh, in core cycles (PCLK1 = core clock / 2 on the board).
import assert from 'assert';
import { loadBareProgram, runBareProgram } from '../../../src/core/cpu/bareProgram';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { EXTI_WWDG1_RESET } from '../../../src/core/soc/peripherals/exti';
import { Firmware } from '../../../src/core/remoteproc/firmware';
import { readFixture } from '../../fixtures/fixtures';

const CORE_HZ = 209_000_000;

function load(name = 'wwdg-m4') {
  const board = findBoard('stm32mp157');
  assert.ok(board);
  const out: number[] = [];
  const reports: string[] = [];
  const program = loadBareProgram(board, board.cores[0], new Firmware(`${name}.elf`, readFixture(name)), {
    console: (b) => out.push(...b),
    report: (l) => reports.push(l),
  });
  return { ...program, text: () => Buffer.from(out).toString('latin1'), reports };
}

describe('peripherals: WWDG1 under a real M4 program', () => {
  it('five refreshes from SysTick, then EWI at 0x40 and the reset at 0x3f; the restarted program reads WWDG1RSTF', () => {
    const p = load();
    const { wwdg, exti } = p.peripherals;
    assert.ok(wwdg && exti);
    const host: [number, boolean][] = [];
    exti.onHostInterrupt = (event, high) => host.push([event, high]);
    exti.hostEnable(EXTI_WWDG1_RESET, { rising: true, falling: false }); // as stm32_rproc's wdg irq asks
    let resetAt = -1;
    const owner = wwdg.onReset;
    wwdg.onReset = (cause) => {
      resetAt = p.core.state.cycles;
      owner?.(cause);
    };
    const end = runBareProgram(p, 50_000_000);
    assert.strictEqual(end.kind, 'exit');
    assert.strictEqual(end.code, 0);
    assert.strictEqual(
      p.text(),
      [
        'RCC_MC_RSTSCLRR = 0x00000015',
        'refreshes = 0x00000005',
        'EWI at WWDG_CR = 0x000000c0', // WDGA, T = 0x40
        'RCC_MC_RSTSCLRR = 0x00000415', // WWDG1RSTF
        'reset by WWDG1; flags now = 0x00000000',
        'WWDG_CR after the reset = 0x0000007f', // WDGA cleared by the reset
        '',
      ].join('\n'),
    );
    assert.deepStrictEqual(p.reports, ['WWDG1 reset the MCU: the counter reached 0x3f']);
    assert.deepStrictEqual(host, [[EXTI_WWDG1_RESET, true]]); // pending for the host until it acknowledges
    // The fifth refresh is the fifth SysTick (every 209000 cycles from its start); 64 counts of 4096 × 8 PCLK1
    // cycles later, the reset (PCLK1: the core clock over the APB1 divider the boot loader set, 2).
    assert.strictEqual(p.peripherals.rcc?.apb1Divider(), 2);
    const count = 4096 * 8 * 2;
    const lastRefresh = resetAt - 64 * count;
    assert.ok(lastRefresh > 5 * (CORE_HZ / 1000) && lastRefresh < 5 * (CORE_HZ / 1000) + 2000, `last refresh at cycle ${lastRefresh}`);
  });

  it('a locked-up core is reset by its watchdog all the same, and the run goes on', () => {
    const p = load('wwdg-m4-lockup');
    let lockedUp = false;
    const owner = p.peripherals.wwdg!.onReset;
    p.peripherals.wwdg!.onReset = (cause) => {
      lockedUp = p.core.state.lockedUp;
      owner?.(cause);
    };
    const end = runBareProgram(p, 50_000_000);
    assert.deepStrictEqual([end.kind, end.code, lockedUp], ['exit', 0, true]);
    assert.match(p.text(), /^refreshes = 0x00000005\nRCC_MC_RSTSCLRR = 0x00000415\n/m); // no EWI: a locked-up core takes no interrupt
  });
});
