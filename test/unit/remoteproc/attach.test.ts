import assert from 'assert';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { createSystem } from '../../../src/core/system';
import { decodeResourceTable } from '../../../src/core/rsc/decode';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { readFixture } from '../../fixtures/fixtures';
import { BoardId, EXAMPLE, ProbedDevice, STATE, exampleImage, recordingDriver, shellOf } from './helpers';

function early(board: BoardId) {
  const probed: ProbedDevice[] = [];
  const sys = createSystem({ board: findBoard(board)!, seed: 1, earlyBoot: [{ core: EXAMPLE[board].core, name: EXAMPLE[board].elf, data: exampleImage(board) }] });
  return { sys, sh: shellOf(sys), probed };
}

const SYS = '/sys/class/remoteproc/remoteproc0';

describe('remoteproc/attach and detach of a core the boot loader started', () => {
  it('stm32: probes detached (no auto-boot); start attaches to the table in memory', () => {
    const { sys, sh } = early('stm32mp157');
    sys.runFor(1e6);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'detached\n');
    assert.strictEqual(sys.rproc('m4').remote.running, true, 'the remote already runs');
    assert.strictEqual(sh.run('ls /sys/kernel/debug/remoteproc/remoteproc0').out.includes('trace0'), false, 'no resources before attach');
    sh.run(`echo start > ${STATE()}`);
    assert.match(sys.dmesg(), /remoteproc remoteproc0: attaching to m4\n(.*\n)*.*registered virtio0 \(type 7\)\n.*remoteproc remoteproc0: remote processor m4 is now attached\n$/);
    assert.strictEqual(sh.run(`cat ${STATE()} ${SYS}/firmware`).out, 'attached\nunknown\n');
    assert.doesNotMatch(sys.dmesg(), /powering up|Booting fw image/, 'nothing is loaded');
  });

  it('stm32: detach gives the remote its clean table back and leaves it running; attach again works', () => {
    const { sys, sh, probed } = early('stm32mp157');
    sys.registerVirtioDriver(7, recordingDriver(probed));
    const elf = ElfFile.parse(exampleImage('stm32mp157'));
    const s = elf.section('.resource_table')!;
    const m4 = sys.memory.remote('m4');
    const pristine = m4.readBytes(s.addr, s.size);
    sh.run(`echo start > ${STATE()}`);
    const vdev = decodeResourceTable(m4.readBytes(s.addr, s.size), 'little').entries.find((e) => e.kind === 'vdev');
    assert.ok(vdev && vdev.kind === 'vdev' && vdev.status === 7, 'the host drove the vdev to DRIVER_OK in the installed table');
    const r = sh.run(`echo detach > ${STATE()}; cat ${STATE()}`);
    assert.strictEqual(r.out, 'detached\n');
    assert.match(sys.dmesg(), /detached remote processor m4\n$/);
    assert.deepStrictEqual(m4.readBytes(s.addr, s.size), pristine, 'rproc_reset_rsc_table_on_detach wrote the clean copy back');
    assert.strictEqual(sys.rproc('m4').remote.running, true, 'the core keeps running');
    assert.strictEqual(probed[0].removed, true);
    sh.run(`echo start > ${STATE()}`);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'attached\n');
    assert.strictEqual(probed.length, 2);
  });

  it('stop from attached powers the core off: offline, and a later start loads the image', () => {
    const { sys, sh } = early('stm32mp157');
    sys.files.write('/lib/firmware/rproc-m4-fw.elf', exampleImage('stm32mp157'));
    sh.run(`echo start > ${STATE()}; echo stop > ${STATE()}`);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'offline\n');
    assert.strictEqual(sys.rproc('m4').remote.running, false);
    sh.run(`echo start > ${STATE()}`);
    assert.match(sys.dmesg(), /powering up m4\n.*Booting fw image rproc-m4-fw\.elf/);
  });

  it('am64x (IPC-only mode) attaches at probe, as rproc_trigger_auto_boot does', () => {
    const { sys, sh } = early('am64x');
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'attached\n');
    assert.match(sys.dmesg(), /attaching to .*\n(.*\n)*.*is now attached\n/);
    assert.strictEqual(sh.run(`echo detach > ${STATE()}; cat ${STATE()}`).out, 'detached\n');
  });

  it('zynqmp: probes detached (the driver clears auto_boot); start attaches, once', () => {
    const { sys, sh } = early('zynqmp');
    sys.runFor(1e6);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'detached\n');
    assert.strictEqual(sys.rproc('r5_0').remote.running, true, 'the boot loader started it');
    assert.doesNotMatch(sys.dmesg(), /attaching to/);
    sh.run(`echo start > ${STATE()}`);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'attached\n');
    assert.strictEqual(sys.dmesg().match(/attaching to ffe00000\.r5f\n/g)?.length, 1);
    assert.match(sys.dmesg(), /is now attached\n$/);
  });

  it('zynqmp: an attach that fails leaves the core detached, logged once per `start`', () => {
    const sys = createSystem({ board: findBoard('zynqmp')!, seed: 1, earlyBoot: [{ core: 'r5_0', name: 'r5-be.elf', data: readFixture('r5-be') }] });
    const sh = shellOf(sys);
    assert.strictEqual(sh.run(`echo start > ${STATE()}`).err, 'echo: write error: Invalid argument\n');
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'detached\n');
    assert.strictEqual(sys.dmesg().match(/attaching to/g)?.length, 1);
    assert.match(sys.dmesg(), /attaching to ffe00000\.r5f\n(.*\n)*.*Failed to process resources: -22\n/);
  });

  for (const board of ['am64x', 'zynqmp'] as const) {
    it(`${board}: the attached core has rpmsg: DRIVER_OK in its table, its channel, a tty that echoes`, () => {
      const { sys, sh } = early(board);
      if (board === 'zynqmp') sh.run(`echo start > ${STATE()}`);
      sys.runFor(1e6);
      const snap = sys.snapshot().cores[0];
      assert.strictEqual(snap.state, 'attached');
      assert.strictEqual(snap.vdevs[0].status, 7, 'ACKNOWLEDGE | DRIVER | DRIVER_OK written by virtio_rpmsg_bus at probe');
      assert.match(sys.dmesg(), /is now attached\n(.*\n)*.*virtio_rpmsg_bus virtio0: creating channel rpmsg-tty addr 0x400\n/);
      assert.deepStrictEqual(sh.run('echo hi > /dev/ttyRPMSG0; sleep 0.01; cat /dev/ttyRPMSG0'), { status: 0, out: 'hi\n', err: '' });
    });
  }

  it('stm32 with autoBoot (st,auto-boot): attaches at probe, with rpmsg', () => {
    const sys = createSystem({ board: findBoard('stm32mp157')!, autoBoot: true, earlyBoot: [{ core: 'm4', name: 'fw.elf', data: exampleImage('stm32mp157') }] });
    sys.runFor(1e6);
    assert.deepStrictEqual(shellOf(sys).run(`cat ${STATE()}; echo hi > /dev/ttyRPMSG0; sleep 0.01; cat /dev/ttyRPMSG0`).out, 'attached\nhi\n');
  });

  it('detach of a core that was booted (not attached) is EINVAL', () => {
    const { sh } = early('am64x');
    sh.run(`echo detach > ${STATE()}`);
    sh.run(`echo start > ${STATE(1)}`); // r5f0_1 has no image: boot fails, no state change
    assert.strictEqual(sh.run(`echo detach > ${STATE(1)}`).err, 'echo: write error: Invalid argument\n');
  });
});

describe('remoteproc/auto boot at probe', () => {
  it('K3: with autoBoot the kernel boots the firmware as Linux comes up; a user start only counts power', () => {
    const sys = createSystem({ board: findBoard('am64x')!, seed: 1, autoBoot: true, firmware: { core: 'r5f0_0', name: 'fw.elf', data: exampleImage('am64x') } });
    const sh = shellOf(sys);
    assert.strictEqual(sh.run(`cat ${STATE()} ${STATE(1)}`).out, 'running\noffline\n');
    assert.match(sys.dmesg(), /remoteproc remoteproc1: Direct firmware load for am64-main-r5f0_1-fw failed with error -2\n.*remoteproc remoteproc1: powering up 78200000\.r5f\n.*Direct firmware load for am64-main-r5f0_1-fw failed with error -2\n.*request_firmware failed: -2\n/);
    assert.doesNotMatch(sys.dmesg(), /Boot failed/, 'no sysfs write, no "Boot failed"');
    sh.run(`echo start > ${STATE()}; echo stop > ${STATE()}`);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'running\n', 'the first stop only drops the count the user added');
  });
});
