// What runs on a simulated remote core once the host releases it. The program sees only what the
// real firmware would: its own memory view (device addresses), its mailbox, and virtual time.
import type { CoreDebug } from '../cpu/coreDebug';
import type { ElfFile } from '../elf/elfFile';
import type { AddressSpace } from './addressSpace';
import type { CoreDesc } from './board';
import type { MemoryAccess } from './memoryAccess';
import type { CorePeripherals } from './peripherals/corePeripherals';

export type CrashKind = 'mmu fault' | 'watchdog' | 'fatal error';

export interface RemoteContext {
  readonly core: CoreDesc;
  /** The remote's own view of memory, by device address. */
  readonly mem: MemoryAccess;
  /** The same view as the windows a modelled CPU's bus needs (a system always gives it). */
  readonly space?: AddressSpace;
  /** The register-level models of the core's peripherals (the board's map), when it has any. */
  readonly peripherals: CorePeripherals | undefined;
  /** The core's debugger, for a program that runs the core's instructions. */
  readonly debug?: CoreDebug;
  /** The firmware image it runs (its linked symbols and sections are its own knowledge). */
  readonly elf: ElfFile;
  /** Device address of its `.resource_table`, as linked, when it has one. */
  readonly resourceTableDa: number | undefined;
  /** Virtual time in nanoseconds. */
  now(): number;
  /** When the next pending event of the whole system is due, if any: a CPU runs up to it, not past it. */
  nextEventNs(): number | undefined;
  /**
   * While the core runs a slice up to `endNs`: `fn` is told of each event the system gets due
   * before then (the firmware rang the host, a timer was set), so the slice can end at it.
   */
  watchEventsBefore(endNs: number, fn: (timeNs: number) => void): void;
  /** No more of that (the slice ended). */
  unwatchEvents(): void;
  /** The core's own clock, when it runs ahead of now() inside a slice (the models read time from it). */
  setClock(nowNs: () => number): void;
  /** While the program runs, the host's mailbox messages go through the mailbox device's model. */
  useMailboxDevice(): void;
  /** Bytes the firmware printed (UART, semihosting): the remote's console. */
  console(bytes: Uint8Array): void;
  /** A line about the remote from the simulator itself (never the kernel's log or the trace buffer). */
  notice(text: string): void;
  /**
   * One reusable timer for `fn`, cheaper than schedule() for what re-arms itself all the time (a
   * CPU's slices): set() (re)arms it `delayNs` from now, cancel() disarms it; both end with the run.
   */
  timer(fn: () => void): RemoteTimer;
  /** Runs `fn` after `delayNs` of virtual time; returns a cancel function. */
  schedule(delayNs: number, fn: () => void): () => void;
  /** Rings the host on a mailbox channel of this core (`vq0`, `vq1`, ...). */
  kick(channel: string, value?: number): void;
  /** Called when the host rings this core. */
  onKick(handler: (channel: string, value: number) => void): void;
  /** Seeded random numbers in [0, 1). */
  random(): number;
  /** The remote died: the host sees it as the kernel's rproc_report_crash would. */
  crash(kind: CrashKind, reason: string): void;
}

export interface RemoteTimer {
  set(delayNs: number): void;
  cancel(): void;
}

export interface RemoteProgram {
  /** The firmware's own instructions run (a modelled CPU), rather than a stand-in. */
  readonly runsFirmware: boolean;
  /** The core alone is reset (its watchdog bit): it starts again from its vector table. */
  reset?(): void;
  /** One line on how the core runs, for the tree ("sleeping in WFI", "locked up in HardFault at ..."). */
  status?(): string | undefined;
  /** The core leaves reset at the ELF entry point. */
  start(ctx: RemoteContext): void;
  /** Power is cut: drop every scheduled action and handler. */
  stop(): void;
}
