// TIM2-TIM5 at register level (RM0436 general-purpose timers): reset values, the counter in virtual
// time, the update event (UIF, the interrupt line, PSC and preloaded ARR taken, UG, URS, UDIS, OPM),
// and the APB1 timers' kernel clock on the board.
import assert from 'assert';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { createPeripherals } from '../../../src/core/soc/peripherals/corePeripherals';
import { TIM_UIF, TimCr1, TimReg, Timer, timg1Hz } from '../../../src/core/soc/peripherals/timer';
import { ManualClock } from './manualClock';
import { unservedLog } from './unservedLog';

const HZ = 100_000_000; // 10 ns a timer clock

function timer(bits: 16 | 32 = 32) {
  const clock = new ManualClock();
  const log = unservedLog('TIM2', 0x40000000);
  const t = new Timer(clock, () => HZ, bits, log.unserved);
  const levels: boolean[] = [];
  t.connect((high) => levels.push(high));
  return { t, clock, levels, reports: log.reports, line: () => levels[levels.length - 1] };
}

/** PSC and ARR as ST's HAL sets a time base: UG loads PSC (and sets UIF, cleared again), then UIE and CEN. */
function periodic(t: Timer, psc: number, arr: number): void {
  t.write(TimReg.PSC, 4, psc);
  t.write(TimReg.ARR, 4, arr);
  t.write(TimReg.EGR, 4, TIM_UIF);
  t.write(TimReg.SR, 4, ~TIM_UIF);
  t.write(TimReg.DIER, 4, TIM_UIF);
  t.write(TimReg.CR1, 4, TimCr1.CEN);
}

describe('peripherals: TIM2-TIM5', () => {
  it('resets stopped with ARR all ones (32 or 16 bits), the counter and UIF clear', () => {
    for (const [bits, arr] of [[32, 0xffffffff], [16, 0xffff]] as const) {
      const { t } = timer(bits);
      assert.deepStrictEqual(
        [TimReg.CR1, TimReg.DIER, TimReg.SR, TimReg.CNT, TimReg.PSC, TimReg.ARR].map((r) => t.read(r, 4) >>> 0),
        [0, 0, 0, 0, 0, arr],
      );
    }
  });

  it('counts at the clock / (PSC + 1) from UG on; each wrap after ARR sets UIF and raises the line while UIE is set', () => {
    const { t, clock, line } = timer();
    periodic(t, 9, 999); // 100 ns a count, 100 µs a period
    assert.strictEqual(line(), false);
    clock.advance(50_000);
    assert.strictEqual(t.read(TimReg.CNT, 4), 500);
    clock.advance(49_999);
    assert.strictEqual(t.read(TimReg.SR, 4), 0);
    clock.advance(1);
    assert.strictEqual(t.read(TimReg.SR, 4), TIM_UIF);
    assert.strictEqual(line(), true);
    assert.strictEqual(t.read(TimReg.CNT, 4), 0);
    t.write(TimReg.SR, 4, TIM_UIF); // rc_w0: writing 1 leaves it
    assert.strictEqual(line(), true);
    t.write(TimReg.SR, 4, 0);
    assert.strictEqual(line(), false);
    let updates = 0;
    for (let i = 0; i < 5; i++) {
      clock.advance(100_000);
      if (t.read(TimReg.SR, 4) & TIM_UIF) updates++;
      t.write(TimReg.SR, 4, 0);
    }
    assert.strictEqual(updates, 5);
  });

  it('a stopped counter holds its count; CNT writes move it; an ARR write with ARPE waits for the update event', () => {
    const { t, clock } = timer();
    periodic(t, 0, 99);
    clock.advance(300); // 30 counts
    t.write(TimReg.CR1, 4, 0);
    clock.advance(10_000);
    assert.strictEqual(t.read(TimReg.CNT, 4), 30);
    t.write(TimReg.CNT, 4, 90);
    t.write(TimReg.CR1, 4, TimCr1.CEN | TimCr1.ARPE);
    t.write(TimReg.ARR, 4, 9);
    assert.strictEqual(t.read(TimReg.ARR, 4), 9);
    clock.advance(100); // 90 → 99 → wrap under the old ARR
    assert.strictEqual(t.read(TimReg.CNT, 4), 0);
    t.write(TimReg.SR, 4, 0);
    clock.advance(100); // now every 10 counts
    assert.strictEqual(t.read(TimReg.SR, 4), TIM_UIF);
    t.write(TimReg.CR1, 4, TimCr1.CEN); // ARPE clear: ARR at once
    t.write(TimReg.ARR, 4, 4);
    t.write(TimReg.SR, 4, 0);
    clock.advance(50);
    assert.strictEqual(t.read(TimReg.SR, 4), TIM_UIF);
  });

  it('PSC written while counting is taken at the next update event, not before', () => {
    const { t, clock } = timer();
    periodic(t, 0, 99); // 1 µs a period
    t.write(TimReg.PSC, 4, 1);
    clock.advance(500);
    assert.strictEqual(t.read(TimReg.CNT, 4), 50);
    clock.advance(500); // update: PSC 1 from now on
    clock.advance(1000);
    assert.strictEqual(t.read(TimReg.CNT, 4), 50);
  });

  it('URS: UG sets no UIF; UDIS: no update event at all; OPM: the counter stops at the first one', () => {
    const urs = timer();
    urs.t.write(TimReg.CR1, 4, TimCr1.URS);
    urs.t.write(TimReg.EGR, 4, TIM_UIF);
    assert.strictEqual(urs.t.read(TimReg.SR, 4), 0);

    const udis = timer();
    udis.t.write(TimReg.ARR, 4, 9);
    udis.t.write(TimReg.CR1, 4, TimCr1.CEN | TimCr1.UDIS);
    udis.clock.advance(1000);
    assert.strictEqual(udis.t.read(TimReg.SR, 4), 0);

    const opm = timer();
    opm.t.write(TimReg.ARR, 4, 9);
    opm.t.write(TimReg.CR1, 4, TimCr1.CEN | TimCr1.OPM);
    opm.clock.advance(100);
    assert.deepStrictEqual([opm.t.read(TimReg.SR, 4), opm.t.read(TimReg.CR1, 4) & TimCr1.CEN], [TIM_UIF, 0]);
    opm.clock.advance(1000);
    assert.strictEqual(opm.t.read(TimReg.CNT, 4), 0);
  });

  it('a 16-bit timer keeps 16 bits of ARR and CNT; capture/compare registers and down-counting are reported', () => {
    const { t, reports } = timer(16);
    t.write(TimReg.ARR, 4, 0x12345678);
    t.write(TimReg.CNT, 4, 0xfffff);
    assert.deepStrictEqual([t.read(TimReg.ARR, 4), t.read(TimReg.CNT, 4)], [0x5678, 0xffff]);
    t.write(0x18, 4, 1); // TIMx_CCMR1
    assert.deepStrictEqual(reports, ['firmware wrote TIM2+0x18 at 0x40000018 (TIM2, not modelled)']);
    const down = timer();
    down.t.write(TimReg.CR1, 4, 1 << 4); // DIR: down-counting
    assert.deepStrictEqual(down.reports, ['firmware wrote TIM2+0x0 at 0x40000000 (TIM2, not modelled)']);
  });

  it("the APB1 timers' kernel clock: mcu_ck for APB1 / 1 and / 2, else twice PCLK1", () => {
    assert.deepStrictEqual([1, 2, 4, 8, 16].map((d) => timg1Hz(209e6, d)), [209e6, 209e6, 104.5e6, 52.25e6, 26.125e6]);
  });

  it("on the board TIM2 counts at mcu_ck with the boot loader's APB1 / 2: PSC 208, ARR 999 is a 1 ms period", () => {
    const board = findBoard('stm32mp157');
    assert.ok(board);
    const clock = new ManualClock();
    const { timers } = createPeripherals(board.cores[0].peripherals ?? [], { clock, mcuHz: 209_000_000 });
    assert.deepStrictEqual([...timers.keys()], ['TIM2', 'TIM3', 'TIM4', 'TIM5']);
    const tim2 = timers.get('TIM2')!;
    periodic(tim2, 208, 999);
    clock.advance(999_999);
    assert.strictEqual(tim2.read(TimReg.SR, 4), 0);
    clock.advance(1);
    assert.strictEqual(tim2.read(TimReg.SR, 4), TIM_UIF);
  });
});
