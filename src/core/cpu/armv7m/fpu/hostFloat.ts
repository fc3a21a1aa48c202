// The host's own float arithmetic as a fast path for round-to-nearest: a single's bits as a double
// and back through one shared buffer. Products of two singles and sums whose operands lie within
// 28 binades are exact in a double, so Math.fround rounds them once; a quotient or square root
// rounded first to double then to single is still right in round-to-nearest, since 53 >= 2*24 + 2
// (Figueroa, "When is double rounding innocuous?"); integers and fixed-point values of up to 32
// bits are exact in a double too. Callers guard the mode, the operand classes and the result range
// (no tiny results, no overflow), and fall back to the exact path otherwise.
import { FPSCR_IXC, type FpContext } from './fpscr';

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** The smallest positive normal single, 2^-126. */
export const MIN_NORMAL = 2 ** -126;

/** The value of a single given as bits. */
export function toHost(bits: number): number {
  i32[0] = bits;
  return f32[0];
}

/** The bits of a value that is a single (not a NaN). */
export function fromHost(v: number): number {
  f32[0] = v;
  return i32[0];
}

/** True for a normal single (not zero, denormal, infinity or NaN). */
export function isNormal(bits: number): boolean {
  const e = bits & 0x7f800000;
  return e !== 0 && e !== 0x7f800000;
}

/**
 * The fast path's result `r` (the host's rounding to nearest), inexact when `exact` and `check`
 * differ (r itself, or for a quotient or root the product that gives back the operand).
 */
export function nearest(exact: number, check: number, ctx: FpContext, r = check): number {
  if (check !== exact) ctx.fpscr |= FPSCR_IXC;
  return fromHost(r);
}
