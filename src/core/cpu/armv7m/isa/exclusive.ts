// LDREX/STREX (byte, halfword, word) and CLREX (A5.3.8, A3.4) with the local exclusive monitor.
// The monitor is CpuState.exclusive, so the system clears it on exception entry and return.
import { CYCLES } from './cycles';
import { enc, type Encoding } from './encoding';
import { assign, type Core, type Inst } from './inst';
import { requireAligned } from './loadStore';

function ldrex(c: Core, i: Inst): void {
  const addr = (c.r[i.rn] + i.imm) >>> 0;
  requireAligned(c, addr, i.op === 2 ? 3 : i.op);
  const v = i.op === 0 ? c.bus.read8(addr) : i.op === 1 ? c.bus.read16(addr) : c.bus.read32(addr) | 0;
  c.state.exclusive = addr;
  c.r[i.rd] = v;
}

/** Stores only while the monitor is exclusive for this address; Rd gets 0 on success, 1 on failure. */
function strex(c: Core, i: Inst): void {
  const addr = (c.r[i.rn] + i.imm) >>> 0;
  requireAligned(c, addr, i.op === 2 ? 3 : i.op);
  if (c.state.exclusive !== addr) {
    c.state.exclusive = -1;
    c.r[i.ra] = 1;
    return;
  }
  const v = c.r[i.rd];
  if (i.op === 0) c.bus.write8(addr, v & 0xff);
  else if (i.op === 1) c.bus.write16(addr, v & 0xffff);
  else c.bus.write32(addr, v >>> 0);
  c.state.exclusive = -1;
  c.r[i.ra] = 0;
}

export function clrex(c: Core): void {
  c.state.exclusive = -1;
}

function bad(r: number): boolean {
  return r === 13 || r === 15;
}

function exclusive(i: Inst, exec: (c: Core, i: Inst) => void, size: number, rt: number, rn: number, rd: number, imm: number): void {
  if (bad(rt) || rn === 15 || bad(rd)) return;
  if (exec === strex && (rd === rn || rd === rt)) return;
  assign(i, exec, size, rt, rn, 0, exec === ldrex ? CYCLES.load : CYCLES.store);
  i.ra = rd;
  i.imm = imm;
}

export const EXCLUSIVE: Encoding[] = [
  enc('111010000100 nnnn tttt dddd iiiiiiii', (f, i) => exclusive(i, strex, 2, f.t, f.n, f.d, f.i * 4)),
  enc('111010000101 nnnn tttt 1111 iiiiiiii', (f, i) => exclusive(i, ldrex, 2, f.t, f.n, 0, f.i * 4)),
  enc('111010001100 nnnn tttt 1111 010 s dddd', (f, i) => exclusive(i, strex, f.s, f.t, f.n, f.d, 0)),
  enc('111010001101 nnnn tttt 1111 010 s 1111', (f, i) => exclusive(i, ldrex, f.s, f.t, f.n, 0, 0)),
];
