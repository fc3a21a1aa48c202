// Decode-level checks of encodings that are easy to get wrong: modified immediates and their
// carry, shifts by 32 and by a register, IT blocks and the 16-bit flag rule inside them, LDM with
// the base in the list or written back, POP into PC, UNDEFINED encodings and faults part-way.
// They run on the real core (the STM32MP157's M4 over its SystemBus): a fault is taken as the
// hardware takes it, into a handler that halts, and the test reads CFSR and the stacked frame.
import * as assert from 'assert';
import type { CortexM4 } from '../../../src/core/cpu/armv7m/cortexM4';
import { decodeInstruction } from '../../../src/core/cpu/armv7m/isa/decoder';
import { Ccr } from '../../../src/core/cpu/armv7m/system/scb';
import { makeM4 } from './m4Harness';

/** Clear of the harness's vector table (0), reset code (0x800) and handlers (0x1000-0x1a60). */
const CODE = 0x4000;
const CCR = 0xe000ed14;
const CPACR = 0xe000ed88;
const CPACR_CP10_CP11_FULL = 0xf << 20;

interface Ran {
  readonly core: CortexM4;
  /** What stopped the program: `BKPT #1` (the end of the code), or the fault taken, decoded. */
  readonly stop: string;
  /** The program's PC, SP and EPSR.T: as a fault left them (its stack frame), else the core's. */
  readonly pc: number;
  readonly sp: number;
  readonly thumb: number;
  /** Instructions the program executed (a fault handler's halting BKPT not counted). */
  readonly instructions: number;
}

/**
 * Runs Thumb halfwords placed at CODE (32-bit instructions as their two halfwords) followed by
 * BKPT #1, from PC = CODE with SP = 0x8000, until something stops the program.
 */
function run(hws: number[], setup: (c: CortexM4) => void = () => undefined): Ran {
  const { core } = makeM4();
  const space = core.bus.space;
  [...hws, 0xbe01].forEach((h, k) => space.write16(CODE + 2 * k, h));
  core.state.pc = CODE;
  setup(core);
  const stop = core.run(10_000);
  assert.strictEqual(stop.kind, 'halt', JSON.stringify(stop));
  const s = core.state;
  if (stop.message !== 'BKPT #0') return { core, stop: stop.message ?? '', pc: s.pc, sp: s.r[13], thumb: s.thumb, instructions: s.instructions };
  // halted in a fault handler: the program's PC, xPSR and SP are in the frame the exception stacked
  const frame = s.r[13] >>> 0;
  const xpsr = space.read32(frame + 28);
  const sp = frame + 32 + ((xpsr >>> 9) & 1) * 4;
  return { core, stop: core.describeFault(), pc: space.read32(frame + 24), sp, thumb: (xpsr >>> 24) & 1, instructions: s.instructions - 1 };
}

function apsr(t: Ran): string {
  const s = t.core.state;
  return `${s.n}${s.z}${s.c}${s.v}`;
}

const poke32 = (c: CortexM4, addr: number, v: number) => c.bus.space.write32(addr, v);

describe('cpu: decode and execute tricky encodings', () => {
  it('MOVS.W with a rotated modified immediate sets C from bit 31; an unrotated pattern leaves C alone', () => {
    // movs.w r0, #0x80000000
    let t = run([0xf05f, 0x4000]);
    assert.strictEqual(t.core.state.r[0] >>> 0, 0x80000000);
    assert.strictEqual(apsr(t), '1010');
    // ands.w r1, r2, #0xff00ff00
    t = run([0xf012, 0x21ff], (c) => {
      c.state.r[2] = 0x92345678 | 0;
      c.state.c = 1;
    });
    assert.strictEqual(t.core.state.r[1] >>> 0, 0x92005600);
    assert.strictEqual(apsr(t), '1010');
  });

  it('LSRS #32 gives 0 with C = bit 31; RORS by 0 leaves C, by 32 sets it from bit 31', () => {
    // lsrs r0, r1, #32
    let t = run([0x0808], (c) => {
      c.state.r[1] = 0x80000001 | 0;
    });
    assert.strictEqual(t.core.state.r[0], 0);
    assert.strictEqual(apsr(t), '0110');
    // rors r0, r1
    t = run([0x41c8], (c) => {
      c.state.r[0] = 0x12345678;
    });
    assert.strictEqual(t.core.state.r[0], 0x12345678);
    assert.strictEqual(apsr(t), '0000');
    t = run([0x41c8], (c) => {
      c.state.r[0] = 0x80000000 | 0;
      c.state.r[1] = 32;
    });
    assert.strictEqual(t.core.state.r[0] >>> 0, 0x80000000);
    assert.strictEqual(apsr(t), '1010');
  });

  it('ITET EQ runs the then/else instructions by Z, and 16-bit ADDs inside set no flags', () => {
    // itet eq ; addeq r0, #1 ; addne r0, #2 ; addeq r0, r0, r1
    const t = run([0xbf0a, 0x3001, 0x3002, 0x1840], (c) => {
      c.state.z = 1;
      c.state.r[0] = -1;
      c.state.r[1] = 5;
    });
    assert.strictEqual(t.core.state.r[0], 5);
    assert.strictEqual(apsr(t), '0100');
    assert.strictEqual(t.core.state.itstate, 0);
    assert.strictEqual(t.instructions, 5);
  });

  it('an IT block resumed part-way (ITSTATE restored by an exception return) keeps its conditions', () => {
    // entered at addne with the ITSTATE after the IT's first instruction
    const it = decodeInstruction(0x3001, 0, CODE + 2, 0x0a).itAfter;
    assert.strictEqual(it, 0x14);
    const t = run([0xbf0a, 0x3001, 0x3002, 0x1840], (c) => {
      c.state.pc = CODE + 4;
      c.state.itstate = it;
      c.state.r[0] = 10;
      c.state.r[1] = 5;
    });
    assert.strictEqual(t.core.state.r[0], 12, 'addne ran, addeq did not');
    assert.strictEqual(t.core.state.itstate, 0);
  });

  it('LDM with the base in the list loads it and does not write back; LDM.W ! writes back', () => {
    // ldmia r0, {r0, r1} ; ldmia.w r1!, {r2, r3}
    const t = run([0xc803, 0xe8b1, 0x000c], (c) => {
      c.state.r[0] = 0x2000;
      poke32(c, 0x2000, 0x3000);
      poke32(c, 0x2004, 0x3000);
      poke32(c, 0x3000, 0x11);
      poke32(c, 0x3004, 0x22);
    });
    assert.deepStrictEqual([...t.core.state.r.slice(0, 4)], [0x3000, 0x3008, 0x11, 0x22]);
  });

  it('a faulting LDM.W leaves the base register and PC as they were', () => {
    // RETRAM ends at 0x10000: the second word is a precise BusFault (escalated to HardFault)
    const t = run([0xbf00, 0xe8b1, 0x000c], (c) => {
      c.state.r[1] = 0xfffc;
    });
    assert.match(t.stop, /^HardFault .*PRECISERR.*BFAR 0x00010000$/);
    assert.strictEqual(t.core.state.r[1], 0xfffc);
    assert.strictEqual(t.pc, CODE + 2);
    assert.strictEqual(t.instructions, 2);
  });

  it('POP {r0, pc} branches to the popped address without bit 0; an even address faults INVSTATE next', () => {
    const t = run([0xbd01], (c) => {
      poke32(c, 0x8000, 7);
      poke32(c, 0x8004, 0x2001);
      c.bus.space.write16(0x2000, 0xbd01); // pop {r0, pc} again
      poke32(c, 0x8008, 8);
      poke32(c, 0x800c, 0x3000);
    });
    assert.strictEqual(t.core.state.r[0], 8);
    assert.strictEqual(t.sp, 0x8010);
    assert.strictEqual(t.pc, 0x3000);
    assert.strictEqual(t.thumb, 0);
    assert.match(t.stop, /INVSTATE/);
  });

  it('UDF and an undefined 32-bit encoding are UsageFaults (UNDEFINSTR) with PC on them', () => {
    const t = run([0xbf00, 0xde00]);
    assert.match(t.stop, /UNDEFINSTR/);
    assert.strictEqual(t.pc, CODE + 2);
    const w = run([0xf7f0, 0xa000]); // udf.w #0
    assert.match(w.stop, /UNDEFINSTR/);
    assert.strictEqual(w.pc, CODE);
  });

  it('LDR pre-indexed with writeback, then TBB from the PC', () => {
    // ldr.w r0, [r1, #-4]! ; tbb [pc, r0] ; table: 2, 3 ; nop ; nop ; bkpt
    const t = run([0xf851, 0x0d04, 0xe8df, 0xf000, 0x0302, 0xbf00, 0xbf00], (c) => {
      c.state.r[1] = 0x2004;
      poke32(c, 0x2000, 1);
    });
    assert.strictEqual(t.core.state.r[1], 0x2000);
    assert.strictEqual(t.instructions, 3, 'TBB entry 1 (3 halfwords from PC) skipped both NOPs');
    assert.strictEqual(t.stop, 'BKPT #1');
  });

  it('SDIV by zero gives 0, or a DIVBYZERO UsageFault when CCR.DIV_0_TRP is set', () => {
    const setup = (trap: boolean) => (c: CortexM4) => {
      c.state.r[0] = 99;
      c.state.r[1] = 7;
      if (trap) c.bus.write32(CCR, c.bus.read32(CCR) | Ccr.DIV_0_TRP);
    };
    assert.strictEqual(run([0xfb91, 0xf0f2], setup(false)).core.state.r[0], 0);
    const t = run([0xfb91, 0xf0f2], setup(true));
    assert.match(t.stop, /DIVBYZERO/);
    assert.strictEqual(t.core.state.r[0], 99);
  });

  it('MSR BASEPRI_MAX only raises the priority; MRS IPSR reads the exception number', () => {
    // mrs r2, ipsr ; msr basepri_max, r0 ; msr basepri_max, r1
    const t = run([0xf3ef, 0x8205, 0xf380, 0x8812, 0xf381, 0x8812], (c) => {
      c.state.setModeAndControl(11, 0);
      c.state.r[0] = 0x40;
      c.state.r[1] = 0x80;
    });
    assert.strictEqual(t.core.state.r[2], 11);
    assert.strictEqual(t.core.state.basepri, 0x40);
  });

  it('an FP instruction with CP10/CP11 disabled is a NOCP UsageFault; enabled, VADD.F32 adds', () => {
    // vadd.f32 s0, s1, s2
    const setup = (on: boolean) => (c: CortexM4) => {
      if (on) c.bus.write32(CPACR, CPACR_CP10_CP11_FULL);
      c.state.s[1] = 0x3fc00000; // 1.5
      c.state.s[2] = 0x40100000; // 2.25
    };
    const off = run([0xee30, 0x0a81], setup(false));
    assert.match(off.stop, /NOCP/);
    assert.strictEqual(off.core.state.s[0], 0);
    assert.strictEqual(run([0xee30, 0x0a81], setup(true)).core.state.s[0], 0x40700000); // 3.75
  });

  it('a 32-bit store with Rn = PC is UNDEFINED', () => {
    // str.w r0, [pc, #4]
    assert.match(run([0xf8cf, 0x0004]).stop, /UNDEFINSTR/);
  });
});
