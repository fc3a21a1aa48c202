// What the GDB server debugs: a target with registers, memory, breakpoints, watchpoints and a way
// to run. The protocol side (session.ts) knows nothing of the CPU behind it, so a bare program on a
// core (bareTarget.ts) and, later, a core inside the whole simulated system serve it alike: the
// system's target would resume by running the system's scheduler and call `stopped` when a core
// halts, with virtual time stopped for every part of the system while it is halted.
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

/** Why a resumed target halted: as a debugged core of the system halts (coreDebug.ts), in gdb's terms. */
export type TargetStop =
  | Extract<CoreStop, { readonly kind: 'step' | 'interrupt' | 'halt' | 'fault' | 'exit' }>
  | { readonly kind: 'breakpoint'; readonly breakpoint: BreakpointKind }
  /** A watchpoint caught an access at `addr`; the accessing instruction has not run. */
  | { readonly kind: 'watch'; readonly access: WatchAccess; readonly addr: number };

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
   * Starts the halted target; `stopped` is called once when it halts again, perhaps before resume
   * returns (a step). A breakpoint at the resume address does not stop it before its instruction.
   */
  resume(how: Resume, stopped: (stop: TargetStop) => void): void;
  /** Does a bounded amount of a resumed target's running; whoever drives the target calls it between reads of its transport. */
  runSlice(): void;
  /** True while resumed but waiting for nothing but an interrupt (asleep with nothing to wake it): slices would do nothing. */
  readonly idle: boolean;
  /** Ctrl-C: a resumed target stops with 'interrupt' at its next slice. */
  interrupt(): void;
  /** The exit status once the program has ended, else undefined. */
  readonly exitCode: number | undefined;
  readonly monitorCommands: readonly MonitorCommand[];
}
