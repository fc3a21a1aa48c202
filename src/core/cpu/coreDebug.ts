// A debugger's hold on one core of the system, whoever drives it (the GDB server, the debug
// adapter): breakpoints, watchpoints, pause, resume, step one instruction and step while the PC
// stays in a range. When the core stops for the debugger the whole system halts with it: the
// scheduler is held, so virtual time stands still and the host runs nothing until the core is
// resumed, and the host never times out behind the user's back (haltSystem false: only the core
// waits, and the host runs on as beside a core halted by a probe). It lives as long as the system:
// what is set before a boot holds for the firmware the boot starts. The program that runs the core
// (firmwareProgram.ts) binds it and runs its slices through run() and take().
import { Emitter } from '../sim/emitter';
import type { Scheduler } from '../sim/scheduler';
import type { AddressSpace } from '../soc/addressSpace';
import type { CortexM4, StopReason } from './armv7m/cortexM4';
import { debugReadBlock, debugWriteBlock } from './armv7m/debugAccess';
import type { WatchAccess, Watchpoint } from './armv7m/system/systemBus';

export type { WatchAccess, Watchpoint };

/** How a halted core runs on: until something stops it, one instruction, or while PC stays in [start, end). */
export type CoreResume = { readonly kind: 'continue' } | { readonly kind: 'step' } | { readonly kind: 'range'; readonly start: number; readonly end: number };

/** Why a debugged core halted. */
export type CoreStop =
  /** The step (or the range step) is done. */
  | { readonly kind: 'step' }
  | { readonly kind: 'breakpoint'; readonly pc: number }
  /**
   * A watchpoint caught a write or read at `addr` (a device address of the core). By the core:
   * before its access, which has not happened. By the host: after the host's write into memory the
   * core shares, or its read of it (a vring, a buffer), with the core wherever it was (an access made
   * while the core was halted already, from the host's shell, is reported at the next resume,
   * before anything runs).
   */
  | { readonly kind: 'watch'; readonly access: WatchAccess; readonly addr: number; readonly by: 'core' | 'host' }
  /** pause(). */
  | { readonly kind: 'interrupt' }
  /** Released from reset with haltAtReset: before the first instruction of the reset handler. */
  | { readonly kind: 'reset' }
  /** A BKPT instruction other than semihosting's. */
  | { readonly kind: 'halt'; readonly message: string }
  /** A fault with no handler, or lockup (catchFaults). */
  | { readonly kind: 'fault'; readonly message: string }
  /** The firmware called SYS_EXIT. */
  | { readonly kind: 'exit'; readonly code: number };

/** What the program running the core gives its debugger. */
export interface DebuggedCore {
  readonly m4: CortexM4;
  /** The core was resumed: its slices go on from the core's own time. */
  wake(): void;
}

const CONTINUE: CoreResume = { kind: 'continue' };

export class CoreDebug {
  /** Each halt, as it happens (inside the scheduler's event that caused it). */
  readonly stops = new Emitter<CoreStop>();
  /** A halted core holds the whole system (default); false: the host and the other cores run on. */
  haltSystem = true;
  /** A fault with no handler, or lockup, halts the core for the debugger. */
  catchFaults = true;
  /** A core released from reset halts before its first instruction. */
  haltAtReset = false;
  private attached = false;
  private bound: DebuggedCore | undefined;
  /** The core the firmware ran on last: its registers as it stopped, while held in reset. */
  private last: CortexM4 | undefined;
  private stop: CoreStop | undefined;
  private how: CoreResume = CONTINUE;
  /** The first instruction after a resume runs whatever breakpoint stands on it. */
  private stepOver = false;
  /** ...and the access a core's watchpoint stopped before is made. */
  private overWatch = false;
  private stepDone = false;
  /** The core is inside run(), or the debugger writes: these accesses are not the host's. */
  private ownAccess = false;
  /** The host accessed memory under a watchpoint while the core was halted: the next resume stops at once on it. */
  private hostHit: CoreStop | undefined;
  private breakpoints: ReadonlySet<number> = new Set();
  private watchpoints: readonly Watchpoint[] = [];
  private hostWatches: (() => void)[] = [];

  constructor(
    readonly coreId: string,
    private readonly scheduler: Scheduler,
    /** The core's view of memory, where its watchpoints are device addresses. */
    private readonly space: AddressSpace,
    /** The host's view of memory: its reads of what the core's watchpoints cover are caught there. */
    private readonly hostSpace: AddressSpace,
  ) {}

  /** A debugger is attached: BKPT halts the core rather than escalating to HardFault. */
  get isAttached(): boolean {
    return this.attached;
  }

  attach(): void {
    this.attached = true;
    if (this.bound) this.bound.m4.debuggerAttached = true;
  }

  /** The debugger leaves: its breakpoints and watchpoints go, and a halted core runs on. */
  detach(): void {
    this.attached = false;
    this.haltAtReset = false;
    this.setBreakpoints([]);
    this.setWatchpoints([]);
    if (this.bound) this.bound.m4.debuggerAttached = false;
    this.resume();
  }

  get halted(): boolean {
    return this.stop !== undefined;
  }

  /** Why the core is halted, or undefined while it runs. */
  get lastStop(): CoreStop | undefined {
    return this.stop;
  }

  /** The core the firmware runs on, or the one it ran on last; undefined before the first boot. */
  get core(): CortexM4 | undefined {
    return this.bound?.m4 ?? this.last;
  }

  /** Firmware runs on the core (it is out of reset). */
  get running(): boolean {
    return this.bound !== undefined;
  }

  /** The core halts before executing an instruction at one of these addresses. */
  setBreakpoints(addrs: Iterable<number>): void {
    this.breakpoints = new Set([...addrs].map((a) => a >>> 0));
    this.bound?.m4.setBreakpoints(this.breakpoints);
  }

  /**
   * The core halts before an access its watchpoints catch, and after a write by anyone else (the
   * host filling a vring) into the memory a write or access watchpoint covers, or a read by the
   * host (its virtio code reading a used ring) of the memory a read or access watchpoint covers.
   */
  setWatchpoints(watchpoints: readonly Watchpoint[]): void {
    this.hostHit = undefined;
    this.watchpoints = watchpoints.map((w) => ({ ...w, addr: w.addr >>> 0 }));
    this.bound?.m4.setWatchpoints(this.watchpoints);
    for (const off of this.hostWatches) off();
    this.hostWatches = [];
    for (const w of this.watchpoints) this.watchHost(w);
  }

  /** The debugger's read of the core's memory map (peripherals and SCS included): as much as can be read from `addr` on. */
  readMemory(addr: number, length: number): Uint8Array {
    const m4 = this.core;
    return m4 ? debugReadBlock(m4.bus, addr, length) : new Uint8Array(0);
  }

  /** The debugger's write: no watchpoint fires on it. False when some byte cannot be written. */
  writeMemory(addr: number, data: Uint8Array): boolean {
    const m4 = this.core;
    if (!m4) return false;
    this.ownAccess = true;
    try {
      return debugWriteBlock(m4.bus, addr, data);
    } finally {
      this.ownAccess = false;
    }
  }

  /** Halts the core where it stands, and the system with it (called between runs of the scheduler). */
  pause(): void {
    if (!this.stop) this.halt({ kind: 'interrupt' });
  }

  /** A halted core runs on as `how` says; the system with it. */
  resume(how: CoreResume = CONTINUE): void {
    const was = this.stop;
    if (!was) return;
    this.stop = undefined;
    this.scheduler.release(this.coreId);
    this.how = how;
    this.stepDone = false;
    const hit = this.hostHit;
    this.hostHit = undefined;
    if (hit) return this.halt(hit);
    const b = this.bound;
    // held in reset, the core has no instruction to step
    if (!b) {
      if (how.kind !== 'continue') this.halt({ kind: 'step' });
      return;
    }
    this.stepOver = true;
    this.overWatch = was.kind === 'watch' && was.by === 'core';
    b.wake();
  }

  /** The halted core stays halted but no longer holds the system: a debugger runs other cores meanwhile. */
  letSystemRun(): void {
    if (this.stop) this.scheduler.release(this.coreId);
  }

  /** The halted core holds the system again, as haltSystem says (after letSystemRun). */
  holdSystem(): void {
    if (this.stop && this.haltSystem) this.scheduler.hold(this.coreId);
  }

  /** The program runs the core from now on (out of reset). */
  bind(core: DebuggedCore): void {
    this.bound = core;
    this.last = core.m4;
    core.m4.debuggerAttached = this.attached;
    core.m4.setBreakpoints(this.breakpoints);
    core.m4.setWatchpoints(this.watchpoints);
    this.how = CONTINUE;
    this.stepOver = false;
    if (this.attached && this.haltAtReset && !this.stop) this.halt({ kind: 'reset' });
  }

  /** The core is held in reset (powered off, stopped). */
  unbind(): void {
    this.bound = undefined;
  }

  /** Runs the bound core as the last resume asked, until `cycle` at most (its slice's end). */
  run(m4: CortexM4, cycle: number): StopReason {
    this.ownAccess = true;
    try {
      return this.runCore(m4, cycle);
    } finally {
      this.ownAccess = false;
    }
  }

  /**
   * Takes the core's stop after run(): true when the core halts for the debugger and waits for
   * resume. A fault or SYS_EXIT halts it too, but the program keeps it as its own end (false).
   */
  take(stop: StopReason): boolean {
    if (this.stepDone) {
      this.stepDone = false;
      this.halt({ kind: 'step' });
      return true;
    }
    switch (stop.kind) {
      case 'breakpoint':
        this.halt({ kind: 'breakpoint', pc: stop.pc });
        return true;
      case 'watch': {
        const w = stop.watchpoint;
        // gdb matches the address against its watchpoints' ranges: an access that starts below one is reported at its start
        const addr = w ? Math.max(w.addr, stop.address ?? w.addr) : (stop.address ?? 0);
        this.halt({ kind: 'watch', access: w?.access ?? 'access', addr, by: 'core' });
        return true;
      }
      case 'halt':
        this.halt({ kind: 'halt', message: stop.message ?? `halted at 0x${stop.pc.toString(16).padStart(8, '0')}` });
        return true;
      case 'fault':
      case 'lockup':
        if (this.attached && this.catchFaults) this.halt({ kind: 'fault', message: stop.message ?? stop.kind });
        return false;
      case 'exit':
        if (this.attached) this.halt({ kind: 'exit', code: stop.code ?? 0 });
        return false;
      default:
        return false;
    }
  }

  private runCore(m4: CortexM4, cycle: number): StopReason {
    const how = this.how;
    if (this.stepOver) {
      this.stepOver = false;
      if (this.overWatch) m4.setWatchpoints([]);
      const stop = m4.step();
      if (this.overWatch) m4.setWatchpoints(this.watchpoints);
      // asleep: the instruction is stepped when the core wakes
      if (stop.kind === 'sleep') this.stepOver = true;
      else this.overWatch = false;
      if (stop.kind !== 'budget') return stop;
      if (how.kind === 'step') return this.stepped(m4);
    }
    if (how.kind === 'continue') return m4.runUntil(cycle);
    if (how.kind === 'step') return this.stepped(m4);
    for (;;) {
      const pc = m4.state.pc;
      if (pc < how.start || pc >= how.end) return this.stepped(m4);
      if (this.breakpoints.has(pc)) return { kind: 'breakpoint', pc };
      if (m4.state.cycles >= Math.min(cycle, m4.runEndCycle)) return { kind: 'budget', pc };
      const stop = m4.step();
      if (stop.kind !== 'budget') return stop;
    }
  }

  private stepped(m4: CortexM4): StopReason {
    this.stepDone = true;
    return { kind: 'budget', pc: m4.state.pc };
  }

  private halt(stop: CoreStop): void {
    this.stop = stop;
    if (this.haltSystem) this.scheduler.hold(this.coreId);
    this.stops.emit(stop);
  }

  /**
   * Watches the banks behind `w`'s device addresses for the accesses `w` catches made outside the
   * core's own runs: writes by anyone, reads through the host's view (the debugger reads through
   * the core's, and the simulator's own looks are unobserved).
   */
  private watchHost(w: Watchpoint): void {
    const end = w.addr + w.length;
    for (const win of this.space.windows) {
      const lo = Math.max(w.addr, win.start);
      const hi = Math.min(end, win.start + win.size);
      if (lo >= hi) continue;
      const off = win.bankOffset + (lo - win.start);
      const hit = (o: number) => {
        if (this.ownAccess) return;
        const stop: CoreStop = { kind: 'watch', access: w.access, addr: win.start + (Math.max(o, off) - win.bankOffset), by: 'host' };
        if (!this.stop) this.halt(stop);
        else this.hostHit ??= stop;
      };
      if (w.access !== 'read') this.hostWatches.push(win.bank.observe(off, hi - lo, hit));
      if (w.access !== 'write') this.hostWatches.push(this.hostSpace.observeReads(win.bank, off, hi - lo, hit));
    }
  }
}
