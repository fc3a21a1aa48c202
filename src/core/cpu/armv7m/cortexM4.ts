// The Cortex-M4 as a whole: architectural state, bus, NVIC, SCB, SysTick, MPU and semihosting
// around an instruction executor, run in bounded slices of virtual time. Between slices it takes
// pending exceptions, lets SysTick wrap, sleeps in WFI/WFE by skipping to the next event, and
// stops on exit, lockup, halt or an exhausted budget, never with a JavaScript exception from the
// firmware's doing. A debugger adds breakpoints, watchpoints and single steps.
import type { AddressSpace } from '../../soc/addressSpace';
import { ABORT, type InstructionExecutor, type InstructionTrace, type SystemHooks, type UsageFaultKind } from './cpuBus';
import { Cfsr, Exc, Hfsr } from './exceptions';
import { Executor } from './isa/executor';
import { CpuState } from './state';
import { ExceptionModel, LOCKUP_PC } from './system/exceptionModel';
import { describeFault, exceptionName } from './system/faultDescription';
import { Mpu } from './system/mpu';
import { Nvic } from './system/nvic';
import { Ccr, Scb, Scr } from './system/scb';
import { Semihosting } from './system/semihosting';
import { SysTick } from './system/sysTick';
import { SystemBus, type Watchpoint } from './system/systemBus';
import { SystemControlSpace } from './system/systemControlSpace';
import { Probe } from './system/stackAccess';


export interface CortexM4Options {
  /** The core's view of memory (device addresses), e.g. SocMemory.remote('m4'). */
  readonly space: AddressSpace;
  /** External interrupt lines (the STM32MP157's M4 has 150). */
  readonly irqCount?: number;
  /** Implemented priority bits (4 on the STM32MP157's M4). */
  readonly priorityBits?: number;
  /** Core clock in Hz (209 MHz on the STM32MP157). */
  readonly clockHz?: number;
  /** Semihosting console output. */
  readonly console?: (bytes: Uint8Array) => void;
  /** A debugger is attached: BKPT halts instead of escalating to HardFault. */
  readonly debuggerAttached?: boolean;
  /** Executes one instruction at a time and tells this of each (slow: for a short run). */
  readonly trace?: InstructionTrace;
}

export type StopKind = 'exit' | 'lockup' | 'fault' | 'halt' | 'breakpoint' | 'watch' | 'reset' | 'budget' | 'sleep';

export interface StopReason {
  readonly kind: StopKind;
  /** PC of the stop: for a lockup or an unhandled fault, the faulting instruction's. */
  readonly pc: number;
  /** The program's exit status (kind 'exit'). */
  readonly code?: number;
  readonly cfsr?: number;
  readonly hfsr?: number;
  /** One line for a person: the fault decoded, or why the core halted or sleeps. */
  readonly message?: string;
  /** The watchpoint that caught an access (kind 'watch', `pc` on the instruction, which has not run). */
  readonly watchpoint?: Watchpoint;
  /** The address of that access. */
  readonly address?: number;
}

const NO_TRACE: InstructionTrace = () => undefined;

/** Cycles of exception entry and of exception return (Cortex-M4 TRM 3.3.1: 12 with zero wait states). */
const ENTRY_CYCLES = 12;
const RETURN_CYCLES = 10;

const USAGE_FAULT_BITS: Record<UsageFaultKind, number> = {
  UNDEFINSTR: Cfsr.UNDEFINSTR,
  INVSTATE: Cfsr.INVSTATE,
  INVPC: Cfsr.INVPC,
  NOCP: Cfsr.NOCP,
  UNALIGNED: Cfsr.UNALIGNED,
  DIVBYZERO: Cfsr.DIVBYZERO,
};

export class CortexM4 implements SystemHooks {
  readonly state = new CpuState();
  readonly nvic: Nvic;
  readonly scb = new Scb();
  readonly sysTick = new SysTick();
  readonly mpu = new Mpu();
  readonly model: ExceptionModel;
  readonly bus: SystemBus;
  readonly clockHz: number;
  private readonly scs: SystemControlSpace;
  private readonly semihosting: Semihosting;
  private readonly executor: InstructionExecutor;
  /** A debugger is attached: BKPT halts instead of escalating to HardFault (one may attach to a running core). */
  debuggerAttached: boolean;
  private readonly trace: InstructionTrace | undefined;
  /** A stop the hooks asked for (exit, halt), reported at the end of the slice. */
  private pendingStop: StopReason | undefined;
  /** The core sleeps in WFE (the event register wakes it) rather than WFI. */
  private sleepingInWfe = false;
  /**
   * Where the clock stood when a sleeping core last let time pass to the end of a run: nothing of
   * the core's happened after it, so an interrupt from outside can wake it from there.
   */
  sleptAt = 0;
  /** The owner asked the run to end earlier (endRunBy): by runEnd. */
  private yieldRequested = false;
  private runEnd = Infinity;
  /** Told when an interrupt's pending or enabled state changes: what runs the core may wake it. */
  onInterrupt: (() => void) | undefined;

  constructor(options: CortexM4Options) {
    this.clockHz = options.clockHz ?? 209_000_000;
    this.debuggerAttached = options.debuggerAttached ?? false;
    this.trace = options.trace;
    this.nvic = new Nvic(options.irqCount ?? 150, options.priorityBits ?? 4);
    this.scs = new SystemControlSpace(this.state, this.nvic, this.scb, this.sysTick, this.mpu);
    this.bus = new SystemBus(options.space, this.state, this.scb, this.mpu, this.scs);
    this.model = new ExceptionModel(this.state, this.nvic, this.scb, this.bus);
    this.scs.attach(this.model);
    this.bus.attach(this.model);
    this.nvic.onChange = () => {
      this.model.update();
      if (this.scb.scr & Scr.SEVONPEND) this.state.event = 1;
      this.onInterrupt?.();
    };
    this.sysTick.onWrap = () => this.nvic.setPending(Exc.SysTick);
    const console = options.console ?? (() => undefined);
    const state = this.state;
    this.semihosting = new Semihosting({
      memory: options.space,
      get cycles() {
        return state.cycles;
      },
      clockHz: this.clockHz,
      write: console,
      exit: (status) => (this.pendingStop = { kind: 'exit', pc: 0, code: status }),
    });
    this.executor = new Executor(this.state, this.bus, this);
    this.bus.onWatch = (watchpoint, address) => (this.pendingStop = { kind: 'watch', pc: 0, watchpoint, address });
  }

  /** A debugger's breakpoints: the core stops before executing an instruction at one of them. */
  setBreakpoints(addrs: ReadonlySet<number>): void {
    this.executor.setBreakpoints(addrs);
  }

  /** A debugger's watchpoints: the core stops before a data access they catch, as gdb expects of Arm (it then steps over the access). */
  setWatchpoints(watchpoints: readonly Watchpoint[]): void {
    this.bus.setWatchpoints(watchpoints);
  }

  /** Reset (B1.5.5): system state to its reset values, SP and PC from the vector table at address 0. */
  reset(): void {
    const s = this.state;
    s.reset();
    this.nvic.reset();
    this.scb.reset();
    this.sysTick.reset();
    this.mpu.reset();
    this.scs.reset();
    this.bus.configure();
    this.bus.clearCodeMarks();
    this.executor.flush();
    this.pendingStop = undefined;
    this.model.unhandled = 0;
    this.model.faultPc = 0;
    const sp = this.bus.probeRead32(this.scb.vtor, true);
    const spOk = this.bus.probe === Probe.Ok;
    const pc = this.bus.probeRead32(this.scb.vtor + 4, true);
    if (!spOk || this.bus.probe !== Probe.Ok) {
      // The reset vector cannot be read: a HardFault during reset, which is lockup.
      this.scb.hfsr |= Hfsr.VECTTBL;
      this.model.lockup();
    }
    s.msp = sp;
    s.pc = pc & ~1;
    s.thumb = pc & 1;
    this.model.update();
  }

  /** Runs for at most `maxCycles` core cycles (see runUntil). */
  run(maxCycles: number): StopReason {
    return this.runUntil(this.state.cycles + maxCycles);
  }

  /** Runs until the cycle count reaches `cycle` or something stops the core first. */
  runUntil(cycle: number): StopReason {
    return this.loop(cycle, false);
  }

  /**
   * Executes one instruction with no breakpoint checked (a debugger's step), then takes an
   * exception that became pending meanwhile, so a step that faults stops on the handler's first
   * instruction. 'budget' when nothing else ended the step; a sleeping core steps once it wakes.
   */
  step(): StopReason {
    return this.loop(Infinity, true);
  }

  private loop(cycle: number, single: boolean): StopReason {
    const s = this.state;
    let stepped = false;
    for (;;) {
      // a step is one instruction whatever is due: an end asked for meanwhile ends the next run
      if (this.yieldRequested && !single) {
        this.yieldRequested = false;
        cycle = Math.min(cycle, this.runEnd);
        this.runEnd = Infinity;
      }
      const stop = this.stopReason();
      if (stop) return stop;
      this.sysTick.advance(s.cycles);
      if (this.model.preempt) {
        this.model.take();
        s.cycles += ENTRY_CYCLES;
        continue;
      }
      if (stepped) return { kind: 'budget', pc: s.pc };
      if (s.sleeping) {
        if (this.wakes()) {
          s.sleeping = false;
          continue;
        }
        const wrap = this.sysTick.nextWrap;
        // Nothing inside the core can wake it: the clock stays where it fell asleep, for whoever
        // raises the interrupt to move on from their own time.
        if (wrap === Infinity) return { kind: 'sleep', pc: s.pc, message: 'sleeping with no SysTick running: only an interrupt can wake the core' };
        if (wrap > cycle) {
          // Nothing inside the core wakes it before `cycle`: time passes to there. An interrupt
          // from outside may still come earlier: its owner may take the clock back to sleptAt.
          this.sleptAt = s.cycles;
          s.cycles = Math.max(s.cycles, cycle);
          return { kind: 'budget', pc: s.pc };
        }
        s.cycles = wrap;
        continue;
      }
      if (!single && s.cycles >= cycle) return { kind: 'budget', pc: s.pc };
      if (!s.thumb) {
        // EPSR.T clear: the next instruction cannot execute (INVSTATE), whatever it is.
        this.model.fault(Exc.UsageFault, Cfsr.INVSTATE);
        stepped = single;
        continue;
      }
      if (single) {
        this.executor.step(this.trace ?? NO_TRACE);
        stepped = true;
      } else if (this.trace) this.executor.step(this.trace);
      else this.executor.run(Math.min(cycle, this.sysTick.nextWrap));
    }
  }

  /** Ends the current run by cycle `atCycle` (or the next instruction boundary past it), as a spent budget: the owner has something due then. */
  endRunBy(atCycle: number): void {
    this.runEnd = Math.min(this.runEnd, atCycle);
    this.yieldRequested = true;
  }

  /** The cycle by which the owner asked the current run to end (endRunBy), or Infinity: a debugger's own run loop ends there too. */
  get runEndCycle(): number {
    return this.yieldRequested ? this.runEnd : Infinity;
  }

  /** Raises (level high) or lowers external interrupt line `irq`. */
  setInterrupt(irq: number, high: boolean): void {
    this.nvic.setLine(irq, high);
  }

  /** A one-shot (edge) interrupt on line `irq`. */
  pulseInterrupt(irq: number): void {
    this.nvic.pulse(irq);
  }

  /** Virtual time since the first reset, in nanoseconds. */
  get nanoseconds(): number {
    return Math.floor((this.state.cycles * 1e9) / this.clockHz);
  }

  /** One line on the current fault state: the exception, PC, CFSR/HFSR decoded, MMFAR/BFAR. */
  describeFault(): string {
    const s = this.state;
    const what = s.lockedUp ? 'lockup' : exceptionName(this.model.unhandled || s.ipsr);
    return describeFault(what, s.lockedUp || this.model.unhandled ? this.model.faultPc : s.pc, this.scb);
  }

  private stopReason(): StopReason | undefined {
    const s = this.state;
    if (s.lockedUp) {
      if (s.pc !== LOCKUP_PC) {
        this.model.faultPc = s.pc;
        s.pc = LOCKUP_PC;
      }
      return { kind: 'lockup', pc: this.model.faultPc, cfsr: this.scb.cfsr, hfsr: this.scb.hfsr, message: this.describeFault() };
    }
    if (this.model.unhandled) {
      const message = `${this.describeFault()}: no handler (vector 0x${s.pc.toString(16).padStart(8, '0')} is not a Thumb address)`;
      return { kind: 'fault', pc: this.model.faultPc, cfsr: this.scb.cfsr, hfsr: this.scb.hfsr, message };
    }
    if (this.pendingStop) {
      // PC as the instruction side left it: after the semihosting BKPT, or on the halting one.
      const stop = { ...this.pendingStop, pc: s.pc };
      this.pendingStop = undefined;
      return stop;
    }
    if (this.scb.resetRequested) {
      this.scb.resetRequested = false;
      return { kind: 'reset', pc: s.pc, message: 'AIRCR.SYSRESETREQ: the program asked for a system reset' };
    }
    return undefined;
  }

  /** WFI wakes on an exception that would preempt with PRIMASK clear; WFE also on the event register. */
  private wakes(): boolean {
    const byEvent = this.sleepingInWfe && this.state.event === 1;
    if (!byEvent && !this.model.wakesFromWfi()) return false;
    if (byEvent) this.state.event = 0;
    this.sleepingInWfe = false;
    return true;
  }

  // SystemHooks: what the instruction side calls.

  get attention(): boolean {
    const s = this.state;
    return this.model.preempt || s.sleeping || s.lockedUp || s.thumb === 0 || this.pendingStop !== undefined || this.model.unhandled !== 0 || this.scb.resetRequested || this.yieldRequested;
  }

  get trapDivideByZero(): boolean {
    return (this.scb.ccr & Ccr.DIV_0_TRP) !== 0;
  }

  usageFault(kind: UsageFaultKind): never {
    this.model.fault(Exc.UsageFault, USAGE_FAULT_BITS[kind]);
    throw ABORT;
  }

  svc(): void {
    this.model.svc();
  }

  breakpoint(): void {
    this.pendingStop = { kind: 'breakpoint', pc: 0 };
  }

  bkpt(imm: number): void {
    const s = this.state;
    if (imm === 0xab) {
      s.r[0] = this.semihosting.call(s.r[0], s.r[1]);
      return;
    }
    if (this.debuggerAttached) this.pendingStop = { kind: 'halt', pc: 0, message: `BKPT #${imm}` };
    else this.model.hardFault(Hfsr.DEBUGEVT);
    throw ABORT;
  }

  exceptionReturn(excReturn: number): void {
    this.model.exceptionReturn(excReturn);
    this.state.cycles += RETURN_CYCLES;
  }

  wfi(): void {
    if (this.model.wakesFromWfi()) return;
    this.sleepingInWfe = false;
    this.state.sleeping = true;
  }

  wfe(): void {
    const s = this.state;
    if (s.event) {
      s.event = 0;
      return;
    }
    if (this.model.preempt) return;
    this.sleepingInWfe = true;
    s.sleeping = true;
  }

  sev(): void {
    this.state.event = 1;
  }

  priorityChanged(): void {
    this.model.update();
  }

  fpEnabled(): boolean {
    const cp10 = (this.scb.cpacr >>> 20) & 3;
    return cp10 === 3 || (cp10 === 1 && this.state.privileged);
  }

  fpPreserve(): void {
    if (!this.model.fpPreserve()) throw ABORT;
  }
}
