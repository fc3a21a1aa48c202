// Property: any byte mutation or truncation of a valid fixture either reads completely (headers,
// sections, every section's and segment's data, symbols) or throws an ElfError, nothing else.
// Mutations aim at the bytes the reader trusts most (ELF header, program and section header
// tables, the symbol table) as well as anywhere in the file. A hang would fail on mocha's timeout.
import assert from 'assert';
import fc from 'fast-check';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { SHT_SYMTAB } from '../../../src/core/elf/constants';
import { ElfError } from '../../../src/core/elf/types';
import { VALID_FIXTURES, readFixture } from '../../fixtures/fixtures';

function readAll(bytes: Uint8Array): void {
  const elf = ElfFile.parse(bytes);
  for (const s of elf.sections) {
    elf.section(s.name);
    try {
      elf.sectionData(s);
    } catch (e) {
      if (!(e instanceof ElfError)) throw e; // one bad section must not hide the others' faults
    }
  }
  for (const p of elf.programs) {
    try {
      elf.programData(p);
    } catch (e) {
      if (!(e instanceof ElfError)) throw e;
    }
  }
  elf.symbols();
  elf.symbol('main');
}

function parsesOrElfError(bytes: Uint8Array): boolean {
  try {
    readAll(bytes);
  } catch (e) {
    if (!(e instanceof ElfError)) throw e;
    assert.ok(Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= bytes.length, `offset ${e.offset}`);
  }
  return true;
}

const NASTY_WORDS = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];

describe('ElfFile property: mutation and truncation give a result or an ElfError', () => {
  for (const f of VALID_FIXTURES) {
    const original = readFixture(f.name);
    const elf = ElfFile.parse(original);
    const h = elf.header;
    const symtab = elf.sections.find((s) => s.type === SHT_SYMTAB);
    const ranges: [number, number][] = [
      [0, h.ehsize],
      [h.phoff, h.phoff + h.phnum * h.phentsize],
      [h.shoff, h.shoff + h.shnum * h.shentsize],
      [0, original.length],
    ];
    if (symtab) ranges.push([symtab.offset, symtab.offset + Math.min(symtab.size, 256)]);
    const offset = fc.oneof(...ranges.filter(([a, b]) => b > a).map(([a, b]) => fc.integer({ min: a, max: b - 1 })));
    const edit = fc.oneof(
      fc.record({ at: offset, byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ at: offset, word: fc.oneof(fc.constantFrom(...NASTY_WORDS, original.length, original.length - 1), fc.nat()) }),
    );

    it(`${f.name}: byte and word mutations`, () => {
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
          const b = original.slice();
          const view = new DataView(b.buffer);
          for (const e of edits) {
            if ('byte' in e) b[e.at] = e.byte;
            else if (e.at + 4 <= b.length) view.setUint32(e.at, e.word >>> 0, h.endian === 'little');
          }
          return parsesOrElfError(b);
        }),
        { numRuns: 1500, seed: 4 },
      );
    });

    it(`${f.name}: truncation anywhere, with and without mutation`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: original.length }), fc.option(edit), (len, e) => {
          const b = original.slice(0, len);
          if (e && 'byte' in e && e.at < len) b[e.at] = e.byte;
          return parsesOrElfError(b);
        }),
        { numRuns: 1500, seed: 4 },
      );
    });
  }
});
