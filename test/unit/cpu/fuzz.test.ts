// Random halfword streams through the executor: whatever the bytes, it ends each run with a
// recorded stop (fault, SVC, breakpoint, sleep) or at its cycle budget, never with a JavaScript
// exception, and never loops past the budget.
import * as assert from 'assert';
import { machine } from './testMachine';

/** A small seeded generator, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

describe('cpu: fuzzed instruction streams', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: 2000 random starts never throw and stay within their budget`, () => {
      const rnd = lcg(seed);
      const m = machine();
      const stops = new Map<string, number>();
      for (let start = 0; start < 2000; start++) {
        // fresh random code in a 1 KiB window, sometimes biased towards 32-bit first halfwords
        const base = 0x1000 + (rnd() % 32) * 0x400;
        for (let k = 0; k < 0x400; k += 2) {
          const r = rnd();
          m.bus.write16(base + k, (r & 3) === 0 ? 0xe800 | (r >>> 16 & 0x17ff) : r >>> 16);
        }
        m.executor.flush();
        const st = m.state;
        for (let k = 0; k < 13; k++) st.r[k] = (rnd() & 1) ? rnd() & 0xfffc : rnd();
        st.r[13] = 0x8000;
        st.pc = base;
        st.thumb = 1;
        st.itstate = 0;
        st.setModeAndControl(rnd() % 4 === 0 ? 3 : 0, 0);
        m.hooks.stop = undefined;
        m.hooks.attention = false;
        const budget = st.cycles + 2000;
        assert.doesNotThrow(() => m.executor.run(budget));
        assert.ok(st.cycles < budget + 200, `ran ${st.cycles - budget} cycles past the budget`);
        const why = (m.hooks.stop ?? 'budget').replace(/ .*/, '');
        stops.set(why, (stops.get(why) ?? 0) + 1);
      }
      // the streams reach faults of several kinds and some run to their budget
      assert.ok((stops.get('usage') ?? 0) > 100, JSON.stringify([...stops]));
      assert.ok(stops.size >= 3, JSON.stringify([...stops]));
    });
  }
});
