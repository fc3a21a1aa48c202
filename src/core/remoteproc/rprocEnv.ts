// What one rproc needs from the system around it: time, memory, files, the log, the remote core,
// and the registration points other parts fill in (virtio drivers, the remote's program).
import type { ElfFile } from '../elf/elfFile';
import type { Board, CoreDesc, ReservedMemory } from '../soc/board';
import type { DmaPool } from './dmaPool';
import type { RemoteCore } from '../soc/remoteCore';
import type { RemoteProgram } from '../soc/remoteProgram';
import type { SocMemory } from '../soc/socMemory';
import type { Scheduler } from '../sim/scheduler';
import type { FileTree } from '../shell/fileTree';
import type { VirtioDriver } from '../virtio/virtioDriver';
import type { IdAllocator } from '../kernel/idAllocator';
import type { KernelLog } from '../kernel/kernelLog';

export type ProgramSelector = (elf: ElfFile, core: CoreDesc) => RemoteProgram;

export interface RprocEnv {
  readonly board: Board;
  readonly scheduler: Scheduler;
  readonly memory: SocMemory;
  readonly files: FileTree;
  readonly log: KernelLog;
  /** PLATFORM_DEVID_AUTO ids (`rproc-virtio.N.auto`). */
  readonly platformIds: IdAllocator;
  /** virtio device indexes (`virtioN`). */
  readonly virtioIds: IdAllocator;
  virtioDriver(id: number): VirtioDriver | undefined;
  selectProgram: ProgramSelector;
  remoteCore(coreId: string): RemoteCore;
  /** The coherent pool of a `shared-dma-pool` region: one per region, shared by every device assigned it. */
  reservedPool(rm: ReservedMemory): DmaPool;
  /** A hashed kernel pointer as `%pK` prints it (stable for a seed). */
  hashPointer(value: number): string;
  /** True when the host's dma_addr_t is 64-bit (%pad width). */
  readonly host64: boolean;
  /** A finished core dump: devcoredump exposes it. `onDone` runs when it is read or times out. */
  devcoredump(device: string, data: Uint8Array | (() => Uint8Array), onDone?: () => void): void;
  /** State changes, trace writes and vdev changes, for the faces. */
  notify(event: RprocNotification): void;
}

/** A step of the kernel's boot/stop/crash paths, announced just before it runs (for the debugger). */
export interface RprocPhase {
  /** The kernel function about to run (`rproc_parse_fw`, `rproc_handle_resources`, `rproc_load_segments`...). */
  readonly fn: string;
  readonly index?: number;
  readonly offset?: number;
  readonly type?: number;
  readonly da?: number;
  readonly pa?: number;
  readonly size?: number;
  readonly value?: number;
}

export type RprocNotification =
  | { readonly kind: 'state'; readonly rproc: string; readonly state: string }
  | { readonly kind: 'resources'; readonly rproc: string }
  | { readonly kind: 'phase'; readonly rproc: string; readonly phase: RprocPhase };
