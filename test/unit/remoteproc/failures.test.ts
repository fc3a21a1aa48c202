import assert from 'assert';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { createSystem } from '../../../src/core/system';
import { KernelError } from '../../../src/core/kernel/errno';
import { BROKEN_FIXTURES, readFixture } from '../../fixtures/fixtures';
import { STATE, exampleImage, fixtureSystem } from './helpers';

/** Boots; returns the errno (or undefined) and the log lines after `Booting fw image` without timestamps. */
function boot(sys: ReturnType<typeof fixtureSystem>, n = 0): { errno: string | undefined; log: string[] } {
  const before = sys.log.lines.length;
  let errno: string | undefined;
  try {
    sys.files.write(STATE(n), 'start\n');
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    errno = e.errno;
  }
  return { errno, log: sys.log.lines.slice(before).map((l) => `${l.device}: ${l.message}`) };
}

// What the kernel does with each broken image on stm32_rproc, from the 6.12 source: the handler's
// message then `Failed to process resources` for entry faults; find_table faults are tolerated by
// stm32_rproc_parse_fw() (printed again by rproc_find_loaded_rsc_table), and a vring the
// rproc-virtio probe refuses only loses the vdev.
const TOLERATED = new Set(['rsc-headerless', 'rsc-bad-version', 'rsc-reserved', 'rsc-num-too-large', 'rsc-vring-num-zero', 'rsc-vring-align-zero']);

describe('remoteproc/boot failure paths (gcc-built broken images)', () => {
  for (const f of BROKEN_FIXTURES) {
    const fatal = f.severity === 'error' && !TOLERATED.has(f.name);
    it(`${f.name}: "${f.message}" ${fatal ? 'stops the boot' : 'is logged and the boot goes on'}`, () => {
      const sys = fixtureSystem(f.board, f.core, f.name);
      const { errno, log } = boot(sys);
      assert.ok(log.includes(`remoteproc remoteproc0: ${f.message}`), `log has the message:\n${log.join('\n')}`);
      if (fatal) {
        assert.strictEqual(errno, 'EINVAL');
        assert.strictEqual(sys.rproc(f.core).state, 'offline');
        assert.strictEqual(log[log.length - 1], 'remoteproc remoteproc0: Boot failed: -22');
        if (f.kernelFunction !== 'rproc_elf_sanity_check') assert.ok(log.includes('remoteproc remoteproc0: Failed to process resources: -22'));
        else assert.ok(!log.some((l) => l.includes('Booting fw image')), 'the sanity check runs before "Booting fw image"');
        // Nothing is left behind: no carveouts, traces or vdevs, no table.
        const snap = sys.snapshot().cores[0];
        assert.deepStrictEqual([snap.carveouts.length, snap.traces.length, snap.vdevs.length, snap.table], [0, 0, 0, undefined]);
        assert.strictEqual(sys.rproc(f.core).power, 0);
      } else {
        assert.strictEqual(errno, undefined);
        assert.strictEqual(sys.rproc(f.core).state, 'running');
      }
    });
  }

  it('find_table faults are printed twice on stm32 (parse_fw, then the loaded-table lookup) around the driver warning', () => {
    const { log } = boot(fixtureSystem('stm32mp157', 'm4', 'rsc-bad-version'));
    assert.deepStrictEqual(log.slice(2, 5), [
      'remoteproc remoteproc0: unsupported fw ver: 2',
      'remoteproc remoteproc0: no resource table found for this firmware',
      'remoteproc remoteproc0: unsupported fw ver: 2',
    ]);
  });

  it('a vring the rproc-virtio probe refuses: the platform device probe fails, the remote runs without vdev', () => {
    const sys = fixtureSystem('stm32mp157', 'm4', 'rsc-vring-num-zero');
    const { log } = boot(sys);
    assert.ok(log.includes('rproc-virtio rproc-virtio.0.auto: probe with driver rproc-virtio failed with error -22'));
    assert.strictEqual(sys.snapshot().cores[0].vdevs.length, 0);
  });

  it('a virtio driver whose probe throws something other than an errno: logged as -22, status FAILED, the boot goes on', () => {
    const sys = createSystem({ board: findBoard('stm32mp157')!, firmware: { name: 'fw.elf', data: exampleImage('stm32mp157'), core: 'm4' } });
    sys.registerVirtioDriver(7, { name: 'virtio_rpmsg_bus', probe: () => { throw new RangeError('simulated driver fault'); } });
    const { errno, log } = boot(sys);
    assert.strictEqual(errno, undefined);
    assert.ok(log.includes('virtio_rpmsg_bus virtio0: probe with driver virtio_rpmsg_bus failed with error -22'), log.join('\n'));
    assert.strictEqual(sys.rprocs[0].state, 'running');
    assert.strictEqual(sys.snapshot().cores[0].vdevs[0].status, 0x80 | 1);
  });

  it('TI K3 R5F: no resource table is fatal, with no message but "Boot failed"', () => {
    const sys = createSystem({ board: findBoard('am64x')!, firmware: { name: 'fw.elf', data: readFixture('rsc-none'), core: 'r5f0_0' } });
    const { errno, log } = boot(sys);
    assert.strictEqual(errno, 'EINVAL');
    assert.deepStrictEqual(log.slice(2), ['remoteproc remoteproc0: Boot failed: -22']);
  });

  it('ZynqMP: no resource table is fine, said once as info', () => {
    const sys = createSystem({ board: findBoard('zynqmp')!, firmware: { name: 'fw.elf', data: readFixture('rsc-none'), core: 'r5_0' } });
    const { log } = boot(sys);
    assert.ok(log.includes('remoteproc remoteproc0: no resource table found.'));
  });

  it('a segment outside every carveout: "bad phdr da", then "Failed to load program segments"', () => {
    // The M4 image linked at 0x10000000 given to an R5F core of the AM64x.
    const sys = createSystem({ board: findBoard('am64x')!, firmware: { name: 'm4.elf', data: exampleImage('stm32mp157'), core: 'r5f0_0' } });
    const { errno, log } = boot(sys);
    assert.strictEqual(errno, 'EINVAL');
    const i = log.findIndex((l) => l.includes('bad phdr da'));
    assert.match(log[i], /^remoteproc remoteproc0: bad phdr da 0x[0-9a-f]+ mem 0x[0-9a-f]+$/);
    assert.deepStrictEqual(log.slice(i + 1), ['remoteproc remoteproc0: Failed to load program segments: -22', 'remoteproc remoteproc0: Boot failed: -22']);
    assert.strictEqual(sys.rproc('r5f0_0').state, 'offline');
  });

  it('a big-endian image: "Unsupported firmware endianness" before "Booting fw image"', () => {
    const { errno, log } = boot(fixtureSystem('zynqmp', 'r5_0', 'r5-be'));
    assert.strictEqual(errno, 'EINVAL');
    assert.deepStrictEqual(log, ['remoteproc remoteproc0: powering up ffe00000.r5f', 'remoteproc remoteproc0: Unsupported firmware endianness', 'remoteproc remoteproc0: Boot failed: -22']);
  });

  it('an empty file in /lib/firmware: "Image is too small"', () => {
    const sys = fixtureSystem('stm32mp157', 'm4', 'rsc-full');
    sys.files.write('/lib/firmware/rsc-full.elf', new Uint8Array(0));
    assert.ok(boot(sys).log.includes('remoteproc remoteproc0: Image is too small'));
  });
});
