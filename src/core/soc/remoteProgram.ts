// What runs on a simulated remote core once the host releases it. The program sees only what the
// real firmware would: its own memory view (device addresses), its mailbox, and virtual time.
import type { ElfFile } from '../elf/elfFile';
import type { CoreDesc } from './board';
import type { MemoryAccess } from './memoryAccess';

export type CrashKind = 'mmu fault' | 'watchdog' | 'fatal error';

export interface RemoteContext {
  readonly core: CoreDesc;
  /** The remote's own view of memory, by device address. */
  readonly mem: MemoryAccess;
  /** The firmware image it runs (its linked symbols and sections are its own knowledge). */
  readonly elf: ElfFile;
  /** Device address of its `.resource_table`, as linked, when it has one. */
  readonly resourceTableDa: number | undefined;
  /** Virtual time in nanoseconds. */
  now(): number;
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

export interface RemoteProgram {
  /** The core leaves reset at the ELF entry point. */
  start(ctx: RemoteContext): void;
  /** Power is cut: drop every scheduled action and handler. */
  stop(): void;
}
