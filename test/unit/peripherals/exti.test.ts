// The EXTI at register level (RM0436 EXTI): configurable events pended by their trigger edges or by
// software, cleared by writing 1, delivered to the M4 through its C2IMRn masks and to the host through
// CPU1's; registers the M4 does not own reported.
import assert from 'assert';
import { Exti, EXTI_WWDG1_RESET, ExtiReg } from '../../../src/core/soc/peripherals/exti';
import { unservedLog } from './unservedLog';

const BANK3 = 0x40; // RTSR3..FPR3
const C2_BANK2 = 0x10;
const C2_BANK3 = 0x20;

function exti() {
  const log = unservedLog('EXTI', 0x5000d000);
  const e = new Exti(log.unserved);
  const m4 = new Map<number, boolean>();
  const host: [number, boolean][] = [];
  e.connect((event, high) => m4.set(event, high));
  e.onHostInterrupt = (event, high) => host.push([event, high]);
  return { e, m4, host, reports: log.reports };
}

describe('peripherals: EXTI', () => {
  it('resets with no triggers, nothing pending, the M4 masks at their reset values', () => {
    const { e, m4 } = exti();
    for (const bank of [0, 0x20, BANK3]) for (const r of [ExtiReg.RTSR, ExtiReg.FTSR, ExtiReg.SWIER, ExtiReg.RPR, ExtiReg.FPR]) assert.strictEqual(e.read(bank + r, 4), 0);
    assert.deepStrictEqual([0, C2_BANK2, C2_BANK3].map((b) => e.read(ExtiReg.C2IMR + b, 4)), [0, 0, 0x0de9]);
    assert.strictEqual(e.read(ExtiReg.C2EMR, 4), 0);
    assert.strictEqual(m4.size, 0);
  });

  it('a 1 written to SWIER pends the event; unmasked in C2IMR it raises the M4 line until RPR is written 1; SWIER reads 0', () => {
    const { e, m4 } = exti();
    e.write(ExtiReg.SWIER, 4, 1 << 5);
    assert.strictEqual(e.read(ExtiReg.RPR, 4), 1 << 5);
    assert.strictEqual(e.read(ExtiReg.SWIER, 4), 0);
    assert.strictEqual(m4.get(5), undefined); // masked
    e.write(ExtiReg.C2IMR, 4, 1 << 5);
    assert.strictEqual(m4.get(5), true);
    e.write(ExtiReg.RPR, 4, 1 << 4); // another bit: nothing
    assert.strictEqual(m4.get(5), true);
    e.write(ExtiReg.RPR, 1, 1 << 5);
    assert.deepStrictEqual([e.read(ExtiReg.RPR, 4), m4.get(5)], [0, false]);
  });

  it('only configurable events take triggers and software edges (0-19, 65, 66, 68, 73)', () => {
    const { e } = exti();
    for (const bank of [0, 0x20, BANK3]) {
      e.write(bank + ExtiReg.RTSR, 4, 0xffffffff);
      e.write(bank + ExtiReg.SWIER, 4, 0xffffffff);
    }
    assert.deepStrictEqual([0, 0x20, BANK3].map((b) => e.read(b + ExtiReg.RTSR, 4)), [0x000fffff, 0, 0x216]);
    assert.deepStrictEqual([0, 0x20, BANK3].map((b) => e.read(b + ExtiReg.RPR, 4)), [0x000fffff, 0, 0x216]);
  });

  it("event 68 (WWDG1's reset) reaches the host on its rising edge once the host asked for it, until the host acknowledges it", () => {
    const { e, m4, host } = exti();
    e.input(EXTI_WWDG1_RESET, true);
    e.input(EXTI_WWDG1_RESET, false);
    assert.deepStrictEqual(host, []); // no trigger selected yet
    assert.strictEqual(e.pending(EXTI_WWDG1_RESET), false);
    e.hostEnable(EXTI_WWDG1_RESET, { rising: true, falling: false });
    assert.strictEqual(e.read(BANK3 + ExtiReg.RTSR, 4), 1 << 4);
    e.input(EXTI_WWDG1_RESET, true);
    e.input(EXTI_WWDG1_RESET, false);
    assert.deepStrictEqual(host, [[68, true]]);
    assert.strictEqual(e.read(BANK3 + ExtiReg.RPR, 4), 1 << 4);
    assert.strictEqual(e.read(BANK3 + ExtiReg.FPR, 4), 0);
    assert.strictEqual(m4.get(68), undefined); // the M4's C2IMR3 bit 4 is clear
    e.hostAck(EXTI_WWDG1_RESET);
    assert.deepStrictEqual(host, [[68, true], [68, false]]);
    e.hostDisable(EXTI_WWDG1_RESET);
    e.input(EXTI_WWDG1_RESET, true);
    assert.deepStrictEqual(host, [[68, true], [68, false]]);
    assert.throws(() => e.input(96, true), /no EXTI event 96/);
  });

  it("a falling edge pends FPR where FTSR selects it; the A7's masks, the identification registers and holes are reported", () => {
    const { e, m4, reports } = exti();
    e.write(ExtiReg.FTSR, 4, 1 << 16);
    e.write(ExtiReg.C2IMR, 4, 1 << 16);
    e.input(16, true);
    assert.strictEqual(m4.get(16), undefined);
    e.input(16, false);
    assert.deepStrictEqual([e.read(ExtiReg.FPR, 4), m4.get(16)], [1 << 16, true]);
    e.write(ExtiReg.FPR, 4, 1 << 16);
    assert.strictEqual(m4.get(16), false);
    e.write(0x80, 4, 1); // EXTI_C1IMR1: the host's
    assert.strictEqual(e.read(0x3f4, 4), 0);
    assert.deepStrictEqual(reports, ['firmware wrote EXTI+0x80 at 0x5000d080 (EXTI, not modelled)']);
  });
});
