// WWDG1 at register level (RM0436 WWDG): reset values, the free-running count from PCLK1 / 4096 /
// 2^WDGTB, the reset when T6 clears, on a refresh above the window or on T6 written clear, EWIF and
// its interrupt, the bits only a reset clears.
import assert from 'assert';
import { Wwdg, WWDG_DIVIDER, WWDG_SR_EWIF, WwdgCfr, WwdgCr, WwdgReg, type WwdgResetCause } from '../../../src/core/soc/peripherals/wwdg';
import { ManualClock } from './manualClock';
import { unservedLog } from './unservedLog';

const PCLK_HZ = 100_000_000;
const wdgtb = (x: number) => x << 11;

function wwdg() {
  const clock = new ManualClock();
  const log = unservedLog('WWDG1', 0x4000a000);
  const w = new Wwdg(clock, () => PCLK_HZ, log.unserved);
  const out = { ewi: false, resets: 0, causes: [] as WwdgResetCause[] };
  w.connect({ ewi: (h) => (out.ewi = h), reset: () => out.resets++ });
  w.onReset = (cause) => out.causes.push(cause);
  return { w, clock, out, reports: log.reports };
}

/** One count at WDGTB = `tb`, in ns. */
const tick = (tb: number) => (WWDG_DIVIDER * 2 ** tb * 1e9) / PCLK_HZ;

describe('peripherals: WWDG', () => {
  it('resets with T and W at 0x7f, WDGA, EWI and EWIF clear; its identification registers; the rest reported', () => {
    const { w, reports } = wwdg();
    assert.strictEqual(w.read(WwdgReg.CR, 4), 0x7f);
    assert.strictEqual(w.read(WwdgReg.CFR, 4), 0x7f);
    assert.strictEqual(w.read(WwdgReg.SR, 4), 0);
    assert.deepStrictEqual([WwdgReg.HWCFGR, WwdgReg.VERR, WwdgReg.IPIDR, WwdgReg.SIDR].map((o) => w.read(o, 4)), [0x0fff, 0x21, 0x120051, 0xa3c5dd01]);
    assert.strictEqual(w.read(0x0c, 4), 0);
    assert.deepStrictEqual(reports, ['firmware read WWDG1+0xc at 0x4000a00c (WWDG1, not modelled)']);
  });

  it('counts down at PCLK1 / 4096 / 2^WDGTB even while disabled, and wraps below 0 without a reset', () => {
    const { w, clock, out } = wwdg();
    w.write(WwdgReg.CFR, 4, wdgtb(2) | 0x7f);
    clock.advance(10 * tick(2) - 1);
    assert.strictEqual(w.read(WwdgReg.CR, 4), 0x7f - 9);
    clock.advance(1);
    assert.strictEqual(w.read(WwdgReg.CR, 4), 0x7f - 10);
    clock.advance(0x7f * tick(2));
    assert.strictEqual(w.read(WwdgReg.CR, 4), (0x7f - 10 - 0x7f + 0x80) & 0x7f);
    assert.strictEqual(out.resets, 0);
  });

  it('enabled at T = 0x7f with WDGTB 3, resets the MCU 64 counts later (T6 clears), sets EWIF one count before, and goes back to its reset values', () => {
    const { w, clock, out } = wwdg();
    w.write(WwdgReg.CFR, 4, wdgtb(3) | WwdgCfr.EWI | 0x7f);
    w.write(WwdgReg.CR, 4, WwdgCr.WDGA | 0x7f);
    assert.ok(w.enabled);
    clock.advance(63 * tick(3) - 1);
    assert.deepStrictEqual([w.read(WwdgReg.SR, 4), out.ewi], [0, false]);
    clock.advance(1);
    assert.deepStrictEqual([w.read(WwdgReg.CR, 4), w.read(WwdgReg.SR, 4), out.ewi], [WwdgCr.WDGA | 0x40, WWDG_SR_EWIF, true]);
    clock.advance(tick(3) - 1);
    assert.strictEqual(out.resets, 0);
    clock.advance(1);
    assert.strictEqual(out.resets, 1);
    assert.deepStrictEqual(out.causes, ['the counter reached 0x3f']);
    assert.deepStrictEqual([w.read(WwdgReg.CR, 4), w.read(WwdgReg.CFR, 4), w.read(WwdgReg.SR, 4), out.ewi, w.enabled], [0x7f, 0x7f, 0, false, false]);
    clock.advance(1000 * tick(7));
    assert.strictEqual(out.resets, 1); // disabled after its reset
  });

  it('a refresh inside the window re-arms the reset; one while the count is above W resets at once', () => {
    const { w, clock, out } = wwdg();
    w.write(WwdgReg.CFR, 4, 0x50); // W = 0x50, WDGTB 0
    w.write(WwdgReg.CR, 4, WwdgCr.WDGA | 0x7f);
    clock.advance(0x2f * tick(0)); // T = 0x50: inside the window
    w.write(WwdgReg.CR, 4, 0x7f); // the refresh, WDGA written 0
    assert.ok(w.enabled); // only a reset clears WDGA
    clock.advance(63 * tick(0));
    assert.strictEqual(out.resets, 0); // re-armed from the refresh
    clock.advance(tick(0));
    assert.deepStrictEqual(out.causes, ['the counter reached 0x3f']);
    w.write(WwdgReg.CFR, 4, 0x50);
    w.write(WwdgReg.CR, 4, WwdgCr.WDGA | 0x7f);
    clock.advance(0x2e * tick(0)); // T = 0x51: above the window
    w.write(WwdgReg.CR, 4, 0x7f);
    assert.deepStrictEqual(out.causes, ['the counter reached 0x3f', 'a refresh outside the window']);
    assert.strictEqual(out.resets, 2);
  });

  it('T6 written clear with WDGA resets at once', () => {
    const { w, out } = wwdg();
    w.write(WwdgReg.CR, 4, WwdgCr.WDGA | 0x3f);
    assert.deepStrictEqual(out.causes, ['T6 written clear']);
  });

  it('EWI is cleared only by a reset; EWIF only by writing 0; the line follows EWIF and EWI', () => {
    const { w, clock, out } = wwdg();
    w.write(WwdgReg.CFR, 4, WwdgCfr.EWI | 0x7f);
    w.write(WwdgReg.CFR, 4, 0x7f);
    assert.strictEqual(w.read(WwdgReg.CFR, 4), WwdgCfr.EWI | 0x7f);
    w.write(WwdgReg.CR, 4, WwdgCr.WDGA | 0x41);
    clock.advance(tick(0));
    assert.deepStrictEqual([w.read(WwdgReg.SR, 4), out.ewi], [WWDG_SR_EWIF, true]);
    w.write(WwdgReg.SR, 4, WWDG_SR_EWIF);
    assert.deepStrictEqual([w.read(WwdgReg.SR, 4), out.ewi], [WWDG_SR_EWIF, true]);
    w.write(WwdgReg.SR, 4, 0);
    assert.deepStrictEqual([w.read(WwdgReg.SR, 4), out.ewi], [0, false]);
  });

  it('a new prescaler takes over from the last whole count; byte accesses reach the counter', () => {
    const { w, clock, out } = wwdg();
    w.write(WwdgReg.CR, 1, WwdgCr.WDGA | 0x7f);
    clock.advance(10.5 * tick(0)); // T = 0x75, half-way to 0x74
    w.write(WwdgReg.CFR, 2, wdgtb(1) | 0x7f);
    assert.strictEqual(w.read(WwdgReg.CR, 1), WwdgCr.WDGA | 0x75);
    // 0x75 - 0x3f = 54 counts at the new rate from the count's start, half a count of the old rate ago
    clock.advance(54 * tick(1) - 0.5 * tick(0) - 1);
    assert.strictEqual(out.resets, 0);
    clock.advance(1);
    assert.strictEqual(out.resets, 1);
  });
});
