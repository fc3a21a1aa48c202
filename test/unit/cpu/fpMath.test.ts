// The FPv4-SP rules that differ from plain IEEE-754 arithmetic, one readable case each (the oracle
// test covers them in bulk against QEMU).
import assert from 'assert';
import * as fpu from '../../../src/core/cpu/armv7m/fpu/fpMath';
import { FPSCR_AHP, FPSCR_DN, FPSCR_FZ, FPSCR_IDC, FPSCR_IOC, FPSCR_IXC, FPSCR_OFC, FPSCR_UFC } from '../../../src/core/cpu/armv7m/fpu/fpscr';

const RP = 1 << 22;
const RZ = 3 << 22;

/** Runs `f` in FPSCR mode `mode`; returns [result bits (unsigned), flags raised]. */
function run(mode: number, f: (ctx: fpu.FpContext) => number): [number, number] {
  const ctx = { fpscr: mode };
  const r = f(ctx) >>> 0;
  return [r, ctx.fpscr & ~mode];
}

describe('cpu/fpu: FPv4-SP rules', () => {
  it('VCVT from fixed point rounds to nearest whatever FPSCR.RMode says; from an integer it follows RMode', () => {
    // 0x10000005 / 2^16 = 4096 + 5/65536: below the halfway point to the next single (4096 + 2^-12).
    assert.deepStrictEqual(run(RP, (x) => fpu.fpFromFixed(0x10000005, 16, false, false, x)), [0x45800000, FPSCR_IXC]);
    assert.deepStrictEqual(run(RP, (x) => fpu.fpFromInt(0x01000001, false, x)), [0x4b800001, FPSCR_IXC]);
  });

  it('flush-to-zero: denormal inputs become zeros with IDC, tiny results zeros with UFC and no IXC', () => {
    assert.deepStrictEqual(run(FPSCR_FZ, (x) => fpu.fpAdd(0x00000001, 0x3f800000, x)), [0x3f800000, FPSCR_IDC]);
    assert.deepStrictEqual(run(FPSCR_FZ, (x) => fpu.fpMul(0x80800000 | 0, 0x3f000000, x)), [0x80000000, FPSCR_UFC]);
  });

  it('underflow is detected before rounding: a tiny product that rounds up to 2^-126 still sets UFC', () => {
    // 2^-126 * (1 - 2^-24) lies below the smallest normal and rounds to it.
    assert.deepStrictEqual(run(0, (x) => fpu.fpMul(0x00800000, 0x3f7fffff, x)), [0x00800000, FPSCR_UFC | FPSCR_IXC]);
  });

  it('overflow gives infinity or the largest normal as the rounding mode says', () => {
    assert.deepStrictEqual(run(0, (x) => fpu.fpMul(0x7f7fffff, 0x40000000, x)), [0x7f800000, FPSCR_OFC | FPSCR_IXC]);
    assert.deepStrictEqual(run(RZ, (x) => fpu.fpMul(0x7f7fffff, 0x40000000, x)), [0x7f7fffff, FPSCR_OFC | FPSCR_IXC]);
  });

  it('NaNs: a signalling NaN wins over a quiet one and is quieted with IOC; default NaN mode replaces both', () => {
    assert.deepStrictEqual(run(0, (x) => fpu.fpAdd(0x7fc00001, 0x7f800002, x)), [0x7fc00002, FPSCR_IOC]);
    assert.deepStrictEqual(run(FPSCR_DN, (x) => fpu.fpAdd(0x7fc00001, 0x7f800002, x)), [0x7fc00000, FPSCR_IOC]);
    assert.deepStrictEqual(run(0, (x) => fpu.fpAdd(0xffc00003 | 0, 0x7fc00001, x)), [0xffc00003, 0]);
  });

  it('fused multiply-add: infinity times zero plus a quiet NaN is invalid; plus a signalling NaN, that NaN', () => {
    assert.deepStrictEqual(run(0, (x) => fpu.fpMulAdd(0x7fc00001, 0x7f800000, 0, x)), [0x7fc00000, FPSCR_IOC]);
    assert.deepStrictEqual(run(0, (x) => fpu.fpMulAdd(0x7f800001, 0x7f800000, 0, x)), [0x7fc00001, FPSCR_IOC]);
    // One rounding: -1 + (1 + 2^-23) * (1 - 2^-23) is exactly -2^-46, where a rounded product (1) would give 0.
    assert.deepStrictEqual(run(0, (x) => fpu.fpMulAdd(0xbf800000 | 0, 0x3f800001, 0x3f7ffffe, x)), [0xa8800000, 0]);
    // (1 + 2^-23) + 2^-24 * (1 - 2^-46) lies just below a midpoint; rounded to double it is the midpoint,
    // which ties to even upward (0x3f800002): the right result stays below.
    assert.deepStrictEqual(run(0, (x) => fpu.fpMulAdd(0x3f800001, 0x33800001, 0x3f7ffffe, x)), [0x3f800001, FPSCR_IXC]);
  });

  it('VNEG and VABS touch only the sign bit, even of a signalling NaN', () => {
    assert.strictEqual(fpu.fpNeg(0x7f800001) >>> 0, 0xff800001);
    assert.strictEqual(fpu.fpAbs(0xff800001 | 0), 0x7f800001);
  });

  it('half precision: AHP has no NaN or infinity (IOC, zero or the largest value) and saturates past 131008', () => {
    assert.deepStrictEqual(run(FPSCR_AHP, (x) => fpu.fpToHalf(0x7fc00000, x)), [0x0000, FPSCR_IOC]);
    assert.deepStrictEqual(run(FPSCR_AHP, (x) => fpu.fpToHalf(0x47800000, x)), [0x7c00, 0]); // 65536 is normal in AHP
    assert.deepStrictEqual(run(FPSCR_AHP, (x) => fpu.fpToHalf(0x48800000, x)), [0x7fff, FPSCR_IOC]); // 2^18
    assert.deepStrictEqual(run(0, (x) => fpu.fpToHalf(0x47800000, x)), [0x7c00, FPSCR_OFC | FPSCR_IXC]);
    assert.deepStrictEqual(run(FPSCR_AHP, (x) => fpu.fpFromHalf(0x7c00, x)), [0x47800000, 0]);
  });

  it('operands given as unsigned 32-bit patterns read the same as int32 ones', () => {
    assert.deepStrictEqual(run(0, (x) => fpu.fpSqrt(0xbf800000, x)), [0x7fc00000, FPSCR_IOC]);
    assert.deepStrictEqual(run(0, (x) => fpu.fpCompare(0xbf800000, 0, false, x)), [0x80000000, 0]);
    assert.deepStrictEqual(run(0, (x) => fpu.fpToInt(0xc0400000, false, true, x)), [0xfffffffd, 0]);
  });
});
