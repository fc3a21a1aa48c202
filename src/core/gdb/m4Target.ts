// What every Cortex-M4 target of the GDB server shares, a bare program's or a core's inside the
// system: the registers gdb is told of and reads from the core, and gdb's breakpoints (Z0/Z1, by
// address, with the kind gdb asked for) and watchpoints (Z2-Z4), each change handing the whole set
// to whatever enforces it (the core, or the core's debugger).
import type { CortexM4 } from '../cpu/armv7m/cortexM4';
import type { Watchpoint } from '../cpu/armv7m/system/systemBus';
import { M4_REGISTERS, readM4Register, writeM4Register } from './m4Registers';
import type { BreakpointKind, WatchAccess } from './target';

export interface DebugPointSink {
  setBreakpoints(addrs: ReadonlySet<number>): void;
  setWatchpoints(watchpoints: readonly Watchpoint[]): void;
}

export abstract class M4Target {
  readonly registers = M4_REGISTERS;
  readonly architecture = 'arm';
  readonly expedited = ['r7', 'sp', 'lr', 'pc'].map((name) => M4_REGISTERS.findIndex((r) => r.name === name));
  private readonly kinds = new Map<number, BreakpointKind>();
  private watchList: readonly Watchpoint[] = [];

  /** The core whose registers gdb reads, if there is one. */
  protected abstract registerCore(): CortexM4 | undefined;
  /** Where the breakpoints and watchpoints go. */
  protected abstract pointSink(): DebugPointSink;

  readRegister(n: number): Uint8Array | undefined {
    const m4 = this.registerCore();
    return m4 && readM4Register(m4, n);
  }

  writeRegister(n: number, value: Uint8Array): boolean {
    const m4 = this.registerCore();
    return m4 !== undefined && writeM4Register(m4, n, value);
  }

  /** The breakpoint at `addr`'s kind, as gdb inserted it. */
  protected breakpointKind(addr: number): BreakpointKind | undefined {
    return this.kinds.get(addr >>> 0);
  }

  /** Hands every breakpoint and watchpoint to `sink` (a core that replaces the last one). */
  protected applyPoints(sink: DebugPointSink): void {
    sink.setBreakpoints(new Set(this.kinds.keys()));
    sink.setWatchpoints(this.watchList);
  }

  insertBreakpoint(addr: number, kind: BreakpointKind): boolean {
    this.kinds.set(addr >>> 0, kind);
    this.pointSink().setBreakpoints(new Set(this.kinds.keys()));
    return true;
  }

  removeBreakpoint(addr: number): boolean {
    if (!this.kinds.delete(addr >>> 0)) return false;
    this.pointSink().setBreakpoints(new Set(this.kinds.keys()));
    return true;
  }

  insertWatchpoint(addr: number, length: number, access: WatchAccess): boolean {
    if (length < 1) return false;
    this.watchList = [...this.watchList, { addr: addr >>> 0, length, access }];
    this.pointSink().setWatchpoints(this.watchList);
    return true;
  }

  removeWatchpoint(addr: number, length: number, access: WatchAccess): boolean {
    const i = this.watchList.findIndex((w) => w.addr === addr >>> 0 && w.length === length && w.access === access);
    if (i < 0) return false;
    this.watchList = this.watchList.filter((_, k) => k !== i);
    this.pointSink().setWatchpoints(this.watchList);
    return true;
  }
}
