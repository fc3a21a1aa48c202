// A minimal machine for running the instruction side alone: flat RAM at 0 (a CpuBus whose
// accesses outside it are bus faults), System Control Space writes ignored, and hooks that record
// what the system would do (faults, SVC, exception returns) and serve semihosting's
// WRITE0/WRITEC/WRITE/EXIT/EXIT_EXTENDED.
import * as fs from 'fs';
import { ABORT, type CpuBus, type SystemHooks, type UsageFaultKind } from '../../../src/core/cpu/armv7m/cpuBus';
import { Executor } from '../../../src/core/cpu/armv7m/isa/executor';
import { CpuState } from '../../../src/core/cpu/armv7m/state';
import { PT_LOAD } from '../../../src/core/elf/constants';
import { ElfFile } from '../../../src/core/elf/elfFile';

const SCS = 0xe0000000;
/** Code is tracked in 64-byte lines, so stores to data beside the code leave the blocks alone. */
const LINE_SHIFT = 6;

export class FlatBus implements CpuBus {
  codeGeneration = 0;
  private readonly code = new Set<number>();
  readonly view: DataView;

  constructor(
    readonly mem: Uint8Array,
    private readonly hooks: TestHooks,
  ) {
    this.view = new DataView(mem.buffer, mem.byteOffset, mem.byteLength);
  }

  private check(addr: number, size: number): boolean {
    if (addr >= SCS) return false;
    if (addr + size > this.mem.length) this.hooks.fault(`bus fault at 0x${addr.toString(16)}`);
    return true;
  }

  read8(addr: number): number {
    return this.check(addr, 1) ? this.mem[addr] : 0;
  }
  read16(addr: number): number {
    return this.check(addr, 2) ? this.view.getUint16(addr, true) : 0;
  }
  read32(addr: number): number {
    return this.check(addr, 4) ? this.view.getUint32(addr, true) : 0;
  }
  private wrote(addr: number): void {
    if (this.code.has(addr >>> LINE_SHIFT)) this.codeGeneration++;
  }
  write8(addr: number, v: number): void {
    if (!this.check(addr, 1)) return;
    this.mem[addr] = v;
    this.wrote(addr);
  }
  write16(addr: number, v: number): void {
    if (!this.check(addr, 2)) return;
    this.view.setUint16(addr, v, true);
    this.wrote(addr);
  }
  write32(addr: number, v: number): void {
    if (!this.check(addr, 4)) return;
    this.view.setUint32(addr, v, true);
    this.wrote(addr);
  }
  fetch16(addr: number): number {
    if (addr + 2 > this.mem.length) this.hooks.fault(`instruction fetch fault at 0x${addr.toString(16)}`);
    return this.view.getUint16(addr, true);
  }
  markCode(addr: number): void {
    this.code.add(addr >>> LINE_SHIFT);
  }
}

export class TestHooks implements SystemHooks {
  attention = false;
  output = '';
  exitCode: number | undefined;
  /** The first fault, SVC, breakpoint or exception return: what stopped the program. */
  stop: string | undefined;
  trapDivideByZero = false;
  trapUnaligned = false;
  fpOn = true;

  constructor(readonly state: CpuState, private readonly memory: () => FlatBus) {}

  fault(why: string): never {
    this.halt(why);
    throw ABORT;
  }
  private halt(why: string): void {
    this.stop ??= why;
    this.attention = true;
  }
  usageFault(kind: UsageFaultKind): never {
    return this.fault(`usage fault ${kind}`);
  }
  svc(imm: number): void {
    this.halt(`svc ${imm}`);
  }
  exceptionReturn(v: number): void {
    this.halt(`exception return 0x${v.toString(16)}`);
  }
  wfi(): void {
    this.halt('wfi');
  }
  wfe(): void {
    this.halt('wfe');
  }
  sev(): void {}
  priorityChanged(): void {}
  fpEnabled(): boolean {
    return this.fpOn;
  }
  fpPreserve(): void {}

  bkpt(imm: number): void {
    if (imm !== 0xab) return this.halt(`bkpt ${imm}`);
    const r = this.state.r;
    const bus = this.memory();
    const op = r[0];
    const arg = r[1] >>> 0;
    const str = (addr: number, len: number): string => {
      let s = '';
      for (let k = 0; len < 0 ? bus.read8(addr + k) !== 0 : k < len; k++) s += String.fromCharCode(bus.read8(addr + k));
      return s;
    };
    switch (op) {
      case 0x03: this.output += String.fromCharCode(bus.read8(arg)); break;
      case 0x04: this.output += str(arg, -1); break;
      case 0x05: this.output += str(bus.read32(arg + 4), bus.read32(arg + 8)); r[0] = 0; break;
      case 0x18: this.exit(arg === 0x20026 ? 0 : 1); break;
      case 0x20: this.exit(bus.read32(arg) === 0x20026 ? bus.read32(arg + 4) : 1); break;
      default: this.halt(`semihosting call ${op}`);
    }
  }
  private exit(code: number): void {
    this.exitCode = code;
    this.halt('exit');
  }
}

export interface Machine {
  state: CpuState;
  bus: FlatBus;
  hooks: TestHooks;
  executor: Executor;
}

export function machine(size = 0x10000): Machine {
  const state = new CpuState();
  const hooks: TestHooks = new TestHooks(state, () => bus);
  const bus: FlatBus = new FlatBus(new Uint8Array(size), hooks);
  return { state, bus, hooks, executor: new Executor(state, bus, hooks) };
}

/** Loads an ELF's PT_LOAD segments at their physical addresses and resets from its vector table. */
export function loadElf(m: Machine, file: string): void {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const elf = ElfFile.parse(bytes);
  for (const p of elf.programs) {
    if (p.type !== PT_LOAD || p.filesz === 0) continue;
    m.bus.mem.set(bytes.subarray(p.offset, p.offset + p.filesz), p.paddr);
  }
  m.state.reset();
  m.state.r[13] = m.bus.read32(0);
  const entry = m.bus.read32(4);
  m.state.pc = entry & ~1;
  m.state.thumb = entry & 1;
}

/** Runs until the program stops or `maxInstructions` retire. */
export function runUntilStop(m: Machine, maxInstructions: number): void {
  while (m.hooks.stop === undefined && m.state.instructions < maxInstructions) m.executor.run(m.state.cycles + 100000);
}
