// Single loads and stores (A5.2.4, A5.2.5, A5.3.7-A5.3.10) and LDRD/STRD (A5.3.8): immediate
// offset, pre- and post-indexed, register offset with LSL, PC-relative literal, and the
// unprivileged LDRT/STRT forms. A faulting access throws before any register changes.
import { CYCLES } from './cycles';
import { enc, type Encoding, type Fields } from './encoding';
import type { Core, Inst } from './inst';
import { bxWritePc } from './branch';

/** Access kinds (Inst.op). */
export const enum Size { U8, U16, W32, S8, S16 }

/** Addressing bits (Inst.flags). */
const INDEX = 1;
const ADD = 2;
const WBACK = 4;

/** CCR.UNALIGN_TRP's UsageFault on an unaligned halfword or word is the bus's to raise (CpuBus). */
function load(c: Core, op: number, addr: number): number {
  const bus = c.bus;
  switch (op) {
    case Size.U8: return bus.read8(addr);
    case Size.U16: return bus.read16(addr);
    case Size.W32: return bus.read32(addr) | 0;
    case Size.S8: return (bus.read8(addr) << 24) >> 24;
    default: return (bus.read16(addr) << 16) >> 16;
  }
}

function store(c: Core, op: number, addr: number, v: number): void {
  const bus = c.bus;
  switch (op) {
    case Size.U8: bus.write8(addr, v & 0xff); break;
    case Size.U16: bus.write16(addr, v & 0xffff); break;
    default: bus.write32(addr, v >>> 0); break;
  }
}

/** Word- (or halfword-) alignment that LDM, LDRD, LDREX... always require. */
export function requireAligned(c: Core, addr: number, mask: number): void {
  if ((addr & mask) !== 0) c.hooks.usageFault('UNALIGNED');
}

function setRt(c: Core, rt: number, v: number): void {
  if (rt === 15) bxWritePc(c, v);
  else c.r[rt] = v;
}

/** [Rn, #imm]: the common case, no writeback. */
function ldrImm(c: Core, i: Inst): void {
  setRt(c, i.rd, load(c, i.op, (c.r[i.rn] + i.imm) >>> 0));
}

function strImm(c: Core, i: Inst): void {
  store(c, i.op, (c.r[i.rn] + i.imm) >>> 0, c.r[i.rd]);
}

/** Pre- or post-indexed with writeback (the offset carries its sign). */
function ldrIdx(c: Core, i: Inst): void {
  const base = c.r[i.rn];
  const off = (base + i.imm) | 0;
  const v = load(c, i.op, (i.flags & INDEX ? off : base) >>> 0);
  c.r[i.rn] = off;
  setRt(c, i.rd, v);
}

function strIdx(c: Core, i: Inst): void {
  const base = c.r[i.rn];
  const off = (base + i.imm) | 0;
  store(c, i.op, (i.flags & INDEX ? off : base) >>> 0, c.r[i.rd]);
  c.r[i.rn] = off;
}

/** [Rn, Rm, LSL #n]. */
function ldrReg(c: Core, i: Inst): void {
  setRt(c, i.rd, load(c, i.op, (c.r[i.rn] + (c.r[i.rm] << i.shiftN)) >>> 0));
}

function strReg(c: Core, i: Inst): void {
  store(c, i.op, (c.r[i.rn] + (c.r[i.rm] << i.shiftN)) >>> 0, c.r[i.rd]);
}

/** PC-relative: the address is known at decode. */
function ldrLit(c: Core, i: Inst): void {
  setRt(c, i.rd, load(c, i.op, i.imm >>> 0));
}

/** LDRT/STRT: the access is checked as unprivileged whatever the mode. */
function ldrT(c: Core, i: Inst): void {
  const st = c.state;
  st.accessUnprivileged = true;
  try {
    c.r[i.rd] = load(c, i.op, (c.r[i.rn] + i.imm) >>> 0);
  } finally {
    st.accessUnprivileged = false;
  }
}

function strT(c: Core, i: Inst): void {
  const st = c.state;
  st.accessUnprivileged = true;
  try {
    store(c, i.op, (c.r[i.rn] + i.imm) >>> 0, c.r[i.rd]);
  } finally {
    st.accessUnprivileged = false;
  }
}

/** Preload hints: no effect. */
function hint(): void {}

/** LDRD/STRD: rd and ra are Rt and Rt2. */
function ldrd(c: Core, i: Inst): void {
  const base = i.rn === 15 ? (i.addr + 4) & ~3 : c.r[i.rn];
  const off = (base + i.imm) | 0;
  const addr = (i.flags & INDEX ? off : base) >>> 0;
  requireAligned(c, addr, 3);
  const a = c.bus.read32(addr) | 0;
  const b = c.bus.read32((addr + 4) >>> 0) | 0;
  if (i.flags & WBACK) c.r[i.rn] = off;
  c.r[i.rd] = a;
  c.r[i.ra] = b;
}

function strd(c: Core, i: Inst): void {
  const base = c.r[i.rn];
  const off = (base + i.imm) | 0;
  const addr = (i.flags & INDEX ? off : base) >>> 0;
  requireAligned(c, addr, 3);
  c.bus.write32(addr, c.r[i.rd] >>> 0);
  c.bus.write32((addr + 4) >>> 0, c.r[i.ra] >>> 0);
  if (i.flags & WBACK) c.r[i.rn] = off;
}

function access(i: Inst, load: boolean, op: number, rt: number, rn: number): void {
  i.op = op;
  i.rd = rt;
  i.rn = rn;
  i.cycles = load ? CYCLES.load : CYCLES.store;
  if (load && rt === 15) i.endsBlock = true;
}

const OPS_16: ReadonlyArray<[boolean, Size]> = [
  [false, Size.W32], [false, Size.U16], [false, Size.U8], [true, Size.S8],
  [true, Size.W32], [true, Size.U16], [true, Size.U8], [true, Size.S16],
];

/** The 32-bit size/sign fields to an access kind, or -1 (A5.3.9, A5.3.10: S with a store is UNDEFINED). */
function kind32(s: number, z: number, l: number): number {
  if (z === 3) return -1;
  if (s) return l ? (z === 0 ? Size.S8 : z === 1 ? Size.S16 : -1) : -1;
  return z === 0 ? Size.U8 : z === 1 ? Size.U16 : Size.W32;
}

/** A load of a byte or halfword into PC is a preload hint (PLD/PLI). */
function preload(f: Fields, op: number): boolean {
  return f.L === 1 && f.t === 15 && op !== Size.W32;
}

function bad(r: number): boolean {
  return r === 13 || r === 15;
}

export const LOAD_STORE: Encoding[] = [
  enc('01001 ttt iiiiiiii', (f, i) => {
    access(i, true, Size.W32, f.t, 15);
    i.exec = ldrLit;
    i.imm = ((i.addr + 4) & ~3) + f.i * 4;
  }),
  enc('0101 ooo mmm nnn ttt', (f, i) => {
    const [isLoad, op] = OPS_16[f.o];
    access(i, isLoad, op, f.t, f.n);
    i.exec = isLoad ? ldrReg : strReg;
    i.rm = f.m;
  }),
  enc('011 B L iiiii nnn ttt', (f, i) => {
    access(i, f.L === 1, f.B ? Size.U8 : Size.W32, f.t, f.n);
    i.exec = f.L ? ldrImm : strImm;
    i.imm = f.B ? f.i : f.i * 4;
  }),
  enc('1000 L iiiii nnn ttt', (f, i) => {
    access(i, f.L === 1, Size.U16, f.t, f.n);
    i.exec = f.L ? ldrImm : strImm;
    i.imm = f.i * 2;
  }),
  enc('1001 L ttt iiiiiiii', (f, i) => {
    access(i, f.L === 1, Size.W32, f.t, 13);
    i.exec = f.L ? ldrImm : strImm;
    i.imm = f.i * 4;
  }),

  // 32-bit: literal (Rn = PC), then imm12, imm8 forms and register offset
  enc('11111 00 S U zz 1 1111 tttt iiiiiiiiiiii', (f, i) => {
    const op = kind32(f.S, f.z, 1);
    if (op < 0) return;
    access(i, true, op, f.t, 15);
    const base = (i.addr + 4) & ~3;
    i.imm = f.U ? base + f.i : base - f.i;
    i.exec = preload({ L: 1, t: f.t }, op) ? hint : ldrLit;
    if (i.exec === hint) i.endsBlock = false;
  }),
  enc('11111 00 S 1 zz L nnnn tttt iiiiiiiiiiii', (f, i) => {
    const op = kind32(f.S, f.z, f.L);
    if (op < 0 || (!f.L && (f.t === 15 || f.n === 15))) return;
    access(i, f.L === 1, op, f.t, f.n);
    i.imm = f.i;
    i.exec = preload(f, op) ? hint : f.L ? ldrImm : strImm;
    if (i.exec === hint) i.endsBlock = false;
  }),
  enc('11111 00 S 0 zz L nnnn tttt 1 P U W iiiiiiii', (f, i) => {
    const op = kind32(f.S, f.z, f.L);
    if (op < 0 || (!f.L && f.n === 15)) return;
    access(i, f.L === 1, op, f.t, f.n);
    i.imm = f.U ? f.i : -f.i;
    if (f.P && f.U && !f.W) {
      // LDRT/STRT family
      if (bad(f.t)) return;
      i.exec = f.L ? ldrT : strT;
      return;
    }
    if (!f.P && !f.W) return;
    if (preload(f, op)) {
      if (!(f.P && !f.U && !f.W)) return;
      i.exec = hint;
      i.endsBlock = false;
      return;
    }
    if (!f.L && f.t === 15) return;
    if (!f.W) {
      i.exec = f.L ? ldrImm : strImm;
      return;
    }
    if (f.t === f.n) return;
    i.flags = (f.P ? INDEX : 0) | WBACK;
    i.exec = f.L ? ldrIdx : strIdx;
  }),
  enc('11111 00 S 0 zz L nnnn tttt 000000 ss mmmm', (f, i) => {
    const op = kind32(f.S, f.z, f.L);
    if (op < 0 || bad(f.m) || (!f.L && (f.t === 15 || f.n === 15))) return;
    access(i, f.L === 1, op, f.t, f.n);
    i.rm = f.m;
    i.shiftN = f.s;
    i.exec = preload(f, op) ? hint : f.L ? ldrReg : strReg;
    if (i.exec === hint) i.endsBlock = false;
  }),
  // LDRD/STRD (immediate, and literal for LDRD)
  enc('1110100 P U 1 W L nnnn tttt TTTT iiiiiiii', (f, i) => {
    if (!f.P && !f.W) return;
    if (bad(f.t) || bad(f.T) || (f.L && f.t === f.T)) return;
    if (f.W && (f.n === f.t || f.n === f.T || f.n === 15)) return;
    if (!f.L && f.n === 15) return;
    i.exec = f.L ? ldrd : strd;
    i.rd = f.t;
    i.ra = f.T;
    i.rn = f.n;
    i.imm = f.U ? f.i * 4 : -f.i * 4;
    i.flags = (f.P ? INDEX : 0) | (f.W ? WBACK : 0) | (f.U ? ADD : 0);
    i.cycles = CYCLES.loadDual;
  }),
];
