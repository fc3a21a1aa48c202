// Unwinding a Cortex-M stack, frame by frame: through the firmware's functions by their call frame
// information, and through exception entry, where the caller's frame is the one the core stacked
// on MSP or PSP (ARMv7-M ARM B1.5.6-B1.5.8): r0-r3, r12, lr, pc, xPSR, then s0-s15 and FPSCR when
// EXC_RETURN bit 4 is 0, and a 4-byte pad below when the stacked xPSR's bit 9 is set.
import type { CallFrames, CfaRule, CfiRow } from './callFrames';
import { evaluateValue, Unavailable, type FrameContext } from './location';
import type { DwarfSections } from './sections';
import { DwarfError } from './dwarfError';

/** `size` bytes at `address` of the target, or undefined (or fewer bytes) where it cannot be read. */
export type MemoryReader = (address: number, size: number) => Uint8Array | undefined;

export interface StackFrame {
  /** The frame's pc; in an exception frame, the EXC_RETURN value (gdb's `<signal handler called>`). */
  readonly pc: number;
  readonly kind: 'code' | 'exception';
  /** r0-r15 as they are in this frame; undefined where the unwinder cannot know them. */
  readonly registers: readonly (number | undefined)[];
  /** The frame's canonical frame address (the caller's sp at the call), when call frame information gave it. */
  readonly cfa?: number;
  readonly msp?: number;
  readonly psp?: number;
}

/** The registers of the stopped core: r0-r15 (DWARF numbers 0-15), and MSP and PSP. */
export interface CoreRegisters {
  readonly r: readonly number[];
  readonly msp?: number;
  readonly psp?: number;
}

const SP = 13;
const LR = 14;
const PC = 15;
/** Argument and scratch registers (AAPCS): a callee need not keep them, so a caller's are unknown. */
const CALLER_SAVED = [0, 1, 2, 3, 12];
const BASIC_FRAME = 0x20;
const EXTENDED_FRAME = 0x68;

/** Whether a return address is an EXC_RETURN value (ARMv7-M: 0xFFFFFFE1, E9, ED, F1, F9, FD). */
export function isExcReturn(address: number): boolean {
  return address >>> 0 >= 0xffffff00;
}

export class Unwinder {
  constructor(
    private readonly sections: DwarfSections,
    private readonly frames: CallFrames,
  ) {}

  /** The innermost frame of a stopped core. */
  top(regs: CoreRegisters): StackFrame {
    const registers = regs.r.slice(0, 16).map((v) => v >>> 0);
    const cfa = this.cfaOf(this.frames.rowAt(registers[PC]), registers, undefined);
    return { pc: registers[PC], kind: 'code', registers, cfa, msp: regs.msp, psp: regs.psp };
  }

  /** Every frame from the top down, at most `max`; unwinding stops where a frame's caller cannot be found. */
  stack(regs: CoreRegisters, memory: MemoryReader, max = 64): StackFrame[] {
    const out = [this.top(regs)];
    while (out.length < max) {
      const next = this.caller(out[out.length - 1], memory, out.length === 1 || out[out.length - 2].kind === 'exception');
      if (!next) break;
      const prev = out[out.length - 1];
      // A stack that does not grow towards the caller is a loop (or garbage): stop there. Leaving an
      // exception frame may switch from MSP to PSP, which lies anywhere.
      const sp = next.registers[SP];
      const prevSp = prev.registers[SP];
      if (sp === undefined || prevSp === undefined) break;
      if (prev.kind !== 'exception' && (sp < prevSp || (sp === prevSp && next.pc === prev.pc && next.kind === prev.kind))) break;
      out.push(next);
    }
    return out;
  }

  /**
   * The caller of `frame`. `exact` says the frame's pc is where it stopped (the top frame, or one an
   * exception interrupted), not a return address, which is looked up one byte back (the call may be
   * a function's last instruction), and allows the fall-back to LR where no FDE covers the pc.
   */
  caller(frame: StackFrame, memory: MemoryReader, exact: boolean): StackFrame | undefined {
    try {
      return frame.kind === 'exception' ? this.fromException(frame, memory) : this.fromCode(frame, memory, exact);
    } catch (e) {
      if (e instanceof Unavailable || e instanceof DwarfError) return undefined;
      throw e;
    }
  }

  private fromCode(frame: StackFrame, memory: MemoryReader, exact: boolean): StackFrame | undefined {
    const regs = frame.registers;
    const pc = regs[PC];
    if (pc === undefined) return undefined;
    const row = this.frames.rowAt(exact ? pc : pc - 1);
    let caller: (number | undefined)[];
    let cfa: number | undefined;
    if (!row) {
      // No FDE: only a frame stopped at its own pc may be taken as a leaf that has not touched sp or lr.
      if (!exact) return undefined;
      caller = [...regs];
      cfa = regs[SP];
    } else {
      cfa = this.cfaOf(row, regs, memory);
      if (cfa === undefined) return undefined;
      caller = [...regs];
      caller[SP] = cfa;
      const ctx = this.context(regs, memory, cfa);
      for (const [reg, rule] of row.rules) {
        if (reg > PC) continue;
        switch (rule.kind) {
          case 'undefined':
            caller[reg] = undefined;
            break;
          case 'same':
            break;
          case 'offset':
            caller[reg] = readWord(memory, cfa + rule.offset, this.sections.little);
            break;
          case 'val_offset':
            caller[reg] = (cfa + rule.offset) >>> 0;
            break;
          case 'register':
            caller[reg] = regs[rule.register];
            break;
          case 'expression':
            caller[reg] = readWord(memory, evaluateValue(this.sections, undefined, rule.expr, ctx, [cfa]), this.sections.little);
            break;
          case 'val_expression':
            caller[reg] = evaluateValue(this.sections, undefined, rule.expr, ctx, [cfa]) >>> 0;
            break;
        }
      }
    }
    const ra = caller[LR];
    if (ra === undefined || ra === 0) return undefined;
    for (const r of CALLER_SAVED) if (!row?.rules.has(r)) caller[r] = undefined;
    const { msp, psp } = spAfter(frame, caller[SP]);
    if (isExcReturn(ra)) {
      caller[PC] = ra >>> 0;
      return { pc: ra >>> 0, kind: 'exception', registers: caller, cfa, msp, psp };
    }
    caller[PC] = (ra & ~1) >>> 0;
    return { pc: caller[PC], kind: 'code', registers: caller, cfa: this.cfaOf(this.frames.rowAt(caller[PC] - 1), caller, memory), msp, psp };
  }

  private fromException(frame: StackFrame, memory: MemoryReader): StackFrame | undefined {
    const excReturn = frame.pc;
    const onPsp = (excReturn & 0x4) !== 0;
    const base = onPsp ? frame.psp : frame.registers[SP];
    if (base === undefined) return undefined;
    const little = this.sections.little;
    const word = (i: number) => readWord(memory, base + 4 * i, little);
    const xpsr = word(7);
    const size = (excReturn & 0x10) === 0 ? EXTENDED_FRAME : BASIC_FRAME;
    const sp = (base + size + ((xpsr >>> 9) & 1 ? 4 : 0)) >>> 0;
    const registers = [...frame.registers];
    for (const [reg, slot] of [[0, 0], [1, 1], [2, 2], [3, 3], [12, 4], [LR, 5], [PC, 6]]) registers[reg] = word(slot);
    registers[SP] = sp;
    const pc = (registers[PC] ?? 0) & ~1;
    registers[PC] = pc >>> 0;
    // Handler mode runs on MSP: returning to a thread on PSP leaves MSP where the handler's frame began.
    const msp = onPsp ? frame.registers[SP] : sp;
    const psp = onPsp ? sp : frame.psp;
    return { pc: pc >>> 0, kind: 'code', registers, cfa: this.cfaOf(this.frames.rowAt(pc), registers, memory), msp, psp };
  }

  private cfaOf(row: CfiRow | undefined, regs: readonly (number | undefined)[], memory: MemoryReader | undefined): number | undefined {
    if (!row) return undefined;
    return cfaValue(row.cfa, regs, memory ? this.context(regs, memory, undefined) : undefined, this.sections);
  }

  private context(regs: readonly (number | undefined)[], memory: MemoryReader, cfa: number | undefined): FrameContext {
    return { register: (n) => regs[n], cfa, readMemory: memory };
  }
}

function cfaValue(rule: CfaRule, regs: readonly (number | undefined)[], ctx: FrameContext | undefined, sections: DwarfSections): number | undefined {
  if (rule.kind === 'register') {
    const v = regs[rule.register];
    return v === undefined ? undefined : (v + rule.offset) >>> 0;
  }
  if (!ctx) return undefined;
  try {
    return evaluateValue(sections, undefined, rule.expr, ctx) >>> 0;
  } catch (e) {
    if (e instanceof Unavailable) return undefined;
    throw e;
  }
}

/** MSP and PSP after a call frame is popped: the one the frame runs on moves with sp. */
function spAfter(frame: StackFrame, sp: number | undefined): { msp?: number; psp?: number } {
  const current = frame.registers[SP];
  if (frame.psp !== undefined && current === frame.psp && current !== frame.msp) return { msp: frame.msp, psp: sp };
  return { msp: sp, psp: frame.psp };
}

function readWord(memory: MemoryReader, address: number, little: boolean): number {
  const b = memory(address >>> 0, 4);
  if (!b || b.length < 4) throw new Unavailable(`memory at 0x${(address >>> 0).toString(16)} cannot be read`);
  return new DataView(b.buffer, b.byteOffset, 4).getUint32(0, little);
}
