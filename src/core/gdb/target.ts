// What the GDB server debugs: a target with registers, memory, breakpoints, watchpoints and a way
// to run. The protocol side (session.ts) knows nothing of the CPU behind it, so a bare program on a
// core (bareTarget.ts) and cores inside the whole simulated system (systemTarget.ts) serve it
// alike. A target has one thread per core; gdb's all-stop mode: when one thread stops, all do.
import type { WatchAccess } from '../cpu/armv7m/system/systemBus';
import type { CoreResume, CoreStop } from '../cpu/coreDebug';

export type { WatchAccess };

/** One register as the target description names it (gdb's feature files give names and types). */
export interface RegisterInfo {
  readonly name: string;
  readonly bitsize: 32 | 64;
  /** gdb's type name: 'int', 'uint32', 'data_ptr', 'code_ptr', 'ieee_double'... */
  readonly type: string;
  /** The target-description feature it belongs to, e.g. org.gnu.gdb.arm.m-profile. */
  readonly feature: string;
  readonly group?: string;
}

/** A region of the target's memory map: 'rom' is not written by the debugger. */
export interface MemoryRegion {
  readonly type: 'ram' | 'rom';
  readonly start: number;
  readonly length: number;
}

export type BreakpointKind = 'software' | 'hardware';

/** How a resumed target runs: until something stops it, one instruction, or while PC stays in [start, end). */
export type Resume = CoreResume;

/** What each thread does when the target resumes, by thread (index = id - 1); undefined: it stays halted. */
export type ThreadResumes = readonly (Resume | undefined)[];

/** Why a resumed target halted: as a debugged core of the system halts (coreDebug.ts), in gdb's terms. */
export type TargetStop =
  | Extract<CoreStop, { readonly kind: 'step' | 'interrupt' | 'halt' | 'fault' | 'exit' }>
  | { readonly kind: 'breakpoint'; readonly breakpoint: BreakpointKind }
  /** A watchpoint caught an access at `addr`; the accessing instruction has not run. */
  | { readonly kind: 'watch'; readonly access: WatchAccess; readonly addr: number };

/** Why a resumed core has nothing to run: it waits in WFI with nothing to wake it. */
export const ASLEEP = 'the core sleeps with nothing to wake it; interrupt it (Ctrl-C) to look';

/** A `monitor` command the target answers; `run` returns the text gdb prints. */
export interface MonitorCommand {
  readonly name: string;
  readonly help: string;
  run(args: string): string;
}

export interface GdbTarget {
  /** The registers in the order and numbering of the 'g' packet. */
  readonly registers: readonly RegisterInfo[];
  /** Registers sent with every stop reply (for Arm: the frame pointer, sp, lr and pc). */
  readonly expedited: readonly number[];
  /** The architecture gdb is told (target.xml). */
  readonly architecture: string;
  /** One name per thread (one thread per core); thread ids are 1-based positions. */
  readonly threads: readonly string[];
  /** The thread (1-based) whose registers and memory the next reads and writes reach; false when there is none. */
  selectThread(thread: number): boolean;
  /** The register's bytes in target order, or undefined if there is no such register. */
  readRegister(n: number): Uint8Array | undefined;
  writeRegister(n: number, value: Uint8Array): boolean;
  /** Reads as much of [addr, addr+length) as can be read, from `addr` on (empty when nothing can). */
  readMemory(addr: number, length: number): Uint8Array;
  /** Writes all of `data` at `addr`, or returns false (some bytes may be written). */
  writeMemory(addr: number, data: Uint8Array): boolean;
  memoryMap(): readonly MemoryRegion[];
  insertBreakpoint(addr: number, kind: BreakpointKind): boolean;
  removeBreakpoint(addr: number, kind: BreakpointKind): boolean;
  insertWatchpoint(addr: number, length: number, access: WatchAccess): boolean;
  removeWatchpoint(addr: number, length: number, access: WatchAccess): boolean;
  /**
   * Starts the halted target's threads as `how` says (at least one runs); `stopped` is called once
   * when one of them halts, with every other thread halted too, perhaps before resume returns (a
   * step). A breakpoint at a thread's resume address does not stop it before its instruction.
   */
  resume(how: ThreadResumes, stopped: (stop: TargetStop, thread: number) => void): void;
  /** Does a bounded amount of a resumed target's running; whoever drives the target calls it between reads of its transport. */
  runSlice(): void;
  /**
   * While resumed, why slices would do nothing now (asleep with nothing to wake it, or the system
   * held by another debugger): said once to gdb; undefined while there is work.
   */
  readonly idle: string | undefined;
  /** Ctrl-C: a resumed target stops with 'interrupt' at its next slice. */
  interrupt(): void;
  /** The exit status once the program has ended, else undefined. */
  readonly exitCode: number | undefined;
  readonly monitorCommands: readonly MonitorCommand[];
}
