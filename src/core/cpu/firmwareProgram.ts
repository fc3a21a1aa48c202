// The firmware's own code on the remote's Cortex-M4, inside the system: the core runs in slices on
// the system's scheduler, each ending at the next pending event (so the host never sees the
// firmware act in its future) and at most a millisecond of virtual time long (so a busy firmware
// cannot hold the faces for long). Virtual time comes from the core's cycles. A core asleep in
// WFI/WFE with nothing of its own to wake it takes no slices until an interrupt arrives.
// A lockup or unhandled fault leaves the core stopped where it is, as on the board: the host
// learns of it only through what the firmware no longer does (its watchdog, its silence).
// The core's debugger (coreDebug.ts) runs its slices: a core halted for it takes none until resumed.
import type { RemoteContext, RemoteProgram, RemoteTimer } from '../soc/remoteProgram';
import { CortexM4, type StopReason } from './armv7m/cortexM4';
import type { CoreDebug } from './coreDebug';
import { cfsrNames } from './armv7m/system/faultDescription';
import { Exc } from './armv7m/exceptions';

/** Longest slice of virtual time one scheduler event runs the core for. */
const MAX_SLICE_NS = 1_000_000;
/** A slice always moves the core on by this much, even with an event due at once. */
const MIN_SLICE_CYCLES = 64;

const hex8 = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

export class FirmwareProgram implements RemoteProgram {
  readonly runsFirmware = true;
  private ctx: RemoteContext | undefined;
  private m4: CortexM4 | undefined;
  /** System time at the core's cycle 0. */
  private baseNs = 0;
  private timer: RemoteTimer | undefined;
  /** A slice is scheduled. */
  private armed = false;
  /** When the scheduled slice is due. */
  private sliceAtNs = 0;
  private inSlice = false;
  /** How the core stopped for good (lockup, unhandled fault, SYS_EXIT). */
  private stopped: StopReason | undefined;
  private debug: CoreDebug | undefined;

  /** The core, while it runs (for the debugger and tests). */
  get core(): CortexM4 | undefined {
    return this.m4;
  }

  start(ctx: RemoteContext): void {
    this.ctx = ctx;
    if (!ctx.space) throw new Error(`${ctx.core.id}: a modelled CPU runs only inside a system, on its address space`);
    const m4 = new CortexM4({ space: ctx.space, console: (bytes) => ctx.console(bytes) });
    this.m4 = m4;
    // The MCU leaves reset: its watchdog starts from its reset values too.
    ctx.peripherals?.wwdg?.reset();
    ctx.peripherals?.attach(m4.bus, m4.nvic);
    m4.onInterrupt = () => this.wake();
    m4.reset();
    this.baseNs = ctx.now();
    this.timer = ctx.timer(() => this.slice());
    ctx.setClock(() => Math.max(this.coreNs(), ctx.now()));
    ctx.useMailboxDevice();
    this.schedule(0);
    this.debug = ctx.debug;
    this.debug?.bind({ m4, wake: () => this.resumed() });
  }

  stop(): void {
    // Held in reset: the watchdog no longer counts.
    this.ctx?.peripherals?.wwdg?.reset();
    this.timer?.cancel();
    this.armed = false;
    if (this.m4) this.m4.onInterrupt = undefined;
    this.m4 = undefined;
    this.ctx = undefined;
    this.debug?.unbind();
    this.debug = undefined;
  }

  reset(): void {
    const m4 = this.m4;
    if (!m4) return;
    this.timer?.cancel();
    this.armed = false;
    this.stopped = undefined;
    m4.reset();
    this.schedule(Math.max(0, this.coreNs() - this.ctx!.now()));
  }

  status(): string | undefined {
    const stop = this.stopped;
    const m4 = this.m4;
    if (!stop || !m4) return undefined;
    if (stop.kind === 'exit') return `stopped: the firmware called SYS_EXIT with status ${stop.code ?? 0}`;
    const cfsr = m4.scb.cfsr;
    const names = cfsrNames(cfsr).join(' ');
    const what = stop.kind === 'lockup' ? `locked up in ${m4.state.ipsr === Exc.NMI ? 'NMI' : 'HardFault'}` : 'stopped on a fault with no handler';
    return `${what} at ${hex8(stop.pc)} (CFSR ${hex8(cfsr)}${names ? `: ${names}` : ''})`;
  }

  private coreNs(): number {
    return this.baseNs + Math.floor((this.m4!.state.cycles * 1e9) / this.m4!.clockHz);
  }

  /** The core's cycle count at system time `ns` (rounded down: the core is not yet past it). */
  private cyclesAt(ns: number): number {
    return Math.floor(((ns - this.baseNs) * this.m4!.clockHz) / 1e9);
  }

  /** The first cycle count at or after system time `ns`: a run that ends there has reached `ns`. */
  private cyclesBy(ns: number): number {
    return Math.ceil(((ns - this.baseNs) * this.m4!.clockHz) / 1e9);
  }

  /** An interrupt changed: a core that waits for one gets a slice now. */
  private wake(): void {
    if (this.inSlice || this.stopped) return;
    const ctx = this.ctx!;
    const m4 = this.m4!;
    if (this.armed) {
      // A core asleep until its next slice (SysTick's next tick, or a slice's end) wakes now.
      if (!m4.state.sleeping || this.sliceAtNs <= ctx.now()) return;
      m4.state.cycles = Math.max(m4.sleptAt, this.cyclesAt(ctx.now()));
    }
    this.schedule(0);
  }

  /** The debugger resumed the core: its next slice is at the core's own time (a dead core stays as it is). */
  private resumed(): void {
    if (this.stopped) {
      this.debug?.take(this.stopped);
      return;
    }
    this.schedule(Math.max(0, this.coreNs() - this.ctx!.now()));
  }

  private schedule(delayNs: number): void {
    this.sliceAtNs = this.ctx!.now() + delayNs;
    this.armed = true;
    this.timer!.set(delayNs);
  }

  private slice(): void {
    this.armed = false;
    const debug = this.debug;
    if (debug?.halted) return;
    const ctx = this.ctx!;
    const m4 = this.m4!;
    const s = m4.state;
    const now = ctx.now();
    // Time passed while the core slept or waited for its slice.
    s.cycles = Math.max(s.cycles, this.cyclesAt(now));
    const end = Math.min(ctx.nextEventNs() ?? Infinity, now + MAX_SLICE_NS);
    this.inSlice = true;
    // The firmware may ring the host or start a timer mid-slice: the slice ends when that event is
    // due, so what answers it is not left a whole slice later.
    ctx.watchEventsBefore(end, (t) => m4.endRunBy(this.cyclesBy(t)));
    let stop: StopReason;
    try {
      const cycle = Math.max(this.cyclesBy(end), s.cycles + MIN_SLICE_CYCLES);
      stop = debug ? debug.run(m4, cycle) : m4.runUntil(cycle);
    } finally {
      this.inSlice = false;
      ctx.unwatchEvents();
    }
    if (debug?.take(stop)) return;
    switch (stop.kind) {
      case 'budget':
        this.schedule(Math.max(0, this.coreNs() - now));
        return;
      case 'sleep':
        // Asleep with nothing of its own to wake it; an interrupt raised meanwhile wakes it at once.
        if (m4.model.wakesFromWfi()) this.schedule(0);
        return;
      case 'reset':
        // AIRCR.SYSRESETREQ resets the MCU; its clock goes on.
        this.reset();
        return;
      default:
        this.stopped = stop;
        ctx.notice(this.status() ?? stop.message ?? stop.kind);
    }
  }
}
