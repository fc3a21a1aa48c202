// xlnx_r5_remoteproc.c: an RPU core of ZynqMP. TCM banks and memory-regions become carveouts
// (device address = physical address for the regions), vdev0buffer a DMA pool, a missing table
// is fine ("no resource table found."), recovery disabled, one IPI whose message carries nothing
// (every vring is polled), coredumps as EM_ARM. The host does not notice a remote crash.
import type { CoreDesc } from '../../soc/board';
import { loadRscTable } from '../elfLoader';
import { KernelError } from '../../kernel/errno';
import type { Firmware } from '../firmware';
import type { LoadedTableLocation, RprocDriverOps } from '../rprocDriver';
import type { Rproc } from '../rproc';
import { addMapped, addOfResm, nodeName, releaseCore, reservedRegion } from './common';

const EM_ARM = 40;

export class ZynqmpR5Rproc implements RprocDriverOps {
  readonly parentDriver = 'platform';
  readonly recoveryDisabled = true;
  readonly coredumpMachine = EM_ARM;
  /** zynqmp_r5_add_rproc_core() clears it: even a running core waits for `start` to attach. */
  readonly autoBoot = false;
  readonly canDetach = true;

  parentDevice(core: CoreDesc): string {
    return core.name;
  }

  prepare(r: Rproc): void {
    // add_tcm_banks(): in the detached state the firmware already runs there.
    if (r.state !== 'detached') {
      for (const m of r.core.memories) {
        if (m.kind !== 'tcm') continue;
        addMapped(r, m.name, m.da, m.pa, m.size);
        r.dumpSegments.push({ da: m.da, size: m.size });
      }
    }
    r.core.memoryRegions.forEach((key, idx) => {
      const rm = reservedRegion(r, key);
      if (!rm) {
        r.log.err('unable to acquire memory-region');
        r.log.err(`failed to get reserve mem regions -22`);
        throw new KernelError('EINVAL');
      }
      const name = nodeName(rm);
      if (name === 'vdev0buffer') addOfResm(r, name, idx, rm.pa, rm.size);
      else addMapped(r, name, rm.pa, rm.pa, rm.size);
      r.dumpSegments.push({ da: rm.pa, size: rm.size });
    });
  }

  unprepare(): void {}

  parseFw(r: Rproc, fw: Firmware): void {
    try {
      loadRscTable(r, fw);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      r.log.info('no resource table found.');
    }
  }

  daToPa(): number | undefined {
    return undefined;
  }

  start(r: Rproc): void {
    releaseCore(r);
  }

  stop(r: Rproc): void {
    r.remote.halt();
  }

  attach(): void {}

  detach(r: Rproc): void {
    // A last kick so the remote notices the cleared virtio status without polling.
    this.kick(r);
  }

  loadedTable(r: Rproc): LoadedTableLocation | undefined {
    const pub = r.publishedTable;
    if (!pub) throw new KernelError('EINVAL');
    const pa = r.env.memory.daToPa(r.core, pub.da) ?? pub.da;
    if (r.hostMem.read32(pa) !== 1) r.parentLog.warn(`unexpected resource table version ${r.hostMem.read32(pa) | 0}`);
    return { pa, size: pub.size };
  }

  kick(r: Rproc): void {
    const ch = r.remote.mailbox.channels[0];
    if (ch !== undefined) r.remote.mailbox.sendToRemote(ch, 0);
  }

  interrupts(r: Rproc): number[] {
    const ids: number[] = [];
    for (let i = 0; i <= r.maxNotifyId; i++) ids.push(i);
    return ids;
  }

  remoteCrashed(): void {}
}
