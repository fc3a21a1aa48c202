import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { MapItem, overlapsOf, tableView } from '../../../src/core/rsc/tableView';
import { elfMentionsFile, entryFieldValueSpot, entryNameSpot, findTableDefinition, findTableDefinitions, tableSymbolName } from '../../../src/core/rsc/tableSource';
import { ALL_FIXTURES, REPO_ROOT, readFixture } from '../../fixtures/fixtures';

const stm32 = findBoard('stm32mp157');
if (!stm32) throw new Error('stm32mp157 board missing');
const m4 = { board: stm32, core: stm32.cores[0] };
const example = new Uint8Array(fs.readFileSync(path.join(REPO_ROOT, 'examples/stm32mp157/rproc-m4-fw.elf')));

describe('tableView: the snapshot the panel renders', () => {
  it('names every field of the example and places it in the table bytes', () => {
    const v = tableView('fw.elf', example, m4);
    assert.equal(v.ok, true);
    assert.equal(v.section?.size, 140);
    assert.equal(v.section?.bytes.length, 140);
    assert.deepEqual(v.entries.map((e) => e.typeName), ['RSC_VDEV', 'RSC_TRACE']);
    const trace = v.entries[1];
    assert.equal(trace.name, 'cm4_log');
    const da = trace.fields.find((f) => f.name === 'da');
    assert.ok(da);
    const bytes = Uint8Array.from(v.section?.bytes ?? []);
    const word = new DataView(bytes.buffer).getUint32(da.offset, true);
    assert.equal(da.value, `0x${word.toString(16)}`, 'the field value is the word at its offset');
    assert.deepEqual(v.entries[0].vrings.map((r) => r.map((f) => f.name)), [['da', 'align', 'num', 'notifyid', 'pa'], ['da', 'align', 'num', 'notifyid', 'pa']]);
    assert.deepEqual(v.header?.fields.map((f) => [f.name, f.value]), [['ver', '1'], ['num', '2'], ['reserved[0]', '0x0'], ['reserved[1]', '0x0']]);
  });

  it('draws the core\'s memory, the segments, the table and the trace buffer, without overlap', () => {
    const v = tableView('fw.elf', example, m4);
    assert.deepEqual(v.memoryMap.windows.map((w) => w.name), ['retram', 'mcusram', 'mcusram-alias']);
    const kinds = new Set(v.memoryMap.items.map((i) => i.kind));
    for (const k of ['segment', 'reserved', 'table', 'trace'] as const) assert.ok(kinds.has(k), k);
    assert.deepEqual(v.memoryMap.overlaps, []);
    assert.ok(!v.memoryMap.items.some((i) => i.error));
  });

  it('places a finding in the table and gives the board\'s carveout address as its mechanical fix', () => {
    const v = tableView('x.elf', readFixture('ampw-carveout-outside'), m4);
    const f = v.findings.find((x) => x.rule === 'kernel/registered_carveout_da');
    assert.ok(f);
    assert.deepEqual(f.tableRange, { offset: 32, length: 12 });
    assert.deepEqual(f.mechanical && { field: f.mechanical.field, value: f.mechanical.value, entry: f.mechanical.entry }, { field: 'da', value: 0x30000000, entry: 0 });
    assert.equal(v.entries[0].severity, 'error');
    assert.ok(v.memoryMap.items.some((i) => i.kind === 'carveout' && i.error));
  });

  it('gives the registered vdevNvringM address as the fix of a vring at another da', () => {
    const zynqmp = findBoard('zynqmp');
    assert.ok(zynqmp);
    const opts = { board: zynqmp, core: zynqmp.cores[0] };
    const bytes = new Uint8Array(fs.readFileSync(path.join(REPO_ROOT, 'examples/zynqmp/rproc-r5_0-fw.elf')));
    const before = tableView('z.elf', bytes, opts);
    const da = before.entries.find((e) => e.kind === 'vdev')?.vrings[0].find((f) => f.name === 'da');
    assert.ok(da && before.section);
    assert.equal(da.value, '0x3ed40000');
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(before.section.offset + da.offset, 0x3ed48000, true);
    const f = tableView('z.elf', bytes, opts).findings.find((x) => x.rule === 'ampw/vring-da-mismatch');
    assert.ok(f?.mechanical, 'the mismatch has a mechanical fix');
    assert.deepEqual([f.mechanical.field, f.mechanical.offset, f.mechanical.value], ['vring[0].da', da.offset, 0x3ed40000]);
    assert.equal(f.mechanical.entryName, undefined, 'a vring has no name to find it by in C');
  });

  it('keeps hostile names as the exact strings of the ELF', () => {
    const v = tableView('h.elf', readFixture('hostile-names'), m4);
    assert.deepEqual(v.entries.map((e) => e.name), ['<img src=x onerror=window.p=1>', undefined, '</script><script>p=2</script>']);
    const names = v.sections.map((s) => s.name);
    assert.ok(names.includes('<img src=x onerror=window.p=4>'), names.join(','));
    assert.ok(names.includes('</script><script>window.p=5</script>'));
  });

  it('gives a snapshot for every fixture that survives JSON (what postMessage carries)', () => {
    for (const name of ALL_FIXTURES) {
      const v = tableView(name, readFixture(name), m4);
      assert.deepEqual(JSON.parse(JSON.stringify(v)), v, name);
      assert.equal(v.findings.length, v.counts.error + v.counts.warning + v.counts.info, name);
    }
  });

  it('never throws on damaged images: truncated or overwritten bytes', () => {
    fc.assert(
      fc.property(fc.nat(example.length), fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(example.length), (cut, junk, at) => {
        const bytes = example.slice(0, Math.max(cut, 1));
        bytes.set(junk.subarray(0, Math.max(0, bytes.length - at)), Math.min(at, bytes.length));
        const v = tableView('d.elf', bytes, m4);
        assert.equal(v.fileSize, bytes.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('overlapsOf', () => {
  const item = (kind: MapItem['kind'], da: number, size: number): MapItem => ({ kind, label: `${kind}@${da}`, da, size, error: false });
  it('reports segments sharing addresses, and vrings inside code, but not a table inside its segment', () => {
    const o = overlapsOf([item('segment', 0x1000, 0x100), item('segment', 0x1080, 0x100), item('table', 0x1000, 0x40), item('vring', 0x10f0, 0x20)]);
    assert.deepEqual(o.map((x) => [x.da, x.size]).sort((a, b) => a[0] - b[0] || a[1] - b[1]), [[0x1080, 0x80], [0x10f0, 0x10], [0x10f0, 0x20]]);
  });
  it('stays bounded for thousands of overlapping items', () => {
    const many = Array.from({ length: 5000 }, () => item('segment', 0, 0x1000));
    assert.equal(overlapsOf(many).length, 256);
  });
});

describe('tableSource: the C definition of the table', () => {
  const variants = fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/rsc_variants.c'), 'utf8');
  it('finds the variable at .resource_table through the ELF symbols and the file through its debug info', () => {
    const bytes = readFixture('ampw-carveout-outside');
    const elf = ElfFile.parse(bytes);
    const s = elf.section('.resource_table');
    assert.ok(s);
    assert.equal(tableSymbolName(elf, s), 'resource_table');
    assert.equal(elfMentionsFile(bytes, 'rsc_variants.c'), true);
    assert.equal(elfMentionsFile(bytes, 'resource_table.c'), false);
    assert.equal(elfMentionsFile(bytes, 'variants.c'), false, 'a whole file name, not a suffix');
  });
  it('picks the #if branch that names the entries, and the .da of the named carveout', () => {
    assert.equal(findTableDefinitions(variants, 'resource_table').length, 2);
    const def = findTableDefinition(variants, 'resource_table', ['mcuram', 'cm4_log']);
    assert.ok(def);
    const name = entryNameSpot(variants, def, 'mcuram');
    assert.equal(name && variants.slice(name.offset, name.offset + name.length), '.name = "mcuram"');
    const da = entryFieldValueSpot(variants, def, 'mcuram', 'da');
    assert.ok(da);
    assert.equal(variants.slice(da.offset, da.offset + da.length), 'CARVEOUT_DA');
    assert.equal(variants.split('\n')[da.line].slice(da.character, da.character + da.length), 'CARVEOUT_DA');
    assert.equal(entryNameSpot(variants, def, 'nope'), undefined);
  });
  it('ignores extern declarations and comments', () => {
    const text = 'extern struct t resource_table = {0};\n/* resource_table = { */\nstruct t resource_table = { .c = { .name = "a\\"b", .da = 1 } };\n';
    const defs = findTableDefinitions(text, 'resource_table');
    assert.equal(defs.length, 1);
    assert.equal(defs[0].name.line, 2);
    const da = entryFieldValueSpot(text, defs[0], 'a"b', 'da');
    assert.equal(da && text.slice(da.offset, da.offset + da.length), '1');
  });
});
