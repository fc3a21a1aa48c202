// Random halfword streams through the real core (the STM32MP157's M4: SystemBus, exception model,
// run loop), from random register, mode and mask state: whatever the bytes, every run ends with a
// stop reason (a fault taken into a halting handler, a breakpoint, sleep, lockup, exit) or at its
// cycle budget, never with a JavaScript exception, and never runs far past the budget.
import * as assert from 'assert';
import type { CortexM4 } from '../../../src/core/cpu/armv7m/cortexM4';
import { Cfsr } from '../../../src/core/cpu/armv7m/exceptions';
import { exceptionName } from '../../../src/core/cpu/armv7m/system/faultDescription';
import { installVectors, makeM4 } from './m4Harness';

/** A small seeded generator, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

/** The random code goes in 32 KiB of RETRAM above the harness's vectors and handlers. */
const CODE_BASE = 0x2000;
const BUDGET = 2000;
/** The last block runs to its end past the budget: by tens of cycles on these streams (63 at most when written). */
const OVERRUN = 200;

/** One word for what stopped the core: the fault class of a halting handler, or the stop's kind. */
function classify(core: CortexM4, kind: string, message: string | undefined): string {
  if (kind !== 'halt' || message !== 'BKPT #0' || core.state.ipsr === 0) return kind;
  const cfsr = core.scb.cfsr;
  if (cfsr & 0xffff0000) return 'usage';
  if (cfsr & 0xff00) return 'bus';
  if (cfsr & (Cfsr.IACCVIOL | Cfsr.DACCVIOL)) return 'memmanage';
  return exceptionName(core.state.ipsr);
}

describe('cpu: fuzzed instruction streams', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: 2000 random starts never throw and stay within their budget`, () => {
      const rnd = lcg(seed);
      const stops = new Map<string, number>();
      const { core } = makeM4();
      const space = core.bus.space;
      for (let start = 0; start < 2000; start++) {
        // the last stream may have stored over the vectors or handlers: write them again, reset
        installVectors(space);
        core.reset();
        // fresh random code in a 1 KiB window, sometimes biased towards 32-bit first halfwords
        const base = CODE_BASE + (rnd() % 32) * 0x400;
        for (let k = 0; k < 0x400; k += 2) {
          const r = rnd();
          space.write16(base + k, (r & 3) === 0 ? 0xe800 | (r >>> 16 & 0x17ff) : r >>> 16);
        }
        const st = core.state;
        for (let k = 0; k < 13; k++) st.r[k] = (rnd() & 1) ? rnd() & 0xfffc : rnd();
        st.pc = base;
        st.setModeAndControl(rnd() % 4 === 0 ? 3 : 0, rnd() % 4);
        st.primask = rnd() & 1;
        st.basepri = rnd() % 3 === 0 ? rnd() & 0xf0 : 0;
        const budget = st.cycles + BUDGET;
        let kind = '';
        let message: string | undefined;
        assert.doesNotThrow(() => ({ kind, message } = core.run(BUDGET)));
        assert.ok(st.cycles < budget + OVERRUN, `ran ${st.cycles - budget} cycles past the budget`);
        const why = classify(core, kind, message);
        stops.set(why, (stops.get(why) ?? 0) + 1);
      }
      // the streams reach faults of several kinds and some run to their budget
      assert.ok((stops.get('usage') ?? 0) > 100, JSON.stringify([...stops]));
      assert.ok(stops.size >= 3, JSON.stringify([...stops]));
    });
  }
});
