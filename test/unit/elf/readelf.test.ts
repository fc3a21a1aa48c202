// Cross-checks every header field ElfFile reads against binutils' readelf on every fixture: both
// endians, ELF32 and ELF64, executables and a relocatable object. readelf runs at test time.
import assert from 'assert';
import { execFileSync } from 'child_process';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { ALL_FIXTURES, fixture, readFixture } from '../../fixtures/fixtures';

const SECTION_TYPES: Record<string, number> = {
  NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3, RELA: 4, NOTE: 7, NOBITS: 8, REL: 9,
  ARM_EXIDX: 0x70000001, ARM_ATTRIBUTES: 0x70000003,
};
const SECTION_FLAGS: Record<string, number> = {
  W: 0x1, A: 0x2, X: 0x4, M: 0x10, S: 0x20, I: 0x40, L: 0x80, O: 0x100, G: 0x200, T: 0x400, E: 0x80000000, y: 0x20000000,
};
const PROGRAM_TYPES: Record<string, number> = { LOAD: 1, NOTE: 4, GNU_STACK: 0x6474e551, ARM_EXIDX: 0x70000001 };
const SYMBOL_TYPES: Record<string, number> = { NOTYPE: 0, OBJECT: 1, FUNC: 2, SECTION: 3, FILE: 4 };
const SYMBOL_BINDS: Record<string, number> = { LOCAL: 0, GLOBAL: 1, WEAK: 2 };
const SPECIAL_SHNDX: Record<string, number> = { UND: 0, ABS: 0xfff1, COM: 0xfff2 };

interface Readelf {
  header: Map<string, string>;
  sections: { index: number; name: string; type: number; addr: number; offset: number; size: number; entsize: number; flags: number; link: number; info: number; addralign: number }[];
  programs: { type: number; offset: number; vaddr: number; paddr: number; filesz: number; memsz: number; flags: number; align: number }[];
  symbols: { index: number; value: number; size: number; type: number; bind: number; shndx: number; name: string }[];
}

function known(table: Record<string, number>, key: string, what: string): number {
  const v = table[key];
  if (v === undefined) throw new Error(`readelf printed a ${what} this test does not know: ${key}`);
  return v;
}

function readelf(file: string): Readelf {
  const text = execFileSync('arm-none-eabi-readelf', ['-W', '-h', '-l', '-S', '-s', file], { encoding: 'utf8' });
  const out: Readelf = { header: new Map(), sections: [], programs: [], symbols: [] };
  let part = 'header';
  for (const line of text.split('\n')) {
    if (line.startsWith('ELF Header:')) part = 'header';
    else if (line.startsWith('Section Headers:')) part = 'sections';
    else if (line.startsWith('Program Headers:')) part = 'programs';
    else if (line.startsWith('Symbol table')) part = 'symbols';
    else if (line.startsWith(' Section to Segment') || line.startsWith('Key to Flags')) part = 'skip';
    let m: RegExpMatchArray | null;
    if (part === 'header' && (m = line.match(/^\s+([^:]+):\s+(.*)$/))) {
      out.header.set(m[1].trim(), m[2].trim());
    } else if (
      part === 'sections' &&
      (m = line.match(/^\s*\[\s*(\d+)\]\s+(.*?)\s*(\S+)\s+([0-9a-f]{8,16})\s+([0-9a-f]{6,})\s+([0-9a-f]{6,})\s+([0-9a-f]{2})\s+([A-Za-z]*)\s+(\d+)\s+(\d+)\s+(\d+)$/))
    ) {
      out.sections.push({
        index: Number(m[1]),
        // Names may hold spaces (the hostile fixture's do): everything between the index and the type.
        name: m[2],
        type: known(SECTION_TYPES, m[3], 'section type'),
        addr: parseInt(m[4], 16),
        offset: parseInt(m[5], 16),
        size: parseInt(m[6], 16),
        entsize: parseInt(m[7], 16),
        flags: [...m[8]].reduce((f, c) => f | known(SECTION_FLAGS, c, 'section flag'), 0) >>> 0,
        link: Number(m[9]),
        info: Number(m[10]),
        addralign: Number(m[11]),
      });
    } else if (
      part === 'programs' &&
      (m = line.match(/^\s+(\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+([R ][W ][E ])\s+0x([0-9a-f]+)$/))
    ) {
      const f = m[7];
      out.programs.push({
        type: known(PROGRAM_TYPES, m[1], 'program header type'),
        offset: parseInt(m[2], 16),
        vaddr: parseInt(m[3], 16),
        paddr: parseInt(m[4], 16),
        filesz: parseInt(m[5], 16),
        memsz: parseInt(m[6], 16),
        flags: (f[0] === 'R' ? 4 : 0) | (f[1] === 'W' ? 2 : 0) | (f[2] === 'E' ? 1 : 0),
        align: parseInt(m[8], 16),
      });
    } else if (part === 'symbols' && (m = line.match(/^\s*(\d+):\s+([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s?(.*)$/))) {
      out.symbols.push({
        index: Number(m[1]),
        value: parseInt(m[2], 16),
        size: Number(m[3]),
        type: known(SYMBOL_TYPES, m[4], 'symbol type'),
        bind: known(SYMBOL_BINDS, m[5], 'symbol binding'),
        shndx: SPECIAL_SHNDX[m[7]] ?? Number(m[7]),
        name: m[8],
      });
    }
  }
  return out;
}

describe('ElfFile against readelf', () => {
  for (const name of ALL_FIXTURES) {
    describe(name, () => {
      const elf = () => ElfFile.parse(readFixture(name));
      const ref = () => readelf(fixture(name));

      it('reads every ELF header field as readelf does', () => {
        const h = elf().header;
        const r = ref().header;
        assert.strictEqual(`ELF${h.class}`, r.get('Class'));
        assert.strictEqual(r.get('Data'), `2's complement, ${h.endian} endian`);
        assert.strictEqual(h.osabi, 0);
        assert.strictEqual(r.get('OS/ABI'), 'UNIX - System V');
        assert.strictEqual(h.type, { 'EXEC (Executable file)': 2, 'REL (Relocatable file)': 1 }[r.get('Type') ?? '']);
        assert.strictEqual(h.machine, { ARM: 40, AArch64: 183 }[r.get('Machine') ?? '']);
        assert.strictEqual(h.version, parseInt(r.get('Version') ?? '', 16));
        assert.strictEqual(h.entry, parseInt(r.get('Entry point address') ?? '', 16));
        assert.strictEqual(h.phoff, parseInt(r.get('Start of program headers') ?? ''));
        assert.strictEqual(h.shoff, parseInt(r.get('Start of section headers') ?? ''));
        assert.strictEqual(h.flags, parseInt((r.get('Flags') ?? '').split(',')[0], 16));
        assert.strictEqual(h.ehsize, parseInt(r.get('Size of this header') ?? ''));
        assert.strictEqual(h.phentsize, parseInt(r.get('Size of program headers') ?? ''));
        assert.strictEqual(h.phnum, parseInt(r.get('Number of program headers') ?? ''));
        assert.strictEqual(h.shentsize, parseInt(r.get('Size of section headers') ?? ''));
        assert.strictEqual(h.shnum, parseInt(r.get('Number of section headers') ?? ''));
        assert.strictEqual(h.shstrndx, parseInt(r.get('Section header string table index') ?? ''));
      });

      it('reads every program header as readelf does', () => {
        const e = elf();
        const r = ref().programs;
        assert.strictEqual(e.programs.length, r.length);
        e.programs.forEach((p, i) => {
          const { index, headerOffset, ...fields } = p;
          assert.strictEqual(index, i);
          assert.strictEqual(headerOffset, e.header.phoff + i * e.header.phentsize);
          assert.deepStrictEqual(fields, { ...r[i] }, `program header ${i}`);
        });
      });

      it('reads every section header and name as readelf does', () => {
        const e = elf();
        const r = ref().sections;
        assert.ok(r.length > 0);
        assert.strictEqual(e.sections.length, r.length);
        e.sections.forEach((s, i) => {
          const { nameOffset, headerOffset, ...fields } = s;
          assert.deepStrictEqual(fields, r[i], `section ${i}`);
          assert.strictEqual(headerOffset, e.header.shoff + i * e.header.shentsize);
          assert.strictEqual(e.u32(headerOffset), nameOffset);
        });
      });

      it('finds each section by name in place as in the full list', () => {
        const e = elf();
        const f = ElfFile.parse(readFixture(name)); // section() before sections is materialised
        for (const s of e.sections) if (s.name) assert.deepStrictEqual(f.section(s.name), e.sections.find((t) => t.name === s.name));
        assert.strictEqual(f.section('.no_such_section'), undefined);
      });

      it('reads every symbol as readelf does', () => {
        const e = elf();
        const r = ref().symbols;
        const syms = e.symbols();
        assert.ok(r.length > 10);
        assert.strictEqual(syms.length, r.length);
        syms.forEach((s, i) => {
          const x = r[i];
          assert.deepStrictEqual(
            { value: s.value, size: s.size, type: s.type, bind: s.bind, shndx: s.shndx },
            { value: x.value, size: x.size, type: x.type, bind: x.bind, shndx: x.shndx },
            `symbol ${i}`,
          );
          // readelf prints a section symbol with its section's name; its own name is empty.
          assert.strictEqual(s.name, s.type === 3 ? '' : x.name, `symbol ${i} name`);
        });
      });
    });
  }
});
