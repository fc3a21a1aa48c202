// FPRound of the ARMv7-M ARM: rounds an exact value sign * (m + t) * 2^e, where m is an integer and
// 0 <= t < 1 is known only as "zero or not" (`sticky`), to single or half precision. Callers give
// m at least 26 significant bits whenever `sticky` is set, so the round and sticky bits are exact.
// Tininess is detected before rounding (the value below the smallest normal), as the pseudocode does.
import { bitLength, pow2 } from './exactInt';
import {
  FPSCR_FZ,
  FPSCR_IOC,
  FPSCR_IXC,
  FPSCR_OFC,
  FPSCR_RMODE_SHIFT,
  FPSCR_UFC,
  RMODE_MINUS_INF,
  RMODE_NEAREST,
  RMODE_PLUS_INF,
  type FpContext,
} from './fpscr';

/** Rounds to single precision; FPSCR.FZ flushes a result below 2^-126 to zero (UFC, no IXC). */
export function roundSingle(sign: number, m: number, e: number, sticky: boolean, ctx: FpContext): number {
  return round(sign, m, e, sticky, 23, 127, false, ctx) | (sign << 31);
}

/** Rounds to half precision (IEEE, or with `alternative` the AHP format: no infinities, no NaNs). */
export function roundHalf(sign: number, m: number, e: number, sticky: boolean, alternative: boolean, ctx: FpContext): number {
  return round(sign, m, e, sticky, 10, 15, alternative, ctx) | (sign << 15);
}

/** The magnitude bits of the rounded result, m > 0. */
function round(sign: number, m: number, e: number, sticky: boolean, fracBits: number, bias: number, alternative: boolean, ctx: FpContext): number {
  const exponent = e + bitLength(m) - 1; // the value lies in [2^exponent, 2^(exponent+1))
  const minExp = 1 - bias;
  if (exponent < minExp && fracBits === 23 && (ctx.fpscr & FPSCR_FZ) !== 0) {
    ctx.fpscr |= FPSCR_UFC;
    return 0;
  }
  const tiny = exponent < minExp;
  const shift = (tiny ? minExp : exponent) - fracBits - e;
  let mant = m;
  let rest = 0; // the part of m below the result's last place, in units of that place
  if (shift > 0) {
    const scaled = m * pow2(-shift);
    mant = Math.floor(scaled);
    rest = scaled - mant;
  } else if (shift < 0) {
    mant = m * pow2(-shift);
  }
  const inexact = rest !== 0 || sticky;
  let flags = 0;
  if (inexact) {
    flags = FPSCR_IXC;
    if (tiny) flags |= FPSCR_UFC;
    const mode = (ctx.fpscr >>> FPSCR_RMODE_SHIFT) & 3;
    let up: boolean;
    if (mode === RMODE_NEAREST) up = rest > 0.5 || (rest === 0.5 && (sticky || mant % 2 === 1));
    else if (mode === RMODE_PLUS_INF) up = sign === 0;
    else if (mode === RMODE_MINUS_INF) up = sign === 1;
    else up = false;
    if (up) mant += 1;
  }
  // A normal's hidden bit adds one to the exponent field, so a carry out of the fraction lands there.
  const bits = tiny ? mant : (exponent + bias - 1) * pow2(fracBits) + mant;
  const inf = fracBits === 23 ? 0x7f800000 : 0x7c00;
  if (bits >= (alternative ? 0x8000 : inf)) return overflow(sign, inf, alternative, ctx);
  ctx.fpscr |= flags;
  return bits;
}

/** Overflow: infinity or the largest normal as the rounding mode says; AHP saturates with IOC instead. */
function overflow(sign: number, inf: number, alternative: boolean, ctx: FpContext): number {
  if (alternative) {
    ctx.fpscr |= FPSCR_IOC;
    return 0x7fff;
  }
  ctx.fpscr |= FPSCR_OFC | FPSCR_IXC;
  const mode = (ctx.fpscr >>> FPSCR_RMODE_SHIFT) & 3;
  const toInf = mode === RMODE_NEAREST || (mode === RMODE_PLUS_INF && sign === 0) || (mode === RMODE_MINUS_INF && sign === 1);
  return toInf ? inf : inf - 1;
}
