// elfy, the parser the issue chose, is used here as an independent oracle where it is right, and
// its faults are pinned where it is wrong: the reasons ElfFile does its own reading.
import assert from 'assert';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { SHT_SYMTAB } from '../../../src/core/elf/constants';
import { ElfError } from '../../../src/core/elf/types';
import { VALID_FIXTURES, readFixture } from '../../fixtures/fixtures';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const elfy = require('elfy') as { parse(b: Buffer): ElfyFile };

interface ElfySection {
  name: string;
  addr: number;
  off: number;
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}
interface ElfyFile {
  entry: number;
  phoff: number;
  shoff: number;
  body: { programs: { offset: number; vaddr: number; paddr: number; filesz: number; memsz: number; align: number }[]; sections: ElfySection[] };
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('elfy as an oracle, and its faults', () => {
  for (const f of VALID_FIXTURES.filter((v) => v.elfClass === 32)) {
    it(`${f.name}: elfy agrees with ElfFile on every ELF32 header, segment and section field`, () => {
      const bytes = readFixture(f.name);
      const ours = ElfFile.parse(bytes);
      const theirs = elfy.parse(Buffer.from(bytes));
      assert.deepStrictEqual([theirs.entry, theirs.phoff, theirs.shoff], [ours.header.entry, ours.header.phoff, ours.header.shoff]);
      assert.deepStrictEqual(
        theirs.body.programs.map((p) => [p.offset, p.vaddr, p.paddr, p.filesz, p.memsz, p.align]),
        ours.programs.map((p) => [p.offset, p.vaddr, p.paddr, p.filesz, p.memsz, p.align]),
      );
      assert.deepStrictEqual(
        theirs.body.sections.map((s) => [s.name, s.addr, s.off, s.size, s.link, s.info, s.addralign, s.entsize]),
        ours.sections.map((s) => [s.name, s.addr, s.offset, s.size, s.link, s.info, s.addralign, s.entsize]),
      );
    });
  }

  it('elfy reads ELF64 sh_addralign and sh_entsize at 46/54 instead of 48/56; ElfFile reads them right', () => {
    const bytes = readFixture('aarch64');
    const ours = ElfFile.parse(bytes);
    const theirs = elfy.parse(Buffer.from(bytes));
    const text = ours.section('.text');
    const symtab = ours.sections.find((s) => s.type === SHT_SYMTAB);
    assert.ok(text && symtab);
    // What the bytes say, read straight from the section headers at the gABI offsets.
    const view = Buffer.from(bytes);
    assert.strictEqual(text.addralign, Number(view.readBigUInt64LE(text.headerOffset + 48)));
    assert.strictEqual(text.addralign, 16);
    assert.strictEqual(symtab.entsize, 24);
    const elfyText = theirs.body.sections[text.index];
    const elfySymtab = theirs.body.sections[symtab.index];
    // elfy's window starts two bytes early: it sees sh_addralign shifted up by 16 bits.
    assert.strictEqual(elfyText.addralign, 16 * 0x10000);
    assert.notStrictEqual(elfySymtab.entsize, 24);
    assert.strictEqual(elfySymtab.entsize, 24 * 0x10000);
  });

  it('elfy throws a plain Error on a truncated file; ElfFile throws an ElfError with the offset', () => {
    const bytes = readFixture('rproc-m4-fw');
    const cut = bytes.subarray(0, ElfFile.parse(bytes).header.shoff + 10);
    const theirs = caught(() => elfy.parse(Buffer.from(cut)));
    assert.ok(theirs instanceof Error && !(theirs instanceof ElfError));
    assert.strictEqual(theirs.message, 'Failed to slice chunks');
    const ours = caught(() => ElfFile.parse(cut));
    assert.ok(ours instanceof ElfError);
    assert.strictEqual(ours.offset, 32); // e_shoff
  });

  it('elfy crashes with a TypeError on an image without sections; ElfFile reads it', () => {
    const bytes = readFixture('rproc-m4-fw');
    new DataView(bytes.buffer, bytes.byteOffset).setUint16(48, 0, true); // e_shnum = 0
    const theirs = caught(() => elfy.parse(Buffer.from(bytes)));
    assert.ok(theirs instanceof TypeError);
    assert.deepStrictEqual(ElfFile.parse(bytes).sections, []);
  });

  it('elfy asserts when the name table is not SHT_STRTAB; ElfFile reads the names', () => {
    const bytes = readFixture('rproc-m4-fw');
    const elf = ElfFile.parse(bytes);
    const names = elf.sections[elf.header.shstrndx];
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(names.headerOffset + 4, 1, true); // sh_type = PROGBITS
    const theirs = caught(() => elfy.parse(Buffer.from(bytes)));
    assert.ok(theirs instanceof Error && theirs.name === 'AssertionError');
    assert.strictEqual(ElfFile.parse(bytes).section('.resource_table')?.name, '.resource_table');
  });

  it('elfy rounds 64-bit values above 2^53 silently; ElfFile refuses them', () => {
    const bytes = readFixture('aarch64');
    new DataView(bytes.buffer, bytes.byteOffset).setBigUint64(24, (1n << 53n) + 1n, true); // e_entry
    assert.strictEqual(elfy.parse(Buffer.from(bytes)).entry, 2 ** 53); // off by one, no error
    const ours = caught(() => ElfFile.parse(bytes));
    assert.ok(ours instanceof ElfError);
    assert.strictEqual(ours.offset, 24);
  });
});
