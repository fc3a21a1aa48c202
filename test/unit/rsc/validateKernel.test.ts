// Every kernel rule on a broken variant of a real image: the exact sentence the kernel prints,
// the severity the driver gives it, and the kernel's order (the first failure stops the boot).
import assert from 'node:assert/strict';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { layoutResourceTable } from './encode';
import { VdevEntry } from '../../../src/core/rsc/types';
import { Validation, validateFirmware, ValidateOptions } from '../../../src/core/rsc/validate';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { readFixture } from '../../fixtures/fixtures';
import { goodFirmware, patchEntry, setU16, setU32, stm32Board, tableOf, tableSpan, withTable } from './firmware';

const kernelOnly = (v: Validation) => v.findings.filter((f) => f.rule.startsWith('kernel/'));
function expectKernel(bytes: Uint8Array, message: string, severity = 'error', opts: ValidateOptions = {}): Validation {
  const v = validateFirmware(bytes, opts);
  const k = kernelOnly(v);
  assert.ok(k.length > 0, `no kernel finding, wanted "${message}"`);
  const errors = k.filter((f) => f.severity === 'error');
  const hit = severity === 'error' ? errors[0] : k.find((f) => f.message === message);
  assert.equal(hit?.message, message);
  assert.equal(hit?.severity, severity);
  if (severity === 'error') {
    assert.equal(errors.length, 1, 'the kernel stops at its first error');
    assert.equal(v.ok, false);
  }
  return v;
}
const vdevOf = (b: Uint8Array) => tableOf(b).entries[2] as VdevEntry;

describe('rsc validate: kernel rules', () => {
  const good = goodFirmware();
  const elf = ElfFile.parse(good);
  const rscSection = elf.section('.resource_table');
  if (!rscSection) throw new Error('fixture without table');
  const { offset: tOff, size: tSize } = tableSpan(good);

  it('accepts the good image without a board and without any kernel finding', () => {
    const v = validateFirmware(good);
    assert.deepEqual(kernelOnly(v), []);
    assert.equal(v.ok, true);
    assert.equal(v.table?.entries.length, 3);
    assert.equal(v.tableSection?.name, '.resource_table');
  });

  describe('rproc_elf_sanity_check', () => {
    const cases: [string, (b: Uint8Array) => Uint8Array, string][] = [
      ['shorter than an ELF header', (b) => b.slice(0, 40), 'Image is too small'],
      ['bad magic', (b) => ((b[1] = 0x58), b), 'Image is corrupted (bad magic)'],
      ['bad class', (b) => ((b[4] = 3), b), 'Unsupported class: 3'],
      ['class 255 printed as the unsigned char of an ARM host', (b) => ((b[4] = 0xff), b), 'Unsupported class: 255'],
      ['ELF64 shorter than its header', (b) => ((b[4] = 2), b.slice(0, 60)), 'elf64 header is too small'],
      ['big-endian image', (b) => ((b[5] = 2), b), 'Unsupported firmware endianness'],
      ['e_shoff past the end', (b) => (setU32(b, 32, b.length + 1), b), 'Section header table is out of bounds'],
      ['section headers past the end', (b) => (setU32(b, 32, b.length - 40), b), 'Section headers are out of bounds'],
      ['e_shstrndx past the headers', (b) => (setU16(b, 50, 500), b), 'Image is too small'],
      ['no program headers', (b) => (setU16(b, 44, 0), b), 'No loadable segments'],
      ['e_phoff past the end', (b) => (setU32(b, 28, b.length + 1), b), 'Firmware size is too small'],
    ];
    for (const [what, mutate, message] of cases) {
      it(`${what}: "${message}"`, () => {
        const v = expectKernel(mutate(good.slice()), message);
        assert.equal(v.findings[0].kernelFunction, 'rproc_elf_sanity_check');
        assert.equal(v.findings[0].errno, 'EINVAL');
      });
    }
  });

  describe('find_table', () => {
    const shdr = rscSection.headerOffset;
    it('section past the end of the file: "resource table truncated"', () => {
      const b = good.slice();
      setU32(b, shdr + 20, b.length);
      expectKernel(b, 'resource table truncated');
    });
    it('section smaller than the header: "header-less resource table"', () => {
      const b = good.slice();
      setU32(b, shdr + 20, 12);
      expectKernel(b, 'header-less resource table');
    });
    it('version 2 and version -1 (a u32 printed with %d)', () => {
      expectKernel(withTable(good, (t) => ({ ...t, ver: 2 })), 'unsupported fw ver: 2');
      expectKernel(withTable(good, (t) => ({ ...t, ver: 0xffffffff })), 'unsupported fw ver: -1');
    });
    it('reserved header word: "non zero reserved bytes"', () => {
      const v = expectKernel(withTable(good, (t) => ({ ...t, reserved: [0, 1] })), 'non zero reserved bytes');
      assert.equal(v.findings[0].offset, tOff + 8);
    });
    it('num larger than the offset array: "resource table incomplete"', () => {
      expectKernel(withTable(good, (t) => ({ ...t, num: 1000 })), 'resource table incomplete');
    });
    it('the version is judged before a broken offset array, as the kernel does', () => {
      expectKernel(withTable(good, (t) => ({ ...t, ver: 3, offsets: [4, 4, 4] })), 'unsupported fw ver: 3');
    });
    const unnamed = () => {
      const b = good.slice();
      setU32(b, shdr, 0); // sh_name -> "": no .resource_table any more
      return b;
    };
    it('no table: fatal for the generic ELF ops and for k3_r5_rproc', () => {
      const v = expectKernel(unnamed(), 'no .resource_table section (the kernel logs nothing; the boot fails with -EINVAL)');
      assert.equal(v.findings[0].rule, 'kernel/no_resource_table');
      const { board, core } = stm32Board({ driver: 'k3_r5_rproc', tableRequired: true });
      assert.equal(validateFirmware(unnamed(), { board, core }).ok, false);
    });
    it('no table: stm32_rproc warns and boots, zynqmp_r5_remoteproc informs and boots', () => {
      const stm = stm32Board();
      const v = expectKernel(unnamed(), 'no resource table found for this firmware', 'warning', stm);
      assert.equal(v.ok, true);
      const zynq = stm32Board({ driver: 'zynqmp_r5_remoteproc' });
      expectKernel(unnamed(), 'no resource table found.', 'info', zynq);
    });
    it('stm32_rproc logs find_table\'s error as a warning, then its own, and boots on', () => {
      const v = validateFirmware(withTable(good, (t) => ({ ...t, ver: 2 })), stm32Board());
      assert.deepEqual(kernelOnly(v).map((f) => [f.severity, f.message]), [
        ['warning', 'unsupported fw ver: 2'],
        ['warning', 'no resource table found for this firmware'],
      ]);
      assert.equal(v.ok, true);
    });
  });

  describe('rproc_handle_resources', () => {
    it('offset into the header: "rsc table is truncated"', () => {
      const v = expectKernel(withTable(good, (t) => ({ ...t, offsets: [8, t.offsets[1], t.offsets[2]] })), 'rsc table is truncated');
      assert.equal(v.findings[0].kernelFunction, 'rsc_table_for_each_entry');
      assert.equal(v.findings[0].entry, 0);
    });
    it('offset leaving no room for the type word: "rsc table is truncated"', () => {
      expectKernel(withTable(good, (t) => ({ ...t, offsets: [t.offsets[0], t.offsets[1], tSize - 2] })), 'rsc table is truncated');
    });
    // The last u32 of the table is vring1.pa: pointing an entry there leaves it no body.
    const lastWordAs = (type: number) =>
      withTable(good, (t) => {
        const v = t.entries[2] as VdevEntry;
        const p = patchEntry(t, 2, { vrings: [v.vrings[0], { ...v.vrings[1], pa: type }] });
        return { ...p, offsets: [t.offsets[0], t.offsets[1], tSize - 4] };
      });
    it('carveout, trace, vdev with no room for their body: "<type> rsc is truncated"', () => {
      expectKernel(lastWordAs(0), 'carveout rsc is truncated');
      expectKernel(lastWordAs(2), 'trace rsc is truncated');
      expectKernel(lastWordAs(3), 'vdev rsc is truncated');
    });
    it('devmem: fails without an IOMMU domain before its size is looked at; with one, "devmem rsc is truncated"', () => {
      const v = expectKernel(lastWordAs(1), 'Failed to process resources: -22');
      assert.equal(v.findings[0].rule, 'kernel/devmem_without_iommu');
      expectKernel(lastWordAs(1), 'devmem rsc is truncated', 'error', { iommu: true });
    });
    it('vdev whose vrings and config overrun the table: "vdev rsc is truncated"', () => {
      expectKernel(withTable(good, (t) => patchEntry(t, 2, { config_len: 4 })), 'vdev rsc is truncated');
    });
    it('non-zero reserved members', () => {
      expectKernel(withTable(good, (t) => patchEntry(t, 0, { reserved: 1 })), 'carveout rsc has non zero reserved bytes');
      expectKernel(withTable(good, (t) => patchEntry(t, 1, { reserved: 7 })), 'trace rsc has non zero reserved bytes');
      expectKernel(withTable(good, (t) => patchEntry(t, 2, { reserved: [0, 1] })), 'vdev rsc has non zero reserved bytes');
      expectKernel(withTable(good, (t) => patchEntry(t, 0, { kind: 'devmem', type: 1, reserved: 1 })), 'devmem rsc has non zero reserved bytes', 'error', { iommu: true });
    });
    it('entries are judged in table order: an early bad entry hides a later truncated one', () => {
      const b = withTable(good, (t) => ({ ...patchEntry(t, 0, { reserved: 1 }), offsets: [t.offsets[0], t.offsets[1], 4] }));
      expectKernel(b, 'carveout rsc has non zero reserved bytes');
    });
    it('three vrings: "too many vrings: 3"', () => {
      const v0 = vdevOf(good);
      const b = withTable(good, (t) => ({
        ...layoutResourceTable([{ ...v0, num_of_vrings: 3, vrings: [...v0.vrings, v0.vrings[0]] }]),
        size: t.size,
      }));
      expectKernel(b, 'too many vrings: 3');
    });
    it('two carveouts of one name: "Carveout already associated to resource table"', () => {
      const t0 = tableOf(good);
      const b = withTable(good, (t) => ({ ...layoutResourceTable([t0.entries[0], t0.entries[0]]), size: t.size }));
      const v = expectKernel(b, 'Carveout already associated to resource table');
      assert.equal(v.findings.find((f) => f.rule.startsWith('kernel/'))?.errno, 'ENOMEM');
    });
    it('unknown and vendor types are skipped with a warning', () => {
      let v = expectKernel(withTable(good, (t) => patchEntry(t, 0, { kind: 'unknown', type: 5, raw: new Uint8Array(52) })), 'unsupported resource 5', 'warning');
      assert.equal(v.ok, true);
      v = expectKernel(withTable(good, (t) => patchEntry(t, 0, { kind: 'vendor', type: 200, raw: new Uint8Array(52) })), 'unsupported vendor resource 200', 'warning');
      assert.equal(v.ok, true);
    });
    it('a vring with num 0: "invalid qsz (0) or alignment (16)", logged by the vdev probe, boot goes on', () => {
      const b = withTable(good, (t) => {
        const v = t.entries[2] as VdevEntry;
        return patchEntry(t, 2, { vrings: [{ ...v.vrings[0], num: 0 }, v.vrings[1]] });
      });
      const v = expectKernel(b, 'invalid qsz (0) or alignment (16)', 'warning');
      assert.equal(v.findings.find((f) => f.rule === 'kernel/invalid_vring')?.kernelFunction, 'rproc_parse_vring');
    });
  });

  describe('rproc_add_virtio_dev', () => {
    it('a table carveout named vdev0buffer: "vdev 0 buffer already mapped", a warning', () => {
      const b = withTable(good, (t) => patchEntry(t, 0, { name: 'vdev0buffer' }));
      const v = expectKernel(b, 'vdev 0 buffer already mapped', 'warning');
      assert.equal(v.ok, true);
    });
    it('not when the name claims the vdev0buffer region the driver registered from the device tree', () => {
      const b = withTable(good, (t) => patchEntry(t, 0, { name: 'vdev0buffer', da: 0x10042000, len: 0x4000 }));
      assert.deepEqual(kernelOnly(validateFirmware(b, stm32Board())), []);
    });
  });

  describe('carveouts registered by the driver (stm32_rproc)', () => {
    const stm = stm32Board();
    it('accepts the good image on the board', () => {
      const v = validateFirmware(good, stm);
      assert.deepEqual(kernelOnly(v), []);
      assert.equal(v.ok, true);
    });
    it('a carveout named after vdev0buffer must fit it', () => {
      expectKernel(withTable(good, (t) => patchEntry(t, 0, { name: 'vdev0buffer', da: 0x10042000, len: 0x8000 })), "Registered carveout doesn't fit len request", 'error', stm);
      expectKernel(withTable(good, (t) => patchEntry(t, 0, { name: 'vdev0buffer', da: 0x10041000, len: 0x1000 })), "Registered carveout doesn't fit da request", 'error', stm);
    });
    it('a vring bigger than its vdev0vringN region fails the vdev probe', () => {
      const b = withTable(good, (t) => {
        const v = t.entries[2] as VdevEntry;
        return patchEntry(t, 2, { vrings: v.vrings.map((r) => ({ ...r, align: 4096 })) });
      });
      const v = expectKernel(b, "Registered carveout doesn't fit len request", 'warning', stm);
      assert.equal(v.findings.find((f) => f.rule === 'kernel/vring_carveout_len')?.entry, 2);
    });
    it('a vring below its vdev0vringN region fails the vdev probe', () => {
      const b = withTable(good, (t) => {
        const v = t.entries[2] as VdevEntry;
        return patchEntry(t, 2, { vrings: [{ ...v.vrings[0], da: 0x1003f000 }, v.vrings[1]] });
      });
      const v = expectKernel(b, "Registered carveout doesn't fit da request", 'warning', stm);
      assert.equal(v.findings.find((f) => f.rule === 'kernel/vring_carveout_da')?.entry, 2);
    });
  });

  describe('rproc_elf_load_segments', () => {
    const ph0 = elf.programs[0].headerOffset;
    const ph1 = elf.programs[1].headerOffset;
    it('filesz > memsz: "bad phdr filesz 0x... memsz 0x..."', () => {
      const b = good.slice();
      setU32(b, ph0 + 16, elf.programs[0].memsz + 1);
      expectKernel(b, `bad phdr filesz 0x${(elf.programs[0].memsz + 1).toString(16)} memsz 0x${elf.programs[0].memsz.toString(16)}`);
    });
    it('segment past the end of the file: "truncated fw: need 0x... avail 0x..."', () => {
      const b = good.slice();
      setU32(b, ph1 + 4, b.length - 4);
      expectKernel(b, `truncated fw: need 0x${(b.length - 4 + elf.programs[1].filesz).toString(16)} avail 0x${b.length.toString(16)}`);
    });
    it('segment outside every carveout of the board: "bad phdr da 0x... mem 0x..."', () => {
      const b = good.slice();
      setU32(b, ph0 + 12, 0x20000000);
      const v = expectKernel(b, `bad phdr da 0x20000000 mem 0x${elf.programs[0].memsz.toString(16)}`, 'error', stm32Board());
      assert.equal(v.findings.find((f) => f.rule === 'kernel/bad_phdr_da')?.offset, ph0);
      // Without a board the memory map is unknown: no judgement on the address.
      assert.deepEqual(kernelOnly(validateFirmware(b)), []);
    });
    it('a 4 GiB segment on a 32-bit host: "size (...) does not fit in size_t type"', () => {
      const b = readFixture('aarch64');
      const e = ElfFile.parse(b);
      const p = e.programs.find((x) => x.type === 1 && x.memsz > 0);
      if (!p) throw new Error('no PT_LOAD');
      new DataView(b.buffer, b.byteOffset).setBigUint64(p.headerOffset + 40, 0x100000000n, true);
      const v = expectKernel(b, 'size (100000000) does not fit in size_t type', 'error', stm32Board());
      assert.equal(v.findings.find((f) => f.rule === 'kernel/size_does_not_fit')?.errno, 'EOVERFLOW');
      assert.deepEqual(kernelOnly(validateFirmware(b)), []); // a 64-bit host takes it
    });
    it('segments are not loaded when the resources already failed', () => {
      const b = withTable(good, (t) => patchEntry(t, 0, { reserved: 1 }));
      setU32(b, ph0 + 16, elf.programs[0].memsz + 1);
      expectKernel(b, 'carveout rsc has non zero reserved bytes');
    });
  });
});

describe('rsc validate: driver models on the bundled boards', () => {
  const boardOf = (id: string, core: string) => {
    const board = findBoard(id);
    const c = board?.cores.find((x) => x.id === core);
    if (!board || !c) throw new Error(`${id}/${core}`);
    return { board, core: c };
  };
  const am64 = boardOf('am64x', 'r5f0_0');
  const zynq = boardOf('zynqmp', 'r5_0');

  it('k3_r5_rproc translates through its own memories: a segment elsewhere is "bad phdr da"', () => {
    const b = readFixture('am64-main-r5f0_0-fw');
    assert.deepEqual(kernelOnly(validateFirmware(b, am64)), []);
    const p = ElfFile.parse(b).programs.find((x) => x.type === 1 && x.memsz > 0);
    if (!p) throw new Error('no PT_LOAD');
    setU32(b, p.headerOffset + 12, 0x20000000);
    expectKernel(b, `bad phdr da 0x20000000 mem 0x${p.memsz.toString(16)}`, 'error', am64);
  });

  it('zynqmp_r5_remoteproc registers the TCM banks: a carveout named atcm0 must fit the bank', () => {
    const b = readFixture('rproc-r5_0-fw');
    const { size } = tableSpan(b);
    const atcm = { kind: 'carveout' as const, type: 0, da: 0, pa: 0, len: 0x20000, flags: 0, reserved: 0, name: 'atcm0' };
    expectKernel(withTable(b, () => ({ ...layoutResourceTable([atcm]), size })), "Registered carveout doesn't fit len request", 'error', zynq);
    assert.deepEqual(kernelOnly(validateFirmware(withTable(b, () => ({ ...layoutResourceTable([{ ...atcm, len: 0x10000 }]), size })), zynq)), []);
  });

  it('the same image on the other R5 core of the ZynqMP does not load', () => {
    const b = readFixture('rproc-r5_0-fw');
    const v = validateFirmware(b, boardOf('zynqmp', 'r5_1'));
    assert.match(v.findings.find((f) => f.severity === 'error')?.message ?? '', /^bad phdr da 0x3ed/);
  });
});
