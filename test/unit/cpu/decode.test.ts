// Decode-level checks of encodings that are easy to get wrong: modified immediates and their
// carry, shifts by 32 and by a register, IT blocks and the 16-bit flag rule inside them, LDM with
// the base in the list or written back, POP into PC, UNDEFINED encodings and faults part-way.
import * as assert from 'assert';
import { decodeInstruction } from '../../../src/core/cpu/armv7m/isa/decoder';
import { machine, type Machine } from './testMachine';

const CODE = 0x1000;

/**
 * Runs Thumb halfwords placed at CODE (32-bit instructions as their two halfwords) followed by
 * BKPT #1, from PC = CODE, until something stops the program.
 */
function run(hws: number[], setup: (m: Machine) => void = () => undefined): Machine {
  const m = machine();
  [...hws, 0xbe01].forEach((h, k) => m.bus.write16(CODE + 2 * k, h));
  m.state.pc = CODE;
  m.state.r[13] = 0x8000;
  setup(m);
  while (m.hooks.stop === undefined && m.state.instructions < 1000) m.executor.run(m.state.cycles + 1000);
  return m;
}

function apsr(m: Machine): string {
  const s = m.state;
  return `${s.n}${s.z}${s.c}${s.v}`;
}

describe('cpu: decode and execute tricky encodings', () => {
  it('MOVS.W with a rotated modified immediate sets C from bit 31; an unrotated pattern leaves C alone', () => {
    // movs.w r0, #0x80000000
    let m = run([0xf05f, 0x4000]);
    assert.strictEqual(m.state.r[0] >>> 0, 0x80000000);
    assert.strictEqual(apsr(m), '1010');
    // ands.w r1, r2, #0xff00ff00
    m = run([0xf012, 0x21ff], (m) => {
      m.state.r[2] = 0x92345678 | 0;
      m.state.c = 1;
    });
    assert.strictEqual(m.state.r[1] >>> 0, 0x92005600);
    assert.strictEqual(apsr(m), '1010');
  });

  it('LSRS #32 gives 0 with C = bit 31; RORS by 0 leaves C, by 32 sets it from bit 31', () => {
    // lsrs r0, r1, #32
    let m = run([0x0808], (m) => {
      m.state.r[1] = 0x80000001 | 0;
    });
    assert.strictEqual(m.state.r[0], 0);
    assert.strictEqual(apsr(m), '0110');
    // rors r0, r1
    m = run([0x41c8], (m) => {
      m.state.r[0] = 0x12345678;
    });
    assert.strictEqual(m.state.r[0], 0x12345678);
    assert.strictEqual(apsr(m), '0000');
    m = run([0x41c8], (m) => {
      m.state.r[0] = 0x80000000 | 0;
      m.state.r[1] = 32;
    });
    assert.strictEqual(m.state.r[0] >>> 0, 0x80000000);
    assert.strictEqual(apsr(m), '1010');
  });

  it('ITET EQ runs the then/else instructions by Z, and 16-bit ADDs inside set no flags', () => {
    // itet eq ; addeq r0, #1 ; addne r0, #2 ; addeq r0, r0, r1
    const m = run([0xbf0a, 0x3001, 0x3002, 0x1840], (m) => {
      m.state.z = 1;
      m.state.r[0] = -1;
      m.state.r[1] = 5;
    });
    assert.strictEqual(m.state.r[0], 5);
    assert.strictEqual(apsr(m), '0100');
    assert.strictEqual(m.state.itstate, 0);
    assert.strictEqual(m.state.instructions, 5);
  });

  it('an IT block resumed part-way (ITSTATE restored by an exception return) keeps its conditions', () => {
    // entered at addne with the ITSTATE after the IT's first instruction
    const it = decodeInstruction(0x3001, 0, CODE + 2, 0x0a).itAfter;
    assert.strictEqual(it, 0x14);
    const m = run([0xbf0a, 0x3001, 0x3002, 0x1840], (m) => {
      m.state.pc = CODE + 4;
      m.state.itstate = it;
      m.state.r[0] = 10;
      m.state.r[1] = 5;
    });
    assert.strictEqual(m.state.r[0], 12, 'addne ran, addeq did not');
    assert.strictEqual(m.state.itstate, 0);
  });

  it('LDM with the base in the list loads it and does not write back; LDM.W ! writes back', () => {
    // ldmia r0, {r0, r1} ; ldmia.w r1!, {r2, r3}
    const m = run([0xc803, 0xe8b1, 0x000c], (m) => {
      m.state.r[0] = 0x2000;
      m.bus.write32(0x2000, 0x3000);
      m.bus.write32(0x2004, 0x3000);
      m.bus.write32(0x3000, 0x11);
      m.bus.write32(0x3004, 0x22);
    });
    assert.deepStrictEqual([...m.state.r.slice(0, 4)], [0x3000, 0x3008, 0x11, 0x22]);
  });

  it('a faulting LDM.W leaves the base register and PC as they were', () => {
    const m = run([0xbf00, 0xe8b1, 0x000c], (m) => {
      m.state.r[1] = 0xfffc;
    });
    assert.match(m.hooks.stop ?? '', /bus fault at 0x10000/);
    assert.strictEqual(m.state.r[1], 0xfffc);
    assert.strictEqual(m.state.pc, CODE + 2);
    assert.strictEqual(m.state.instructions, 2);
  });

  it('POP {r0, pc} branches to the popped address without bit 0; an even address faults INVSTATE next', () => {
    const m = run([0xbd01], (m) => {
      m.bus.write32(0x8000, 7);
      m.bus.write32(0x8004, 0x2001);
      m.bus.write16(0x2000, 0xbd01); // pop {r0, pc} again
      m.bus.write32(0x8008, 8);
      m.bus.write32(0x800c, 0x3000);
    });
    assert.strictEqual(m.state.r[0], 8);
    assert.strictEqual(m.state.r[13], 0x8010);
    assert.strictEqual(m.state.pc, 0x3000);
    assert.strictEqual(m.state.thumb, 0);
    assert.match(m.hooks.stop ?? '', /INVSTATE/);
  });

  it('UDF and an undefined 32-bit encoding are UsageFaults (UNDEFINSTR) with PC on them', () => {
    const m = run([0xbf00, 0xde00]);
    assert.match(m.hooks.stop ?? '', /UNDEFINSTR/);
    assert.strictEqual(m.state.pc, CODE + 2);
    const w = run([0xf7f0, 0xa000]); // udf.w #0
    assert.match(w.hooks.stop ?? '', /UNDEFINSTR/);
    assert.strictEqual(w.state.pc, CODE);
  });

  it('LDR pre-indexed with writeback, then TBB from the PC', () => {
    // ldr.w r0, [r1, #-4]! ; tbb [pc, r0] ; table: 2, 3 ; nop ; nop ; bkpt
    const m = run([0xf851, 0x0d04, 0xe8df, 0xf000, 0x0302, 0xbf00, 0xbf00], (m) => {
      m.state.r[1] = 0x2004;
      m.bus.write32(0x2000, 1);
    });
    assert.strictEqual(m.state.r[1], 0x2000);
    assert.strictEqual(m.state.instructions, 3, 'TBB entry 1 (3 halfwords from PC) skipped both NOPs');
    assert.strictEqual(m.hooks.stop, 'bkpt 1');
  });

  it('SDIV by zero gives 0, or a DIVBYZERO UsageFault when CCR.DIV_0_TRP is set', () => {
    const setup = (trap: boolean) => (m: Machine) => {
      m.state.r[0] = 99;
      m.state.r[1] = 7;
      m.hooks.trapDivideByZero = trap;
    };
    assert.strictEqual(run([0xfb91, 0xf0f2], setup(false)).state.r[0], 0);
    const t = run([0xfb91, 0xf0f2], setup(true));
    assert.match(t.hooks.stop ?? '', /DIVBYZERO/);
    assert.strictEqual(t.state.r[0], 99);
  });

  it('MSR BASEPRI_MAX only raises the priority; MRS IPSR reads the exception number', () => {
    // mrs r2, ipsr ; msr basepri_max, r0 ; msr basepri_max, r1
    const m = run([0xf3ef, 0x8205, 0xf380, 0x8812, 0xf381, 0x8812], (m) => {
      m.state.setModeAndControl(11, 0);
      m.state.r[0] = 0x40;
      m.state.r[1] = 0x80;
    });
    assert.strictEqual(m.state.r[2], 11);
    assert.strictEqual(m.state.basepri, 0x40);
  });

  it('an FP instruction with CP10/CP11 disabled is a NOCP UsageFault; enabled, VADD.F32 adds', () => {
    // vadd.f32 s0, s1, s2
    const setup = (on: boolean) => (m: Machine) => {
      m.hooks.fpOn = on;
      m.state.s[1] = 0x3fc00000; // 1.5
      m.state.s[2] = 0x40100000; // 2.25
    };
    const off = run([0xee30, 0x0a81], setup(false));
    assert.match(off.hooks.stop ?? '', /NOCP/);
    assert.strictEqual(off.state.s[0], 0);
    assert.strictEqual(run([0xee30, 0x0a81], setup(true)).state.s[0], 0x40700000); // 3.75
  });

  it('a 32-bit store with Rn = PC is UNDEFINED', () => {
    // str.w r0, [pc, #4]
    assert.match(run([0xf8cf, 0x0004]).hooks.stop ?? '', /UNDEFINSTR/);
  });
});
