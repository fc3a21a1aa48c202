// FPv4-SP (A6.4-A6.6): VLDR/VSTR/VLDM/VSTM/VPUSH/VPOP, every VMOV, VMRS/VMSR, the arithmetic
// (VMLA & co. are a rounded multiply then a rounded add; VFMA & co. are fused), VSQRT, VABS, VNEG,
// VCMP/VCMPE and VCVT (integer, fixed point, half precision). The arithmetic itself is fpMath's;
// here only the registers, the FPSCR passed as the context, and the access rules. Double precision
// arithmetic (sz = 1) is UNDEFINED on FPv4-SP; loads, stores and moves of D registers are not.
import {
  fpAbs, fpAdd, fpCompare, fpDiv, fpFromFixed, fpFromHalf, fpFromInt, fpMul, fpMulAdd, fpNeg, fpSqrt, fpSub,
  fpToFixed, fpToHalf, fpToInt,
} from '../fpu/fpMath';
import { CYCLES } from './cycles';
import { enc, type Encoding, type Fields } from './encoding';
import { assign, type Core, type Inst } from './inst';
import { requireAligned } from './loadStore';

/** FPSCR bits software can write (N Z C V, AHP, DN, FZ, RMode, IDC, IXC UFC OFC DZC IOC). */
const FPSCR_WRITABLE = 0xf7c0009f;

/** ExecuteFPCheck: NOCP unless CPACR grants CP10/CP11; then the lazy preservation point. */
function fpCheck(c: Core): void {
  if (!c.hooks.fpEnabled()) c.hooks.usageFault('NOCP');
  c.hooks.fpPreserve();
}

const enum Ar { VMLA, VMLS, VNMLS, VNMLA, VMUL, VNMUL, VADD, VSUB, VDIV, VFNMS, VFNMA, VFMA, VFMS }

function arith(c: Core, i: Inst): void {
  fpCheck(c);
  const s = c.s;
  const st = c.state;
  const a = s[i.rn];
  const b = s[i.rm];
  const d = s[i.rd];
  let r: number;
  switch (i.op) {
    case Ar.VMLA: r = fpAdd(d, fpMul(a, b, st), st); break;
    case Ar.VMLS: r = fpAdd(d, fpNeg(fpMul(a, b, st)), st); break;
    case Ar.VNMLS: r = fpAdd(fpNeg(d), fpMul(a, b, st), st); break;
    case Ar.VNMLA: r = fpAdd(fpNeg(d), fpNeg(fpMul(a, b, st)), st); break;
    case Ar.VMUL: r = fpMul(a, b, st); break;
    case Ar.VNMUL: r = fpNeg(fpMul(a, b, st)); break;
    case Ar.VADD: r = fpAdd(a, b, st); break;
    case Ar.VSUB: r = fpSub(a, b, st); break;
    case Ar.VDIV: r = fpDiv(a, b, st); break;
    case Ar.VFNMS: r = fpMulAdd(fpNeg(d), a, b, st); break;
    case Ar.VFNMA: r = fpMulAdd(fpNeg(d), fpNeg(a), b, st); break;
    case Ar.VFMA: r = fpMulAdd(d, a, b, st); break;
    default: r = fpMulAdd(d, fpNeg(a), b, st); break;
  }
  s[i.rd] = r;
}

const enum Un { VMOV, VABS, VNEG, VSQRT, CVTB_FROM_HALF, CVTT_FROM_HALF, CVTB_TO_HALF, CVTT_TO_HALF }

function unary(c: Core, i: Inst): void {
  fpCheck(c);
  const s = c.s;
  const m = s[i.rm];
  switch (i.op) {
    case Un.VMOV: s[i.rd] = m; break;
    case Un.VABS: s[i.rd] = fpAbs(m); break;
    case Un.VNEG: s[i.rd] = fpNeg(m); break;
    case Un.VSQRT: s[i.rd] = fpSqrt(m, c.state); break;
    case Un.CVTB_FROM_HALF: s[i.rd] = fpFromHalf(m & 0xffff, c.state); break;
    case Un.CVTT_FROM_HALF: s[i.rd] = fpFromHalf(m >>> 16, c.state); break;
    case Un.CVTB_TO_HALF: s[i.rd] = (s[i.rd] & 0xffff0000) | (fpToHalf(m, c.state) & 0xffff); break;
    default: s[i.rd] = (s[i.rd] & 0xffff) | (fpToHalf(m, c.state) << 16); break;
  }
}

function vmovImm(c: Core, i: Inst): void {
  fpCheck(c);
  c.s[i.rd] = i.imm;
}

/** VCMP/VCMPE (flags 1: E, quiet NaNs raise Invalid too); rm 32 compares with +0. */
function vcmp(c: Core, i: Inst): void {
  fpCheck(c);
  const st = c.state;
  const nzcv = fpCompare(c.s[i.rd], i.rm === 32 ? 0 : c.s[i.rm], i.flags === 1, st);
  st.fpscr = (st.fpscr & 0x0fffffff) | (nzcv & 0xf0000000);
}

const enum Cvt { FROM_U32, FROM_S32, TO_U32, TO_S32 }

/** VCVT between float and 32-bit integer; flags 1: round toward zero (else FPSCR's mode). */
function vcvtInt(c: Core, i: Inst): void {
  fpCheck(c);
  const s = c.s;
  const st = c.state;
  const m = s[i.rm];
  switch (i.op) {
    case Cvt.FROM_U32: s[i.rd] = fpFromInt(m, true, st); break;
    case Cvt.FROM_S32: s[i.rd] = fpFromInt(m, false, st); break;
    case Cvt.TO_U32: s[i.rd] = fpToInt(m, true, i.flags === 1, st); break;
    default: s[i.rd] = fpToInt(m, false, i.flags === 1, st); break;
  }
}

/** VCVT to/from fixed point in place: op 1 to fixed; flags bit 0 unsigned, bit 1 16-bit; imm the fraction bits. */
function vcvtFixed(c: Core, i: Inst): void {
  fpCheck(c);
  const s = c.s;
  const unsigned = (i.flags & 1) !== 0;
  const size16 = (i.flags & 2) !== 0;
  s[i.rd] = i.op
    ? fpToFixed(s[i.rd], i.imm, unsigned, size16, c.state)
    : fpFromFixed(s[i.rd], i.imm, unsigned, size16, c.state);
}

/** VMOV between a core register (rd) and a single (rn); op 1 to the core register. */
function vmovCore(c: Core, i: Inst): void {
  fpCheck(c);
  if (i.op) c.r[i.rd] = c.s[i.rn];
  else c.s[i.rn] = c.r[i.rd];
}

/** VMOV between two core registers (rd, ra) and two singles (rm, rm + 1); op 1 to the core registers. */
function vmovCore2(c: Core, i: Inst): void {
  fpCheck(c);
  if (i.op) {
    c.r[i.rd] = c.s[i.rm];
    c.r[i.ra] = c.s[i.rm + 1];
  } else {
    c.s[i.rm] = c.r[i.rd];
    c.s[i.rm + 1] = c.r[i.ra];
  }
}

/** VMRS (op 1; rd 15 means APSR_nzcv) and VMSR (op 0). */
function vmrs(c: Core, i: Inst): void {
  fpCheck(c);
  const st = c.state;
  if (i.op === 0) {
    st.fpscr = c.r[i.rd] & FPSCR_WRITABLE;
    return;
  }
  if (i.rd !== 15) {
    c.r[i.rd] = st.fpscr;
    return;
  }
  const f = st.fpscr;
  st.n = (f >>> 31) & 1;
  st.z = (f >>> 30) & 1;
  st.c = (f >>> 29) & 1;
  st.v = (f >>> 28) & 1;
}

/** VLDR/VSTR of one single (imm carries the offset's sign; rn 15 is Align(PC, 4)); ra 1 for a D register pair. */
function vldr(c: Core, i: Inst): void {
  fpCheck(c);
  const base = i.rn === 15 ? (i.addr + 4) & ~3 : c.r[i.rn];
  const addr = (base + i.imm) >>> 0;
  requireAligned(c, addr, 3);
  const w0 = c.bus.read32(addr) | 0;
  if (i.ra) {
    const w1 = c.bus.read32((addr + 4) >>> 0) | 0;
    c.s[i.rd + 1] = w1;
  }
  c.s[i.rd] = w0;
}

function vstr(c: Core, i: Inst): void {
  fpCheck(c);
  const base = i.rn === 15 ? (i.addr + 4) & ~3 : c.r[i.rn];
  const addr = (base + i.imm) >>> 0;
  requireAligned(c, addr, 3);
  c.bus.write32(addr, c.s[i.rd] >>> 0);
  if (i.ra) c.bus.write32((addr + 4) >>> 0, c.s[i.rd + 1] >>> 0);
}

/** VLDM/VSTM: shiftN singles from rd; flags bit 0 DB, bit 1 writeback; op 1 load. */
function vldm(c: Core, i: Inst): void {
  fpCheck(c);
  const n = i.shiftN;
  const base = c.r[i.rn];
  const start = i.flags & 1 ? (base - 4 * n) | 0 : base;
  requireAligned(c, start, 3);
  let addr = start >>> 0;
  for (let k = 0; k < n; k++) {
    if (i.op) c.s[i.rd + k] = c.bus.read32(addr) | 0;
    else c.bus.write32(addr, c.s[i.rd + k] >>> 0);
    addr = (addr + 4) >>> 0;
  }
  if (i.flags & 2) c.r[i.rn] = i.flags & 1 ? start : (base + 4 * n) | 0;
  c.state.cycles += n;
}

/** VFPExpandImm for single precision (A6.4.1). */
function expandImm(imm8: number): number {
  const b6 = (imm8 >>> 6) & 1;
  const exp = ((b6 ^ 1) << 7) | (b6 ? 0x7c : 0) | ((imm8 >>> 4) & 3);
  return ((imm8 >>> 7) << 31) | (exp << 23) | ((imm8 & 0xf) << 19);
}


function sd(f: Fields): number {
  return (f.d << 1) | f.D;
}
function sm(f: Fields): number {
  return (f.m << 1) | f.M;
}

/** opc1 (p:qq) and opc3 bit 6 of the three-register data-processing group to an operation. */
function arithOp(p: number, q: number, o: number): number {
  if (p === 0) return [[Ar.VMLA, Ar.VMLS], [Ar.VNMLS, Ar.VNMLA], [Ar.VMUL, Ar.VNMUL], [Ar.VADD, Ar.VSUB]][q][o];
  if (q === 0) return o ? -1 : Ar.VDIV;
  if (q === 1) return o ? Ar.VFNMA : Ar.VFNMS;
  if (q === 2) return o ? Ar.VFMS : Ar.VFMA;
  return -1;
}

function arithCycles(op: number): number {
  if (op === Ar.VDIV) return CYCLES.fpDivSqrt;
  return op <= Ar.VNMLA || op >= Ar.VFNMS ? CYCLES.fpMulAcc : CYCLES.fpAlu;
}

export const FP: Encoding[] = [
  // three registers (A6.4): sz must be 0
  enc('11101110 p D qq nnnn dddd 101 0 N o M 0 mmmm', (f, i) => {
    const op = arithOp(f.p, f.q, f.o);
    if (op < 0) return;
    assign(i, arith, op, sd(f), (f.n << 1) | f.N, sm(f), arithCycles(op));
  }),
  // VMOV immediate
  enc('11101110 1 D 11 hhhh dddd 101 0 0 0 0 0 llll', (f, i) => {
    assign(i, vmovImm, 0, sd(f), 0, 0, CYCLES.fpAlu);
    i.imm = expandImm((f.h << 4) | f.l);
  }),
  // the other data-processing forms, by opc2 (bits 19-16) and bit 7
  enc('11101110 1 D 11 oooo dddd 101 0 T 1 M 0 mmmm', (f, i) => {
    const rd = sd(f);
    const rm = sm(f);
    switch (f.o) {
      case 0: return assign(i, unary, f.T ? Un.VABS : Un.VMOV, rd, 0, rm, CYCLES.fpAlu);
      case 1: return assign(i, unary, f.T ? Un.VSQRT : Un.VNEG, rd, 0, rm, f.T ? CYCLES.fpDivSqrt : CYCLES.fpAlu);
      case 2: return assign(i, unary, f.T ? Un.CVTT_FROM_HALF : Un.CVTB_FROM_HALF, rd, 0, rm, CYCLES.fpAlu);
      case 3: return assign(i, unary, f.T ? Un.CVTT_TO_HALF : Un.CVTB_TO_HALF, rd, 0, rm, CYCLES.fpAlu);
      case 4: case 5:
        if (f.o === 5 && (f.M !== 0 || f.m !== 0)) return;
        assign(i, vcmp, 0, rd, 0, f.o === 5 ? 32 : rm, CYCLES.fpAlu);
        i.flags = f.T;
        return;
      case 8: return assign(i, vcvtInt, f.T ? Cvt.FROM_S32 : Cvt.FROM_U32, rd, 0, rm, CYCLES.fpAlu);
      case 12: case 13:
        assign(i, vcvtInt, f.o === 13 ? Cvt.TO_S32 : Cvt.TO_U32, rd, 0, rm, CYCLES.fpAlu);
        i.flags = f.T;
        return;
      default: return;
    }
  }),
  // VCVT fixed point: op (to fixed), U, sx (32-bit), imm4:i
  enc('11101110 1 D 111 o 1 U dddd 101 0 x 1 i 0 jjjj', (f, i) => {
    const size = f.x ? 32 : 16;
    const imm = (f.j << 1) | f.i;
    if (imm > size) return;
    assign(i, vcvtFixed, f.o, sd(f), 0, 0, CYCLES.fpAlu);
    i.flags = f.U | (f.x ? 0 : 2);
    i.imm = size - imm;
  }),
  // VMOV core register <-> single
  enc('11101110 000 o nnnn tttt 1010 N 00 1 0000', (f, i) => {
    if (f.t === 13 || f.t === 15) return;
    assign(i, vmovCore, f.o, f.t, (f.n << 1) | f.N, 0, CYCLES.fpAlu);
  }),
  // VMOV core register <-> scalar Dn[x] (the single 2n + x)
  enc('11101110 00 x o nnnn tttt 1011 N 00 1 0000', (f, i) => {
    if (f.t === 13 || f.t === 15 || f.N) return;
    assign(i, vmovCore, f.o, f.t, (f.n << 1) | f.x, 0, CYCLES.fpAlu);
  }),
  // VMOV two core registers <-> two singles (s = 0) or a D register (s = 1)
  enc('11101100 010 o uuuu tttt 101 s 00 M 1 mmmm', (f, i) => {
    const first = f.s ? (f.M << 4 | f.m) << 1 : sm(f);
    if (f.t === 13 || f.t === 15 || f.u === 13 || f.u === 15 || first === 31 || (f.o && f.t === f.u)) return;
    assign(i, vmovCore2, f.o, f.t, 0, first, CYCLES.fpMove2);
    i.ra = f.u;
  }),
  // VMRS / VMSR (FPSCR only)
  enc('11101110 111 o 0001 tttt 1010 0001 0000', (f, i) => {
    if (f.t === 13 || (f.t === 15 && !f.o)) return;
    assign(i, vmrs, f.o, f.t, 0, 0, CYCLES.fpAlu);
  }),
  // VLDR / VSTR, single (s 0) or double (s 1)
  enc('1110 1101 U D 0 L nnnn dddd 101 s iiiiiiii', (f, i) => {
    if (!f.L && f.n === 15) return;
    const rd = f.s ? ((f.D << 4) | f.d) << 1 : sd(f);
    if (rd > 31) return;
    assign(i, f.L ? vldr : vstr, 0, rd, f.n, 0, f.L ? CYCLES.fpLoad : CYCLES.fpStore);
    i.ra = f.s;
    i.imm = f.U ? f.i * 4 : -f.i * 4;
  }),
  // VLDM / VSTM / VPUSH / VPOP: P U W 010 IA, 011 IA!, 101 DB!
  enc('1110 110 P U D W L nnnn dddd 101 s iiiiiiii', (f, i) => {
    if (f.P === f.U || (f.P && !f.W) || f.n === 15) return;
    const rd = f.s ? ((f.D << 4) | f.d) << 1 : sd(f);
    const n = f.s ? f.i & ~1 : f.i;
    if (n === 0 || rd + n > 32 || (f.s && f.i > 32)) return;
    assign(i, vldm, f.L, rd, 0, 0, CYCLES.multipleBase);
    i.rn = f.n;
    i.shiftN = n;
    i.flags = (f.P ? 1 : 0) | (f.W ? 2 : 0);
  }),
];
