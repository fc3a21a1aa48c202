// ElfFile's API on real images: views not copies, NOBITS data, lookups by name (in place and
// through the decoded list), symbols, the class-sized word reader.
import assert from 'assert';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { PT_LOAD, SHT_NOBITS, STT_FUNC, STT_OBJECT } from '../../../src/core/elf/constants';
import { readFixture } from '../../fixtures/fixtures';

describe('ElfFile', () => {
  it('gives section and segment data as views into the file, not copies', () => {
    const bytes = readFixture('rproc-m4-fw');
    const elf = ElfFile.parse(bytes);
    const rt = elf.section('.resource_table');
    assert.ok(rt);
    const data = elf.sectionData(rt);
    assert.strictEqual(data.buffer, bytes.buffer);
    assert.strictEqual(data.byteOffset, bytes.byteOffset + rt.offset);
    assert.strictEqual(data.length, rt.size);
    bytes[rt.offset] = 0x99; // the view sees the file's bytes
    assert.strictEqual(data[0], 0x99);
    const load = elf.programs.find((p) => p.type === PT_LOAD && p.filesz > 0);
    assert.ok(load);
    const seg = elf.programData(load);
    assert.strictEqual(seg.buffer, bytes.buffer);
    assert.strictEqual(seg.length, load.filesz);
  });

  it('gives SHT_NOBITS sections no data, whatever their offset and size say', () => {
    const elf = ElfFile.parse(readFixture('rproc-m4-fw'));
    const trace = elf.section('.trace_buf');
    assert.ok(trace && trace.type === SHT_NOBITS && trace.size === 2048);
    assert.strictEqual(elf.sectionData(trace).length, 0);
  });

  it('finds a section by name in place, before and after the full list is read, with the same header', () => {
    const bytes = readFixture('aarch64');
    const fresh = ElfFile.parse(bytes).section('.resource_table');
    const listed = ElfFile.parse(bytes);
    const all = listed.sections;
    assert.deepStrictEqual(fresh, listed.section('.resource_table'));
    assert.strictEqual(listed.section('.resource_table'), all.find((s) => s.name === '.resource_table'));
    assert.strictEqual(listed.section('.resource_tabl'), undefined); // a prefix is not a match
    assert.strictEqual(listed.section('.resource_table.x'), undefined);
  });

  it('finds a section whose name is not ASCII (decoded as UTF-8)', () => {
    const bytes = readFixture('rproc-m4-fw');
    const elf = ElfFile.parse(bytes);
    const data = elf.section('.data') ?? elf.section('.rodata');
    assert.ok(data);
    const names = elf.sections[elf.header.shstrndx];
    const at = names.offset + data.nameOffset;
    const original = data.name;
    const utf8 = Buffer.from(original.slice(0, original.length - 2) + 'é', 'utf8'); // same length in bytes
    assert.strictEqual(utf8.length, original.length);
    bytes.set(utf8, at);
    const renamed = utf8.toString('utf8');
    assert.strictEqual(ElfFile.parse(bytes).section(renamed)?.index, data.index);
    assert.strictEqual(ElfFile.parse(bytes).sections[data.index].name, renamed);
    assert.strictEqual(ElfFile.parse(bytes).section(utf8.toString('latin1')), undefined);
  });

  it('reads symbols on first use and finds them by name', () => {
    const elf = ElfFile.parse(readFixture('rproc-r5_0-fw'));
    const main = elf.symbol('main');
    const buf = elf.symbol('trace_buf');
    assert.ok(main && buf);
    assert.strictEqual(main.type, STT_FUNC);
    assert.strictEqual(buf.type, STT_OBJECT);
    assert.strictEqual(buf.size, 2048);
    assert.strictEqual(elf.section('.trace_buf')?.addr, buf.value);
    assert.strictEqual(elf.symbols()[0].name, ''); // the null symbol
    assert.strictEqual(elf.symbols(), elf.symbols()); // read once
    assert.strictEqual(elf.symbol('no_such_symbol'), undefined);
  });

  it('reads class-sized words and both endians', () => {
    const le = ElfFile.parse(readFixture('rproc-r5_0-fw'));
    const be = ElfFile.parse(readFixture('r5-be'));
    const a64 = ElfFile.parse(readFixture('aarch64'));
    assert.deepStrictEqual([le.header.class, le.header.endian, be.header.endian, a64.header.class], [32, 'little', 'big', 64]);
    assert.strictEqual(le.word(24), le.header.entry);
    assert.strictEqual(be.word(24), be.header.entry);
    assert.strictEqual(a64.word(24), a64.header.entry);
    // The same program built both ways: same addresses, bytes swapped.
    assert.strictEqual(le.header.entry, be.header.entry);
    assert.strictEqual(le.u16(18), 40);
    assert.strictEqual(be.u16(18), 40);
    assert.strictEqual(be.bytes[18], 0);
  });
});
