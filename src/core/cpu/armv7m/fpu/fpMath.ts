// FPv4-SP single-precision arithmetic on raw IEEE-754 bit patterns (int32), as the ARMv7-M ARM's
// pseudocode defines it (FPAdd, FPSub, FPMul, FPDiv, FPSqrt, FPMulAdd, FPCompare): every result is
// rounded once from the exact value, so it is right in all four rounding modes. The conversions
// live in fpConvert.ts and are exported here too, so the instruction side has one module to import.
import { bitLength, pow2 } from './exactInt';
import { DEFAULT_NAN, isNaN32, isSignallingNaN32, processNaN, processNaNs, processNaNs3 } from './fpNaN';
import { INF, SIGN, exponent, flushInput, significand } from './fpOperand';
import { roundSingle } from './fpRound';
import { FPSCR_DZC, FPSCR_IOC, FPSCR_IXC, FPSCR_RMODE_MASK, FPSCR_RMODE_SHIFT, RMODE_MINUS_INF, type FpContext } from './fpscr';
import { MIN_NORMAL, isNormal, nearest, toHost } from './hostFloat';

export type { FpContext } from './fpscr';
export { fpFromFixed, fpFromHalf, fpFromInt, fpToFixed, fpToHalf, fpToInt } from './fpConvert';

export function fpAdd(a: number, b: number, ctx: FpContext): number {
  return addOrSub(a, b, 0, ctx);
}

export function fpSub(a: number, b: number, ctx: FpContext): number {
  return addOrSub(a, b, SIGN, ctx);
}

export function fpMul(a: number, b: number, ctx: FpContext): number {
  if ((ctx.fpscr & FPSCR_RMODE_MASK) === 0 && isNormal(a) && isNormal(b)) {
    const p = toHost(a) * toHost(b);
    const r = Math.fround(p);
    if (Math.abs(p) >= MIN_NORMAL && Math.abs(r) !== Infinity) return nearest(p, r, ctx);
  }
  a = flushInput(a, ctx);
  b = flushInput(b, ctx);
  const ma = a & 0x7fffffff;
  const mb = b & 0x7fffffff;
  const sign = (a ^ b) & SIGN;
  if (ma >= INF || mb >= INF) {
    if (ma > INF || mb > INF) return processNaNs(a, b, ctx);
    if (ma === 0 || mb === 0) return invalid(ctx);
    return sign | INF;
  }
  if (ma === 0 || mb === 0) return sign;
  return roundSingle(sign >>> 31, significand(a) * significand(b), exponent(a) + exponent(b), false, ctx);
}

export function fpDiv(a: number, b: number, ctx: FpContext): number {
  if ((ctx.fpscr & FPSCR_RMODE_MASK) === 0 && isNormal(a) && isNormal(b)) {
    const fa = toHost(a);
    const fb = toHost(b);
    const r = Math.fround(fa / fb);
    // Strictly above 2^-126: a quotient just below it may round to it in double.
    if (Math.abs(r) > MIN_NORMAL && Math.abs(r) !== Infinity) return nearest(fa, r * fb, ctx, r);
  }
  a = flushInput(a, ctx);
  b = flushInput(b, ctx);
  const ma = a & 0x7fffffff;
  const mb = b & 0x7fffffff;
  const sign = (a ^ b) & SIGN;
  if (ma > INF || mb > INF) return processNaNs(a, b, ctx);
  if ((ma === INF && mb === INF) || (ma === 0 && mb === 0)) return invalid(ctx);
  if (ma === INF) return sign | INF;
  if (mb === 0) {
    ctx.fpscr |= FPSCR_DZC;
    return sign | INF;
  }
  if (ma === 0 || mb === INF) return sign;
  // Both significands scaled to [2^23, 2^24), the dividend by 2^27 more: a quotient of 27 bits.
  const la = 24 - bitLength(significand(a));
  const lb = 24 - bitLength(significand(b));
  const n = significand(a) * pow2(la + 27);
  const d = significand(b) * pow2(lb);
  let q = Math.floor(n / d);
  let r = n - q * d;
  if (r < 0) {
    q -= 1;
    r += d;
  } else if (r >= d) {
    q += 1;
    r -= d;
  }
  return roundSingle(sign >>> 31, q, exponent(a) - la - exponent(b) + lb - 27, r !== 0, ctx);
}

export function fpSqrt(a: number, ctx: FpContext): number {
  a |= 0; // an unsigned pattern too: the sign is tested with `> 0` and `< 0` below
  if ((ctx.fpscr & FPSCR_RMODE_MASK) === 0 && a > 0 && isNormal(a)) {
    const fa = toHost(a);
    const r = Math.fround(Math.sqrt(fa));
    return nearest(fa, r * r, ctx, r);
  }
  a = flushInput(a, ctx);
  const ma = a & 0x7fffffff;
  if (ma > INF) return processNaN(a, ctx);
  if (ma === 0) return a;
  if (a < 0) return invalid(ctx);
  if (ma === INF) return a;
  // The significand scaled to [2^51, 2^53) with an even exponent: an integer root of 26 bits.
  const l = 24 - bitLength(significand(a));
  let e = exponent(a) - l - 28;
  let n = significand(a) * pow2(l + 28);
  if (e % 2 !== 0) {
    n *= 2;
    e -= 1;
  }
  let q = Math.floor(Math.sqrt(n));
  while (q * q > n) q -= 1;
  while ((q + 1) * (q + 1) <= n) q += 1;
  return roundSingle(0, q, e / 2, q * q !== n, ctx);
}

/** addend + a * b with one rounding (VFMA; the other fused forms negate operands first). */
export function fpMulAdd(addend: number, a: number, b: number, ctx: FpContext): number {
  if ((ctx.fpscr & FPSCR_RMODE_MASK) === 0 && isNormal(addend) && isNormal(a) && isNormal(b)) {
    // The product is exact; the sum is s + err exactly (TwoSum). Rounding s to single is right
    // unless s is a single's midpoint that the exact sum is not on: then err picks the side.
    const p = toHost(a) * toHost(b);
    const c = toHost(addend);
    const s = p + c;
    const t = s - p;
    const err = p - (s - t) + (c - t);
    let r = Math.fround(s);
    if ((Math.abs(s) > MIN_NORMAL || s === 0) && Math.abs(r) !== Infinity) {
      const other = 2 * s - r; // the other neighbour when s is a midpoint
      if (err !== 0 && r !== s && Math.fround(other) === other && err > 0 === s > r) r = other;
      if (err !== 0) ctx.fpscr |= FPSCR_IXC;
      return nearest(s, r, ctx);
    }
  }
  addend = flushInput(addend, ctx);
  a = flushInput(a, ctx);
  b = flushInput(b, ctx);
  const mc = addend & 0x7fffffff;
  const ma = a & 0x7fffffff;
  const mb = b & 0x7fffffff;
  const infTimesZero = (ma === INF && mb === 0) || (ma === 0 && mb === INF);
  if (mc > INF || ma > INF || mb > INF) {
    if (infTimesZero && !isSignallingNaN32(addend)) return invalid(ctx);
    return processNaNs3(addend, a, b, ctx);
  }
  const signP = (a ^ b) & SIGN;
  if (infTimesZero || (mc === INF && (ma === INF || mb === INF) && (addend & SIGN) !== signP)) return invalid(ctx);
  if (mc === INF) return addend;
  if (ma === INF || mb === INF) return signP | INF;
  if (ma === 0 || mb === 0) {
    if (mc !== 0) return addend;
    return (addend & SIGN) === signP ? addend : zeroOfSum(ctx);
  }
  const sp = signP >>> 31;
  const mp = significand(a) * significand(b);
  const ep = exponent(a) + exponent(b);
  if (mc === 0) return roundSingle(sp, mp, ep, false, ctx);
  return addExact(addend >>> 31, significand(addend), exponent(addend), sp, mp, ep, ctx);
}

/** No flags, no NaN processing: VNEG flips the sign bit of any pattern. */
export function fpNeg(a: number): number {
  return a ^ SIGN;
}

/** No flags, no NaN processing: VABS clears the sign bit of any pattern. */
export function fpAbs(a: number): number {
  return a & 0x7fffffff;
}

/** NZCV in bits 31-28: 0110 equal, 1000 less, 0010 greater, 0011 unordered. */
export function fpCompare(a: number, b: number, quietNaNExc: boolean, ctx: FpContext): number {
  a = flushInput(a, ctx);
  b = flushInput(b, ctx);
  if (isNaN32(a) || isNaN32(b)) {
    if (quietNaNExc || isSignallingNaN32(a) || isSignallingNaN32(b)) ctx.fpscr |= FPSCR_IOC;
    return 0x30000000;
  }
  const ka = a < 0 ? -(a & 0x7fffffff) : a;
  const kb = b < 0 ? -(b & 0x7fffffff) : b;
  if (ka === kb) return 0x60000000;
  return ka < kb ? 0x80000000 | 0 : 0x20000000;
}

function addOrSub(a: number, b: number, negate: number, ctx: FpContext): number {
  if ((ctx.fpscr & FPSCR_RMODE_MASK) === 0 && isNormal(a) && isNormal(b)) {
    const d = ((a >>> 23) & 0xff) - ((b >>> 23) & 0xff);
    if (d <= 28 && d >= -28) {
      const s = toHost(a) + toHost(b ^ negate);
      const r = Math.fround(s);
      if ((Math.abs(s) >= MIN_NORMAL || s === 0) && Math.abs(r) !== Infinity) return nearest(s, r, ctx);
    }
  }
  a = flushInput(a, ctx);
  b = flushInput(b, ctx);
  const ma = a & 0x7fffffff;
  const mb = b & 0x7fffffff;
  if (ma >= INF || mb >= INF) {
    if (ma > INF || mb > INF) return processNaNs(a, b, ctx);
    b ^= negate;
    if (ma === INF && mb === INF && (a ^ b) < 0) return invalid(ctx);
    return ma === INF ? a : b;
  }
  b ^= negate;
  if (mb === 0) return ma !== 0 || a === b ? a : zeroOfSum(ctx);
  if (ma === 0) return b;
  return addExact(a >>> 31, significand(a), exponent(a), b >>> 31, significand(b), exponent(b), ctx);
}

/**
 * Rounds (-1)^s1 * m1 * 2^e1 + (-1)^s2 * m2 * 2^e2 (m1, m2 > 0 below 2^49). The operand with the
 * higher leading bit is scaled to 50 bits; the other, aligned to it, keeps its bits below the last
 * place only as a sticky bit, which matters only when it is far smaller and cannot cancel.
 */
function addExact(s1: number, m1: number, e1: number, s2: number, m2: number, e2: number, ctx: FpContext): number {
  let l1 = bitLength(m1);
  const l2 = bitLength(m2);
  if (e2 + l2 > e1 + l1) {
    const s = s1, m = m1, e = e1;
    s1 = s2; m1 = m2; e1 = e2; l1 = l2;
    s2 = s; m2 = m; e2 = e;
  }
  m1 *= pow2(50 - l1);
  e1 -= 50 - l1;
  const shift = e1 - e2;
  let aligned = m2 * pow2(-shift);
  let sticky = false;
  if (shift > 0) {
    const whole = Math.floor(aligned);
    sticky = whole !== aligned;
    aligned = whole;
  }
  if (s1 === s2) return roundSingle(s1, m1 + aligned, e1, sticky, ctx);
  const d = m1 - aligned - (sticky ? 1 : 0);
  if (d === 0) return zeroOfSum(ctx);
  return d > 0 ? roundSingle(s1, d, e1, sticky, ctx) : roundSingle(s2, -d, e1, false, ctx);
}

/** An exact zero sum of operands of opposite signs: -0 when rounding toward minus infinity. */
function zeroOfSum(ctx: FpContext): number {
  return ((ctx.fpscr >>> FPSCR_RMODE_SHIFT) & 3) === RMODE_MINUS_INF ? SIGN : 0;
}

function invalid(ctx: FpContext): number {
  ctx.fpscr |= FPSCR_IOC;
  return DEFAULT_NAN;
}
