// The instruction side as the run loop drives it: decoded blocks cached by address (and by the
// ITSTATE they start in, as an exception return can resume inside an IT block). A block is decoded
// as it first runs, one instruction at a time, so only instructions that execute are fetched, and
// ends at an instruction that writes PC, changes what the system must look at, or at MAX_BLOCK.
// A complete block runs on a fast path: cycles and counts added once, PC and ITSTATE written only
// where they can be seen (the last instruction, an IT block, a fault).
// A debugger's breakpoints cost one check per block: blocks end before each breakpoint's address.
import { ABORT, type CpuBus, type InstructionExecutor, type InstructionTrace, type SystemHooks } from '../cpuBus';
import type { CpuState } from '../state';
import { decodeInstruction, isWide } from './decoder';
import { Core, type Inst } from './inst';

const MAX_BLOCK = 64;
/** Direct-mapped lookup in front of the block map, indexed by halfword address. */
const FAST_SIZE = 4096;

class Block {
  readonly insts: Inst[] = [];
  complete = false;
  /** Where the next instruction to decode is, and the ITSTATE it executes with. */
  end: number;
  itEnd: number;
  /** Some instruction runs inside an IT block: ITSTATE must be kept per instruction. */
  inIt: boolean;
  /** Sums over the block, and the cycles before each instruction (for a fault part-way). */
  cycles = 0;
  readonly cyclesBefore: number[] = [];

  constructor(
    readonly addr: number,
    readonly it: number,
  ) {
    this.end = addr;
    this.itEnd = it;
    this.inIt = it !== 0;
  }
}

export class Executor implements InstructionExecutor {
  private readonly core: Core;
  private readonly blocks = new Map<number, Block>();
  private readonly fast: (Block | undefined)[] = new Array<Block | undefined>(FAST_SIZE).fill(undefined);
  private generation: number;
  /** Addresses to halt before (a debugger's breakpoints), or null when there are none. */
  private breakpoints: ReadonlySet<number> | null = null;

  constructor(
    readonly state: CpuState,
    private readonly bus: CpuBus,
    private readonly hooks: SystemHooks,
  ) {
    this.core = new Core(state, bus, hooks);
    this.generation = bus.codeGeneration;
  }

  flush(): void {
    this.blocks.clear();
    this.fast.fill(undefined);
  }

  setBreakpoints(addrs: ReadonlySet<number>): void {
    this.breakpoints = addrs.size === 0 ? null : addrs;
    // blocks decoded before may run through a new breakpoint's address
    this.flush();
  }

  run(untilCycles: number): void {
    const st = this.state;
    const hooks = this.hooks;
    const fast = this.fast;
    const core = this.core;
    const breakpoints = this.breakpoints;
    // The fast path for complete blocks is inline, under one try for the whole loop: blocks
    // average under five instructions, so a call and a try per block would show.
    let block: Block | undefined;
    let k = 0;
    try {
      do {
        if (this.bus.codeGeneration !== this.generation) {
          this.flush();
          this.generation = this.bus.codeGeneration;
        }
        const pc = st.pc;
        if (breakpoints !== null && breakpoints.has(pc)) {
          hooks.breakpoint();
          return;
        }
        const it = st.itstate;
        const slot = (pc >>> 1) & (FAST_SIZE - 1);
        block = fast[slot];
        if (block === undefined || block.addr !== pc || block.it !== it) {
          block = this.lookup(pc, it);
          fast[slot] = block;
        }
        if (!block.complete) {
          const decoding = block;
          block = undefined;
          if (!this.runDecoding(decoding)) return;
          continue;
        }
        if (st.thumb === 0) {
          this.invalidState();
          return;
        }
        const insts = block.insts;
        const last = insts.length - 1;
        k = 0;
        if (block.inIt) {
          for (; k < last; k++) {
            const inst = insts[k];
            if (inst.readsPc) st.r[15] = inst.addr + 4;
            st.itstate = inst.itAfter;
            if (inst.cond === 14 || st.conditionPassed(inst.cond)) inst.exec(core, inst);
          }
        } else {
          // outside an IT block only a B<c> has a condition, and it ends its block
          for (; k < last; k++) {
            const inst = insts[k];
            if (inst.readsPc) st.r[15] = inst.addr + 4;
            inst.exec(core, inst);
          }
        }
        const inst = insts[last];
        st.r[15] = inst.addr + 4;
        st.pc = inst.next;
        st.itstate = inst.itAfter;
        st.cycles += block.cycles;
        st.instructions += insts.length;
        if (inst.cond === 14 || st.conditionPassed(inst.cond)) inst.exec(core, inst);
      } while (st.cycles < untilCycles && !hooks.attention);
    } catch (e) {
      if (e !== ABORT || block === undefined) throw e;
      this.faulted(block, k);
    }
  }

  private lookup(pc: number, it: number): Block {
    const key = it === 0 ? pc : pc + it * 4294967296;
    let block = this.blocks.get(key);
    if (block === undefined) {
      block = new Block(pc, it);
      this.blocks.set(key, block);
    }
    return block;
  }

  /** Leaves the state on the instruction `k` of the block, which faulted. */
  private faulted(block: Block, k: number): void {
    const st = this.state;
    const inst = block.insts[k];
    // the last instruction has already counted the whole block
    if (k < block.insts.length - 1) {
      st.cycles += block.cyclesBefore[k] + inst.cycles;
      st.instructions += k + 1;
    }
    st.pc = inst.addr;
    st.itstate = inst.itBefore;
  }

  /** EPSR.T is 0 (a BX to an even address): the next instruction is an INVSTATE UsageFault. */
  private invalidState(): boolean {
    try {
      this.hooks.usageFault('INVSTATE');
    } catch (e) {
      if (e !== ABORT) throw e;
    }
    return false;
  }

  step(trace: InstructionTrace): void {
    const st = this.state;
    const bus = this.bus;
    if (st.thumb === 0) {
      this.invalidState();
      return;
    }
    const addr = st.pc;
    let inst: Inst | undefined;
    try {
      const hw1 = bus.fetch16(addr);
      const wide = isWide(hw1);
      const hw2 = wide ? bus.fetch16((addr + 2) >>> 0) : 0;
      inst = decodeInstruction(hw1, hw2, addr, st.itstate);
      trace(addr, wide ? [hw1, hw2] : [hw1]);
      this.execute(inst);
    } catch (e) {
      if (e !== ABORT) throw e;
      if (inst !== undefined) {
        st.pc = inst.addr;
        st.itstate = inst.itBefore;
      }
    }
  }

  /** One instruction outside the fast path: PC, ITSTATE and the counts first, as a fault part-way must see them. */
  private execute(inst: Inst): void {
    const st = this.state;
    st.r[15] = inst.addr + 4;
    st.pc = inst.next;
    st.itstate = inst.itAfter;
    st.cycles += inst.cycles;
    st.instructions++;
    if (inst.cond === 14 || st.conditionPassed(inst.cond)) inst.exec(this.core, inst);
  }

  /** First run of a block: decodes each instruction as it is reached. */
  private runDecoding(block: Block): boolean {
    const st = this.state;
    const insts = block.insts;
    let k = 0;
    let inst: Inst | undefined;
    if (st.thumb === 0) return this.invalidState();
    try {
      for (;;) {
        if (k === insts.length && (block.complete || !this.extend(block))) break;
        inst = insts[k];
        this.execute(inst);
        k++;
      }
    } catch (e) {
      if (e !== ABORT) throw e;
      if (inst !== undefined && insts[k] === inst) {
        st.pc = inst.addr;
        st.itstate = inst.itBefore;
      }
      return false;
    }
    return true;
  }

  /**
   * Decodes the block's next instruction; its fetch may fault (then `pc` is already on it). False
   * when the block ends there instead, before a breakpoint.
   */
  private extend(block: Block): boolean {
    const bus = this.bus;
    const addr = block.end;
    if (this.breakpoints !== null && block.insts.length !== 0 && this.breakpoints.has(addr)) {
      block.complete = true;
      return false;
    }
    const hw1 = bus.fetch16(addr);
    const wide = isWide(hw1);
    const hw2 = wide ? bus.fetch16((addr + 2) >>> 0) : 0;
    bus.markCode(addr);
    if (wide) bus.markCode((addr + 2) >>> 0);
    const inst = decodeInstruction(hw1, hw2, addr, block.itEnd);
    block.insts.push(inst);
    block.cyclesBefore.push(block.cycles);
    block.cycles += inst.cycles;
    if (inst.itBefore !== 0 || inst.itAfter !== 0) block.inIt = true;
    block.end = inst.next;
    block.itEnd = inst.itAfter;
    if (inst.endsBlock || block.insts.length >= MAX_BLOCK) block.complete = true;
    return true;
  }
}
