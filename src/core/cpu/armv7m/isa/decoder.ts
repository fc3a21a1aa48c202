// Thumb decode from the class tables: the first encoding whose fixed bits match and whose decode
// accepts the fields wins; none means UNDEFINED. Candidates are looked up once per first halfword
// and kept, so a decode scans only the encodings that can match.
import { BITFIELD } from './bitfield';
import { BRANCH, itAdvance } from './branch';
import { DATA_PROCESSING } from './dataProcessing';
import { DSP } from './dsp';
import { candidates, extractFields, type Encoding } from './encoding';
import { EXCLUSIVE } from './exclusive';
import { FP } from './fp';
import { execUndefined, Inst } from './inst';
import { LOAD_STORE } from './loadStore';
import { LOAD_STORE_MULTIPLE } from './loadStoreMultiple';
import { MULTIPLY } from './multiply';
import { SYSTEM } from './system';

/** More specific classes first: their encodings overlap the general ones they refine. */
const ALL: Encoding[] = [
  ...SYSTEM, ...BRANCH, ...DSP, ...BITFIELD, ...MULTIPLY, ...EXCLUSIVE,
  ...LOAD_STORE_MULTIPLE, ...LOAD_STORE, ...DATA_PROCESSING, ...FP,
];
const T16 = ALL.filter((e) => e.width === 16);
const T32 = ALL.filter((e) => e.width === 32);

const candidates16 = new Map<number, Encoding[]>();
const candidates32 = new Map<number, Encoding[]>();

/** A halfword that starts a 32-bit instruction (A5.1: 0b11101, 0b11110, 0b11111). */
export function isWide(hw1: number): boolean {
  return hw1 >= 0xe800;
}

function blank(addr: number, size: number, it: number): Inst {
  const inst = new Inst();
  inst.addr = addr;
  inst.size = size;
  inst.next = (addr + size) >>> 0;
  inst.itBefore = it;
  inst.itAfter = itAdvance(it);
  inst.cond = it === 0 ? 14 : it >>> 4;
  return inst;
}

/** Decodes the instruction at `addr` (hw2 ignored for a 16-bit one) executing with ITSTATE `it`. */
export function decodeInstruction(hw1: number, hw2: number, addr: number, it: number): Inst {
  const wide = isWide(hw1);
  const size = wide ? 4 : 2;
  const word = wide ? ((hw1 << 16) | hw2) >>> 0 : hw1;
  const list = wide ? candidates(T32, candidates32, hw1, 16) : candidates(T16, candidates16, hw1, 0);
  for (const e of list) {
    if (((word & e.mask) >>> 0) !== e.match) continue;
    const inst = blank(addr, size, it);
    e.decode(extractFields(e, word), inst);
    if (inst.exec === execUndefined) continue;
    // IT: the following instructions' ITSTATE is its firstcond:mask
    if (!wide && (hw1 & 0xff00) === 0xbf00 && (hw1 & 0xf) !== 0) inst.itAfter = hw1 & 0xff;
    inst.readsPc = inst.rn === 15 || inst.rm === 15 || inst.ra === 15 || inst.rd === 15;
    return inst;
  }
  const undef = blank(addr, size, it);
  undef.endsBlock = true;
  return undef;
}
