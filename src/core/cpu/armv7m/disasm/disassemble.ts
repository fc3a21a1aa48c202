// The Thumb-2 disassembler: the text `arm-none-eabi-objdump -d` prints for the instructions the
// core runs, from the same encoding patterns as the decoder (isa/), one file per class here as
// there. It follows IT blocks (the condition suffix of the instructions inside one) and the ARM
// mapping symbols: bytes in a data region ($d) print as .word/.short/.byte, as objdump does.
import { itAdvance } from '../isa/branch';
import { candidates, extractFields } from '../isa/encoding';
import { isWide } from '../isa/decoder';
import { BITFIELD } from './bitfield';
import { BRANCH } from './branch';
import { DATA_PROCESSING } from './dataProcessing';
import { DSP } from './dsp';
import { EXCLUSIVE } from './exclusive';
import { COND, type Ctx, type Form } from './format';
import { FP } from './fp';
import { itStateAt } from './itState';
import { LOAD_STORE } from './loadStore';
import { LOAD_STORE_MULTIPLE } from './loadStoreMultiple';
import { MULTIPLY } from './multiply';
import { SYSTEM } from './system';

/** One line of the listing: what objdump prints after "addr:". */
export interface DisasmLine {
  address: number;
  /** As objdump prints them: "f44f 7080" (a 32-bit Thumb instruction), "4770", "100208c4" (a .word). */
  bytes: string;
  /** Mnemonic and operands, tab-separated, and objdump's "@ ..." comment if it has one. */
  text: string;
  size: number;
}

/** Reads `len` bytes at `addr`; throws (or returns fewer) where there is no memory. */
export type ReadMemory = (addr: number, len: number) => Uint8Array;
/** The name objdump shows between <> for an address: "main", "main+0x1c"; undefined for none. */
export type SymbolName = (addr: number) => string | undefined;

/** Where code and data lie, from the ARM mapping symbols ($t, $d). */
export interface CodeMap {
  isData(addr: number): boolean;
  /** The first symbol after `addr` (a data item does not run past it), or undefined. */
  nextSymbol(addr: number): number | undefined;
  /** The last symbol at or below `addr` (an instruction starts there), or undefined. */
  symbolAtOrBelow(addr: number): number | undefined;
  /** Data is big-endian (a BE8 image: its instructions stay little-endian). */
  readonly bigEndianData?: boolean;
}

/** More specific classes first, as in the decoder: their encodings overlap the general ones. */
const ALL: Form[] = [
  ...SYSTEM, ...BRANCH, ...DSP, ...BITFIELD, ...MULTIPLY, ...EXCLUSIVE,
  ...LOAD_STORE_MULTIPLE, ...LOAD_STORE, ...DATA_PROCESSING, ...FP,
];
const T16 = ALL.filter((e) => e.width === 16);
const T32 = ALL.filter((e) => e.width === 32);
const candidates16 = new Map<number, Form[]>();
const candidates32 = new Map<number, Form[]>();

function hex(v: number, digits: number): string {
  return (v >>> 0).toString(16).padStart(digits, '0');
}

/** The text of one instruction (hw2 ignored for a 16-bit one) in the IT state `it`. */
function instructionText(hw1: number, hw2: number, addr: number, it: number, symbols?: SymbolName): string {
  const wide = isWide(hw1);
  const word = wide ? ((hw1 << 16) | hw2) >>> 0 : hw1;
  const ctx: Ctx = {
    addr,
    cond: it === 0 ? '' : COND[it >>> 4],
    inIt: it !== 0,
    lastInIt: it !== 0 && itAdvance(it) === 0,
    target(a: number): string {
      const t = a >>> 0;
      const name = symbols?.(t);
      return name === undefined ? t.toString(16) : `${t.toString(16)} <${name}>`;
    },
  };
  const list = wide ? candidates(T32, candidates32, hw1, 16) : candidates(T16, candidates16, hw1, 0);
  for (const e of list) {
    if (((word & e.mask) >>> 0) !== e.match) continue;
    const text = e.format(extractFields(e, word), ctx);
    if (text !== undefined) return text;
  }
  return `\t\t@ <UNDEFINED> instruction: 0x${hex(word, wide ? 8 : 4)}`;
}

/** A data item at `addr`: a word, or less up to the next symbol or an odd address (as objdump). */
function dataLine(bytes: Uint8Array, addr: number, map: CodeMap): DisasmLine {
  let size = 4 - (addr & 3);
  const next = map.nextSymbol(addr);
  if (next !== undefined && next - addr < size) size = next - addr;
  if (size === 3) size = addr & 1 ? 1 : 2;
  let v = 0;
  for (let k = 0; k < size; k++) v = v * 256 + bytes[map.bigEndianData ? k : size - 1 - k];
  const digits = size * 2;
  const directive = size === 4 ? '.word' : size === 2 ? '.short' : '.byte';
  return { address: addr, bytes: hex(v, digits), text: `${directive}\t0x${hex(v, digits)}`, size };
}

function readSome(read: ReadMemory, addr: number, len: number): Uint8Array | undefined {
  try {
    const b = read(addr, len);
    return b.length >= len ? b : undefined;
  } catch {
    return undefined;
  }
}

function outOfBounds(addr: number): DisasmLine {
  return { address: addr, bytes: '', text: `Address 0x${addr.toString(16)} is out of bounds.`, size: 0 };
}

/**
 * Disassembles `count` lines from `addr` (Thumb; data regions of `map` as data), in the IT state
 * the bytes before `addr` give. Memory that cannot be read ends the listing with objdump's
 * "Address 0x... is out of bounds." line.
 */
export function disassemble(read: ReadMemory, addr: number, count: number, symbols?: SymbolName, map?: CodeMap): DisasmLine[] {
  const lines: DisasmLine[] = [];
  let pc = addr >>> 0;
  let it = itStateAt(read, pc, map);
  while (lines.length < count) {
    if (map?.isData(pc)) {
      const bytes = readSome(read, pc, 4 - (pc & 3)) ?? readSome(read, pc, 1);
      if (bytes === undefined) return [...lines, outOfBounds(pc)];
      const line = dataLine(bytes, pc, map);
      if (line.size > bytes.length) return [...lines, outOfBounds(pc)];
      lines.push(line);
      pc = (pc + line.size) >>> 0;
      it = 0;
      continue;
    }
    // one read of both halfwords where there are two (the last 16-bit instruction may have one)
    const b = readSome(read, pc, 4) ?? readSome(read, pc, 2);
    if (b === undefined) return [...lines, outOfBounds(pc)];
    const hw1 = b[0] | (b[1] << 8);
    const wide = isWide(hw1);
    if (wide && b.length < 4) return [...lines, outOfBounds(pc)];
    const hw2 = wide ? b[2] | (b[3] << 8) : 0;
    const text = instructionText(hw1, hw2, pc, it, symbols);
    const size = wide ? 4 : 2;
    lines.push({ address: pc, bytes: wide ? `${hex(hw1, 4)} ${hex(hw2, 4)}` : hex(hw1, 4), text, size });
    it = !wide && (hw1 & 0xff00) === 0xbf00 && (hw1 & 0xf) !== 0 ? hw1 & 0xff : itAdvance(it);
    pc = (pc + size) >>> 0;
  }
  return lines;
}
