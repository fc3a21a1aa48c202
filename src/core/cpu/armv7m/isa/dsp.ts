// The DSP extension (A5.3.14-A5.3.17, A5.3.3, A5.3.11): parallel add/subtract with GE (signed,
// unsigned, saturating Q, halving H), SEL, Q arithmetic, SSAT16/USAT16, PKHBT/PKHTB, the 16-bit
// and dual multiplies (SMLAxy, SMLAWy, SMLAD/SMLSD, SMLALxy, SMLALD/SMLSLD), SMMUL/SMMLA/SMMLS,
// UMAAL and USAD8/USADA8. Products are exact in doubles (< 2^53) except the 64-bit ones.
import { satQ, signedSat, unsignedSat } from './alu';
import { CYCLES } from './cycles';
import { enc, type Encoding } from './encoding';
import { assign, type Core, type Inst } from './inst';
import { add64, hi, lo, mul64, set64 } from './multiply';

/** Parallel op1 (hw1[6:4]) values. */
const enum Par { ADD8 = 0, ADD16 = 1, ASX = 2, SUB8 = 4, SUB16 = 5, SAX = 6 }
/** Parallel kinds (hw2[5:4]). */
const enum Kind { Plain = 0, Sat = 1, Halve = 2 }

/** One lane: `s` the exact sum or difference; returns the lane bits, sets GE bits `geMask` in `ge`. */
let ge = 0;
function lane(s: number, add: boolean, unsigned: boolean, kind: number, width: number, geMask: number): number {
  const mask = width === 16 ? 0xffff : 0xff;
  if (kind === Kind.Sat) return (unsigned ? unsignedSat(s, width) : signedSat(s, width)) & mask;
  if (kind === Kind.Halve) return (s >> 1) & mask;
  if (unsigned ? (add ? s >= mask + 1 : s >= 0) : s >= 0) ge |= geMask;
  return s & mask;
}

function parallel(c: Core, i: Inst): void {
  const a = c.r[i.rn];
  const b = c.r[i.rm];
  const u = i.flags === 1;
  const kind = i.shiftType;
  ge = 0;
  let res = 0;
  if (i.op === Par.ADD8 || i.op === Par.SUB8) {
    const add = i.op === Par.ADD8;
    for (let k = 0; k < 32; k += 8) {
      const x = u ? (a >>> k) & 0xff : (a << (24 - k)) >> 24;
      const y = u ? (b >>> k) & 0xff : (b << (24 - k)) >> 24;
      res |= lane(add ? x + y : x - y, add, u, kind, 8, 1 << (k >>> 3)) << k;
    }
  } else {
    const a0 = u ? a & 0xffff : (a << 16) >> 16;
    const a1 = u ? a >>> 16 : a >> 16;
    const b0 = u ? b & 0xffff : (b << 16) >> 16;
    const b1 = u ? b >>> 16 : b >> 16;
    let add0 = true;
    let add1 = true;
    let s0: number;
    let s1: number;
    switch (i.op) {
      case Par.ADD16: s0 = a0 + b0; s1 = a1 + b1; break;
      case Par.ASX: s0 = a0 - b1; s1 = a1 + b0; add0 = false; break;
      case Par.SAX: s0 = a0 + b1; s1 = a1 - b0; add1 = false; break;
      default: s0 = a0 - b0; s1 = a1 - b1; add0 = add1 = false; break;
    }
    res = lane(s0, add0, u, kind, 16, 3) | (lane(s1, add1, u, kind, 16, 0xc) << 16);
  }
  c.r[i.rd] = res;
  if (kind === Kind.Plain) c.state.ge = ge;
}

function sel(c: Core, i: Inst): void {
  const g = c.state.ge;
  const mask = (g & 1 ? 0xff : 0) | (g & 2 ? 0xff00 : 0) | (g & 4 ? 0xff0000 : 0) | (g & 8 ? 0xff000000 : 0);
  c.r[i.rd] = (c.r[i.rn] & mask) | (c.r[i.rm] & ~mask);
}

/** QADD, QDADD, QSUB, QDSUB (op = hw2[5:4]): Rm ± (doubled) Rn, saturated. */
function qArith(c: Core, i: Inst): void {
  let n = c.r[i.rn];
  let q = 0;
  if (i.op & 1) {
    n = signedSat(n * 2, 32);
    q = satQ;
  }
  const r = signedSat(i.op & 2 ? c.r[i.rm] - n : c.r[i.rm] + n, 32);
  if (q | satQ) c.state.q = 1;
  c.r[i.rd] = r;
}

/** SSAT16/USAT16 (op 0/1) to imm bits. */
function sat16(c: Core, i: Inst): void {
  const v = c.r[i.rn];
  const f = i.op ? unsignedSat : signedSat;
  const r0 = f((v << 16) >> 16, i.imm);
  let q = satQ;
  const r1 = f(v >> 16, i.imm);
  q |= satQ;
  c.r[i.rd] = (r0 & 0xffff) | (r1 << 16);
  if (q) c.state.q = 1;
}

/** PKHBT (op 0: LSL) / PKHTB (op 1: ASR). */
function pkh(c: Core, i: Inst): void {
  const a = c.r[i.rn];
  const m = c.r[i.rm];
  c.r[i.rd] = i.op
    ? (a & 0xffff0000) | ((i.shiftN >= 32 ? m >> 31 : m >> i.shiftN) & 0xffff)
    : (a & 0xffff) | ((m << i.shiftN) & 0xffff0000);
}

function half(v: number, top: number): number {
  return top ? v >> 16 : (v << 16) >> 16;
}

/** Adds to Ra with Q on signed overflow, unless ra is 15 (the SMUL forms). */
function accumulate(c: Core, i: Inst, p: number): void {
  if (i.ra !== 15) p += c.r[i.ra];
  if (p > 0x7fffffff || p < -0x80000000) c.state.q = 1;
  c.r[i.rd] = p | 0;
}

/** SMLAxy/SMULxy: shiftType bit 1 N (top of Rn), bit 0 M (top of Rm). */
function smlaxy(c: Core, i: Inst): void {
  accumulate(c, i, half(c.r[i.rn], i.shiftType & 2) * half(c.r[i.rm], i.shiftType & 1));
}

/** SMLAWy/SMULWy: the top 32 bits of the 48-bit product Rn * Rm.half. */
function smlawy(c: Core, i: Inst): void {
  accumulate(c, i, Math.floor((c.r[i.rn] * half(c.r[i.rm], i.shiftType & 1)) / 65536));
}

/** The two products of the dual multiplies, Rm's halves swapped when X (flags 1). */
let p1 = 0;
let p2 = 0;
function dual(c: Core, i: Inst): void {
  const n = c.r[i.rn];
  let m = c.r[i.rm];
  if (i.flags) m = (m >>> 16) | (m << 16);
  p1 = half(n, 0) * half(m, 0);
  p2 = half(n, 1) * half(m, 1);
}

/** SMLAD/SMUAD (op 0) and SMLSD/SMUSD (op 1). */
function smlad(c: Core, i: Inst): void {
  dual(c, i);
  accumulate(c, i, i.op ? p1 - p2 : p1 + p2);
}

/** Adds a signed value below 2^53 to the 64-bit RdHi:RdLo (ra:rd). */
function accumulate64(c: Core, i: Inst, x: number): void {
  const h = Math.floor(x / 4294967296);
  set64(c.r[i.rd], c.r[i.ra]);
  add64(x - h * 4294967296, h);
  c.r[i.rd] = lo;
  c.r[i.ra] = hi;
}

/** SMLALD (op 0) / SMLSLD (op 1). */
function smlald(c: Core, i: Inst): void {
  dual(c, i);
  accumulate64(c, i, i.op ? p1 - p2 : p1 + p2);
}

function smlalxy(c: Core, i: Inst): void {
  accumulate64(c, i, half(c.r[i.rn], i.shiftType & 2) * half(c.r[i.rm], i.shiftType & 1));
}

/** SMMUL/SMMLA (op 0) and SMMLS (op 1); flags 1 rounds (R). */
function smmul(c: Core, i: Inst): void {
  mul64(c.r[i.rn], c.r[i.rm], true);
  let l = lo;
  let h = hi;
  if (i.op) {
    // Ra:0 - product
    l = -l | 0;
    h = (~h + (l === 0 ? 1 : 0)) | 0;
  }
  if (i.ra !== 15) h = (h + c.r[i.ra]) | 0;
  if (i.flags) {
    set64(l, h);
    add64(0x80000000, 0);
    h = hi;
  }
  c.r[i.rd] = h;
}

function umaal(c: Core, i: Inst): void {
  const r = c.r;
  mul64(r[i.rn], r[i.rm], false);
  add64(r[i.rd], 0);
  add64(r[i.ra], 0);
  r[i.rd] = lo;
  r[i.ra] = hi;
}

function usad8(c: Core, i: Inst): void {
  const a = c.r[i.rn];
  const b = c.r[i.rm];
  let s = i.ra === 15 ? 0 : c.r[i.ra];
  for (let k = 0; k < 32; k += 8) s += Math.abs(((a >>> k) & 0xff) - ((b >>> k) & 0xff));
  c.r[i.rd] = s | 0;
}

function bad(...regs: number[]): boolean {
  return regs.some((x) => x === 13 || x === 15);
}


export const DSP: Encoding[] = [
  enc('11111010 1 ooo nnnn 1111 dddd 0 u kk mmmm', (f, i) => {
    if (f.o === 3 || f.o === 7 || f.k === 3 || bad(f.d, f.n, f.m)) return;
    assign(i, parallel, f.o, f.d, f.n, f.m, CYCLES.alu);
    i.flags = f.u;
    i.shiftType = f.k;
  }),
  enc('11111010 1 0 00 nnnn 1111 dddd 10 oo mmmm', (f, i) => {
    if (bad(f.d, f.n, f.m)) return;
    assign(i, qArith, f.o, f.d, f.n, f.m, CYCLES.alu);
  }),
  enc('11111010 1 0 10 nnnn 1111 dddd 1000 mmmm', (f, i) => {
    if (bad(f.d, f.n, f.m)) return;
    assign(i, sel, 0, f.d, f.n, f.m, CYCLES.alu);
  }),
  enc('11110 0 11 u 010 nnnn 0000 dddd 00 00 iiii', (f, i) => {
    if (bad(f.d, f.n)) return;
    assign(i, sat16, f.u, f.d, f.n, 0, CYCLES.alu);
    i.imm = f.u ? f.i : f.i + 1;
  }),
  enc('11101 01 0110 0 nnnn 0 iii dddd ii t 0 mmmm', (f, i) => {
    if (bad(f.d, f.n, f.m)) return;
    assign(i, pkh, f.t, f.d, f.n, f.m, CYCLES.alu);
    i.shiftN = f.t && f.i === 0 ? 32 : f.i;
  }),
  enc('11111 0110 001 nnnn aaaa dddd 00 xy mmmm', (f, i) => {
    if (bad(f.d, f.n, f.m) || f.a === 13) return;
    assign(i, smlaxy, 0, f.d, f.n, f.m, CYCLES.mul);
    i.ra = f.a;
    i.shiftType = (f.x << 1) | f.y;
  }),
  enc('11111 0110 o o 0 nnnn aaaa dddd 000 X mmmm', (f, i) => {
    // 010 SMLAD/SMUAD, 100 SMLSD/SMUSD
    if ((f.o !== 1 && f.o !== 2) || bad(f.d, f.n, f.m) || f.a === 13) return;
    assign(i, smlad, f.o === 2 ? 1 : 0, f.d, f.n, f.m, CYCLES.mul);
    i.ra = f.a;
    i.flags = f.X;
  }),
  enc('11111 0110 011 nnnn aaaa dddd 000 y mmmm', (f, i) => {
    if (bad(f.d, f.n, f.m) || f.a === 13) return;
    assign(i, smlawy, 0, f.d, f.n, f.m, CYCLES.mul);
    i.ra = f.a;
    i.shiftType = f.y;
  }),
  enc('11111 0110 1 oo nnnn aaaa dddd 000 R mmmm', (f, i) => {
    // 101 SMMUL/SMMLA, 110 SMMLS
    if (f.o === 0 || f.o === 3 || bad(f.d, f.n, f.m) || f.a === 13 || (f.o === 2 && f.a === 15)) return;
    assign(i, smmul, f.o === 2 ? 1 : 0, f.d, f.n, f.m, CYCLES.mul);
    i.ra = f.a;
    i.flags = f.R;
  }),
  enc('11111 0110 111 nnnn aaaa dddd 0000 mmmm', (f, i) => {
    if (bad(f.d, f.n, f.m) || f.a === 13) return;
    assign(i, usad8, 0, f.d, f.n, f.m, CYCLES.mul);
    i.ra = f.a;
  }),
  enc('11111 0111 100 nnnn llll hhhh 10 xy mmmm', (f, i) => {
    if (bad(f.l, f.h, f.n, f.m) || f.l === f.h) return;
    assign(i, smlalxy, 0, f.l, f.n, f.m, CYCLES.mulLong);
    i.ra = f.h;
    i.shiftType = (f.x << 1) | f.y;
  }),
  enc('11111 0111 10 o nnnn llll hhhh 110 X mmmm', (f, i) => {
    if (bad(f.l, f.h, f.n, f.m) || f.l === f.h) return;
    assign(i, smlald, f.o, f.l, f.n, f.m, CYCLES.mulLong);
    i.ra = f.h;
    i.flags = f.X;
  }),
  enc('11111 0111 110 nnnn llll hhhh 0110 mmmm', (f, i) => {
    if (bad(f.l, f.h, f.n, f.m) || f.l === f.h) return;
    assign(i, umaal, 0, f.l, f.n, f.m, CYCLES.mulLong);
    i.ra = f.h;
  }),
];
