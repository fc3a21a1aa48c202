// The one shape every decoded instruction has. Decode fills the fields an encoding uses and picks
// `exec`, a plain function; the executor calls `inst.exec(core, inst)` without looking at the kind,
// so the hot loop sees a single hidden class and the execs read only number fields.
import type { CpuBus, SystemHooks } from '../cpuBus';
import type { CpuState } from '../state';

/** What an exec function reaches: the registers, the bus and the system. */
export class Core {
  readonly r: Int32Array;
  readonly s: Int32Array;

  constructor(
    readonly state: CpuState,
    readonly bus: CpuBus,
    readonly hooks: SystemHooks,
  ) {
    this.r = state.r;
    this.s = state.s;
  }
}

export type Exec = (core: Core, inst: Inst) => void;

/** UNDEFINED (and the UNPREDICTABLE encodings we treat so): a UsageFault with UFSR.UNDEFINSTR. */
export function execUndefined(c: Core): void {
  c.hooks.usageFault('UNDEFINSTR');
}

export class Inst {
  exec: Exec;
  /** Address and size (2 or 4) of the instruction; `next` = addr + size. */
  addr = 0;
  size = 2;
  next = 0;
  /** Condition to pass (14 = always): from the encoding (B<c>) or the IT block it sits in. */
  cond = 14;
  /** ITSTATE while this instruction executes, and after it. */
  itBefore = 0;
  itAfter = 0;
  /** Operation selector inside a class (an ALU op, an access size, a DSP op...). */
  op = 0;
  rd = 0;
  rn = 0;
  rm = 0;
  ra = 0;
  /** Immediate, offset, register list or branch target, as the class defines it. */
  imm = 0;
  /** Shift type (0 LSL, 1 LSR, 2 ASR, 3 ROR, 4 RRX) and amount. */
  shiftType = 0;
  shiftN = 0;
  /** Carry out of a modified immediate, or -1 when it leaves C unchanged. */
  immCarry = -1;
  /** 1 when the instruction sets the flags. */
  setflags = 0;
  /** Addressing bits: 1 index (pre), 2 add, 4 writeback, or class-specific flags. */
  flags = 0;
  /** Cycles on a Cortex-M4 (cycles.ts), not counting a taken branch's refill. */
  cycles = 1;
  /** The instruction writes PC, changes what the system must look at, or stops the stream. */
  endsBlock = false;
  /** It may read R15 (the executor then sets R15 to addr + 4 first). */
  readsPc = false;

  constructor(exec: Exec = execUndefined) {
    this.exec = exec;
  }
}

/** Sets the fields most encodings fill: exec, operation, registers and cycles. */
export function assign(i: Inst, exec: Exec, op: number, rd: number, rn: number, rm: number, cycles: number): void {
  i.exec = exec;
  i.op = op;
  i.rd = rd;
  i.rn = rn;
  i.rm = rm;
  i.cycles = cycles;
}
