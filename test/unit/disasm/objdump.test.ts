// The disassembler against arm-none-eabi-objdump -d, line by line (address, bytes, text; nothing
// normalised): on every ARM ELF in the repository, and on every 16-bit halfword and random words
// of every 32-bit encoding the core decodes, in and out of IT blocks. objdump runs at test time.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { BITFIELD } from '../../../src/core/cpu/armv7m/isa/bitfield';
import { BRANCH } from '../../../src/core/cpu/armv7m/isa/branch';
import { DATA_PROCESSING } from '../../../src/core/cpu/armv7m/isa/dataProcessing';
import { decodeInstruction } from '../../../src/core/cpu/armv7m/isa/decoder';
import { DSP } from '../../../src/core/cpu/armv7m/isa/dsp';
import { EXCLUSIVE } from '../../../src/core/cpu/armv7m/isa/exclusive';
import { FP } from '../../../src/core/cpu/armv7m/isa/fp';
import { execUndefined } from '../../../src/core/cpu/armv7m/isa/inst';
import { LOAD_STORE } from '../../../src/core/cpu/armv7m/isa/loadStore';
import { LOAD_STORE_MULTIPLE } from '../../../src/core/cpu/armv7m/isa/loadStoreMultiple';
import { MULTIPLY } from '../../../src/core/cpu/armv7m/isa/multiply';
import { SYSTEM } from '../../../src/core/cpu/armv7m/isa/system';
import { disassemble } from '../../../src/core/cpu/armv7m/disasm/disassemble';
import { mappingKind } from '../../../src/core/cpu/armv7m/disasm/elfSymbols';
import { EM_ARM, ET_REL } from '../../../src/core/elf/constants';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { EXAMPLES_DIR, FIXTURE_BUILD_DIR, REPO_ROOT } from '../../fixtures/fixtures';
import { objdumpListing, objdumpOfWords, ourListing, wordBytes, type ListingLine } from './objdumpListing';

function elfFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? elfFiles(p) : e.name.endsWith('.elf') ? [p] : [];
  });
}

/** Start and end of each run of A32 code ($a up to the next mapping symbol): not Thumb, not compared. */
function a32Ranges(elf: ElfFile): [number, number][] {
  const maps = elf.symbols()
    .filter((s) => mappingKind(s.name) !== undefined && s.shndx !== 0)
    .sort((a, b) => a.value - b.value);
  return maps.flatMap((s, k) => (mappingKind(s.name) === 'a' ? [[s.value, k + 1 < maps.length ? maps[k + 1].value : Infinity] as [number, number]] : []));
}

/** objdump's hex-and-ASCII dump of a data object in a code section ("7f7fffff 00800000 ...  ....."). */
const OBJECT_DUMP = /^(?:[0-9a-f]{2}(?: [0-9a-f]{2})*|[0-9a-f]{8}(?: [0-9a-f]{8})*) {2,}.{1,16}$/;

interface Compared {
  lines: number;
  equal: number;
  a32: number;
  objectDump: number;
  differences: string[];
}

function compareElf(file: string): Compared {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const elf = ElfFile.parse(bytes);
  const ours = ourListing(bytes);
  const a32 = a32Ranges(elf);
  const r: Compared = { lines: 0, equal: 0, a32: 0, objectDump: 0, differences: [] };
  for (const t of objdumpListing(file)) {
    if (a32.some(([lo, hi]) => t.address >= lo && t.address < hi)) {
      r.a32++;
      continue;
    }
    if (t.bytes === '' && OBJECT_DUMP.test(t.text)) {
      r.objectDump++;
      continue;
    }
    r.lines++;
    const o = ours.get(t.address);
    if (o !== undefined && o.bytes === t.bytes && o.text === t.text) r.equal++;
    else r.differences.push(`${t.address.toString(16)}: objdump ${t.bytes} ${JSON.stringify(t.text)}, ours ${o === undefined ? 'none' : `${o.bytes} ${JSON.stringify(o.text)}`}`);
  }
  return r;
}

/** The files whose every line must match, A32 and object dumps included: the examples' M4 code and the gdb program. */
const EXACT = new Set(['rproc-m4-fw.elf', 'm4-scheduler.elf', 'gdb-m4.elf']);

describe('disasm: the text of arm-none-eabi-objdump -d', () => {
  const files = [...elfFiles(EXAMPLES_DIR), ...elfFiles(FIXTURE_BUILD_DIR)].sort();

  it('finds the examples and the built fixtures (run `make -C test/fixtures` first)', () => {
    assert.ok(files.some((f) => f.endsWith('rproc-m4-fw.elf')) && files.some((f) => f.endsWith('gdb-m4.elf')), files.join(', '));
    assert.ok(files.some((f) => f.includes(`${path.sep}cpu${path.sep}`)), 'the CPU oracle fixtures are built');
  });

  for (const file of files) {
    const rel = path.relative(REPO_ROOT, file);
    const elf = ElfFile.parse(new Uint8Array(fs.readFileSync(file)));
    // an object file's branch targets come from its relocations, which the disassembler of a
    // loaded image has no use for; AArch64 is not ours to disassemble
    if (elf.header.machine !== EM_ARM || elf.header.type === ET_REL) continue;
    it(`${rel}: every Thumb line equal`, () => {
      const r = compareElf(file);
      assert.deepStrictEqual(r.differences, []);
      assert.strictEqual(r.equal, r.lines);
      if (EXACT.has(path.basename(file))) {
        assert.ok(r.lines > 100, `${r.lines} lines`);
        assert.strictEqual(r.a32 + r.objectDump, 0);
      }
    });
  }
});

/** A small seeded generator, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

const ENCODINGS = [...SYSTEM, ...BRANCH, ...DSP, ...BITFIELD, ...MULTIPLY, ...EXCLUSIVE, ...LOAD_STORE_MULTIPLE, ...LOAD_STORE, ...DATA_PROCESSING, ...FP];

/** A random word of an encoding: its fixed bits, the rest random. */
function randomOf(e: (typeof ENCODINGS)[number], rnd: () => number): number {
  const w = (e.match | ((rnd() ^ (rnd() << 16)) & ~e.mask)) >>> 0;
  return e.width === 16 ? w & 0xffff : w;
}

/** Compares our text with objdump's on the lines the core decodes (outside an IT block). */
function compareWords(words: number[]): { compared: number; differences: string[] } {
  const bytes = wordBytes(words);
  const read = (a: number, n: number): Uint8Array => {
    if (a + n > bytes.length) throw new RangeError('past the words');
    return bytes.subarray(a, a + n);
  };
  const name = (a: number): string => (a === 0 ? 'f' : `f+0x${a.toString(16)}`);
  const ours = new Map(disassemble(read, 0, words.length, name).map((l) => [l.address, l]));
  const differences: string[] = [];
  let compared = 0;
  for (const t of objdumpOfWords(words) as ListingLine[]) {
    const [hw1, hw2] = t.bytes.split(' ').map((x) => parseInt(x, 16));
    // objdump names encodings of every architecture; the M4 runs these
    if (decodeInstruction(hw1, hw2 ?? 0, t.address, 0).exec === execUndefined) continue;
    compared++;
    const o = ours.get(t.address);
    if (o === undefined || o.bytes !== t.bytes || o.text !== t.text) differences.push(`${t.bytes}: objdump ${JSON.stringify(t.text)}, ours ${JSON.stringify(o?.text)}`);
  }
  return { compared, differences };
}

describe('disasm: every encoding the M4 decodes, against objdump', () => {
  it('every 16-bit halfword, in the IT blocks the stream makes', () => {
    const words: number[] = [];
    for (let h = 0; h < 0xe800; h++) words.push(h);
    const r = compareWords(words);
    assert.ok(r.compared > 57_000, `${r.compared}`);
    assert.deepStrictEqual(r.differences, []);
  });

  it('100 random words of each 32-bit encoding of the decoder', () => {
    const rnd = lcg(14);
    const words = ENCODINGS.filter((e) => e.width === 32).flatMap((e) => Array.from({ length: 100 }, () => randomOf(e, rnd)));
    const r = compareWords(words);
    assert.ok(r.compared > 2_500, `${r.compared}`);
    assert.deepStrictEqual(r.differences, []);
  });

  it('random IT blocks of random instructions: condition suffixes and what objdump flags in them', () => {
    const rnd = lcg(7);
    const masks = [8, 4, 12, 2, 6, 10, 14, 1, 3, 5, 7, 9, 11, 13, 15];
    const words: number[] = [];
    for (let k = 0; k < 3000; k++) {
      words.push(0xbf00 | ((rnd() % 14) << 4) | masks[rnd() % masks.length]);
      for (let j = 0; j < 4; j++) {
        const w = randomOf(ENCODINGS[rnd() % ENCODINGS.length], rnd);
        // a 16-bit pattern never starts a 32-bit instruction
        words.push(w <= 0xffff && w >= 0xe800 ? 0xbf00 : w);
      }
    }
    const r = compareWords(words);
    assert.ok(r.compared > 10_000, `${r.compared}`);
    assert.deepStrictEqual(r.differences, []);
  });
});
