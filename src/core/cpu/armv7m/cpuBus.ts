// How the instruction side reaches memory and the system: every load, store and fetch goes through
// a CpuBus (memory regions, the System Control Space, peripherals, the MPU), and every event that
// leaves the instruction stream goes to SystemHooks. A synchronous fault never returns to the
// instruction that caused it: the hook records it (status registers, pending exception) and the
// bus or hook throws ABORT, which the executor catches, leaving `pc` on the faulting instruction.
import type { WordAccess } from '../../soc/memoryAccess';
import type { CpuState } from './state';

/** The one value thrown to abandon an instruction; never escapes the core's run loop. */
export const ABORT: unique symbol = Symbol('armv7m abort');

/**
 * Data accesses are WordAccess's (privilege taken from the state at the time of the access; values
 * unsigned; an unaligned halfword or word access is a UsageFault (UNALIGNED) when CCR.UNALIGN_TRP is set).
 */
export interface CpuBus extends WordAccess {
  /** Instruction fetch of one halfword (IACCVIOL / IBUSERR on failure). */
  fetch16(addr: number): number;
  /**
   * The executor says the memory at `addr` holds decoded code: a later store near it bumps
   * `codeGeneration`. The bus picks the granularity; keep it small (64 bytes, not 4 KiB pages):
   * firmware keeps data next to its code, and every bump drops the whole decoded-block cache.
   */
  markCode(addr: number): void;
  /** Bumped by every store into a marked page; a decoded-block cache drops its blocks when it moves. */
  readonly codeGeneration: number;
}

/** Synchronous faults the instruction side can raise (the system sets CFSR, escalates, pends). */
export type UsageFaultKind = 'UNDEFINSTR' | 'INVSTATE' | 'INVPC' | 'NOCP' | 'UNALIGNED' | 'DIVBYZERO';

export interface SystemHooks {
  /** A UsageFault of this kind at the current instruction; always throws ABORT. */
  usageFault(kind: UsageFaultKind): never;
  /** SVC #imm: the SVCall exception becomes pending (taken after the instruction). */
  svc(imm: number): void;
  /** A debugger's breakpoint at `state.pc`: the core halts before executing it. */
  breakpoint(): void;
  /** BKPT #imm: semihosting when imm is 0xAB, else a debug halt (or HardFault with no debugger). */
  bkpt(imm: number): void;
  /** A write of PC with a value 0xF0000000-0xFFFFFFFF in Handler mode: exception return. */
  exceptionReturn(excReturn: number): void;
  wfi(): void;
  wfe(): void;
  sev(): void;
  /** The instruction changed PRIMASK, FAULTMASK, BASEPRI or CONTROL: re-check pending exceptions. */
  priorityChanged(): void;
  /** CPACR enables CP10/CP11 for the current privilege (else an FP instruction is NOCP). */
  fpEnabled(): boolean;
  /**
   * Lazy FP state preservation point (FPCCR.LSPACT): called before the first FP instruction in a
   * context; throws ABORT when the preservation faults.
   */
  fpPreserve(): void;
  /**
   * True when the run loop must look before the next block: an exception became pending or the
   * execution priority changed, the core went to sleep, halted or locked up. The executor checks it
   * between blocks only.
   */
  readonly attention: boolean;
  readonly state: CpuState;
  /** CCR.DIV_0_TRP: SDIV/UDIV by zero is a UsageFault (DIVBYZERO) instead of giving 0. */
  readonly trapDivideByZero?: boolean;
}

/** Told of each instruction a trace run executes: its address and its one or two halfwords. */
export type InstructionTrace = (addr: number, halfwords: readonly number[]) => void;

/** The instruction side as the run loop drives it (isa/executor.ts). */
export interface InstructionExecutor {
  /**
   * Executes decoded blocks from `state.pc` while `state.cycles < untilCycles` and
   * `!hooks.attention`, adding each instruction's cycles and count. A fault or exception return
   * ends it early (ABORT is caught inside). Executes at least one instruction when called.
   */
  run(untilCycles: number): void;
  /** Executes the one instruction at `state.pc`, decoded afresh, after telling `trace` of it. */
  step(trace: InstructionTrace): void;
  /** Forgets every decoded block (reset, a new image loaded). */
  flush(): void;
  /** A debugger's breakpoints: `run` returns, after `hooks.breakpoint()`, on reaching one (never `step`). */
  setBreakpoints(addrs: ReadonlySet<number>): void;
}
