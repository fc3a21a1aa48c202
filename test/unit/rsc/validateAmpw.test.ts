// Our own rules on variants of the real image: each fires on its variant with its severity, and
// none fires on the good image except the informational ones the fixture really deserves.
import assert from 'node:assert/strict';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { layoutResourceTable } from './encode';
import { CarveoutEntry, TraceEntry, VdevEntry } from '../../../src/core/rsc/types';
import { ValidateOptions, validateFirmware } from '../../../src/core/rsc/validate';
import { goodFirmware, patchEntry, setU32, stm32Board, tableOf, withTable } from './firmware';

const good = goodFirmware();
const elf = ElfFile.parse(good);
const t0 = tableOf(good);
const [carveout, trace, vdev] = t0.entries as [CarveoutEntry, TraceEntry, VdevEntry];

function ours(bytes: Uint8Array, opts: ValidateOptions = {}) {
  return validateFirmware(bytes, opts).findings.filter((f) => f.rule.startsWith('ampw/'));
}
function expectRule(bytes: Uint8Array, rule: string, severity: string, message: string, opts: ValidateOptions = {}): void {
  const hits = ours(bytes, opts).filter((f) => f.rule === rule);
  assert.equal(hits.length, 1, `${rule}: ${JSON.stringify(ours(bytes, opts).map((f) => f.rule))}`);
  assert.equal(hits[0].severity, severity);
  assert.equal(hits[0].message, message);
  assert.ok(hits[0].explanation && hits[0].fix);
}
const vrings = (edit: (j: number) => object) => withTable(good, (t) => patchEntry(t, 2, { vrings: vdev.vrings.map((v, j) => ({ ...v, ...edit(j) })) }));

describe('rsc validate: ampw rules', () => {
  it('the good image only gets the informational align notes (no board) and a DT-name note (stm32)', () => {
    assert.deepEqual(ours(good).map((f) => [f.rule, f.severity]), [
      ['ampw/vring-align-not-page', 'info'],
      ['ampw/vring-align-not-page', 'info'],
    ]);
    assert.deepEqual(
      ours(good, stm32Board()).map((f) => f.rule).filter((r) => r !== 'ampw/vring-align-not-page'),
      ['ampw/carveout-not-in-device-tree'],
    );
  });

  describe('vdev and vrings', () => {
    it('num not a power of two', () => expectRule(vrings((j) => (j === 0 ? { num: 12 } : {})), 'ampw/vring-num-not-power-of-two', 'error', 'vring0 num 12 is not a power of two'));
    it('align not a power of two', () => {
      const b = vrings((j) => (j === 1 ? { align: 24 } : {}));
      expectRule(b, 'ampw/vring-align', 'error', 'vring1 align 24 is not a power of two');
    });
    it('rpmsg with one vring', () => {
      const b = withTable(good, (t) => ({ ...layoutResourceTable([{ ...vdev, num_of_vrings: 1, vrings: [vdev.vrings[0]] }]), size: t.size }));
      expectRule(b, 'ampw/rpmsg-vring-count', 'error', 'rpmsg vdev has 1 vring(s), needs 2');
    });
    it('duplicate notify ids', () => expectRule(vrings(() => ({ notifyid: 0 })), 'ampw/duplicate-notifyid', 'warning', 'vring1 notifyid 0 is already used'));
    it('unknown vdev id and rpmsg without name service', () => {
      expectRule(withTable(good, (t) => patchEntry(t, 2, { id: 99 })), 'ampw/unknown-vdev-id', 'warning', 'vdev id 99 is not a virtio device id Linux knows');
      expectRule(withTable(good, (t) => patchEntry(t, 2, { dfeatures: 0 })), 'ampw/rpmsg-no-name-service', 'info', 'rpmsg vdev does not offer VIRTIO_RPMSG_F_NS');
    });
    it('overlapping rings', () => expectRule(vrings((j) => (j === 1 ? { da: 0x10040100 } : {})), 'ampw/vring-overlap', 'error', 'vring0 of vdev entry 2 and vring1 of vdev entry 2 overlap at da 0x10040100'));
    it('a fixed vring address away from the start of its vdev0vringN region (stm32)', () => {
      expectRule(vrings((j) => (j === 0 ? { da: 0x10040100 } : {})), 'ampw/vring-da-mismatch', 'error', 'vring0 da 0x10040100 is not the start of carveout vdev0vring0 (da 0x10040000)', stm32Board());
    });
    it('a fixed vring address with no reserved-memory region behind it (stm32)', () => {
      const stm = stm32Board({ memoryRegions: ['retram', 'mcuram2', 'vdev0buffer'] });
      const hits = ours(good, stm).filter((f) => f.rule === 'ampw/vring-da-unbacked');
      assert.deepEqual(
        hits.map((f) => [f.severity, f.message]),
        [
          ['warning', 'vring0 da 0x10040000 has no vdev0vring0 reserved-memory region'],
          ['warning', 'vring1 da 0x10041000 has no vdev0vring1 reserved-memory region'],
        ],
      );
    });
    it('a buffer pool too small for 2 x num x 512 bytes (stm32)', () => {
      const { board, core } = stm32Board();
      const small = { ...board, reservedMemory: board.reservedMemory.map((r) => (r.name === 'vdev0buffer' ? { ...r, size: 0x2000 } : r)) };
      expectRule(good, 'ampw/buffer-pool-too-small', 'error', 'vdev0buffer is 0x2000 bytes, rpmsg needs 0x4000 for num 16', { board: small, core });
    });
    it('without a vdev0buffer region the pool is the first memory-region, when it is a DMA pool', () => {
      const { board, core } = stm32Board({ memoryRegions: ['retram', 'mcuram2', 'vdev0vring0', 'vdev0vring1'] });
      const pool = { ...board, reservedMemory: board.reservedMemory.map((r) => (r.name === 'retram' ? { ...r, size: 0x2000, compatible: 'shared-dma-pool' } : r)) };
      expectRule(good, 'ampw/buffer-pool-too-small', 'error', 'retram is 0x2000 bytes, rpmsg needs 0x4000 for num 16', { board: pool, core });
    });
  });

  describe('memory', () => {
    it('trace buffer outside loaded memory', () => {
      expectRule(withTable(good, (t) => patchEntry(t, 1, { da: 0x30000000 })), 'ampw/trace-outside-loaded-memory', 'warning', 'trace buffer "cm4_log" (da 0x30000000, len 0x400) is outside every loaded segment and carveout');
    });
    it('table outside loaded memory: an error when the table has a vdev', () => {
      const b = good.slice();
      const s = elf.section('.resource_table');
      if (!s) throw new Error('no table');
      setU32(b, s.headerOffset + 12, 0x50000000);
      expectRule(b, 'ampw/table-not-loaded', 'error', '.resource_table (addr 0x50000000, size 0xc8) is not in loaded memory');
      expectRule(b, 'ampw/table-not-loaded', 'error', '.resource_table (addr 0x50000000, size 0xc8) is not in loaded memory', stm32Board());
      const noVdev = withTable(b, (t) => ({ ...layoutResourceTable([carveout, trace]), size: t.size }));
      expectRule(noVdev, 'ampw/table-not-loaded', 'warning', '.resource_table (addr 0x50000000, size 0xc8) is not in loaded memory');
    });
    it('overlapping carveouts', () => {
      const b = withTable(good, (t) => ({ ...layoutResourceTable([carveout, { ...carveout, name: 'shm2', da: 0x10034000 }]), size: t.size }));
      expectRule(b, 'ampw/carveout-overlap', 'error', 'carveouts "shm" and "shm2" overlap at da 0x10034000');
    });
    it('carveout outside the core\'s memory (stm32)', () => {
      expectRule(withTable(good, (t) => patchEntry(t, 0, { da: 0x20000000 })), 'ampw/carveout-outside-memory', 'error', 'carveout "shm" (da 0x20000000, len 0x8000) is outside the memory of m4', stm32Board());
    });
    it('overlapping segments', () => {
      const b = good.slice();
      setU32(b, elf.programs[1].headerOffset + 12, 0x4);
      expectRule(b, 'ampw/segment-overlap', 'error', 'segments 0 and 1 overlap at da 0x4');
    });
    it('segments outside the core\'s memory: the kernel names the first, we name the rest (stm32)', () => {
      const b = good.slice();
      setU32(b, elf.programs[0].headerOffset + 12, 0x20000000);
      setU32(b, elf.programs[1].headerOffset + 12, 0x20001000);
      const v = validateFirmware(b, stm32Board());
      assert.deepEqual(v.findings.filter((f) => f.rule === 'kernel/bad_phdr_da').map((f) => f.message), ['bad phdr da 0x20000000 mem 0xa']);
      expectRule(b, 'ampw/segment-outside-memory', 'error', 'segment 1 (da 0x20001000, memsz 0x4c8) is outside the memory of m4', stm32Board());
    });
    it('entry point outside every segment', () => {
      const b = good.slice();
      setU32(b, 24, 0x5001);
      expectRule(b, 'ampw/entry-point-outside-segments', 'warning', 'entry point 0x5001 is outside every loaded segment');
    });
  });

  describe('table layout', () => {
    it('an entry at an offset that is not 4-byte aligned', () => {
      const b = withTable(good, (t) => ({ ...layoutResourceTable([{ ...vdev, config_len: 2, config: Uint8Array.of(1, 2) }, trace]), size: t.size }));
      expectRule(b, 'ampw/entry-misaligned', 'warning', 'entry 1 at table offset 94 is not 4-byte aligned');
    });
    it('a fixed carveout named after no reserved-memory region of an stm32 core', () => {
      expectRule(good, 'ampw/carveout-not-in-device-tree', 'info', 'carveout "shm" matches no reserved-memory region of m4 (retram, mcuram2, vdev0vring0, vdev0vring1, vdev0buffer)', stm32Board());
    });
  });

  it('an image our reader refuses after the kernel\'s sanity check passed: ampw/elf-malformed with the offset', () => {
    // e_phoff inside the file passes the kernel's check; the program headers behind it do not fit.
    const b = good.slice();
    setU32(b, 28, b.length - 10);
    const f = validateFirmware(b).findings;
    assert.equal(f[0].rule, 'ampw/elf-malformed');
    assert.equal(f[0].severity, 'error');
    assert.equal(typeof f[0].offset, 'number');
  });
});
