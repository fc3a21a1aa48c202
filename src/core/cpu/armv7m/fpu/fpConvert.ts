// The FPv4-SP conversions of the ARMv7-M ARM: FPToFixed and FixedToFP (VCVT between single and
// 32-bit integers or 16/32-bit fixed point), FPSingleToHalf and FPHalfToSingle (VCVTB/VCVTT, IEEE
// half precision or the alternative format when FPSCR.AHP is set).
import { pow2 } from './exactInt';
import { DEFAULT_NAN, processNaN } from './fpNaN';
import { INF, exponent, flushInput, significand } from './fpOperand';
import { roundHalf, roundSingle } from './fpRound';
import { nearest } from './hostFloat';
import {
  FPSCR_AHP,
  FPSCR_IOC,
  FPSCR_IXC,
  FPSCR_RMODE_MASK,
  FPSCR_RMODE_SHIFT,
  RMODE_MINUS_INF,
  RMODE_NEAREST,
  RMODE_PLUS_INF,
  RMODE_ZERO,
  type FpContext,
} from './fpscr';

/** VCVT to a 32-bit integer, rounding toward zero or as FPSCR says; saturates with IOC, a NaN gives 0. */
export function fpToInt(a: number, unsigned: boolean, roundTowardZero: boolean, ctx: FpContext): number {
  return toFixed(a, 0, unsigned, 32, roundTowardZero, ctx);
}

/** VCVT to fixed point (always toward zero); a 16-bit result comes sign- or zero-extended to 32 bits. */
export function fpToFixed(a: number, fracBits: number, unsigned: boolean, size16: boolean, ctx: FpContext): number {
  return toFixed(a, fracBits, unsigned, size16 ? 16 : 32, true, ctx);
}

/** VCVT from a 32-bit integer, rounded as FPSCR says. */
export function fpFromInt(a: number, unsigned: boolean, ctx: FpContext): number {
  return fromFixed(a, 0, unsigned, 32, ctx);
}

/**
 * VCVT from fixed point (the low 16 bits of `a` when `size16`). FixedToFP is called with
 * round_to_nearest TRUE here: the result rounds to nearest whatever FPSCR.RMode says.
 */
export function fpFromFixed(a: number, fracBits: number, unsigned: boolean, size16: boolean, ctx: FpContext): number {
  const rmode = ctx.fpscr & FPSCR_RMODE_MASK;
  ctx.fpscr &= ~FPSCR_RMODE_MASK;
  const r = fromFixed(a, fracBits, unsigned, size16 ? 16 : 32, ctx);
  ctx.fpscr |= rmode;
  return r;
}

/** Single to half precision (the 16-bit pattern in the low bits). */
export function fpToHalf(a: number, ctx: FpContext): number {
  a = flushInput(a, ctx);
  const sign = (a >>> 31) << 15;
  const ma = a & 0x7fffffff;
  const alternative = (ctx.fpscr & FPSCR_AHP) !== 0;
  if (ma >= INF) {
    if (alternative) {
      ctx.fpscr |= FPSCR_IOC;
      return ma === INF ? sign | 0x7fff : sign;
    }
    if (ma === INF) return sign | 0x7c00;
    const n = processNaN(a, ctx);
    return n === DEFAULT_NAN ? 0x7e00 : sign | 0x7e00 | ((n >>> 13) & 0x1ff);
  }
  if (ma === 0) return sign;
  return roundHalf(a >>> 31, significand(a), exponent(a), false, alternative, ctx);
}

/** Half to single precision: always exact. */
export function fpFromHalf(h: number, ctx: FpContext): number {
  const sign = ((h >>> 15) & 1) << 31;
  const field = (h >>> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (field === 0x1f && (ctx.fpscr & FPSCR_AHP) === 0) {
    if (frac === 0) return sign | INF;
    return processNaN(sign | INF | (frac << 13), ctx);
  }
  if (field === 0 && frac === 0) return sign;
  return field === 0 ? roundSingle(sign >>> 31, frac, -24, false, ctx) : roundSingle(sign >>> 31, frac | 0x400, field - 25, false, ctx);
}

/** FPToFixed: the value times 2^fracBits, rounded to an integer of `size` bits, saturated. */
function toFixed(a: number, fracBits: number, unsigned: boolean, size: number, roundTowardZero: boolean, ctx: FpContext): number {
  const ma = a & 0x7fffffff;
  if (ma > INF) {
    ctx.fpscr |= FPSCR_IOC;
    return 0;
  }
  a = flushInput(a, ctx);
  const negative = a < 0;
  const max = unsigned ? pow2(size) - 1 : pow2(size - 1) - 1;
  const min = unsigned ? 0 : -pow2(size - 1);
  let value: number;
  let rest = 0;
  if (ma === INF) value = negative ? -Infinity : Infinity;
  else if ((a & 0x7fffffff) === 0) value = 0;
  else {
    const scaled = significand(a) * pow2(exponent(a) + fracBits);
    let whole = Math.floor(scaled);
    rest = scaled - whole;
    if (rest !== 0) {
      const mode = roundTowardZero ? RMODE_ZERO : (ctx.fpscr >>> FPSCR_RMODE_SHIFT) & 3;
      const up =
        mode === RMODE_NEAREST ? rest > 0.5 || (rest === 0.5 && whole % 2 === 1) : mode === RMODE_PLUS_INF ? !negative : mode === RMODE_MINUS_INF && negative;
      if (up) whole += 1;
    }
    value = negative ? -whole : whole;
  }
  if (value > max || value < min) {
    ctx.fpscr |= FPSCR_IOC;
    value = value > max ? max : min;
  } else if (rest !== 0) {
    ctx.fpscr |= FPSCR_IXC;
  }
  return unsigned && size === 16 ? value : value | 0;
}

/** FixedToFP: the integer in the low `size` bits over 2^fracBits, rounded to single as FPSCR says. */
function fromFixed(a: number, fracBits: number, unsigned: boolean, size: number, ctx: FpContext): number {
  let v: number;
  if (size === 16) v = unsigned ? a & 0xffff : (a << 16) >> 16;
  else v = unsigned ? a >>> 0 : a | 0;
  if (v === 0) return 0;
  if ((ctx.fpscr & FPSCR_RMODE_MASK) === 0) {
    const exact = v * pow2(-fracBits);
    return nearest(exact, Math.fround(exact), ctx);
  }
  const sign = v < 0 ? 1 : 0;
  return roundSingle(sign, Math.abs(v), -fracBits, false, ctx);
}
