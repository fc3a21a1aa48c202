// Instruction templates per class: fast-check arbitraries of valid Thumb-2 encodings (as halfwords)
// for the generated sequences. The rules every template keeps, so a sequence always returns to the
// harness and stays inside its scratch buffer:
//  - it never writes SP, LR or PC, and its only branches skip the one 16-bit instruction after them;
//  - it writes only r0-r10; r11 (a small index, a multiple of 4) and r12 (the base into the scratch
//    buffer) are read but never written, except r12 by a load/store's writeback, always by a
//    multiple of 4 (so LDRD, LDM, LDREX stay aligned) and at most 64 bytes at a time;
//  - it avoids every UNPREDICTABLE register combination of the ARMv7-M ARM.
import fc from 'fast-check';

/** One instruction or an indivisible group (IT and its block, LDREX and its STREX), with its class. */
export interface Insn {
  readonly halfwords: readonly number[];
  readonly cls: string;
}

export const BASE = 12;
export const INDEX = 11;
const writable = fc.integer({ min: 0, max: 10 });
const readable = fc.integer({ min: 0, max: 12 });
const low = fc.integer({ min: 0, max: 7 });
const bit = fc.integer({ min: 0, max: 1 });

type Halfwords = readonly number[];

function t16(hw: number): Halfwords {
  return [hw & 0xffff];
}

function t32(hw1: number, hw2: number): Halfwords {
  return [hw1 & 0xffff, hw2 & 0xffff];
}

// ---- data processing ----

/** AND BIC ORR ORN EOR ADD ADC SBC SUB RSB by their op field. */
const DP_OPS = [0, 1, 2, 3, 4, 8, 10, 11, 13, 14];
/** AND EOR ADD SUB with Rd = PC and S = 1 are TST TEQ CMN CMP. */
const DP_COMPARES = [0, 4, 8, 13];

/** A modified immediate, never one of the UNPREDICTABLE ones (a rotated or repeated imm8 of 0). */
const modifiedImmediate = fc.integer({ min: 0, max: 0xfff }).map((v) => ((v >> 10) === 0 && (v >> 8) !== 0 && (v & 0xff) === 0 ? v | 1 : v));

const dpImmediate = fc
  .record({ op: fc.constantFrom(...DP_OPS), s: bit, rn: readable, rd: writable, imm: modifiedImmediate, form: fc.integer({ min: 0, max: 5 }) })
  .map(({ op, s, rn, rd, imm, form }) => {
    // form 0: compare (TST/TEQ/CMN/CMP); 1: MOV or MVN (ORR/ORN with Rn = PC); else the operation.
    if (form === 0) op = DP_COMPARES[op % 4];
    if (form === 1) op = 2 + (op & 1);
    const hw1 = 0xf000 | ((imm >> 11) << 10) | (op << 5) | ((form === 0 ? 1 : s) << 4) | (form === 1 ? 15 : rn);
    return t32(hw1, (((imm >> 8) & 7) << 12) | ((form === 0 ? 15 : rd) << 8) | (imm & 0xff));
  });

const dpPlainImmediate = fc
  .record({ op: fc.constantFrom(0xf200, 0xf2a0, 0xf240, 0xf2c0), rn: readable, rd: writable, imm: fc.integer({ min: 0, max: 0xffff }) })
  .map(({ op, rn, rd, imm }) => {
    // ADDW, SUBW: Rn and a 12-bit immediate; MOVW, MOVT: a 16-bit immediate (imm4 in Rn's place).
    const wide = op === 0xf240 || op === 0xf2c0;
    const hw1 = op | (((imm >> 11) & 1) << 10) | (wide ? imm >> 12 : rn);
    return t32(hw1, (((imm >> 8) & 7) << 12) | (rd << 8) | (imm & 0xff));
  });

const dpShiftedRegister = fc
  .record({ op: fc.constantFrom(...DP_OPS, 6), s: bit, rn: readable, rd: writable, rm: readable, type: fc.integer({ min: 0, max: 3 }), amount: fc.integer({ min: 0, max: 31 }), form: fc.integer({ min: 0, max: 5 }) })
  .map(({ op, s, rn, rd, rm, type, amount, form }) => {
    if (op === 6) {
      // PKHBT (LSL) / PKHTB (ASR); S = 0, and PKHTB's ASR #0 means #32 (valid).
      return t32(0xeac0 | rn, ((amount >> 2) << 12) | (rd << 8) | ((amount & 3) << 6) | ((type & 2) << 4) | rm);
    }
    if (form === 0) op = DP_COMPARES[op % 4];
    if (form === 1) op = 2 + (op & 1);
    const hw1 = 0xea00 | (op << 5) | ((form === 0 ? 1 : s) << 4) | (form === 1 ? 15 : rn);
    return t32(hw1, ((amount >> 2) << 12) | ((form === 0 ? 15 : rd) << 8) | ((amount & 3) << 6) | (type << 4) | rm);
  });

const shiftByRegister = fc
  .record({ type: fc.integer({ min: 0, max: 3 }), s: bit, rn: readable, rd: writable, rm: readable })
  .map(({ type, s, rn, rd, rm }) => t32(0xfa00 | (type << 5) | (s << 4) | rn, 0xf000 | (rd << 8) | rm));

const dp16 = fc.oneof(
  fc.record({ op: fc.constantFrom(0x1800, 0x1a00, 0x1c00, 0x1e00), a: low, n: low, d: low }).map(({ op, a, n, d }) => t16(op | (a << 6) | (n << 3) | d)),
  fc.record({ op: fc.constantFrom(0x2000, 0x2800, 0x3000, 0x3800), d: low, imm: fc.integer({ min: 0, max: 255 }) }).map(({ op, d, imm }) => t16(op | (d << 8) | imm)),
  // LSL #0 would be MOVS (register), UNPREDICTABLE inside an IT block.
  fc.record({ op: fc.constantFrom(0x0000, 0x0800, 0x1000), imm: fc.integer({ min: 1, max: 31 }), m: low, d: low }).map(({ op, imm, m, d }) => t16(op | (imm << 6) | (m << 3) | d)),
  fc.record({ op: fc.integer({ min: 0, max: 15 }), m: low, dn: low }).map(({ op, m, dn }) => t16(0x4000 | (op << 6) | (m << 3) | dn)),
  fc.record({ op: fc.constantFrom(0x4400, 0x4600), d: writable, m: readable }).map(({ op, d, m }) => t16(op | ((d >> 3) << 7) | (m << 3) | (d & 7))),
  fc.record({ op: fc.constantFrom(0xb200, 0xb240, 0xb280, 0xb2c0, 0xba00, 0xba40, 0xbac0), m: low, d: low }).map(({ op, m, d }) => t16(op | (m << 3) | d)),
);

const extend = fc
  .record({ op: fc.integer({ min: 0, max: 5 }), rn: fc.oneof(readable, fc.constant(15)), rd: writable, rm: readable, rot: fc.integer({ min: 0, max: 3 }) })
  .map(({ op, rn, rd, rm, rot }) => t32(0xfa00 | (op << 4) | rn, 0xf080 | (rd << 8) | (rot << 4) | rm));

// ---- multiply, divide, DSP ----

/** Rd = op(Rn, Rm): SIMD add/subtract (signed, saturating, halving; GE flags), Q arithmetic, SEL. */
const THREE_REGISTER: readonly [number, number][] = [
  ...[0xfa90, 0xfaa0, 0xfae0, 0xfad0, 0xfa80, 0xfac0].flatMap((hw1): [number, number][] => [0xf000, 0xf010, 0xf020, 0xf040, 0xf050, 0xf060].map((hw2) => [hw1, hw2])),
  [0xfa80, 0xf080], [0xfa80, 0xf090], [0xfa80, 0xf0a0], [0xfa80, 0xf0b0], [0xfaa0, 0xf080],
  [0xfb00, 0xf000], [0xfb90, 0xf0f0], [0xfbb0, 0xf0f0], // MUL, SDIV, UDIV
];
const threeRegister = fc
  .record({ enc: fc.constantFrom(...THREE_REGISTER), rn: readable, rd: writable, rm: readable })
  .map(({ enc, rn, rd, rm }) => t32(enc[0] | rn, enc[1] | (rd << 8) | rm));

/** REV REV16 RBIT REVSH CLZ: Rm is encoded twice. */
const bitOps = fc
  .record({ op: fc.constantFrom([0xfa90, 0xf080], [0xfa90, 0xf090], [0xfa90, 0xf0a0], [0xfa90, 0xf0b0], [0xfab0, 0xf080]), rd: writable, rm: readable })
  .map(({ op, rd, rm }) => t32(op[0] | rm, op[1] | (rd << 8) | rm));

/** Accumulating multiplies; `mulForm` ones become their MUL form with Ra = PC. `flags` are the N/M/X/R bits. */
const ACCUMULATE: readonly { hw1: number; hw2: number; flags: number; mulForm: boolean }[] = [
  { hw1: 0xfb00, hw2: 0x0000, flags: 0, mulForm: false }, // MLA
  { hw1: 0xfb00, hw2: 0x0010, flags: 0, mulForm: false }, // MLS
  { hw1: 0xfb10, hw2: 0x0000, flags: 0x30, mulForm: true }, // SMLA<x><y> / SMUL<x><y>
  { hw1: 0xfb20, hw2: 0x0000, flags: 0x10, mulForm: true }, // SMLAD{X} / SMUAD{X}
  { hw1: 0xfb30, hw2: 0x0000, flags: 0x10, mulForm: true }, // SMLAW<y> / SMULW<y>
  { hw1: 0xfb40, hw2: 0x0000, flags: 0x10, mulForm: true }, // SMLSD{X} / SMUSD{X}
  { hw1: 0xfb50, hw2: 0x0000, flags: 0x10, mulForm: true }, // SMMLA{R} / SMMUL{R}
  { hw1: 0xfb60, hw2: 0x0000, flags: 0x10, mulForm: false }, // SMMLS{R}
  { hw1: 0xfb70, hw2: 0x0000, flags: 0, mulForm: true }, // USADA8 / USAD8
];
const accumulate = fc
  .record({ op: fc.constantFrom(...ACCUMULATE), rn: readable, rd: writable, rm: readable, ra: readable, mul: fc.boolean(), bits: fc.integer({ min: 0, max: 3 }) })
  .map(({ op, rn, rd, rm, ra, mul, bits }) => t32(op.hw1 | rn, op.hw2 | ((mul && op.mulForm ? 15 : ra) << 12) | (rd << 8) | ((bits << 4) & op.flags) | rm));

/** SMULL UMULL SMLAL UMLAL UMAAL SMLAL<x><y> SMLALD{X} SMLSLD{X}: RdLo and RdHi must differ. */
const LONG: readonly { hw1: number; hw2: number; flags: number }[] = [
  { hw1: 0xfb80, hw2: 0x0000, flags: 0 }, { hw1: 0xfba0, hw2: 0x0000, flags: 0 }, { hw1: 0xfbc0, hw2: 0x0000, flags: 0 },
  { hw1: 0xfbe0, hw2: 0x0000, flags: 0 }, { hw1: 0xfbe0, hw2: 0x0060, flags: 0 }, { hw1: 0xfbc0, hw2: 0x0080, flags: 0x30 },
  { hw1: 0xfbc0, hw2: 0x00c0, flags: 0x10 }, { hw1: 0xfbd0, hw2: 0x00c0, flags: 0x10 },
];
const longMultiply = fc
  .record({ op: fc.constantFrom(...LONG), rn: readable, lo: writable, hi: writable, rm: readable, bits: fc.integer({ min: 0, max: 3 }) })
  .filter(({ lo, hi }) => lo !== hi)
  .map(({ op, rn, lo, hi, rm, bits }) => t32(op.hw1 | rn, op.hw2 | (lo << 12) | (hi << 8) | ((bits << 4) & op.flags) | rm));

const saturate = fc
  .record({ op: fc.constantFrom(0xf300, 0xf380, 0xf320, 0xf3a0), rn: readable, rd: writable, sat: fc.integer({ min: 0, max: 31 }), shift: fc.integer({ min: 0, max: 31 }), asr: bit })
  .map(({ op, rn, rd, sat, shift, asr }) => {
    if (op === 0xf320 || op === 0xf3a0) return t32(op | rn, (rd << 8) | (sat & 15)); // SSAT16, USAT16
    // SSAT/USAT: ASR #0 would be the 16-bit form's encoding, so an ASR shift is never 0.
    const amount = asr && shift === 0 ? 1 : shift;
    return t32(op | (asr << 5) | rn, ((amount >> 2) << 12) | (rd << 8) | ((amount & 3) << 6) | sat);
  });

const bitfield = fc
  .record({ op: fc.constantFrom(0xf340, 0xf3c0, 0xf360, 0xf36f), rn: readable, rd: writable, lsb: fc.integer({ min: 0, max: 31 }), width: fc.integer({ min: 1, max: 32 }) })
  .map(({ op, rn, rd, lsb, width }) => {
    const w = Math.min(width, 32 - lsb);
    // SBFX/UBFX encode width-1, BFI/BFC the msb (BFC is BFI with Rn = PC).
    const field = op === 0xf340 || op === 0xf3c0 ? w - 1 : lsb + w - 1;
    return t32(op === 0xf36f ? op : op | rn, ((lsb >> 2) << 12) | (rd << 8) | ((lsb & 3) << 6) | field);
  });

const statusRegister = fc.oneof(
  writable.map((rd) => t32(0xf3ef, 0x8000 | (rd << 8))),
  readable.map((rn) => t32(0xf380 | rn, 0x8c00)),
);

// ---- branches that stay inside the sequence, hints and barriers ----

/** B<cond> (T1) or CBZ/CBNZ with offset 0: taken, it skips the 16-bit instruction that follows. */
const branchOver = fc
  .record({ kind: fc.integer({ min: 0, max: 2 }), cond: fc.integer({ min: 0, max: 13 }), rn: low, skipped: dp16 })
  .map(({ kind, cond, rn, skipped }) => [kind === 0 ? 0xd000 | (cond << 8) : 0xb100 | ((kind - 1) << 11) | rn, ...skipped]);

/** NOP, YIELD, DMB, DSB, ISB, CLREX. */
const hint = fc.constantFrom(t16(0xbf00), t16(0xbf10), t32(0xf3bf, 0x8f5f), t32(0xf3bf, 0x8f4f), t32(0xf3bf, 0x8f6f), t32(0xf3bf, 0x8f2f));

/** LDR (literal): reads the harness's own code near the slot, the same bytes on both machines. */
const literal = fc
  .record({ op: fc.constantFrom(0xf85f, 0xf8df, 0xf81f, 0xf89f, 0xf83f, 0xf8bf, 0xf91f, 0xf99f, 0xf93f, 0xf9bf), rt: writable, imm: fc.integer({ min: 0, max: 255 }) })
  .map(({ op, rt, imm }) => t32(op, (rt << 12) | imm));

// ---- loads and stores into the scratch buffer (base r12, index r11) ----

/** [T3 imm12 form, T4/T2 form] of STR LDR STRB LDRB STRH LDRH LDRSB LDRSH. */
const LOAD_STORE = [[0xf8c0, 0xf840], [0xf8d0, 0xf850], [0xf880, 0xf800], [0xf890, 0xf810], [0xf8a0, 0xf820], [0xf8b0, 0xf830], [0xf990, 0xf910], [0xf9b0, 0xf930]];
/** P U W of the imm8 form: offset (minus), unprivileged, pre- and post-indexed with writeback. */
const PUW = [0b100, 0b110, 0b101, 0b111, 0b001, 0b011];

const loadStore = fc
  .record({ op: fc.constantFrom(...LOAD_STORE), rt: writable, form: fc.integer({ min: 0, max: 2 }), imm: fc.integer({ min: 0, max: 1023 }), puw: fc.constantFrom(...PUW), shift: fc.integer({ min: 0, max: 3 }) })
  .map(({ op, rt, form, imm, puw, shift }) => {
    if (form === 0) return t32(op[0] | BASE, (rt << 12) | imm);
    if (form === 1) return t32(op[1] | BASE, (rt << 12) | (shift << 4) | INDEX);
    const moves = (puw & 1) === 1 || (puw & 4) === 0;
    const offset = moves ? imm & 0x3c : imm & 0xff;
    return t32(op[1] | BASE, (rt << 12) | 0x800 | (puw << 8) | offset);
  });

const loadStoreDual = fc
  .record({ load: bit, rt: writable, rt2: writable, p: bit, u: bit, w: bit, imm: fc.integer({ min: 0, max: 15 }) })
  .filter(({ load, rt, rt2, p, w }) => (p || w) === 1 && !(load && rt === rt2))
  .map(({ load, rt, rt2, p, u, w, imm }) => t32(0xe840 | (p << 8) | (u << 7) | (w << 5) | (load << 4) | BASE, (rt << 12) | (rt2 << 8) | imm));

const loadStoreMultiple = fc
  .record({ op: fc.constantFrom(0xe880, 0xe890, 0xe900, 0xe910), w: bit, list: fc.integer({ min: 0, max: 0x7ff }) })
  .filter(({ list }) => (list & (list - 1)) !== 0) // at least two registers
  .map(({ op, w, list }) => t32(op | (w << 5) | BASE, list));

/** LDREX{B,H} then STREX{B,H} to the same address, so the store's success is architectural. */
const exclusivePair = fc
  .record({ size: fc.integer({ min: 0, max: 2 }), rt: writable, rs: writable, rd: writable, imm: fc.integer({ min: 0, max: 15 }) })
  .filter(({ rd, rs }) => rd !== rs)
  .map(({ size, rt, rs, rd, imm }): Halfwords => {
    const [ld1, ld2, st1, st2] =
      size === 0 ? [0xe850 | BASE, (rt << 12) | 0x0f00 | imm, 0xe840 | BASE, (rs << 12) | (rd << 8) | imm]
      : size === 1 ? [0xe8d0 | BASE, (rt << 12) | 0x0f4f, 0xe8c0 | BASE, (rs << 12) | 0x0f40 | rd]
      : [0xe8d0 | BASE, (rt << 12) | 0x0f5f, 0xe8c0 | BASE, (rs << 12) | 0x0f50 | rd];
    return [ld1, ld2, st1, st2].map((h) => h & 0xffff);
  });

// ---- floating point ----

const sreg = fc.integer({ min: 0, max: 31 });

function vfp(hw1: number, hw2: number, d: number, n: number, m: number): [number, number] {
  return [hw1 | ((d & 1) << 6) | (n >> 1), hw2 | ((d >> 1) << 12) | ((n & 1) << 7) | ((m & 1) << 5) | (m >> 1)];
}

/** Sd = op(Sn, Sm) and the accumulating forms. */
const FP_BINARY = [[0xee30, 0x0a00], [0xee30, 0x0a40], [0xee20, 0x0a00], [0xee20, 0x0a40], [0xee80, 0x0a00], [0xee00, 0x0a00], [0xee00, 0x0a40],
  [0xee10, 0x0a40], [0xee10, 0x0a00], [0xeea0, 0x0a00], [0xeea0, 0x0a40], [0xee90, 0x0a40], [0xee90, 0x0a00]];
/** Sd = op(Sm): VSQRT VABS VNEG VMOV, compares, conversions (integer and half precision). */
const FP_UNARY = [[0xeeb1, 0x0ac0], [0xeeb0, 0x0ac0], [0xeeb1, 0x0a40], [0xeeb0, 0x0a40], [0xeeb4, 0x0a40], [0xeeb4, 0x0ac0],
  [0xeebd, 0x0ac0], [0xeebd, 0x0a40], [0xeebc, 0x0ac0], [0xeebc, 0x0a40], [0xeeb8, 0x0ac0], [0xeeb8, 0x0a40],
  [0xeeb2, 0x0a40], [0xeeb2, 0x0ac0], [0xeeb3, 0x0a40], [0xeeb3, 0x0ac0]];

const fpBinary = fc.record({ op: fc.constantFrom(...FP_BINARY), d: sreg, n: sreg, m: sreg }).map(({ op, d, n, m }) => t32(...vfp(op[0], op[1], d, n, m)));
const fpUnary = fc.record({ op: fc.constantFrom(...FP_UNARY), d: sreg, m: sreg }).map(({ op, d, m }) => t32(...vfp(op[0], op[1], d, 0, m)));
const fpCompareZero = fc.record({ e: bit, d: sreg }).map(({ e, d }) => t32(...vfp(0xeeb5, 0x0a40 | (e << 7), d, 0, 0)));

/** VCVT between float and fixed point: Sd in and out; size 16 allows 0-16 fraction bits, 32 allows 1-32. */
const fpFixed = fc
  .record({ op: fc.constantFrom(0xeeba, 0xeebb, 0xeebe, 0xeebf), sx: bit, d: sreg, imm: fc.integer({ min: 0, max: 31 }) })
  .map(({ op, sx, d, imm }) => {
    const v = sx ? imm : imm % 17;
    return t32(...vfp(op, 0x0a40 | (sx << 7), d, 0, 0).map((h, i) => (i === 1 ? h | ((v & 1) << 5) | (v >> 1) : h)) as [number, number]);
  });

const fpImmediate = fc.record({ d: sreg, imm: fc.integer({ min: 0, max: 255 }) }).map(({ d, imm }) => t32(...vfp(0xeeb0 | (imm >> 4), 0x0a00 | (imm & 15), d, 0, 0)));

const fpTransfer = fc.oneof(
  fc.record({ rt: writable, n: sreg }).map(({ rt, n }) => t32(...vfp(0xee10, 0x0a10 | (rt << 12), 0, n, 0))),
  fc.record({ rt: readable, n: sreg }).map(({ rt, n }) => t32(...vfp(0xee00, 0x0a10 | (rt << 12), 0, n, 0))),
  fc.constant(t32(0xeef1, 0xfa10)), // VMRS APSR_nzcv, FPSCR
  writable.map((rt) => t32(0xeef1, 0x0a10 | (rt << 12))),
  readable.map((rt) => t32(0xeee1, 0x0a10 | (rt << 12))),
  fc.record({ load: bit, u: bit, d: sreg, imm: fc.integer({ min: 0, max: 255 }) })
    .map(({ load, u, d, imm }) => t32(...vfp(0xed00 | (u << 7) | (load << 4) | BASE, 0x0a00 | imm, d, 0, 0))),
  fc.record({ load: bit, d: sreg, count: fc.integer({ min: 1, max: 4 }) })
    .filter(({ d, count }) => d + count <= 32)
    .map(({ load, d, count }) => t32(...vfp(0xec80 | (load << 4) | BASE, 0x0a00 | count, d, 0, 0))),
);

// ---- IT blocks ----

/** Everything allowed inside an IT block (one instruction each; 16-bit ones then set no flags). */
const conditional = fc.oneof(dpImmediate, dpPlainImmediate, dpShiftedRegister, shiftByRegister, dp16, extend, threeRegister, bitOps, accumulate, longMultiply,
  saturate, bitfield, hint, literal, loadStore, loadStoreDual, fpBinary, fpUnary, fpTransfer);

const itBlock = fc
  .record({ cond: fc.integer({ min: 0, max: 13 }), pattern: fc.array(fc.boolean(), { minLength: 0, maxLength: 3 }), body: fc.array(conditional, { minLength: 4, maxLength: 4 }) })
  .map(({ cond, pattern, body }): Halfwords => {
    // mask: one bit per further instruction (firstcond[0] for then, its inverse for else), then a 1.
    let mask = 1 << (3 - pattern.length);
    pattern.forEach((then, i) => (mask |= ((then ? cond & 1 : ~cond & 1) << (3 - i))));
    return [0xbf00 | (cond << 4) | mask, ...body.slice(0, pattern.length + 1).flat()];
  });

/** Every class, the way a sequence draws its instructions. */
export const INSTRUCTION_CLASSES: Record<string, fc.Arbitrary<Halfwords>> = {
  dpImmediate, dpPlainImmediate, dpShiftedRegister, shiftByRegister, dp16, extend, threeRegister, bitOps, accumulate, longMultiply, saturate,
  bitfield, statusRegister, branchOver, hint, literal, loadStore, loadStoreDual, loadStoreMultiple, exclusivePair, fpBinary, fpUnary, fpCompareZero, fpFixed, fpImmediate,
  fpTransfer, itBlock,
};

export const instruction: fc.Arbitrary<Insn> = fc.oneof(...Object.entries(INSTRUCTION_CLASSES).map(([cls, arb]) => arb.map((halfwords) => ({ halfwords, cls }))));
