// rpmsg on the simulated boards: the bundled example firmware booted by remoteproc, through the
// host's shell and files, as a user would drive it.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { servicesInFirmware } from '../../../src/core/remote/remoteApps';
import { selectRemoteProgram } from '../../../src/core/remote/selectRemoteProgram';
import { KernelError } from '../../../src/core/kernel/errno';
import { attachRpmsg, rpmsgExportEpt } from '../../../src/core/rpmsg/attachRpmsg';
import { Shell } from '../../../src/core/shell/shell';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { createSystem, type AmpSystem } from '../../../src/core/system';
import { readFixture } from '../../fixtures/fixtures';

const ROOT = path.resolve(__dirname, '../../../..');
const EXAMPLES = [
  { board: 'stm32mp157', elf: 'examples/stm32mp157/rproc-m4-fw.elf' },
  { board: 'am64x', elf: 'examples/am64x/am64-main-r5f0_0-fw.elf' },
  { board: 'zynqmp', elf: 'examples/zynqmp/rproc-r5_0-fw.elf' },
];
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** The names the example's board.h builds in (RPMSG_SERVICES "a", "b"). */
function builtServices(board: string): string[] {
  const h = fs.readFileSync(path.join(ROOT, 'examples', board, 'board.h'), 'utf8');
  const line = /#define\s+RPMSG_SERVICES\s+(.*)/.exec(h)![1];
  return [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
}

function boot(board: string, elf: string, app?: 'tty'): { system: AmpSystem; shell: Shell; out: string[] } {
  const data = new Uint8Array(fs.readFileSync(path.join(ROOT, elf)));
  const system = createSystem({ board: findBoard(board)!, firmware: { name: path.basename(elf), data } });
  attachRpmsg(system);
  if (app) system.setProgramSelector((e, core) => selectRemoteProgram(e, core, app));
  const out: string[] = [];
  const shell = new Shell(system, { readFile: () => { throw new KernelError('ENOENT'); } }, { out: (d) => out.push(typeof d === 'string' ? d : text(d)), err: (t) => out.push(`ERR ${t}`) });
  shell.addCommand('rpmsg_export_ept', rpmsgExportEpt);
  return { system, shell, out };
}

const DONE = 'echo start > /sys/class/remoteproc/remoteproc0/state; sleep 10; echo hi > /dev/ttyRPMSG0; sleep 1; cat /dev/ttyRPMSG0';

describe('rpmsg on the simulated boards', () => {
  for (const ex of EXAMPLES) {
    it(`${ex.board}: the example firmware's services come up with the kernel's lines`, () => {
      const { system, shell } = boot(ex.board, ex.elf);
      const services = builtServices(ex.board);
      assert.deepEqual(servicesInFirmware(ElfFile.parse(new Uint8Array(fs.readFileSync(path.join(ROOT, ex.elf))))), services);
      assert.equal(shell.run('echo start > /sys/class/remoteproc/remoteproc0/state; sleep 10'), 0);
      const log = system.dmesg();
      assert.match(log, /\] virtio_rpmsg_bus virtio0: rpmsg host is online\n/);
      for (const s of services) assert.ok(log.includes(`virtio_rpmsg_bus virtio0: creating channel ${s} addr 0x`), s);
      assert.equal(system.snapshot().cores[0].vdevs[0].status, 7);
      const execution = system.snapshot().cores[0].execution;
      if (ex.board === 'stm32mp157') assert.deepEqual(execution, { runsFirmware: true, note: undefined });
      else {
        // the R5F's code does not run: the labelled stand-in does, and writes nothing into trace0
        assert.deepEqual(execution, { runsFirmware: false, note: "modelled remote: the firmware's code does not run on cortex-r5f cores yet" });
        assert.equal(text(system.files.read('/sys/kernel/debug/remoteproc/remoteproc0/trace0')), '');
      }
    });

    it(`${ex.board}: the done check prints hi (tty echo chosen by the user)`, () => {
      const { shell, out } = boot(ex.board, ex.elf, 'tty');
      assert.equal(shell.run(DONE), 0);
      assert.equal(out.join(''), 'hi\n');
    });
  }

  it('stm32mp157: rpmsg_export_ept makes /dev/rpmsg0 that talks to the remote; stop removes every node', () => {
    const { system, shell, out } = boot('stm32mp157', EXAMPLES[0].elf);
    assert.equal(shell.run('echo start > /sys/class/remoteproc/remoteproc0/state; sleep 1'), 0);
    assert.equal(shell.run('rpmsg_export_ept /dev/rpmsg_ctrl0 demo -1 0x400; echo ping > /dev/rpmsg0; sleep 1; cat /dev/rpmsg0'), 0);
    assert.equal(out.join(''), 'ping\n');
    assert.equal(text(system.files.read('/sys/class/rpmsg/rpmsg0/name')), 'demo\n');
    out.length = 0;
    assert.equal(shell.run('rpmsg_export_ept /dev/rpmsg_ctrl9 demo'), 1);
    assert.equal(out.join(''), 'ERR failed to open /dev/rpmsg_ctrl9: No such file or directory\n');
    assert.equal(shell.run('echo stop > /sys/class/remoteproc/remoteproc0/state'), 0);
    assert.deepEqual(system.files.list('/dev'), ['ttyAMP-console-m4']);
    assert.deepEqual(system.files.list('/sys/bus/rpmsg/devices'), []);
    assert.deepEqual(system.files.list('/sys/bus/rpmsg/drivers'), ['rpmsg_chrdev', 'rpmsg_client_sample', 'rpmsg_ctrl', 'rpmsg_ns', 'rpmsg_tty']);
  });

  it('stm32mp157: a crash mid-burst loses nothing silently, duplicates nothing, and the channel comes back', () => {
    const { system } = boot('stm32mp157', EXAMPLES[0].elf);
    const host = attachRpmsg(system);
    system.files.write('/sys/class/remoteproc/remoteproc0/state', 'start\n');
    system.runFor(1e9);
    const bus = host.buses[0];
    const sent: string[] = [];
    for (let i = 0; i < 40; i++) {
      const m = `<${i}>`;
      try {
        system.files.write('/dev/ttyRPMSG0', m);
        sent.push(m);
      } catch (e) {
        // ring full: the write fails, nothing sent; after the crash, no tty until the firmware
        // has booted again and announced it
        assert.ok(e instanceof KernelError && (e.errno === 'ENOMEM' || (i > 25 && e.errno === 'EACCES')), String(e));
      }
      if (i === 25) system.files.write('/sys/kernel/debug/remoteproc/remoteproc0/crash', '1\n');
      if (i % 3 === 0) system.runFor(2000);
    }
    system.runFor(1e9);
    // messages written after the crash went to the new bus; account for the old one
    const echoed = text(system.files.read('/dev/ttyRPMSG0')).match(/<\d+>/g) ?? [];
    assert.equal(new Set(echoed).size, echoed.length, 'no duplicates');
    const stats = bus.stats;
    assert.equal(stats.received - 1 + stats.lostRx + stats.lostTx, stats.sent, 'each message of the old bus echoed or counted lost');
    assert.match(system.dmesg(), /recovering m4[\s\S]*creating channel rpmsg-tty addr 0x400\n$/);
    system.files.write('/dev/ttyRPMSG0', 'after');
    system.runFor(1e9);
    assert.equal(text(system.files.read('/dev/ttyRPMSG0')), 'after');
  });

  it('am64x: four R5F cores at once, each with its own virtio bus, ttys and sample conversation; one crash touches only its own', () => {
    const system = createSystem({ board: findBoard('am64x')! });
    attachRpmsg(system);
    const cores = ['r5f0_0', 'r5f0_1', 'r5f1_0', 'r5f1_1'];
    cores.forEach((core, i) => {
      const name = `am64-main-${core}-fw.elf`;
      system.files.write(`/lib/firmware/${name}`, readFixture(name));
      system.files.write(`/sys/class/remoteproc/remoteproc${i}/firmware`, name);
      system.files.write(`/sys/class/remoteproc/remoteproc${i}/state`, 'start\n');
    });
    system.runFor(1e9);
    const log = system.dmesg();
    for (let i = 0; i < 4; i++) {
      assert.ok(log.includes(`virtio_rpmsg_bus virtio${i}: creating channel rpmsg-tty addr 0x400`), `virtio${i}`);
      assert.ok(log.includes(`rpmsg_client_sample virtio${i}.rpmsg-client-sample.-1.1025: goodbye!`), `sample on virtio${i}`);
    }
    assert.deepEqual(system.files.list('/dev').filter((f) => !f.startsWith('ttyAMP-console-')), ['rpmsg_ctrl0', 'rpmsg_ctrl1', 'rpmsg_ctrl2', 'rpmsg_ctrl3', 'ttyRPMSG0', 'ttyRPMSG1', 'ttyRPMSG2', 'ttyRPMSG3']);
    for (let i = 0; i < 4; i++) system.files.write(`/dev/ttyRPMSG${i}`, `core ${i}`);
    system.runFor(1e9);
    for (let i = 0; i < 4; i++) assert.equal(text(system.files.read(`/dev/ttyRPMSG${i}`)), `core ${i}`);
    // one core crashes; k3_r5 leaves recovery disabled, so its channels stay and nobody answers on them
    system.files.write('/sys/kernel/debug/remoteproc/remoteproc2/crash', '1\n');
    system.runFor(1e9);
    for (let i = 0; i < 4; i++) system.files.write(`/dev/ttyRPMSG${i}`, `again ${i}`);
    system.runFor(1e9);
    for (let i = 0; i < 4; i++) assert.equal(text(system.files.read(`/dev/ttyRPMSG${i}`)), i === 2 ? '' : `again ${i}`);
    // a manual recovery brings that core's bus back; the others never noticed
    system.files.write('/sys/kernel/debug/remoteproc/remoteproc2/recovery', 'recover');
    system.runFor(1e9);
    assert.match(system.dmesg(), /virtio_rpmsg_bus virtio2: creating channel rpmsg-tty addr 0x400\n[\s\S]*virtio_rpmsg_bus virtio2: creating channel rpmsg-tty addr 0x400\n/);
    for (let i = 0; i < 4; i++) system.files.write(`/dev/ttyRPMSG${i}`, `back ${i}`);
    system.runFor(1e9);
    for (let i = 0; i < 4; i++) assert.equal(text(system.files.read(`/dev/ttyRPMSG${i}`)), `back ${i}`);
  });
});

