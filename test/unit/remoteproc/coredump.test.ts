import assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { DEBUG, STATE, exampleImage, exampleSystem, shellOf } from './helpers';

const SYS = '/sys/class/remoteproc/remoteproc0';
const DEVCD = '/sys/class/devcoredump/devcd1/data';

function readelf(bytes: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ampw-core-'));
  const file = path.join(dir, 'core.elf');
  fs.writeFileSync(file, bytes);
  try {
    return execFileSync('arm-none-eabi-readelf', ['-h', '-l', '-W', file], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('remoteproc/coredump', () => {
  it('disabled (the default): a crash leaves no dump', () => {
    const sys = exampleSystem('stm32mp157');
    const sh = shellOf(sys);
    sh.run(`echo start > ${STATE()}; echo 1 > ${DEBUG()}/crash`);
    assert.strictEqual(sys.files.exists('/sys/class/devcoredump/devcd1'), false);
  });

  for (const board of ['stm32mp157', 'zynqmp'] as const) {
    it(`${board} enabled: an ELF core that arm-none-eabi-readelf reads, one PT_LOAD per dump segment with the memory`, () => {
      const sys = exampleSystem(board);
      const sh = shellOf(sys);
      sh.run(`echo enabled > ${SYS}/coredump; echo disabled > ${SYS}/recovery; echo start > ${STATE()}`);
      const rp = sys.rprocs[0];
      const segments = rp.dumpSegments.map((s) => ({ ...s }));
      sh.run(`echo 2 > ${DEBUG()}/crash; echo recover > ${SYS}/recovery`);
      const core = sys.files.read(DEVCD);
      const out = readelf(core);
      assert.match(out, /Type:\s+CORE \(Core file\)/);
      assert.match(out, board === 'zynqmp' ? /Machine:\s+ARM/ : /Machine:\s+None/);
      const loads = out.split('\n').filter((l) => /^\s+LOAD\s/.test(l));
      assert.strictEqual(loads.length, segments.length);
      // Each segment's bytes are what the remote's memory holds: the recovery reloads the same
      // image, so only the installed table (vdev status reset at stop, set again at start) differs.
      const elf = ElfFile.parse(core);
      const view = sys.memory.host;
      const table = rp.tablePtr!;
      const inTable = (pa: number) => table.pa !== undefined && pa >= table.pa && pa < table.pa + table.size;
      elf.programs.forEach((p, i) => {
        assert.strictEqual(p.vaddr, segments[i].da);
        const pa = rp.daToPa(p.vaddr, p.filesz);
        if (pa !== undefined) {
          const dumped = elf.programData(p);
          const now = view.readBytes(pa, p.filesz);
          const diff = dumped.findIndex((b, k) => b !== now[k] && !inTable(pa + k));
          assert.strictEqual(diff, -1, `segment ${i} differs at +0x${diff.toString(16)}`);
        }
        else assert.ok(elf.programData(p).every((b) => b === 0xff), 'an unmapped segment is dumped as 0xff');
      });
      assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'running\n', 'recovery went on after the dump');
      assert.strictEqual(sh.run(`cat /sys/class/devcoredump/devcd1/failing_device`).out, '/sys/class/remoteproc/remoteproc0\n');
    });
  }

  it('gdb-multiarch opens the zynqmp core with the firmware and reads the code from it', function () {
    this.timeout(60000);
    const sys = exampleSystem('zynqmp');
    const sh = shellOf(sys);
    sh.run(`echo enabled > ${SYS}/coredump; echo start > ${STATE()}; echo 1 > ${DEBUG()}/crash; echo recover > ${SYS}/recovery`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ampw-gdb-'));
    try {
      const core = path.join(dir, 'core');
      const fw = path.join(dir, 'fw.elf');
      fs.writeFileSync(core, sys.files.read(DEVCD));
      fs.writeFileSync(fw, exampleImage('zynqmp'));
      const elf = ElfFile.parse(exampleImage('zynqmp'));
      const entry = elf.header.entry;
      const out = execFileSync('gdb-multiarch', ['-batch', '-nx', '-ex', 'set architecture arm', '-ex', `core-file ${core}`, '-ex', `x/1xw 0x${entry.toString(16)}`, fw], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const text = elf.sections.find((x) => x.addr <= entry && entry < x.addr + x.size)!;
      const word = new DataView(elf.sectionData(text).buffer, elf.sectionData(text).byteOffset).getUint32(entry - text.addr, true);
      assert.match(out, new RegExp(`0x${word.toString(16).padStart(8, '0')}`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('enabled: writing to data frees the dump; unread, devcoredump frees it after five minutes', () => {
    const sys = exampleSystem('stm32mp157');
    const sh = shellOf(sys);
    sh.run(`echo enabled > ${SYS}/coredump; echo start > ${STATE()}; echo 1 > ${DEBUG()}/crash`);
    sh.run(`echo 1 > ${DEVCD}`);
    assert.strictEqual(sys.files.exists('/sys/class/devcoredump/devcd1'), false);
    sh.run(`echo 1 > ${DEBUG()}/crash`);
    assert.ok(sys.files.exists('/sys/class/devcoredump/devcd2/data'));
    sh.run('sleep 299');
    assert.ok(sys.files.exists('/sys/class/devcoredump/devcd2/data'));
    sh.run('sleep 2');
    assert.strictEqual(sys.files.exists('/sys/class/devcoredump/devcd2'), false);
  });

  it('inline: recovery waits until the dump has been read and released, then the core comes back', () => {
    const sys = exampleSystem('stm32mp157');
    const sh = shellOf(sys);
    sh.run(`echo inline > ${SYS}/coredump; echo start > ${STATE()}; echo 1 > ${DEBUG()}/crash`);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'offline\n', 'stopped, waiting for the dump to be read');
    const core = sys.files.read(DEVCD);
    assert.match(readelf(core), /CORE \(Core file\)/);
    assert.match(sys.dmesg(), new RegExp(`remoteproc remoteproc0: Ramdump done, ${core.length} bytes read\n$`));
    sh.run(`echo 1 > ${DEVCD}`);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'running\n');
    assert.match(sys.dmesg(), /stopped remote processor m4\n(.*\n)*.*remote processor m4 is now up\n$/);
  });

  it('K3 R5F registers no dump segments: nothing is dumped even when enabled', () => {
    const sys = exampleSystem('am64x');
    const sh = shellOf(sys);
    sh.run(`echo enabled > ${SYS}/coredump; echo start > ${STATE()}; echo recover > ${SYS}/recovery; echo 1 > ${DEBUG()}/crash; echo recover > ${SYS}/recovery`);
    assert.strictEqual(sys.files.exists('/sys/class/devcoredump/devcd1'), false);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'running\n');
  });
});
