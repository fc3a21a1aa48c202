// Malformed ELF images made by breaking real fixtures' bytes, one structure at a time: every one
// gives an ElfError that says where (file offset) and why, never another exception.
import assert from 'assert';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { SHT_NOBITS, SHT_SYMTAB } from '../../../src/core/elf/constants';
import { ElfError } from '../../../src/core/elf/types';
import { readFixture } from '../../fixtures/fixtures';

/** e_* field offsets per class. */
const EHDR = {
  32: { entry: 24, phoff: 28, shoff: 32, phentsize: 42, phnum: 44, shentsize: 46, shnum: 48, shstrndx: 50 },
  64: { entry: 24, phoff: 32, shoff: 40, phentsize: 54, phnum: 56, shentsize: 58, shnum: 60, shstrndx: 62 },
} as const;

class Image {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  readonly elf: ElfFile;
  constructor(name: string) {
    this.bytes = readFixture(name);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    this.elf = ElfFile.parse(this.bytes);
  }
  get cls(): 32 | 64 {
    return this.elf.header.class;
  }
  get e() {
    return EHDR[this.cls];
  }
  private get le(): boolean {
    return this.elf.header.endian === 'little';
  }
  set16(off: number, v: number): this {
    this.view.setUint16(off, v, this.le);
    return this;
  }
  set32(off: number, v: number): this {
    this.view.setUint32(off, v, this.le);
    return this;
  }
  set64(off: number, v: bigint): this {
    this.view.setBigUint64(off, v, this.le);
    return this;
  }
  /** A class-sized word (e_phoff, sh_offset, ...). */
  setWord(off: number, v: number): this {
    return this.cls === 32 ? this.set32(off, v) : this.set64(off, BigInt(v));
  }
  /** Offset of a section header field by its ELF32 position (name 0, type 4, offset 16, size 20, link 24, entsize 36). */
  shField(index: number, field: 'type' | 'offset' | 'size' | 'link' | 'entsize' | 'name'): number {
    const base = this.elf.header.shoff + index * this.elf.header.shentsize;
    const off = this.cls === 32 ? { name: 0, type: 4, offset: 16, size: 20, link: 24, entsize: 36 } : { name: 0, type: 4, offset: 24, size: 32, link: 40, entsize: 56 };
    return base + off[field];
  }
  phField(index: number, field: 'offset' | 'filesz'): number {
    const base = this.elf.header.phoff + index * this.elf.header.phentsize;
    return base + (this.cls === 32 ? { offset: 4, filesz: 16 } : { offset: 8, filesz: 32 })[field];
  }
}

/** Runs everything ElfFile reads lazily too, so a fault anywhere surfaces. */
function readAll(bytes: Uint8Array): ElfFile {
  const elf = ElfFile.parse(bytes);
  for (const s of elf.sections) elf.sectionData(s);
  for (const p of elf.programs) elf.programData(p);
  elf.symbols();
  return elf;
}

function throwsElf(fn: () => unknown, offset: number | undefined, message: RegExp): ElfError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ElfError, `expected an ElfError, got ${caught instanceof Error ? caught.stack : String(caught)}`);
  if (offset !== undefined) assert.strictEqual(caught.offset, offset, caught.message);
  assert.match(caught.message, message);
  assert.match(caught.message, /\(at file offset 0x[0-9a-f]+\)$/);
  return caught;
}

describe('ElfFile on malformed input', () => {
  describe('identification', () => {
    const m4 = () => new Image('rproc-m4-fw');
    it('too small for e_ident', () => {
      for (const n of [0, 1, 4, 15]) throwsElf(() => ElfFile.parse(m4().bytes.subarray(0, n)), n, /too small for the 16-byte ELF identification/);
    });
    it('bad magic, at the first wrong byte', () => {
      for (let i = 0; i < 4; i++) {
        const img = m4();
        img.bytes[i] ^= 0xff;
        throwsElf(() => ElfFile.parse(img.bytes), i, /bad ELF magic/);
      }
    });
    it('unsupported class and data encoding', () => {
      const c = m4();
      c.bytes[4] = 3;
      throwsElf(() => ElfFile.parse(c.bytes), 4, /unsupported ELF class 3/);
      const d = m4();
      d.bytes[5] = 0;
      throwsElf(() => ElfFile.parse(d.bytes), 5, /unsupported ELF data encoding 0/);
    });
  });

  for (const name of ['rproc-m4-fw', 'r5-be', 'aarch64']) {
    describe(name, () => {
      const img = () => new Image(name);

      it('truncated at every structure boundary and inside each', () => {
        const full = img();
        const h = full.elf.header;
        const symtab = full.elf.sections.find((s) => s.type === SHT_SYMTAB);
        assert.ok(symtab);
        const names = full.elf.sections[h.shstrndx];
        const cuts = [16, 17, h.ehsize - 1, h.phoff + 1, h.phoff + h.phentsize * h.phnum - 1, names.offset + 1, symtab.offset + 8, h.shoff, h.shoff + h.shentsize + 3, full.bytes.length - 1];
        for (const n of cuts) {
          const err = throwsElf(() => readAll(full.bytes.subarray(0, n)), undefined, /past the end of the file|too small/);
          assert.ok(err.offset <= full.bytes.length, `offset ${err.offset} inside the original file`);
        }
        readAll(full.bytes); // the whole file is fine
      });

      it('ELF header cut short after e_ident', () => {
        const i = img();
        throwsElf(() => ElfFile.parse(i.bytes.subarray(0, i.elf.header.ehsize - 1)), i.elf.header.ehsize - 1, new RegExp(`too small for the ${i.elf.header.ehsize}-byte ELF${i.cls} header`));
      });

      it('e_phoff past the end of the file', () => {
        const i = img();
        i.setWord(i.e.phoff, i.bytes.length);
        throwsElf(() => ElfFile.parse(i.bytes), i.e.phoff, /program header table at 0x[0-9a-f]+ .* past the end of the file/);
      });

      it('e_shoff past the end of the file', () => {
        const i = img();
        i.setWord(i.e.shoff, i.bytes.length - 4);
        throwsElf(() => ElfFile.parse(i.bytes), i.e.shoff, /section header table at .* past the end of the file/);
      });

      it('e_phnum × e_phentsize runs past the end (huge count)', () => {
        const i = img();
        i.set16(i.e.phnum, 0xffff);
        throwsElf(() => ElfFile.parse(i.bytes), i.e.phoff, /program header table .*65535 ×/);
      });

      it('e_shnum huge', () => {
        const i = img();
        i.set16(i.e.shnum, 0xffff);
        throwsElf(() => ElfFile.parse(i.bytes), i.e.shoff, /section header table .*65535 ×/);
      });

      it('e_phentsize / e_shentsize not the size of the class structure', () => {
        const p = img();
        p.set16(p.e.phentsize, 0xffff);
        throwsElf(() => ElfFile.parse(p.bytes), p.e.phentsize, /program header entry size is 65535 bytes/);
        const s = img();
        s.set16(s.e.shentsize, 8);
        throwsElf(() => ElfFile.parse(s.bytes), s.e.shentsize, /section header entry size is 8 bytes/);
      });

      it('e_shstrndx out of range', () => {
        const i = img();
        i.set16(i.e.shstrndx, i.elf.header.shnum);
        throwsElf(() => ElfFile.parse(i.bytes), i.e.shstrndx, /section name table index \d+ is out of range/);
      });

      it('section name table past the end of the file, or without bytes', () => {
        const a = img();
        a.setWord(a.shField(a.elf.header.shstrndx, 'offset'), a.bytes.length);
        throwsElf(() => ElfFile.parse(a.bytes), a.shField(a.elf.header.shstrndx, 'name'), /section name table \(section \d+\) 0x[0-9a-f]+\+0x[0-9a-f]+ runs past the end/);
        const b = img();
        b.set32(b.shField(b.elf.header.shstrndx, 'type'), SHT_NOBITS);
        throwsElf(() => ElfFile.parse(b.bytes), b.shField(b.elf.header.shstrndx, 'name'), /has no bytes in the file/);
      });

      it('unterminated section name, and a name offset outside the table', () => {
        const a = img();
        const names = a.elf.sections[a.elf.header.shstrndx];
        a.bytes[names.offset + names.size - 1] = 0x78; // the NUL ending the last name
        a.set32(a.shField(1, 'name'), names.size - 1);
        throwsElf(() => ElfFile.parse(a.bytes).sections, a.shField(1, 'name'), /section 1 name at 0x[0-9a-f]+ has no terminating NUL/);
        const b = img();
        b.set32(b.shField(2, 'name'), 0x7fffffff);
        throwsElf(() => ElfFile.parse(b.bytes).sections, b.shField(2, 'name'), /section 2 name offset 0x7fffffff is outside the section name table/);
      });

      it('section and segment data past the end of the file', () => {
        const i = img();
        const rt = i.elf.section('.resource_table');
        assert.ok(rt);
        i.setWord(i.shField(rt.index, 'size'), i.bytes.length);
        const e = ElfFile.parse(i.bytes);
        const s = e.section('.resource_table');
        assert.ok(s);
        throwsElf(() => e.sectionData(s), s.headerOffset, /section \d+ \(\.resource_table\) data .* runs past the end of the file/);
        const p = img();
        p.setWord(p.phField(0, 'filesz'), p.bytes.length);
        const pe = ElfFile.parse(p.bytes);
        throwsElf(() => pe.programData(pe.programs[0]), pe.programs[0].headerOffset, /program header 0 data .* runs past the end/);
      });

      it('symbol table: size past the end, bad entry size, link out of range, unterminated name', () => {
        const sym = img().elf.sections.find((s) => s.type === SHT_SYMTAB);
        assert.ok(sym);
        const a = img();
        a.setWord(a.shField(sym.index, 'size'), 0xfffffff0);
        throwsElf(() => ElfFile.parse(a.bytes).symbols(), sym.headerOffset, /section \d+ \(\.symtab\) data .* runs past the end/);
        const b = img();
        b.setWord(b.shField(sym.index, 'entsize'), 7);
        throwsElf(() => ElfFile.parse(b.bytes).symbols(), sym.headerOffset, /symbol table entry size is 7 bytes/);
        const c = img();
        c.set32(c.shField(sym.index, 'link'), 999);
        throwsElf(() => ElfFile.parse(c.bytes).symbols(), sym.headerOffset, /links to string table section 999, out of range/);
        const d = img();
        const str = d.elf.sections[sym.link];
        d.bytes.fill(0x41, str.offset, str.offset + str.size); // no NUL anywhere in .strtab
        throwsElf(() => ElfFile.parse(d.bytes).symbols(), undefined, /symbol 0 name at 0x[0-9a-f]+ has no terminating NUL/);
        const e = img();
        e.set32(sym.offset + sym.entsize, 0x7ffffff0); // symbol 1's st_name
        throwsElf(() => ElfFile.parse(e.bytes).symbols(), sym.offset + sym.entsize, /symbol 1 name offset 0x7ffffff0 is outside the string table/);
      });

      it('bounds-checked readers', () => {
        const e = img().elf;
        const n = e.bytes.length;
        assert.strictEqual(e.u8(n - 1), e.bytes[n - 1]);
        throwsElf(() => e.u8(n), n, /reading 1 bytes at/);
        throwsElf(() => e.u16(n - 1), n - 1, /reading 2 bytes/);
        throwsElf(() => e.u32(n - 3), n - 3, /reading 4 bytes/);
        throwsElf(() => e.u64(n - 7), n - 7, /reading 8 bytes/);
        throwsElf(() => e.u32(-1), 0, /reading 4 bytes at -1 /);
        throwsElf(() => e.u32(Number.NaN), 0, /reading 4 bytes at NaN /);
      });

      it('no sections at all, or no section name table: empty names, nothing found', () => {
        const a = img();
        a.set16(a.e.shnum, 0);
        const ea = readAll(a.bytes);
        assert.deepStrictEqual(ea.sections, []);
        assert.strictEqual(ea.section('.resource_table'), undefined);
        assert.deepStrictEqual(ea.symbols(), []);
        const b = img();
        b.set16(b.e.shstrndx, 0);
        const eb = readAll(b.bytes);
        assert.ok(eb.sections.every((s) => s.name === ''));
        assert.strictEqual(eb.section('.resource_table'), undefined);
      });
    });
  }

  describe('ELF64 values a double cannot hold', () => {
    it('e_entry above 2^53', () => {
      const i = new Image('aarch64');
      i.set64(24, 1n << 60n);
      throwsElf(() => ElfFile.parse(i.bytes), 24, /64-bit value 0x1000000000000000 is too large to handle \(above 2\^53\)/);
    });
    it('e_shoff 2^64 - 1', () => {
      const i = new Image('aarch64');
      i.set64(40, (1n << 64n) - 1n);
      throwsElf(() => ElfFile.parse(i.bytes), 40, /too large/);
    });
    it('sh_size above 2^53 shows when the section is read', () => {
      const i = new Image('aarch64');
      const rt = i.elf.section('.resource_table');
      assert.ok(rt);
      i.set64(i.shField(rt.index, 'size'), 1n << 56n);
      const e = ElfFile.parse(i.bytes);
      throwsElf(() => e.sections, i.shField(rt.index, 'size'), /too large/);
    });
    it('p_filesz above 2^53', () => {
      const i = new Image('aarch64');
      i.set64(i.phField(0, 'filesz'), 1n << 53n);
      throwsElf(() => ElfFile.parse(i.bytes), i.phField(0, 'filesz'), /too large/);
    });
    it('2^53 - 1 is still read exactly', () => {
      const i = new Image('aarch64');
      i.set64(24, (1n << 53n) - 1n);
      assert.strictEqual(ElfFile.parse(i.bytes).header.entry, Number.MAX_SAFE_INTEGER);
    });
  });
});
