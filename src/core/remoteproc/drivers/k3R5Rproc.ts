// ti_k3_r5_remoteproc.c: an R5F core of a K3 SoC. Default ELF ops (a missing resource table is
// fatal), its own da_to_va over the TCMs (R5 view and SoC view) and the DDR regions after the
// DMA pool, recovery disabled, one mailbox carrying the vring index. A core the boot loader
// started runs in IPC-only mode: no prepare/start/stop, attach and detach are no-ops, and the
// table sits at the base of memory-region #1.
import type { CoreDesc } from '../../soc/board';
import type { CrashKind } from '../../soc/remoteProgram';
import { loadRscTable } from '../elfLoader';
import { KernelError } from '../../kernel/errno';
import type { Firmware } from '../firmware';
import type { LoadedTableLocation, RprocDriverOps } from '../rprocDriver';
import type { Rproc } from '../rproc';
import { releaseCore, reservedRegion } from './common';

/** RP_MBOX_READY..RP_MBOX_END_MSG (omap-mailbox.h): out-of-band messages, not vring ids. */
const RP_MBOX_READY = 0xffffff00;

export class K3R5Rproc implements RprocDriverOps {
  readonly parentDriver = 'platform';
  readonly recoveryDisabled = true;
  readonly coredumpMachine = undefined;
  /** rproc_alloc()'s default, which the driver keeps. */
  readonly autoBoot = true;

  constructor(private readonly ipcOnly: boolean) {}

  get canDetach(): boolean {
    return this.ipcOnly;
  }

  parentDevice(core: CoreDesc): string {
    return core.name;
  }

  prepare(): void {}

  unprepare(): void {}

  parseFw(r: Rproc, fw: Firmware): void {
    loadRscTable(r, fw);
  }

  daToPa(r: Rproc, da: number, len: number): number | undefined {
    if (len === 0) return undefined;
    for (const m of r.core.memories) {
      if (m.kind !== 'tcm' && m.kind !== 'sram') continue;
      if (da >= m.da && da + len <= m.da + m.size) return m.pa + (da - m.da);
      if (da >= m.pa && da + len <= m.pa + m.size) return da;
    }
    // Static DDR regions: memory-region #1 onwards, device address = physical address.
    for (const name of r.core.memoryRegions.slice(1)) {
      const rm = reservedRegion(r, name);
      if (rm && da >= rm.pa && da + len <= rm.pa + rm.size) return da;
    }
    return undefined;
  }

  start(r: Rproc): void {
    releaseCore(r);
  }

  stop(r: Rproc): void {
    r.remote.halt();
  }

  attach(): void {}

  detach(): void {}

  loadedTable(r: Rproc): LoadedTableLocation | undefined {
    const rm = reservedRegion(r, r.core.memoryRegions[1] ?? '');
    if (!rm) {
      r.parentLog.err("memory-region #1 does not exist, loaded rsc table can't be found");
      throw new KernelError('ENOMEM');
    }
    return { pa: rm.pa, size: 256 };
  }

  kick(r: Rproc, notifyid: number): void {
    const ch = r.remote.mailbox.channels[0];
    if (ch !== undefined) r.remote.mailbox.sendToRemote(ch, notifyid);
  }

  interrupts(r: Rproc, _channel: string, value: number): number[] {
    if (value >>> 0 >= RP_MBOX_READY) return [];
    return value > r.maxNotifyId ? [] : [value];
  }

  remoteCrashed(r: Rproc, _kind: CrashKind): void {
    // RP_MBOX_CRASH: "error recovery is not supported. So, just log this for now".
    r.parentLog.err(`K3 R5F rproc ${r.name} crashed`);
  }
}
