import assert from 'node:assert/strict';
import { decodeResourceTable } from '../../../src/core/rsc/decode';
import { encodeResourceTable, layoutResourceTable } from './encode';
import { CarveoutEntry, RscError, TraceEntry, VdevEntry } from '../../../src/core/rsc/types';
import { goodFirmware, setU32, tableOf, tableSpan } from './firmware';

function decodeError(bytes: Uint8Array): RscError {
  try {
    decodeResourceTable(bytes, 'little');
  } catch (e) {
    assert.ok(e instanceof RscError, `not an RscError: ${String(e)}`);
    return e;
  }
  assert.fail('decoded a broken table');
}

describe('rsc decode', () => {
  const good = goodFirmware();
  const { offset, size } = tableSpan(good);
  const raw = () => good.slice(offset, offset + size);

  it('decodes the gcc-built table field by field', () => {
    const t = tableOf(good);
    assert.equal(t.ver, 1);
    assert.equal(t.num, 3);
    assert.deepEqual(t.reserved, [0, 0]);
    assert.deepEqual(t.offsets, [28, 84, 132]);
    assert.equal(t.size, 200);
    const [c, tr, v] = t.entries as [CarveoutEntry, TraceEntry, VdevEntry];
    assert.deepEqual({ ...c }, { kind: 'carveout', index: 0, offset: 28, size: 56, type: 0, da: 0x10030000, pa: 0x10030000, len: 0x8000, flags: 0, reserved: 0, name: 'shm' });
    assert.equal(tr.kind, 'trace');
    assert.equal(tr.name, 'cm4_log');
    assert.equal(tr.len, 1024);
    assert.equal(tr.size, 48);
    assert.equal(v.kind, 'vdev');
    assert.equal(v.id, 7);
    assert.equal(v.dfeatures, 1);
    assert.equal(v.num_of_vrings, 2);
    assert.equal(v.size, 68);
    assert.deepEqual(v.vrings, [
      { da: 0x10040000, align: 16, num: 16, notifyid: 0, pa: 0 },
      { da: 0x10041000, align: 16, num: 16, notifyid: 1, pa: 0 },
    ]);
    assert.equal(v.config.length, 0);
  });

  it('reads a big-endian table with the same fields', () => {
    const t = tableOf(good);
    const be = encodeResourceTable(t, 'big');
    assert.notDeepEqual(be, raw());
    assert.deepEqual(decodeResourceTable(be, 'big'), t);
  });

  it('refuses a table smaller than its header and an offset array past the end, with the kernel\'s words', () => {
    assert.equal(decodeError(raw().slice(0, 15)).reason, 'header-less resource table');
    const b = raw();
    setU32(b, 4, 1 << 30); // num: never allocated, checked against the size first
    const e = decodeError(b);
    assert.equal(e.reason, 'resource table incomplete');
    assert.equal(e.offset, 4);
    assert.equal(e.partial.header?.num, 1 << 30);
  });

  it('refuses entry offsets the kernel refuses, and keeps the entries read before', () => {
    for (const bad of [0, 15, size, size + 100, size - 3, 0xffffffff]) {
      const b = raw();
      setU32(b, 16 + 8, bad);
      const e = decodeError(b);
      assert.equal(e.reason, 'rsc table is truncated');
      assert.equal(e.offset, 24);
      assert.deepEqual(e.entry, { index: 2 });
      assert.deepEqual(e.partial.entries.map((x) => x.kind), ['carveout', 'trace']);
    }
  });

  it('accepts an offset inside the offset array, as the kernel does (it only checks against the header)', () => {
    const t = layoutResourceTable([{ kind: 'unknown', type: 7, raw: new Uint8Array(8) }]);
    const b = encodeResourceTable({ ...t, offsets: [16] }, 'little');
    const d = decodeResourceTable(b, 'little');
    assert.equal(d.entries[0].offset, 16);
    assert.equal(d.entries[0].type, 16); // the offset word itself, read as a type
  });

  it('names a truncated entry by its type', () => {
    const b = raw();
    setU32(b, 24, size - 8);
    setU32(b, size - 8, 2);
    const e = decodeError(b);
    assert.equal(e.reason, 'trace rsc is truncated');
    assert.deepEqual(e.entry, { index: 2, type: 2 });
    assert.equal(e.offset, size - 8);
  });

  it('bounds a vdev by num_of_vrings and config_len before reading them', () => {
    const b = raw();
    b[132 + 4 + 21] = 255; // num_of_vrings
    assert.equal(decodeError(b).reason, 'vdev rsc is truncated');
    const c = raw();
    setU32(c, 132 + 4 + 16, 0xffffffff); // config_len
    assert.equal(decodeError(c).reason, 'vdev rsc is truncated');
  });

  it('gives vendor and unknown entries the bytes up to the next entry or the end', () => {
    const t = layoutResourceTable(
      [
        { kind: 'vendor', type: 300, raw: Uint8Array.of(1, 2, 3, 4) },
        { kind: 'unknown', type: 9, raw: Uint8Array.of(5, 6) },
      ],
      { padding: 3 },
    );
    const d = decodeResourceTable(encodeResourceTable(t, 'little'), 'little');
    assert.deepEqual([...(d.entries[0] as { raw: Uint8Array }).raw], [1, 2, 3, 4]);
    assert.deepEqual([...(d.entries[1] as { raw: Uint8Array }).raw], [5, 6, 0, 0, 0]);
    assert.equal(d.entries[1].size, 9);
  });

  it('reads a name of 32 characters without a NUL', () => {
    const name = 'x'.repeat(32);
    const t = layoutResourceTable([{ kind: 'trace', type: 2, da: 1, len: 2, reserved: 0, name }]);
    assert.equal((decodeResourceTable(encodeResourceTable(t, 'little'), 'little').entries[0] as TraceEntry).name, name);
  });
});
