// The IT state a listing starts in when it starts inside an IT block (a debugger's view seldom
// starts at a function). Thumb has no marks between instructions, so the instructions before the
// address are found by decoding from the nearest symbol below it, where one starts (a function,
// a $t); with no symbol near, by looking back for a halfword shaped like IT whose block reaches
// the address. objdump only looks back, and a 32-bit instruction's second half fools it: it
// prints "mrs r0, PSP" for the "mrsne" of `ite eq` after a TST.W (exceptions.elf at 0x5ea).
import { itAdvance } from '../isa/branch';
import { isWide } from '../isa/decoder';
import type { CodeMap, ReadMemory } from './disassemble';

/** How far back a symbol is decoded from (a function's length, roughly). */
const DECODE_FROM_SYMBOL_LIMIT = 4096;

function halfword(read: ReadMemory, addr: number): number | undefined {
  try {
    const b = read(addr, 2);
    return b.length >= 2 ? b[0] | (b[1] << 8) : undefined;
  } catch {
    return undefined;
  }
}

function isIt(hw: number): boolean {
  return (hw & 0xff00) === 0xbf00 && (hw & 0xf) !== 0;
}

/** ITSTATE after the instruction `hw` executed in state `it`. */
function after(hw: number, it: number): number {
  return isIt(hw) ? hw & 0xff : itAdvance(it);
}

/** Decodes from `from` (an instruction boundary) to `addr`: the state there, or 0 when it is not a boundary. */
function decodeForward(read: ReadMemory, from: number, addr: number): number {
  let it = 0;
  for (let q = from; q < addr; ) {
    const hw = halfword(read, q);
    if (hw === undefined) return 0;
    it = after(hw, it);
    q += isWide(hw) ? 4 : 2;
    if (q > addr) return 0;
  }
  return it;
}

/** Instructions in the block of an IT with this mask (1 to 4). */
function blockLength(mask: number): number {
  return 4 - Math.log2(mask & -mask);
}

/** Looks back (IT is at most 4 instructions of at most 4 bytes back) for an IT whose block reaches `addr`. */
function lookBack(read: ReadMemory, addr: number): number {
  for (let p = addr - 2; p >= addr - 14 && p >= 0; p -= 2) {
    const hw = halfword(read, p);
    if (hw === undefined) return 0;
    const before = p >= 2 ? halfword(read, p - 2) : undefined;
    if (!isIt(hw) || (before !== undefined && isWide(before))) continue;
    let state = hw & 0xff;
    let q = p + 2;
    for (let k = 0; k < blockLength(hw & 0xf) && q <= addr; k++) {
      if (q === addr) return state;
      const next = halfword(read, q);
      if (next === undefined) return 0;
      q += isWide(next) ? 4 : 2;
      state = itAdvance(state);
    }
  }
  return 0;
}

/** ITSTATE at `addr`, 0 when it is outside any IT block as far as the bytes before it tell. */
export function itStateAt(read: ReadMemory, addr: number, map?: CodeMap): number {
  if (map?.isData(addr)) return 0;
  const from = map?.symbolAtOrBelow(addr);
  if (from !== undefined && addr - from <= DECODE_FROM_SYMBOL_LIMIT) return map?.isData(from) ? 0 : decodeForward(read, from, addr);
  return lookBack(read, addr);
}
