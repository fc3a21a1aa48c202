// Shared by the remoteproc suites: systems built from the real boards and the gcc-built images,
// a shell that collects its output, and a minimal virtio driver that does what a real one does to
// a remoteproc vdev (negotiate, find the vqs, take buffers, DRIVER_OK, kick).
import { findBoard } from '../../../src/core/soc/boardLoader';
import { Shell } from '../../../src/core/shell/shell';
import { AmpSystem, createSystem, SystemOptions } from '../../../src/core/system';
import type { VirtioDriver } from '../../../src/core/virtio/virtioDriver';
import type { HostVirtioDevice, HostVring } from '../../../src/core/virtio/hostVirtioDevice';
import { KernelError } from '../../../src/core/kernel/errno';
import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLES_DIR, readFixture } from '../../fixtures/fixtures';

export const EXAMPLE = {
  stm32mp157: { core: 'm4', elf: 'rproc-m4-fw.elf' },
  am64x: { core: 'r5f0_0', elf: 'am64-main-r5f0_0-fw.elf' },
  zynqmp: { core: 'r5_0', elf: 'rproc-r5_0-fw.elf' },
} as const;

export type BoardId = keyof typeof EXAMPLE;

export function exampleImage(board: BoardId): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(EXAMPLES_DIR, board, EXAMPLE[board].elf)));
}

/** A system with the board's example firmware in /lib/firmware, named in the core's attribute. */
export function exampleSystem(board: BoardId, extra: Partial<SystemOptions> = {}): AmpSystem {
  const b = findBoard(board)!;
  return createSystem({ board: b, seed: 1, firmware: { name: EXAMPLE[board].elf, data: exampleImage(board), core: EXAMPLE[board].core }, ...extra });
}

/** A system with a fixture image (test/fixtures/build) for `core`. */
export function fixtureSystem(board: string, core: string, fixture: string): AmpSystem {
  return createSystem({ board: findBoard(board)!, seed: 1, firmware: { name: `${fixture}.elf`, data: readFixture(fixture), core } });
}

export interface ShellRun {
  status: number;
  out: string;
  err: string;
}

export function shellOf(sys: AmpSystem, disk: Record<string, Uint8Array> = {}): { shell: Shell; run(cmd: string): ShellRun } {
  let out = '';
  let err = '';
  const shell = new Shell(
    sys,
    {
      readFile: (p) => {
        const d = disk[p];
        if (!d) throw new KernelError('ENOENT');
        return d;
      },
    },
    { out: (t) => (out += typeof t === 'string' ? t : Buffer.from(t).toString('latin1')), err: (t) => (err += t) },
  );
  return {
    shell,
    run(cmd) {
      out = '';
      err = '';
      const status = shell.run(cmd);
      return { status, out, err };
    },
  };
}

export const VIRTIO_STATUS = { ACKNOWLEDGE: 1, DRIVER: 2, DRIVER_OK: 4, FEATURES_OK: 8 } as const;

/** What the test driver saw of one vdev. */
export interface ProbedDevice {
  dev: HostVirtioDevice;
  vrings: HostVring[];
  buffers: { pa: number; da: number };
  interrupts: number[];
  removed: boolean;
}

/** A virtio driver for id 7 that does a real driver's steps, recording what it got. */
export function recordingDriver(probed: ProbedDevice[]): VirtioDriver {
  return {
    name: 'virtio_rpmsg_bus',
    probe: (dev) => {
      dev.setStatus(dev.getStatus() | VIRTIO_STATUS.DRIVER);
      // A legacy device (no VIRTIO_F_VERSION_1): virtio_features_ok() sets no FEATURES_OK.
      dev.finalizeFeatures(dev.deviceFeatures() & 1);
      const vrings = dev.findVqs(2);
      const buffers = dev.allocDma(vrings[0].num * 2 * 512, 4096);
      const rec: ProbedDevice = { dev, vrings, buffers, interrupts: [], removed: false };
      dev.onInterrupt((id) => rec.interrupts.push(id));
      dev.setStatus(dev.getStatus() | VIRTIO_STATUS.DRIVER_OK);
      dev.kick(vrings[0]);
      probed.push(rec);
      return { remove: () => (rec.removed = true) };
    },
  };
}

export const STATE = (n = 0) => `/sys/class/remoteproc/remoteproc${n}/state`;
export const DEBUG = (n = 0) => `/sys/kernel/debug/remoteproc/remoteproc${n}`;
