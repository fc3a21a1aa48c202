// NaN handling of the ARMv7-M ARM pseudocode (FPProcessNaN, FPProcessNaNs, FPProcessNaNs3): a
// signalling NaN sets IOC and is quieted, signalling NaNs win over quiet ones, then the first
// operand wins; in default NaN mode every NaN result is the default NaN.
import { FPSCR_DN, FPSCR_IOC, type FpContext } from './fpscr';

export const DEFAULT_NAN = 0x7fc00000;
const QUIET_BIT = 0x00400000;

export function isNaN32(x: number): boolean {
  return (x & 0x7fffffff) > 0x7f800000;
}

export function isSignallingNaN32(x: number): boolean {
  return (x & 0x7fc00000) === 0x7f800000 && (x & 0x003fffff) !== 0;
}

/** The result for one NaN operand `x`. */
export function processNaN(x: number, ctx: FpContext): number {
  if ((x & QUIET_BIT) === 0) ctx.fpscr |= FPSCR_IOC;
  return (ctx.fpscr & FPSCR_DN) !== 0 ? DEFAULT_NAN : x | QUIET_BIT;
}

/** The result when `a` or `b` (or both) is a NaN. */
export function processNaNs(a: number, b: number, ctx: FpContext): number {
  if (isSignallingNaN32(a)) return processNaN(a, ctx);
  if (isSignallingNaN32(b)) return processNaN(b, ctx);
  return processNaN(isNaN32(a) ? a : b, ctx);
}

/** The result when any of `a`, `b`, `c` is a NaN (FPMulAdd passes the addend as `a`). */
export function processNaNs3(a: number, b: number, c: number, ctx: FpContext): number {
  if (isSignallingNaN32(a)) return processNaN(a, ctx);
  if (isSignallingNaN32(b)) return processNaN(b, ctx);
  if (isSignallingNaN32(c)) return processNaN(c, ctx);
  return processNaN(isNaN32(a) ? a : isNaN32(b) ? b : c, ctx);
}
