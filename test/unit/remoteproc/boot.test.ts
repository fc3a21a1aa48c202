import assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { decodeResourceTable } from '../../../src/core/rsc/decode';
import { FW_RSC_ADDR_ANY } from '../../../src/core/rsc/types';
import { REPO_ROOT } from '../../fixtures/fixtures';
import { BoardId, DEBUG, EXAMPLE, ProbedDevice, STATE, VIRTIO_STATUS, exampleImage, exampleSystem, recordingDriver, shellOf } from './helpers';

const GOLDEN = path.join(REPO_ROOT, 'test/unit/remoteproc/golden');
const BOARDS: BoardId[] = ['stm32mp157', 'am64x', 'zynqmp'];

/** The session a user would type: start, wait, read the trace, stop, dmesg. */
function session(board: BoardId, seed = 1): string {
  const sys = exampleSystem(board, { seed });
  const sh = shellOf(sys);
  const r = sh.run(`echo start > ${STATE()}; sleep 0.1; cat ${DEBUG()}/trace0; cat ${STATE()}; echo stop > ${STATE()}; cat ${STATE()}; dmesg`);
  assert.strictEqual(r.status, 0, r.err);
  return r.out;
}

describe('remoteproc/boot of the example firmware', () => {
  for (const board of BOARDS) {
    it(`${board}: golden log of start, trace, stop`, () => {
      const out = session(board);
      const file = path.join(GOLDEN, `${board}.log`);
      if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, out);
      assert.strictEqual(out, fs.readFileSync(file, 'utf8'));
      assert.match(out, /remote processor .* is now up/);
      assert.match(out, /^running$/m);
      assert.match(out, /^offline$/m);
    });

    it(`${board}: two runs with the same seed are identical, byte for byte`, () => {
      assert.strictEqual(session(board, 9), session(board, 9));
    });

    it(`${board}: memory after load holds every PT_LOAD segment, zero-filled past filesz`, () => {
      const sys = exampleSystem(board);
      const core = sys.coreDesc(EXAMPLE[board].core);
      const view = sys.memory.remote(core.id);
      // Dirty the memory first so the zero fill is observable.
      const elf = ElfFile.parse(exampleImage(board));
      const loads = elf.programs.filter((p) => p.type === 1 && p.memsz > 0);
      for (const p of loads) view.fill(p.paddr, p.memsz, 0xa5);
      sys.files.write(STATE(), 'start\n');
      const rsc = elf.section('.resource_table')!;
      let zeroFilled = 0;
      for (const p of loads) {
        const got = view.readBytes(p.paddr, p.memsz);
        const want = new Uint8Array(p.memsz);
        want.set(elf.programData(p));
        // The loaded resource table is the host's copy, edited (notify ids): compare outside it.
        for (let i = 0; i < p.memsz; i++) {
          const a = p.paddr + i;
          if (a >= rsc.addr && a < rsc.addr + rsc.size) continue;
          if (got[i] !== want[i]) assert.fail(`${board}: byte at 0x${a.toString(16)} is 0x${got[i].toString(16)}, ELF has 0x${want[i].toString(16)}`);
        }
        zeroFilled += p.memsz - p.filesz;
      }
      assert.ok(zeroFilled > 0, 'the example has a .bss to zero-fill');
    });

    it(`${board}: the loaded table shows the vring addresses and notify ids the host wrote back`, () => {
      const probed: ProbedDevice[] = [];
      const sys = exampleSystem(board);
      sys.registerVirtioDriver(7, recordingDriver(probed));
      sys.files.write(STATE(), 'start\n');
      assert.strictEqual(probed.length, 1);
      const elf = ElfFile.parse(exampleImage(board));
      const s = elf.section('.resource_table')!;
      const original = decodeResourceTable(elf.sectionData(s), 'little');
      const view = sys.memory.remote(EXAMPLE[board].core);
      const loaded = decodeResourceTable(view.readBytes(s.addr, s.size), 'little');
      const vdev = loaded.entries.find((e) => e.kind === 'vdev');
      const orig = original.entries.find((e) => e.kind === 'vdev');
      assert.ok(vdev && vdev.kind === 'vdev' && orig && orig.kind === 'vdev');
      const { vrings } = probed[0];
      vdev.vrings.forEach((v, i) => {
        assert.strictEqual(v.da, vrings[i].da, `vring ${i} da written back`);
        assert.notStrictEqual(v.da, FW_RSC_ADDR_ANY);
        assert.strictEqual(v.notifyid, i);
        if (orig.vrings[i].da !== FW_RSC_ADDR_ANY) assert.strictEqual(v.da, orig.vrings[i].da, 'a fixed da is kept');
      });
      assert.strictEqual(vdev.status, VIRTIO_STATUS.ACKNOWLEDGE | VIRTIO_STATUS.DRIVER | VIRTIO_STATUS.DRIVER_OK);
      assert.strictEqual(vdev.gfeatures, orig.dfeatures & 1);
      // The remote can reach its rings and the buffers at the addresses it was given.
      const rv = sys.memory.remote(EXAMPLE[board].core);
      for (const v of vrings) assert.ok(rv.isMapped(v.da, 16 * v.num), `vring at 0x${v.da.toString(16)} is in the remote's view`);
      assert.ok(rv.isMapped(probed[0].buffers.da, 512), 'buffers are in the remote view');
      // debugfs shows the same table, from memory.
      const dbg = new TextDecoder().decode(sys.files.read(`${DEBUG()}/resource_table`));
      assert.match(dbg, new RegExp(`Vring 0\\n    Device Address 0x${vrings[0].da.toString(16)}\\n`));
    });
  }

  it('a remote kick reaches the virtio driver as rproc_vq_interrupt with the notify id', () => {
    const probed: ProbedDevice[] = [];
    const sys = exampleSystem('stm32mp157');
    sys.registerVirtioDriver(7, recordingDriver(probed));
    sys.files.write(STATE(), 'start\n');
    const remote = sys.memory.remote('m4');
    assert.ok(remote);
    // The M4 rings vq1 through IPCC, as OpenAMP does after filling the used ring.
    sys.rproc('m4').remote.mailbox.sendToHost('vq1', 1);
    sys.runFor(1e6);
    assert.deepStrictEqual(probed[0].interrupts, [1]);
  });

  it('stop removes the virtio device, resets the status the remote sees, and frees the names', () => {
    const probed: ProbedDevice[] = [];
    const sys = exampleSystem('stm32mp157');
    sys.registerVirtioDriver(7, recordingDriver(probed));
    const sh = shellOf(sys);
    sh.run(`echo start > ${STATE()}; echo stop > ${STATE()}; echo start > ${STATE()}`);
    assert.strictEqual(probed.length, 2);
    assert.strictEqual(probed[0].removed, true);
    assert.strictEqual(probed[1].dev.name, 'virtio0', 'virtio0 comes back after the first went away');
    assert.deepStrictEqual(probed[1].buffers, probed[0].buffers, 'the buffer pool was given back');
    assert.strictEqual(sys.dmesg().match(/rproc-virtio\.0\.auto: registered virtio0/g)?.length, 2);
  });

  it('the example firmware writes its own lines into the trace buffer in its memory', () => {
    const sys = exampleSystem('stm32mp157');
    const sh = shellOf(sys);
    const r = sh.run(`echo start > ${STATE()}; sleep 0.01; cat ${DEBUG()}/trace0`);
    const lines = 'stm32mp157 m4: rpmsg-tty echo firmware\nm4: watchdog WWDG1 started, refreshed every 50 ms\nrpmsg: waiting for virtio DRIVER_OK\nrpmsg: virtio device ready\nrpmsg: announced rpmsg-tty at 0x400\n';
    assert.strictEqual(r.out, lines);
    const traceBuf = ElfFile.parse(exampleImage('stm32mp157')).symbol('trace_buf')!;
    const bytes = sys.memory.remote('m4').readBytes(traceBuf.value, lines.length);
    assert.strictEqual(Buffer.from(bytes).toString('latin1'), lines);
  });

  it('a 1 GiB host RAM stays unallocated: only the pages the boot touched are real', () => {
    const sys = exampleSystem('zynqmp');
    sys.files.write(STATE(), 'start\n');
    sys.runFor(1e8);
    assert.ok(sys.memory.physical.allocatedBytes < 4 << 20, `allocated ${sys.memory.physical.allocatedBytes} bytes`);
  });
});
