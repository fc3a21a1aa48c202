// Multiply and divide (A5.2.2 MUL, A5.3.16, A5.3.17): MUL/MLA/MLS, the 64-bit products
// UMULL/SMULL/UMLAL/SMLAL, and SDIV/UDIV with CCR.DIV_0_TRP. The DSP multiplies are in dsp.ts.
import { CYCLES, divideCycles } from './cycles';
import { enc, type Encoding } from './encoding';
import type { Core, Inst } from './inst';

/** The two halves of the last `mul64`/`add64`. */
export let lo = 0;
export let hi = 0;

/** The 64-bit product of two 32-bit values, signed or unsigned, into `lo`/`hi`. */
export function mul64(a: number, b: number, signed: boolean): void {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  lo = (p00 & 0xffff) | (mid << 16);
  let h = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + Math.floor(mid / 65536);
  if (signed) {
    if (a < 0) h -= b >>> 0;
    if (b < 0) h -= a >>> 0;
  }
  hi = h | 0;
}

/** Loads lo:hi, for an accumulation that starts from registers. */
export function set64(l: number, h: number): void {
  lo = l;
  hi = h;
}

/** lo:hi += addLo:addHi (64-bit, wrapping). */
export function add64(addLo: number, addHi: number): void {
  const s = (lo >>> 0) + (addLo >>> 0);
  lo = s | 0;
  hi = (hi + addHi + (s > 0xffffffff ? 1 : 0)) | 0;
}

const enum Op { MUL, MLA, MLS }

function mul(c: Core, i: Inst): void {
  const st = c.state;
  const p = Math.imul(c.r[i.rn], c.r[i.rm]);
  const res = i.op === Op.MUL ? p : i.op === Op.MLA ? (c.r[i.ra] + p) | 0 : (c.r[i.ra] - p) | 0;
  c.r[i.rd] = res;
  if (i.setflags) {
    st.n = res >>> 31;
    st.z = res === 0 ? 1 : 0;
  }
}

const enum Long { SMULL, UMULL, SMLAL, UMLAL }

/** rd holds RdLo, ra RdHi. */
function mulLong(c: Core, i: Inst): void {
  const r = c.r;
  mul64(r[i.rn], r[i.rm], i.op === Long.SMULL || i.op === Long.SMLAL);
  if (i.op >= Long.SMLAL) add64(r[i.rd], r[i.ra]);
  r[i.rd] = lo;
  r[i.ra] = hi;
}

function div(c: Core, i: Inst): void {
  const n = c.r[i.rn];
  const m = c.r[i.rm];
  if (m === 0) {
    if (c.hooks.trapDivideByZero) c.hooks.usageFault('DIVBYZERO');
    c.r[i.rd] = 0;
    return;
  }
  const q = i.op ? ((n >>> 0) / (m >>> 0)) | 0 : (n / m) | 0;
  c.r[i.rd] = q;
  c.state.cycles += divideCycles(q >>> 0) - CYCLES.divMin;
}

function bad(...regs: number[]): boolean {
  return regs.some((x) => x === 13 || x === 15);
}

export const MULTIPLY: Encoding[] = [
  enc('010000 1101 nnn ddd', (f, i) => {
    i.exec = mul;
    i.op = Op.MUL;
    i.rd = f.d;
    i.rn = f.n;
    i.rm = f.d;
    i.setflags = i.itBefore === 0 ? 1 : 0;
    i.cycles = CYCLES.mul;
  }),
  enc('11111 0110 000 nnnn aaaa dddd 00 oo mmmm', (f, i) => {
    if (f.o > 1 || bad(f.n, f.m, f.d) || f.a === 13 || (f.o === 1 && f.a === 15)) return;
    i.exec = mul;
    i.op = f.o ? Op.MLS : f.a === 15 ? Op.MUL : Op.MLA;
    i.rd = f.d;
    i.rn = f.n;
    i.rm = f.m;
    i.ra = f.a;
    i.cycles = i.op === Op.MUL ? CYCLES.mul : CYCLES.mulAcc;
  }),
  enc('11111 0111 o u 0 nnnn llll hhhh 0000 mmmm', (f, i) => {
    if (bad(f.n, f.m, f.l, f.h) || f.l === f.h) return;
    i.exec = mulLong;
    i.op = f.o ? (f.u ? Long.UMLAL : Long.SMLAL) : f.u ? Long.UMULL : Long.SMULL;
    i.rd = f.l;
    i.ra = f.h;
    i.rn = f.n;
    i.rm = f.m;
    i.cycles = CYCLES.mulLong;
  }),
  enc('11111 0111 0 u 1 nnnn 1111 dddd 1111 mmmm', (f, i) => {
    if (bad(f.n, f.m, f.d)) return;
    i.exec = div;
    i.op = f.u;
    i.rd = f.d;
    i.rn = f.n;
    i.rm = f.m;
    i.cycles = CYCLES.divMin;
  }),
];
