// The ARMv7-M exception model (B1.5): priorities and grouping, which exception preempts, entry
// with stacking (FP context and lazy stacking included), exception return with its integrity
// checks, tail-chaining and late arrival, escalation of faults to HardFault, and lockup.
import { Cfsr, Exc, Hfsr } from '../exceptions';
import { CONTROL_FPCA, CONTROL_SPSEL, CpuState } from '../state';
import type { Nvic } from './nvic';
import { Ccr, Fpccr, Scb, Scr, Shcsr } from './scb';
import { Probe, type StackAccess } from './stackAccess';

/** PC while locked up (B1.5.15). */
export const LOCKUP_PC = 0xeffffffe;

/** Nothing pending: a priority no exception has. */
const NONE = 0x1000;
/** Thread mode's execution priority: lower than every configurable priority. */
const THREAD_PRIORITY = 256;

const enum Frame {
  Basic = 0x20,
  Extended = 0x68,
}

export class ExceptionModel {
  /** The current execution priority (B1.5.4), kept up to date by `update`. */
  executionPriority = THREAD_PRIORITY;
  /** The pending exception that would be taken next, or 0. */
  nextPending = 0;
  /** True when `nextPending` preempts the current execution priority. */
  preempt = false;
  /** A fault was taken whose vector cannot run (bit 0 clear): its number, for the owner to report. */
  unhandled = 0;
  /** The return address stacked by the last fault entry: the faulting instruction, for reports. */
  faultPc = 0;
  /** Registers read by an exception return, committed only when every read succeeded. */
  private readonly frame = new Int32Array(26);

  constructor(
    private readonly state: CpuState,
    private readonly nvic: Nvic,
    private readonly scb: Scb,
    private readonly mem: StackAccess,
  ) {
    nvic.onChange = () => this.update();
  }

  /** Priority of an exception: fixed for Reset, NMI and HardFault, else its priority byte. */
  priorityOf(exc: number): number {
    return exc === Exc.NMI ? -2 : exc === Exc.HardFault ? -1 : exc === Exc.Reset ? -3 : this.nvic.priority[exc];
  }

  /** The group priority of a priority value under AIRCR.PRIGROUP (negative ones are their own group). */
  group(priority: number): number {
    return priority < 0 ? priority : priority & ~((2 << this.scb.prigroup) - 1);
  }

  /** Recomputes the execution priority and what to take next; call after any change of that state. */
  update(): void {
    this.executionPriority = this.computeExecutionPriority(this.state.primask);
    let best = 0;
    let bestPriority = NONE;
    const { pending, enabled } = this.nvic;
    // indexOf skips the idle lines natively: this runs at every exception entry and return.
    for (let e = pending.indexOf(1, 2); e !== -1; e = pending.indexOf(1, e + 1)) {
      if (!enabled[e]) continue;
      const p = this.priorityOf(e);
      if (p < bestPriority) {
        best = e;
        bestPriority = p;
      }
    }
    this.nextPending = best;
    this.preempt = best !== 0 && this.group(bestPriority) < this.executionPriority;
  }

  /** True when a pending exception would preempt with PRIMASK clear: what wakes WFI (B1.5.19). */
  wakesFromWfi(): boolean {
    return this.nextPending !== 0 && this.group(this.priorityOf(this.nextPending)) < this.computeExecutionPriority(0);
  }

  private computeExecutionPriority(primask: number): number {
    let highest = THREAD_PRIORITY;
    const { active } = this.nvic;
    for (let e = active.indexOf(1, 2); e !== -1; e = active.indexOf(1, e + 1)) if (this.priorityOf(e) < highest) highest = this.priorityOf(e);
    highest = this.group(highest);
    let boosted = THREAD_PRIORITY;
    const basepri = this.state.basepri & this.nvic.priorityMask;
    if (basepri) boosted = this.group(basepri);
    if (primask & 1) boosted = 0;
    if (this.state.faultmask & 1) boosted = -1;
    return boosted < highest ? boosted : highest;
  }

  /**
   * A synchronous fault (MemManage, BusFault or UsageFault) with its CFSR bits: pended, or escalated
   * to HardFault (FORCED) when disabled or not above the execution priority, or lockup when even
   * HardFault cannot be taken. `running` is the priority the fault is judged against.
   */
  fault(exc: Exc.MemManage | Exc.BusFault | Exc.UsageFault, cfsrBits: number, running = this.executionPriority): void {
    this.scb.cfsr |= cfsrBits;
    if (this.nvic.enabled[exc] && this.group(this.priorityOf(exc)) < running) this.nvic.pending[exc] = 1;
    else this.hardFault(Hfsr.FORCED, running);
    this.update();
  }

  /** A HardFault with its HFSR bits (FORCED, VECTTBL, DEBUGEVT), or lockup when one cannot be taken. */
  hardFault(hfsrBits: number, running = this.executionPriority): void {
    if (running <= -1) {
      this.lockup();
      return;
    }
    this.scb.hfsr |= hfsrBits;
    this.nvic.pending[Exc.HardFault] = 1;
    this.update();
  }

  /** SVC: SVCall must be taken now, so one that cannot preempt escalates (B1.5.5). */
  svc(): void {
    if (this.group(this.priorityOf(Exc.SVCall)) < this.executionPriority) {
      this.nvic.pending[Exc.SVCall] = 1;
      this.update();
    } else this.hardFault(Hfsr.FORCED);
  }

  /**
   * Enters lockup. The owner moves PC to LOCKUP_PC once the instruction side has put PC back on the
   * faulting instruction (it may hold PC in a local until the ABORT).
   */
  lockup(): void {
    this.state.lockedUp = true;
  }

  /** SHCSR's fault enables into the table the priority logic reads. */
  setFaultEnables(shcsr: number): void {
    this.nvic.enabled[Exc.MemManage] = shcsr & Shcsr.MEMFAULTENA ? 1 : 0;
    this.nvic.enabled[Exc.BusFault] = shcsr & Shcsr.BUSFAULTENA ? 1 : 0;
    this.nvic.enabled[Exc.UsageFault] = shcsr & Shcsr.USGFAULTENA ? 1 : 0;
    this.update();
  }

  /**
   * Takes the pending exception that preempts (B1.5.6): stacks the context, then takes the
   * highest-priority pending exception, which is a late arrival if stacking pended a fault.
   */
  take(): void {
    const exc = this.nextPending;
    const returnAddress = this.state.pc;
    const lr = this.pushStack();
    if (this.state.lockedUp) return;
    this.update();
    const taken = this.preempt ? this.nextPending : exc;
    if (taken >= Exc.HardFault && taken <= Exc.UsageFault) this.faultPc = returnAddress;
    this.exceptionTaken(taken, lr);
  }

  /** PushStack (B1.5.6): the frame on the current stack, returning the EXC_RETURN for LR. */
  private pushStack(): number {
    const s = this.state;
    const fp = (s.control & CONTROL_FPCA) !== 0;
    const frameSize = fp ? Frame.Extended : Frame.Basic;
    const forceAlign = fp || (this.scb.ccr & Ccr.STKALIGN) !== 0;
    const thread = s.ipsr === 0;
    const psp = s.usingPsp;
    const sp = s.r[13] >>> 0;
    const alignBit = forceAlign && sp & 4 ? 1 : 0;
    const frame = ((sp - frameSize) & (forceAlign ? ~7 : ~3)) >>> 0;
    s.r[13] = frame;
    const privileged = s.privileged;
    const xpsr = (s.xpsr & ~(1 << 9)) | (alignBit << 9);
    const words = [s.r[0], s.r[1], s.r[2], s.r[3], s.r[12], s.r[14], s.pc, xpsr];
    let failed = Probe.Ok;
    for (let i = 0; i < 8 && failed === Probe.Ok; i++) {
      this.mem.probeWrite32(frame + 4 * i, words[i], privileged);
      failed = this.mem.probe;
    }
    if (fp && failed === Probe.Ok) {
      if (this.scb.fpccr & Fpccr.LSPEN) this.armLazyStacking(frame + 0x20, thread, privileged);
      else failed = this.storeFp(frame + 0x20, privileged);
    }
    // A derived fault is judged against the priority of the context being stacked, as QEMU does:
    // entering HardFault from Thread mode on a bad stack still reaches the HardFault handler.
    if (failed === Probe.Mpu) this.fault(Exc.MemManage, Cfsr.MSTKERR);
    else if (failed === Probe.Bus) this.fault(Exc.BusFault, Cfsr.STKERR);
    if (!thread) return fp ? 0xffffffe1 : 0xfffffff1;
    if (fp) return psp ? 0xffffffed : 0xffffffe9;
    return psp ? 0xfffffffd : 0xfffffff9;
  }

  /** Lazy FP stacking (B1.5.7): space is reserved, FPCAR remembers it, the registers stay live. */
  private armLazyStacking(fpFrame: number, thread: boolean, privileged: boolean): void {
    const scb = this.scb;
    scb.fpcar = fpFrame;
    const ep = this.executionPriority;
    const ready = (exc: number) => this.nvic.enabled[exc] && this.group(this.priorityOf(exc)) < ep;
    let f = scb.fpccr & (Fpccr.ASPEN | Fpccr.LSPEN);
    f |= Fpccr.LSPACT;
    if (!privileged) f |= Fpccr.USER;
    if (thread) f |= Fpccr.THREAD;
    if (ep > -1) f |= Fpccr.HFRDY;
    if (ready(Exc.MemManage)) f |= Fpccr.MMRDY;
    if (ready(Exc.BusFault)) f |= Fpccr.BFRDY;
    if (ready(Exc.DebugMonitor)) f |= Fpccr.MONRDY;
    scb.fpccr = f >>> 0;
  }

  /** S0-S15 and FPSCR into an extended frame's FP area. */
  private storeFp(at: number, privileged: boolean): Probe {
    const s = this.state;
    for (let i = 0; i < 16; i++) {
      this.mem.probeWrite32(at + 4 * i, s.s[i], privileged);
      if (this.mem.probe !== Probe.Ok) return this.mem.probe;
    }
    this.mem.probeWrite32(at + 0x40, s.fpscr, privileged);
    return this.mem.probe;
  }

  /**
   * Lazy state preservation (B1.5.7) and ExecuteFPCheck: before an FP instruction, store the
   * registers into the space reserved at FPCAR, and give a new FP context its FPDSCR defaults.
   * False when the preservation faulted: the instruction is abandoned and LSPACT stays set, so it
   * preserves again when the instruction is retried (PreserveFPState clears LSPACT only at its end).
   */
  fpPreserve(): boolean {
    const scb = this.scb;
    const s = this.state;
    if (scb.fpccr & Fpccr.LSPACT) {
      const failed = this.storeFp(scb.fpcar, (scb.fpccr & Fpccr.USER) === 0);
      if (failed === Probe.Mpu) return this.lazyPreservationFault(Exc.MemManage, Cfsr.MLSPERR, Fpccr.MMRDY);
      if (failed === Probe.Bus) return this.lazyPreservationFault(Exc.BusFault, Cfsr.LSPERR, Fpccr.BFRDY);
      scb.fpccr &= ~Fpccr.LSPACT;
    }
    if (scb.fpccr & Fpccr.ASPEN && !(s.control & CONTROL_FPCA)) {
      s.fpscr = scb.fpdscr;
      s.control |= CONTROL_FPCA;
    }
    return true;
  }

  /**
   * A fault of lazy preservation is judged as if it had happened at the stacking that reserved the
   * space: FPCCR's MMRDY/BFRDY say whether that fault could be pended then, HFRDY whether a
   * HardFault could; neither is lockup.
   */
  private lazyPreservationFault(exc: Exc.MemManage | Exc.BusFault, cfsrBits: number, ready: Fpccr): false {
    this.scb.cfsr |= cfsrBits;
    if (this.scb.fpccr & ready) this.nvic.pending[exc] = 1;
    else if (this.scb.fpccr & Fpccr.HFRDY) {
      this.scb.hfsr |= Hfsr.FORCED;
      this.nvic.pending[Exc.HardFault] = 1;
    } else this.lockup();
    this.update();
    return false;
  }

  /** ExceptionTaken (B1.5.6): vector fetch, Handler mode, LR. */
  private exceptionTaken(exc: number, lr: number): void {
    const s = this.state;
    const vector = this.mem.probeRead32((this.scb.vtor + 4 * exc) >>> 0, true);
    if (this.mem.probe !== Probe.Ok) {
      // A vector read error is a HardFault (VECTTBL) taken instead, with the same frame; the
      // exception stays pending. Entering HardFault or NMI, it cannot be: lockup.
      if (exc === Exc.HardFault || exc === Exc.NMI) this.lockup();
      else {
        this.scb.hfsr |= Hfsr.VECTTBL;
        this.exceptionTaken(Exc.HardFault, lr);
      }
      return;
    }
    this.nvic.pending[exc] = 0;
    this.nvic.active[exc] = 1;
    s.r[14] = lr;
    s.setModeAndControl(exc, s.control & ~(CONTROL_SPSEL | CONTROL_FPCA));
    s.itstate = 0;
    s.exclusive = -1;
    s.pc = vector & ~1;
    s.thumb = vector & 1;
    s.sleeping = false;
    if (exc >= Exc.HardFault && exc <= Exc.UsageFault && (vector & 1) === 0) this.unhandled = exc;
    this.update();
  }

  /** Exception return (B1.5.8) on a write of EXC_RETURN to PC in Handler mode. */
  exceptionReturn(excReturn: number): void {
    const s = this.state;
    const ret = excReturn >>> 0;
    const exc = s.ipsr;
    const nested = this.nvic.activeCount();
    const mode = ret & 0xf;
    const reserved = (ret & 0x0fffffe0) !== 0x0fffffe0;
    const toThread = mode === 9 || mode === 0xd;
    if (
      exc === 0 ||
      !this.nvic.active[exc] ||
      reserved ||
      (mode !== 1 && !toThread) ||
      (toThread && nested !== 1 && !(this.scb.ccr & Ccr.NONBASETHRDENA))
    ) {
      this.invalidReturn(exc, ret);
      return;
    }
    this.nvic.deactivate(exc);
    if (exc !== Exc.NMI) s.faultmask = 0;
    this.update();
    // Tail-chaining (B1.5.12): a pending exception that preempts the context returned to is taken
    // with the frame still on the stack and the same EXC_RETURN.
    if (this.preempt) {
      this.exceptionTaken(this.nextPending, ret);
      return;
    }
    this.popStack(ret, mode, toThread);
  }

  /** INVPC: the bad return is abandoned and UsageFault is taken on the frame already stacked. */
  private invalidReturn(exc: number, ret: number): void {
    if (exc !== 0 && this.nvic.active[exc]) this.nvic.deactivate(exc);
    this.update();
    this.fault(Exc.UsageFault, Cfsr.INVPC);
    if (this.state.lockedUp) return;
    this.exceptionTaken(this.nextPending, (0xf0000000 | (ret & 0x0fffffff)) >>> 0);
  }

  private popStack(ret: number, mode: number, toThread: boolean): void {
    const s = this.state;
    const fp = (ret & 0x10) === 0;
    const frameSize = fp ? Frame.Extended : Frame.Basic;
    const forceAlign = fp || (this.scb.ccr & Ccr.STKALIGN) !== 0;
    const fromPsp = mode === 0xd;
    const frame = (fromPsp ? s.psp : s.msp) >>> 0;
    const privileged = toThread ? (s.control & 1) === 0 : true;
    const lazyActive = fp && (this.scb.fpccr & Fpccr.LSPACT) !== 0;
    const words = fp && !lazyActive ? 25 : 8;
    const f = this.frame;
    for (let i = 0; i < words; i++) {
      f[i] = this.mem.probeRead32(frame + 4 * i, privileged);
      if (this.mem.probe !== Probe.Ok) {
        if (this.mem.probe === Probe.Mpu) this.fault(Exc.MemManage, Cfsr.MUNSTKERR);
        else this.fault(Exc.BusFault, Cfsr.UNSTKERR);
        if (!s.lockedUp) this.exceptionTaken(this.nextPending, ret);
        return;
      }
    }
    const psr = f[7];
    const ipsr = psr & 0x1ff;
    // Returning to Handler mode with a Thread frame or the reverse is INVPC (B1.5.8).
    if (toThread !== (ipsr === 0)) {
      this.fault(Exc.UsageFault, Cfsr.INVPC);
      if (!s.lockedUp) this.exceptionTaken(this.nextPending, ret);
      return;
    }
    s.r[0] = f[0];
    s.r[1] = f[1];
    s.r[2] = f[2];
    s.r[3] = f[3];
    s.r[12] = f[4];
    s.r[14] = f[5];
    s.pc = f[6] & ~1;
    if (fp) {
      if (lazyActive) this.scb.fpccr &= ~Fpccr.LSPACT;
      else {
        for (let i = 0; i < 16; i++) s.s[i] = f[8 + i];
        s.fpscr = f[24];
      }
    }
    const sp = (frame + frameSize) | (forceAlign && psr & (1 << 9) ? 4 : 0);
    let control = s.control & ~(CONTROL_SPSEL | CONTROL_FPCA);
    if (fromPsp) control |= CONTROL_SPSEL;
    if (fp) control |= CONTROL_FPCA;
    s.setModeAndControl(ipsr, control);
    if (fromPsp) s.psp = sp;
    else s.msp = sp;
    s.setApsrEpsr(psr);
    s.exclusive = -1;
    s.event = 1;
    if (toThread && this.scb.scr & Scr.SLEEPONEXIT) s.sleeping = true;
    this.update();
  }
}
