// stm32_rproc.c: the Cortex-M4 of STM32MP15. Reserved memory regions become carveouts (da from
// dma-ranges), vdev0buffer a DMA pool; IPCC channels vq0/vq1/shutdown/detach; a missing table
// is only a warning; the watchdog IRQ is how the host learns of a crash; attach reads the table
// address the firmware published in the resource-table register.
import type { CrashKind } from '../../soc/remoteProgram';
import { loadRscTable } from '../elfLoader';
import { KernelError } from '../../kernel/errno';
import type { Firmware } from '../firmware';
import type { LoadedTableLocation, RprocDriverOps } from '../rprocDriver';
import type { Rproc } from '../rproc';
import { reportCrash } from '../crashRecovery';
import { addMapped, addOfResm, nodeName, releaseCore, reservedRegion } from './common';

/** RSC_TBL_SIZE: the driver assumes the published table fits in 1 kB. */
const RSC_TBL_SIZE = 1024;
const EM_NONE = 0;
/** enum rproc_crash_type: RPROC_WATCHDOG. */
const RPROC_WATCHDOG = 1;
/**
 * How long a stand-in's watchdog takes to bite after it died: a modelling figure (the firmware's own
 * WWDG1 times itself); it also keeps a program that dies at once from crash-looping in one instant.
 */
const WATCHDOG_TIMEOUT_NS = 1e9;
/** The shutdown and detach mailbox clients' tx_tout (500 and 200 ms in stm32_rproc_mbox[]). */
const SHUTDOWN_TOUT_NS = 500e6;
const DETACH_TOUT_NS = 200e6;

export class Stm32Rproc implements RprocDriverOps {
  readonly parentDriver = 'stm32-rproc';
  readonly recoveryDisabled = false;
  readonly coredumpMachine = EM_NONE;
  /** stm32_rproc_parse_dt() reads `st,auto-boot`. */
  readonly autoBoot = undefined;
  readonly canDetach = true;
  private cancelWatchdog: (() => void) | undefined;
  /** The vq ids each mailbox channel's messages are for (every message goes through here). */
  private readonly vqIds = new Map<string, readonly number[]>();

  parentDevice(): string {
    return '10000000.m4';
  }

  prepare(r: Rproc): void {
    r.core.memoryRegions.forEach((key, idx) => {
      const rm = reservedRegion(r, key);
      if (!rm) {
        r.parentLog.err('unable to acquire memory-region');
        throw new KernelError('EINVAL');
      }
      const da = r.env.memory.paToDa(r.core, rm.pa);
      if (da === undefined) {
        r.parentLog.err(`memory region not valid ${r.fmtDma(rm.pa)}`);
        throw new KernelError('EINVAL');
      }
      const name = nodeName(rm);
      if (name !== 'vdev0buffer') {
        addMapped(r, name, da, rm.pa, rm.size);
        r.dumpSegments.push({ da, size: rm.size });
      } else addOfResm(r, name, idx, rm.pa, rm.size);
    });
  }

  unprepare(): void {}

  parseFw(r: Rproc, fw: Firmware): void {
    try {
      loadRscTable(r, fw);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      r.log.warn('no resource table found for this firmware');
    }
  }

  daToPa(): number | undefined {
    return undefined;
  }

  start(r: Rproc): void {
    this.addCoredumpTrace(r);
    this.disarm();
    releaseCore(r);
  }

  stop(r: Rproc): void {
    // Ask the firmware to shut down first (IPCC "shutdown" channel, tx_block: the kernel waits up
    // to 500 ms for the firmware to take it), then hold and reset.
    if (r.state !== 'offline' && r.state !== 'crashed' && r.remote.mailbox.has('shutdown') && !r.remote.mailbox.sendToRemoteAndWait('shutdown', SHUTDOWN_TOUT_NS)) {
      r.log.warn('warning: remote FW shutdown without ack');
    }
    this.disarm();
    r.remote.halt();
  }

  attach(r: Rproc): void {
    this.addCoredumpTrace(r);
  }

  detach(r: Rproc): void {
    if (r.remote.mailbox.has('detach') && !r.remote.mailbox.sendToRemoteAndWait('detach', DETACH_TOUT_NS)) r.log.warn('warning: remote FW detach without ack');
  }

  loadedTable(r: Rproc): LoadedTableLocation | undefined {
    const pub = r.publishedTable;
    if (!pub || !pub.da) throw new KernelError('ENOENT');
    const pa = r.env.memory.daToPa(r.core, pub.da);
    if (pa === undefined) {
      r.parentLog.err(`can't translate da ${pub.da.toString(16)}`);
      throw new KernelError('EINVAL');
    }
    return { pa, size: RSC_TBL_SIZE };
  }

  kick(r: Rproc, notifyid: number): void {
    const ch = `vq${notifyid}`;
    if (r.remote.mailbox.has(ch)) r.remote.mailbox.sendToRemote(ch, notifyid);
  }

  interrupts(_r: Rproc, channel: string): readonly number[] {
    let ids = this.vqIds.get(channel);
    if (!ids) {
      const m = /^vq(\d+)$/.exec(channel);
      this.vqIds.set(channel, (ids = m ? [Number(m[1])] : []));
    }
    return ids;
  }

  /** stm32_rproc_wdg(): WWDG1's reset, through EXTI event 68. */
  watchdogInterrupt(r: Rproc): void {
    reportCrash(r, RPROC_WATCHDOG);
  }

  remoteCrashed(r: Rproc, _kind: CrashKind): void {
    // A stand-in's death (it has no watchdog model of its own): reported as stm32_rproc_wdg()
    // would be, when a watchdog would have expired, not when the program died.
    this.disarm();
    this.cancelWatchdog = r.env.scheduler.after(WATCHDOG_TIMEOUT_NS, () => {
      this.cancelWatchdog = undefined;
      reportCrash(r, RPROC_WATCHDOG);
    }, `${r.devName} IWDG`);
  }

  private disarm(): void {
    this.cancelWatchdog?.();
    this.cancelWatchdog = undefined;
  }

  private addCoredumpTrace(r: Rproc): void {
    for (const t of r.traces) if (!r.dumpSegments.some((s) => s.da === t.da)) r.dumpSegments.push({ da: t.da, size: t.len });
  }
}

