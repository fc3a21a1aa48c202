// Any damage to a real image gives findings or a typed error, never anything else.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeResourceTable } from '../../../src/core/rsc/decode';
import { RscError } from '../../../src/core/rsc/types';
import { validateFirmware } from '../../../src/core/rsc/validate';
import { goodFirmware, stm32Board, tableSpan } from './firmware';

const good = goodFirmware();
const { offset, size } = tableSpan(good);
const boards = [{}, stm32Board(), stm32Board({ driver: 'k3_r5_rproc', tableRequired: true }), stm32Board({ driver: 'zynqmp_r5_remoteproc' })];

function mutate(base: Uint8Array, edits: { at: number; value: number }[], cut: number | undefined): Uint8Array {
  const b = base.slice(0, cut === undefined ? base.length : cut % (base.length + 1));
  for (const e of edits) if (b.length) b[e.at % b.length] = e.value;
  return b;
}

/** Edits aimed at the headers and the table, where the checks are, and anywhere else. */
const edit = (base: number, span: number) => fc.record({ at: fc.nat({ max: span - 1 }).map((n) => base + n), value: fc.nat({ max: 255 }) });
const edits = fc.array(fc.oneof(edit(0, 52), edit(offset, size), edit(0, good.length), edit(good.length - 400, 400)), { minLength: 1, maxLength: 6 });

describe('rsc robustness (fast-check)', () => {
  it('validateFirmware returns findings for any byte mutation or truncation of a valid image', () => {
    fc.assert(
      fc.property(edits, fc.option(fc.nat(), { nil: undefined }), fc.nat({ max: boards.length - 1 }), (es, cut, bi) => {
        const v = validateFirmware(mutate(good, es, cut), boards[bi]);
        assert.equal(v.ok, !v.findings.some((f) => f.severity === 'error'));
        for (const f of v.findings) assert.ok(f.rule && f.message && f.explanation && f.fix, JSON.stringify(f));
      }),
      { numRuns: 3000 },
    );
  });

  it('decodeResourceTable gives a table or an RscError for any mutation of the table bytes', () => {
    const table = good.slice(offset, offset + size);
    fc.assert(
      fc.property(fc.array(edit(0, size), { maxLength: 8 }), fc.option(fc.nat({ max: size }), { nil: undefined }), (es, cut) => {
        try {
          const t = decodeResourceTable(mutate(table, es, cut), 'little');
          assert.ok(t.entries.length <= t.num);
        } catch (e) {
          assert.ok(e instanceof RscError, String(e));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a view into a larger buffer (a Node Buffer from a pool) the same as a fresh copy', () => {
    for (const opts of boards) {
      const big = new Uint8Array(good.length + 7);
      big.set(good, 3);
      const view = big.subarray(3, 3 + good.length);
      assert.deepEqual(validateFirmware(view, opts).findings, validateFirmware(good, opts).findings);
      const broken = good.slice();
      broken[offset] = 9; // ver 9
      big.set(broken, 3);
      assert.deepEqual(validateFirmware(view, opts).findings, validateFirmware(broken, opts).findings);
    }
  });

  it('never allocates by a count from the file: a table claiming 2^32-1 entries fails fast', () => {
    const b = good.slice(offset, offset + size);
    new DataView(b.buffer).setUint32(4, 0xffffffff, true);
    assert.throws(() => decodeResourceTable(b, 'little'), (e) => e instanceof RscError && e.reason === 'resource table incomplete');
  });
});
