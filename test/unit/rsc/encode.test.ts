import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeResourceTable } from '../../../src/core/rsc/decode';
import { RscEntrySpec, encodeResourceTable, layoutResourceTable } from './encode';
import { RscError } from '../../../src/core/rsc/types';
import { goodFirmware, tableOf, tableSpan } from './firmware';

const u32 = fc.nat({ max: 0xffffffff });
const name = fc.array(fc.integer({ min: 1, max: 255 }), { maxLength: 32 }).map((c) => String.fromCharCode(...c));
const bytes = (max: number) => fc.uint8Array({ maxLength: max });
const spec: fc.Arbitrary<RscEntrySpec> = fc.oneof(
  fc.record({ kind: fc.constant('carveout' as const), type: fc.constant(0), da: u32, pa: u32, len: u32, flags: u32, reserved: u32, name }),
  fc.record({ kind: fc.constant('devmem' as const), type: fc.constant(1), da: u32, pa: u32, len: u32, flags: u32, reserved: u32, name }),
  fc.record({ kind: fc.constant('trace' as const), type: fc.constant(2), da: u32, len: u32, reserved: u32, name }),
  fc
    .record({
      id: u32,
      notifyid: u32,
      dfeatures: u32,
      gfeatures: u32,
      status: fc.nat({ max: 255 }),
      reserved: fc.tuple(fc.nat({ max: 255 }), fc.nat({ max: 255 })),
      vrings: fc.array(fc.record({ da: u32, align: u32, num: u32, notifyid: u32, pa: u32 }).map((r) => ({ ...r })), { maxLength: 4 }),
      config: bytes(24),
    })
    .map((v) => ({ kind: 'vdev' as const, type: 3, ...v, num_of_vrings: v.vrings.length, config_len: v.config.length })),
  fc.record({ kind: fc.constant('vendor' as const), type: fc.integer({ min: 128, max: 512 }), raw: bytes(16) }),
  fc.record({ kind: fc.constant('unknown' as const), type: fc.oneof(fc.integer({ min: 4, max: 127 }), fc.integer({ min: 513, max: 0xffffffff })), raw: bytes(16) }),
);

describe('rsc encode', () => {
  it('writes the gcc-built table back byte for byte', () => {
    const good = goodFirmware();
    const { offset, size } = tableSpan(good);
    assert.deepEqual(encodeResourceTable(tableOf(good), 'little'), good.slice(offset, offset + size));
  });

  it('decode(encode(t)) = t over generated tables, both byte orders', () => {
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 8 }), fc.constantFrom('little' as const, 'big' as const), fc.tuple(u32, u32), u32, (specs, endian, reserved, ver) => {
        // The last raw entry would also own any padding, so only fixed-size tables get padding.
        const t = layoutResourceTable(specs, { ver, reserved });
        assert.deepEqual(decodeResourceTable(encodeResourceTable(t, endian), endian), t);
      }),
      { numRuns: 500 },
    );
  });

  it('lays entries out packed behind the offset array', () => {
    const t = layoutResourceTable([
      { kind: 'trace', type: 2, da: 0, len: 0, reserved: 0, name: 't' },
      { kind: 'vdev', type: 3, id: 7, notifyid: 0, dfeatures: 1, gfeatures: 0, config_len: 2, status: 0, num_of_vrings: 0, reserved: [0, 0], vrings: [], config: Uint8Array.of(9, 9) },
    ]);
    assert.deepEqual(t.offsets, [24, 72]);
    assert.equal(t.size, 72 + 28 + 2);
  });

  it('refuses an entry that does not fit the table with a typed error', () => {
    const t = layoutResourceTable([{ kind: 'trace', type: 2, da: 0, len: 0, reserved: 0, name: 't' }]);
    assert.throws(() => encodeResourceTable({ ...t, size: t.size - 1 }, 'little'), (e) => e instanceof RscError && e.entry?.index === 0);
  });
});
