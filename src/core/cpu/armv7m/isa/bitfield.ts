// Bit-field and byte operations (A5.3.3, A5.3.13, A5.3.15, A5.2.5): SSAT/USAT, SBFX/UBFX,
// BFI/BFC, the extends (with rotation and optional add, incl. the dual-halfword B16 forms),
// CLZ, RBIT, REV, REV16, REVSH.
import { satQ, signedSat, unsignedSat } from './alu';
import { CYCLES } from './cycles';
import { enc, type Encoding } from './encoding';
import { assign, type Core, type Inst } from './inst';

/** Saturate Rn (shifted: shiftType 0 LSL, 2 ASR) to imm bits; op 0 signed, 1 unsigned. */
function sat(c: Core, i: Inst): void {
  const v = i.shiftType === 2 ? c.r[i.rn] >> i.shiftN : c.r[i.rn] << i.shiftN;
  c.r[i.rd] = (i.op ? unsignedSat(v, i.imm) : signedSat(v, i.imm)) | 0;
  if (satQ) c.state.q = 1;
}

/** UBFX/SBFX: imm is the lsb, shiftN the width. */
function ubfx(c: Core, i: Inst): void {
  const w = i.shiftN;
  const v = c.r[i.rn] >>> i.imm;
  c.r[i.rd] = w === 32 ? v : v & ((1 << w) - 1);
}

function sbfx(c: Core, i: Inst): void {
  const s = 32 - i.shiftN;
  c.r[i.rd] = ((c.r[i.rn] >>> i.imm) << s) >> s;
}

/** BFI (and BFC with rn 15: inserts zeros); imm the lsb, shiftN the width. */
function bfi(c: Core, i: Inst): void {
  const w = i.shiftN;
  const field = (w === 32 ? -1 : (1 << w) - 1) << i.imm;
  const src = i.rn === 15 ? 0 : c.r[i.rn] << i.imm;
  c.r[i.rd] = (c.r[i.rd] & ~field) | (src & field);
}

const enum Ext { SXTH, UXTH, SXTB16, UXTB16, SXTB, UXTB }

/** Extend Rm rotated right by shiftN, plus Rn unless rn is 15. */
function extend(c: Core, i: Inst): void {
  const m = c.r[i.rm];
  const rot = i.shiftN;
  const v = rot === 0 ? m : (m >>> rot) | (m << (32 - rot));
  const a = i.rn === 15 ? 0 : c.r[i.rn];
  let res: number;
  switch (i.op) {
    case Ext.SXTH: res = a + ((v << 16) >> 16); break;
    case Ext.UXTH: res = a + (v & 0xffff); break;
    case Ext.SXTB16: res = (((a >> 16) + ((v << 8) >> 24)) << 16) | ((a + ((v << 24) >> 24)) & 0xffff); break;
    case Ext.UXTB16: res = (((a >>> 16) + ((v >>> 16) & 0xff)) << 16) | ((a + (v & 0xff)) & 0xffff); break;
    case Ext.SXTB: res = a + ((v << 24) >> 24); break;
    default: res = a + (v & 0xff); break;
  }
  c.r[i.rd] = res | 0;
}

const enum Rev { REV, REV16, RBIT, REVSH, CLZ }

function bytes(c: Core, i: Inst): void {
  const v = c.r[i.rm];
  let res: number;
  switch (i.op) {
    case Rev.REV: res = (v << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24); break;
    case Rev.REV16: res = ((v & 0x00ff00ff) << 8) | ((v >>> 8) & 0x00ff00ff); break;
    case Rev.RBIT: {
      let x = v;
      x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
      x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
      x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
      res = (x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
      break;
    }
    case Rev.REVSH: res = (((v & 0xff) << 24) >> 16) | ((v >>> 8) & 0xff); break;
    default: res = Math.clz32(v); break;
  }
  c.r[i.rd] = res;
}

function bad(r: number): boolean {
  return r === 13 || r === 15;
}


export const BITFIELD: Encoding[] = [
  enc('1011 0010 oo mmm ddd', (f, i) => assign(i, extend, [Ext.SXTH, Ext.SXTB, Ext.UXTH, Ext.UXTB][f.o], f.d, 15, f.m, CYCLES.alu)),
  enc('1011 1010 oo mmm ddd', (f, i) => {
    if (f.o === 2) return;
    assign(i, bytes, [Rev.REV, Rev.REV16, 0, Rev.REVSH][f.o], f.d, 0, f.m, CYCLES.alu);
  }),
  // SSAT/USAT: sh selects ASR; the saturate position is imm+1 (signed) or imm (unsigned)
  enc('11110 0 11 u 0 s 0 nnnn 0 iii dddd ii 0 wwwww', (f, i) => {
    if (bad(f.d) || bad(f.n)) return;
    const amount = f.i;
    assign(i, sat, f.u, f.d, f.n, 0, CYCLES.alu);
    i.shiftType = f.s ? 2 : 0;
    i.shiftN = f.s && amount === 0 ? 31 : amount;
    i.imm = f.u ? f.w : f.w + 1;
  }),
  enc('11110 0 11 u 100 nnnn 0 iii dddd ii 0 wwwww', (f, i) => {
    const lsb = f.i;
    if (bad(f.d) || bad(f.n) || lsb + f.w > 31) return;
    assign(i, f.u ? ubfx : sbfx, 0, f.d, f.n, 0, CYCLES.alu);
    i.imm = lsb;
    i.shiftN = f.w + 1;
  }),
  enc('11110 0 110110 nnnn 0 iii dddd ii 0 mmmmm', (f, i) => {
    const lsb = f.i;
    if (bad(f.d) || f.n === 13 || f.m < lsb) return;
    assign(i, bfi, 0, f.d, f.n, 0, CYCLES.alu);
    i.imm = lsb;
    i.shiftN = f.m - lsb + 1;
  }),
  enc('11111010 0 ooo nnnn 1111 dddd 10 rr mmmm', (f, i) => {
    if (f.o > 5 || bad(f.d) || bad(f.m) || f.n === 13) return;
    assign(i, extend, f.o, f.d, f.n, f.m, CYCLES.alu);
    i.shiftN = f.r * 8;
  }),
  enc('11111010 1 0 oo nnnn 1111 dddd 10 pp mmmm', (f, i) => {
    if (f.o === 0 || f.o === 2) return; // Q arithmetic and SEL: dsp.ts
    if (f.o === 3 && f.p !== 0) return;
    if (bad(f.d) || bad(f.m) || f.n !== f.m) return;
    assign(i, bytes, f.o === 3 ? Rev.CLZ : [Rev.REV, Rev.REV16, Rev.RBIT, Rev.REVSH][f.p], f.d, 0, f.m, CYCLES.alu);
  }),
];
