// A vring align that is not a power of two: the kernel accepts any non-zero align and lays the
// used ring out with it as a mask (vring_init: (x + align - 1) & ~(align - 1)), and so does the
// OpenAMP-style remote. Whatever the ring looks like, `echo start` must give the kernel's answer,
// never a simulator exception.
import assert from 'node:assert/strict';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { readResourceTable } from '../../../src/core/rsc/decode';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { createSystem } from '../../../src/core/system';
import { EXAMPLE, exampleImage, shellOf, type BoardId } from '../remoteproc/helpers';

/** The example image with every vring's align set to `align`. */
function withAlign(board: BoardId, align: number): Uint8Array {
  const image = exampleImage(board);
  const elf = ElfFile.parse(image);
  const rsc = elf.section('.resource_table')!;
  const read = readResourceTable(image.subarray(rsc.offset, rsc.offset + rsc.size), 'little');
  assert.ok('table' in read);
  const view = new DataView(image.buffer, image.byteOffset + rsc.offset);
  let vrings = 0;
  for (const e of read.table.entries) {
    if (e.kind !== 'vdev') continue;
    // fw_rsc_vdev: type, id, notifyid, dfeatures, gfeatures, config_len, status/num/reserved, then vrings of 20 bytes (da, align, ...)
    e.vrings.forEach((_, j) => view.setUint32(e.offset + 28 + 20 * j + 4, align, true));
    vrings += e.vrings.length;
  }
  assert.ok(vrings >= 2);
  return image;
}

describe('rpmsg: vring align that is not a power of two', () => {
  for (const board of ['stm32mp157', 'am64x', 'zynqmp'] as const) {
    for (const align of [3, 4097]) {
      it(`${board}: align ${align} boots, lays the ring out as vring_init does, and the tty echoes`, () => {
        const core = EXAMPLE[board].core;
        const sys = createSystem({ board: findBoard(board)!, seed: 1, firmware: { name: 'fw.elf', data: withAlign(board, align), core } });
        const sh = shellOf(sys);
        const dev = sys.rproc(core).devName;
        const r = sh.run(`echo start > /sys/class/remoteproc/${dev}/state; sleep 10; echo hi > /dev/ttyRPMSG0; sleep 1; cat /dev/ttyRPMSG0; cat /sys/class/remoteproc/${dev}/state`);
        assert.equal(r.err, '');
        assert.equal(r.out, 'hi\nrunning\n');
        const vrings = sys.snapshot().cores.find((c) => c.core === core)!.vdevs[0].vrings;
        for (const vr of vrings) {
          assert.equal(vr.align, align);
          // both sides agree on where the used ring is: its idx moved at vring_init's offset
          const availEnd = 16 * vr.num + 4 + 2 * vr.num + 2;
          const used = ((availEnd + align - 1) & ~(align - 1)) >>> 0;
          assert.ok(sys.memory.host.read16(vr.pa! + 16 * vr.num + 2) > 0, `vring${vr.index} avail idx`);
          assert.equal(sys.memory.host.read16(vr.pa! + used + 2), sys.memory.host.read16(vr.pa! + 16 * vr.num + 2) - (vr.index === 0 ? vr.num : 0), `vring${vr.index} used idx`);
          assert.deepEqual([vr.availIdx, vr.usedIdx], [sys.memory.host.read16(vr.pa! + 16 * vr.num + 2), sys.memory.host.read16(vr.pa! + used + 2)], 'the snapshot reads the same fields');
        }
        assert.doesNotMatch(sys.dmesg(), /failed with error/);
      });
    }
  }
});
