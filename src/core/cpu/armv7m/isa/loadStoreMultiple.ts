// LDM/STM (IA and DB), PUSH/POP (A5.2.5, A5.3.5). As QEMU does: loaded registers are written as
// they arrive, except the base and PC which are written last; writeback happens after the last
// access, so a fault part-way leaves the base register as it was.
import { CYCLES } from './cycles';
import { enc, type Encoding } from './encoding';
import type { Core, Inst } from './inst';
import { bxWritePc } from './branch';
import { requireAligned } from './loadStore';

/** Inst.flags: decrement before (DB) rather than increment after (IA); write back the base. */
const DB = 1;
const WBACK = 2;

function count(list: number): number {
  let n = 0;
  for (let l = list; l !== 0; l &= l - 1) n++;
  return n;
}

/** The lowest address of the transfer (word-aligned, or an UNALIGNED UsageFault). */
function lowest(c: Core, i: Inst): number {
  const base = c.r[i.rn];
  const start = i.flags & DB ? (base - 4 * i.shiftN) | 0 : base;
  requireAligned(c, start, 3);
  return start;
}

/** The base register after writeback. */
function written(i: Inst, base: number, start: number): number {
  return i.flags & DB ? start : (base + 4 * i.shiftN) | 0;
}

function ldm(c: Core, i: Inst): void {
  const r = c.r;
  const list = i.imm;
  const base = r[i.rn];
  const start = lowest(c, i);
  let addr = start >>> 0;
  let baseValue = base;
  let pc = 0;
  for (let k = 0; k < 16; k++) {
    if ((list & (1 << k)) === 0) continue;
    const v = c.bus.read32(addr) | 0;
    addr = (addr + 4) >>> 0;
    if (k === i.rn) baseValue = v;
    else if (k === 15) pc = v;
    else r[k] = v;
  }
  if (i.flags & WBACK) r[i.rn] = written(i, base, start);
  if ((list & (1 << i.rn)) !== 0) r[i.rn] = baseValue;
  c.state.cycles += i.shiftN;
  if ((list & 0x8000) !== 0) bxWritePc(c, pc);
}

function stm(c: Core, i: Inst): void {
  const r = c.r;
  const list = i.imm;
  const base = r[i.rn];
  const start = lowest(c, i);
  let addr = start >>> 0;
  for (let k = 0; k < 15; k++) {
    if ((list & (1 << k)) === 0) continue;
    c.bus.write32(addr, r[k] >>> 0);
    addr = (addr + 4) >>> 0;
  }
  if (i.flags & WBACK) r[i.rn] = written(i, base, start);
  c.state.cycles += i.shiftN;
}

function multiple(i: Inst, load: boolean, rn: number, list: number, flags: number): void {
  const n = count(list);
  // no registers, or a load of PC (a branch) that is not the last instruction of an IT block
  if (n === 0 || (load && (list & 0x8000) !== 0 && i.itAfter !== 0)) return;
  i.exec = load ? ldm : stm;
  i.rn = rn;
  i.imm = list;
  i.shiftN = n;
  i.flags = flags;
  i.cycles = CYCLES.multipleBase;
  if (load && (list & 0x8000) !== 0) i.endsBlock = true;
}

export const LOAD_STORE_MULTIPLE: Encoding[] = [
  enc('11000 nnn llllllll', (f, i) => multiple(i, false, f.n, f.l, WBACK)),
  // LDM writes back unless the base is in the list
  enc('11001 nnn llllllll', (f, i) => multiple(i, true, f.n, f.l, (f.l & (1 << f.n)) !== 0 ? 0 : WBACK)),
  enc('1011010 M llllllll', (f, i) => multiple(i, false, 13, f.l | (f.M << 14), DB | WBACK)),
  enc('1011110 P llllllll', (f, i) => multiple(i, true, 13, f.l | (f.P << 15), WBACK)),
  // 32-bit: 01 IA, 10 DB (00 and 11 are other things on v7-M: SRS/RFE are UNDEFINED)
  enc('1110100 oo 0 W L nnnn llllllllllllllll', (f, i) => {
    if (f.o === 0 || f.o === 3) return;
    const list = f.l;
    if (f.n === 15 || (list & 0x2000) !== 0 || count(list) < 2) return;
    if (f.L ? (list & 0xc000) === 0xc000 : (list & 0xa000) !== 0) return;
    if (f.W && (list & (1 << f.n)) !== 0) return;
    return multiple(i, f.L === 1, f.n, list, (f.o === 2 ? DB : 0) | (f.W ? WBACK : 0));
  }),
];
