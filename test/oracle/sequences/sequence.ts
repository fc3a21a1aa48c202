// A generated test case: the instructions of one harness slot and the registers it starts from.
import fc from 'fast-check';
import { INDEX, instruction, type Insn } from './templates';

/** One slot of harness.elf (HARNESS_SLOT_BYTES in test/fixtures/cpu/harness.h) ends with BX LR. */
export const SLOT_HALFWORDS = 32;
export const BX_LR = 0x4770;

/** The registers in and out of a case, as harness.h lays them out. */
export interface CaseRegisters {
  readonly r: readonly number[]; // r0-r12
  readonly apsr: number;
  readonly s: readonly number[]; // s0-s31, raw bits
  readonly fpscr: number;
}

export interface SequenceCase {
  readonly insns: readonly Insn[];
  readonly regs: CaseRegisters;
}

/** The case's code: its instructions, as many as fit before the final BX LR. */
export function caseCode(c: SequenceCase): number[] {
  const code: number[] = [];
  for (const insn of c.insns) {
    if (code.length + insn.halfwords.length > SLOT_HALFWORDS - 1) break;
    code.push(...insn.halfwords);
  }
  code.push(BX_LR);
  return code;
}

const INTEGER_CORNERS = [0, 1, 2, 31, 32, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff];
const FLOAT_CORNERS = [0, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40490fdb, 0x7f7fffff, 0xff7fffff, 0x00800000, 0x80800000, 0x00000001,
  0x807fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x7fbfffff, 0x4b000000, 0x4f000000, 0xcf000000, 0x477fe000, 0x33800000];

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const integerValue = fc.oneof(u32, fc.constantFrom(...INTEGER_CORNERS), fc.integer({ min: -64, max: 64 }).map((v) => v >>> 0));
const floatValue = fc.oneof(fc.constantFrom(...FLOAT_CORNERS), u32, fc.float({ noDefaultInfinity: false }).map((f) => new Uint32Array(new Float32Array([f]).buffer)[0]));
/** N Z C V Q and GE[3:0]. */
const apsrValue = u32.map((v) => (v & 0xf80f0000) >>> 0);
/** Rounding mode, flush-to-zero, default NaN, alternative half precision and the cumulative flags. */
const fpscrValue = u32.map((v) => (v & 0x07c0009f) >>> 0);

/** Cases for a harness whose scratch buffer's middle is at `base` (r12). */
export function sequenceCase(base: number): fc.Arbitrary<SequenceCase> {
  return fc.record({
    insns: fc.array(instruction, { minLength: 1, maxLength: 12 }),
    low: fc.array(integerValue, { minLength: 11, maxLength: 11 }),
    index: fc.integer({ min: 0, max: 15 }),
    apsr: apsrValue,
    s: fc.array(floatValue, { minLength: 32, maxLength: 32 }),
    fpscr: fpscrValue,
  }).map(({ insns, low, index, apsr, s, fpscr }) => {
    const r = [...low];
    r[INDEX] = index * 4;
    r.push(base);
    return { insns, regs: { r, apsr, s, fpscr } };
  });
}
