// FPUnpack of the ARMv7-M ARM on raw single bits: flush-to-zero of denormal inputs (IDC) and the
// exact value of a finite operand as significand * 2^exponent.
import { FPSCR_FZ, FPSCR_IDC, type FpContext } from './fpscr';

export const SIGN = 0x80000000 | 0;
export const INF = 0x7f800000;

/** `x` as int32, or with FPSCR.FZ set a denormal `x` replaced by a zero of its sign (IDC). */
export function flushInput(x: number, ctx: FpContext): number {
  if ((x & INF) === 0 && (x & 0x7fffff) !== 0 && (ctx.fpscr & FPSCR_FZ) !== 0) {
    ctx.fpscr |= FPSCR_IDC;
    return x & SIGN;
  }
  return x | 0;
}

/** The integer significand of a finite single (hidden bit included for normals). */
export function significand(x: number): number {
  return (x & INF) === 0 ? x & 0x7fffff : (x & 0x7fffff) | 0x800000;
}

/** The power of two the significand is scaled by. */
export function exponent(x: number): number {
  const field = (x >>> 23) & 0xff;
  return field === 0 ? -149 : field - 150;
}
