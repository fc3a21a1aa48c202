// The instruction side as the run loop drives it: decoded blocks cached by address (and by the
// ITSTATE they start in, as an exception return can resume inside an IT block). A block is decoded
// as it first runs, one instruction at a time, so only instructions that execute are fetched, and
// ends at an instruction that writes PC, changes what the system must look at, or at MAX_BLOCK.
import { ABORT, type CpuBus, type InstructionExecutor, type SystemHooks } from '../cpuBus';
import type { CpuState } from '../state';
import { decodeInstruction, isWide } from './decoder';
import { Core, type Inst } from './inst';

const MAX_BLOCK = 64;

class Block {
  readonly insts: Inst[] = [];
  complete = false;
  /** Where the next instruction to decode is, and the ITSTATE it executes with. */
  end: number;
  itEnd: number;

  constructor(addr: number, it: number) {
    this.end = addr;
    this.itEnd = it;
  }
}

export class Executor implements InstructionExecutor {
  private readonly core: Core;
  private readonly blocks = new Map<number, Block>();
  private generation: number;

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
  }

  run(untilCycles: number): void {
    const st = this.state;
    const hooks = this.hooks;
    do {
      if (this.bus.codeGeneration !== this.generation) {
        this.blocks.clear();
        this.generation = this.bus.codeGeneration;
      }
      const it = st.itstate;
      const key = it === 0 ? st.pc : st.pc + it * 4294967296;
      let block = this.blocks.get(key);
      if (block === undefined) {
        block = new Block(st.pc, it);
        this.blocks.set(key, block);
      }
      if (!this.runBlock(block)) return;
    } while (st.cycles < untilCycles && !hooks.attention);
  }

  /** Runs one block; false when a fault ended it (`pc` and ITSTATE left on the faulting instruction). */
  private runBlock(block: Block): boolean {
    const st = this.state;
    const core = this.core;
    const r = st.r;
    const insts = block.insts;
    let k = 0;
    let inst: Inst | undefined;
    try {
      if (st.thumb === 0) this.hooks.usageFault('INVSTATE');
      for (;;) {
        if (k === insts.length) {
          if (block.complete) break;
          this.extend(block);
        }
        inst = insts[k];
        r[15] = inst.addr + 4;
        st.pc = inst.next;
        st.itstate = inst.itAfter;
        st.cycles += inst.cycles;
        st.instructions++;
        if (inst.cond === 14 || st.conditionPassed(inst.cond)) inst.exec(core, inst);
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

  /** Decodes the block's next instruction; its fetch may fault (then `pc` is already on it). */
  private extend(block: Block): void {
    const bus = this.bus;
    const addr = block.end;
    const hw1 = bus.fetch16(addr);
    const hw2 = isWide(hw1) ? bus.fetch16((addr + 2) >>> 0) : 0;
    bus.markCode(addr);
    if (((addr + 2) ^ addr) >>> 12 !== 0) bus.markCode((addr + 2) >>> 0);
    const inst = decodeInstruction(hw1, hw2, addr, block.itEnd);
    block.insts.push(inst);
    block.end = inst.next;
    block.itEnd = inst.itAfter;
    if (inst.endsBlock || block.insts.length >= MAX_BLOCK) block.complete = true;
  }
}
