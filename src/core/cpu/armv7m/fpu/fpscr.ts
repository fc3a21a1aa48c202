// The FPSCR fields the FPv4-SP arithmetic reads and the cumulative exception flags it sets (ARMv7-M
// ARM A2.5.3). The caller passes FPSCR in a small mutable object; the functions OR flags into it.

export interface FpContext {
  fpscr: number;
}

/** Cumulative exception flags. */
export const FPSCR_IOC = 1 << 0;
export const FPSCR_DZC = 1 << 1;
export const FPSCR_OFC = 1 << 2;
export const FPSCR_UFC = 1 << 3;
export const FPSCR_IXC = 1 << 4;
export const FPSCR_IDC = 1 << 7;

/** Rounding mode, FPSCR[23:22]. */
export const FPSCR_RMODE_SHIFT = 22;
export const FPSCR_RMODE_MASK = 3 << FPSCR_RMODE_SHIFT;
export const RMODE_NEAREST = 0;
export const RMODE_PLUS_INF = 1;
export const RMODE_MINUS_INF = 2;
export const RMODE_ZERO = 3;

/** Flush-to-zero, default NaN and alternative half-precision modes. */
export const FPSCR_FZ = 1 << 24;
export const FPSCR_DN = 1 << 25;
export const FPSCR_AHP = 1 << 26;
