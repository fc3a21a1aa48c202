// Branches (A5.2.6 CBZ/CBNZ, A5.2.7 B<c>/B, A5.2.3 BX/BLX, A5.3.4 B/BL, A5.3.8 TBB/TBH) and IT.
// A branch ends its block; a taken branch costs the pipeline refill on top of its base cycles.
import { CYCLES } from './cycles';
import { enc, sext, type Encoding } from './encoding';
import type { Core, Inst } from './inst';

/**
 * BXWritePC / LoadWritePC (A2.3.1): an interworking write of PC. In Handler mode 0xFxxxxxxx is an
 * exception return; bit 0 clear leaves EPSR.T 0 so the next instruction faults with INVSTATE.
 */
export function bxWritePc(c: Core, v: number): void {
  const st = c.state;
  st.cycles += CYCLES.refill;
  if (st.ipsr !== 0 && (v >>> 28) === 0xf) {
    c.hooks.exceptionReturn(v >>> 0);
    return;
  }
  st.thumb = v & 1;
  st.pc = (v & ~1) >>> 0;
}

function b(c: Core, i: Inst): void {
  c.state.pc = i.imm;
  c.state.cycles += CYCLES.refill;
}

function bl(c: Core, i: Inst): void {
  c.r[14] = i.next | 1;
  c.state.pc = i.imm;
  c.state.cycles += CYCLES.refill;
}

function bx(c: Core, i: Inst): void {
  bxWritePc(c, c.r[i.rm]);
}

function blx(c: Core, i: Inst): void {
  const target = c.r[i.rm];
  c.r[14] = i.next | 1;
  bxWritePc(c, target);
}

/** CBZ (op 0) / CBNZ (op 1). */
function cbz(c: Core, i: Inst): void {
  if ((c.r[i.rn] === 0) !== (i.op === 1)) {
    c.state.pc = i.imm;
    c.state.cycles += CYCLES.refill;
  }
}

/** TBB (op 0) / TBH (op 1): the table is at Rn, the index in Rm; PC reads as the address + 4. */
function tableBranch(c: Core, i: Inst): void {
  const base = c.r[i.rn];
  const off = i.op ? c.bus.read16((base + (c.r[i.rm] << 1)) >>> 0) : c.bus.read8((base + c.r[i.rm]) >>> 0);
  c.state.pc = (i.addr + 4 + off * 2) >>> 0;
  c.state.cycles += CYCLES.refill;
}

/** IT: its effect (the ITSTATE of the following instructions) is known at decode. */
function it(): void {}

function branch(i: Inst, exec: (c: Core, i: Inst) => void, target: number): void {
  i.exec = exec;
  i.imm = target >>> 0;
  i.cycles = CYCLES.branch;
  i.endsBlock = true;
}

/** A branch inside an IT block other than its last instruction is UNPREDICTABLE. */
function notLastInIt(i: Inst): boolean {
  return i.itAfter !== 0;
}

export const BRANCH: Encoding[] = [
  enc('1101 cccc iiiiiiii', (f, i) => {
    if (f.c >= 14) return; // 1110 UDF, 1111 SVC: elsewhere
    if (i.itBefore !== 0) return;
    branch(i, b, i.addr + 4 + sext(f.i, 8) * 2);
    i.cond = f.c;
  }),
  enc('11100 iiiiiiiiiii', (f, i) => {
    if (notLastInIt(i)) return;
    branch(i, b, i.addr + 4 + sext(f.i, 11) * 2);
  }),
  enc('1011 o 0 i 1 iiiii nnn', (f, i) => {
    if (i.itBefore !== 0) return;
    branch(i, cbz, i.addr + 4 + f.i * 2);
    i.op = f.o;
    i.rn = f.n;
  }),
  enc('010001110 mmmm 000', (f, i) => {
    if (notLastInIt(i)) return;
    branch(i, bx, 0);
    i.rm = f.m;
  }),
  enc('010001111 mmmm 000', (f, i) => {
    if (notLastInIt(i) || f.m === 15) return;
    branch(i, blx, 0);
    i.rm = f.m;
  }),
  enc('10111111 cccc mmmm', (f, i) => {
    if (f.m === 0) return; // hints: system.ts
    if (i.itBefore !== 0 || f.c === 15 || (f.c === 14 && (f.m & (f.m - 1)) !== 0)) return;
    i.exec = it;
    i.cycles = 1;
  }),
  // B<c>.W T3, B.W T4, BL T1
  enc('11110 S cccc iiiiii 10 J 0 K jjjjjjjjjjj', (f, i) => {
    if (f.c >= 14) return; // 111x: branches and misc control (system.ts)
    if (i.itBefore !== 0) return;
    const off = sext((f.S << 20) | (f.K << 19) | (f.J << 18) | (f.i << 12) | (f.j << 1), 21);
    branch(i, b, i.addr + 4 + off);
    i.cond = f.c;
  }),
  enc('11110 S iiiiiiiiii 1 l J 1 K jjjjjjjjjjj', (f, i) => {
    if (notLastInIt(i)) return;
    const i1 = 1 ^ f.J ^ f.S;
    const i2 = 1 ^ f.K ^ f.S;
    const off = sext((f.S << 24) | (i1 << 23) | (i2 << 22) | (f.i << 12) | (f.j << 1), 25);
    branch(i, f.l ? bl : b, i.addr + 4 + off);
  }),
  enc('111010001101 nnnn 1111 0000 000 h mmmm', (f, i) => {
    if (notLastInIt(i) || f.n === 13 || f.m === 13 || f.m === 15) return;
    branch(i, tableBranch, 0);
    i.op = f.h;
    i.rn = f.n;
    i.rm = f.m;
    i.cycles = CYCLES.tableBranch;
  }),
];

/** ITAdvance (A7.3.2). */
export function itAdvance(it: number): number {
  return (it & 7) === 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
}
