// The System Control Space (B3.2, 0xE000E000-0xE000EFFF): SysTick, NVIC, SCB, MPU and FP control
// registers decoded by offset. The bus checks privilege before it comes here.
import { Exc } from '../exceptions';
import type { CpuState } from '../state';
import type { ExceptionModel } from './exceptionModel';
import type { Mpu } from './mpu';
import type { Nvic } from './nvic';
import { CPUID_CORTEX_M4, Ccr, Scb } from './scb';
import type { SysTick } from './sysTick';

export const SCS_BASE = 0xe000e000;
export const SCS_SIZE = 0x1000;

/** FP feature registers of FPv4-SP (Cortex-M4 TRM 7.2). */
const MVFR0 = 0x10110021;
const MVFR1 = 0x11000011;

const CCR_WRITABLE = Ccr.NONBASETHRDENA | Ccr.USERSETMPEND | Ccr.UNALIGN_TRP | Ccr.DIV_0_TRP | Ccr.BFHFNMIGN | Ccr.STKALIGN;
const FPCCR_WRITABLE = 0xc000017b;
/** SHCSR active (0-11) and pending (12-15) bits, and the exceptions they stand for. */
const SHCSR_BITS: readonly [number, Exc, 'active' | 'pending'][] = [
  [0, Exc.MemManage, 'active'],
  [1, Exc.BusFault, 'active'],
  [3, Exc.UsageFault, 'active'],
  [7, Exc.SVCall, 'active'],
  [8, Exc.DebugMonitor, 'active'],
  [10, Exc.PendSV, 'active'],
  [11, Exc.SysTick, 'active'],
  [12, Exc.UsageFault, 'pending'],
  [13, Exc.MemManage, 'pending'],
  [14, Exc.BusFault, 'pending'],
  [15, Exc.SVCall, 'pending'],
];
/** System handlers whose priority SHPR sets; the other SHPR bytes are reserved. */
const CONFIGURABLE = new Set<number>([Exc.MemManage, Exc.BusFault, Exc.UsageFault, Exc.SVCall, Exc.DebugMonitor, Exc.PendSV, Exc.SysTick]);

export class SystemControlSpace {
  /** CCR or MPU_CTRL changed: the bus re-derives its fast-path limits. */
  onConfigChange: () => void = () => undefined;
  private shcsrEnables = 0;
  private model!: ExceptionModel;

  constructor(
    private readonly state: CpuState,
    private readonly nvic: Nvic,
    private readonly scb: Scb,
    private readonly sysTick: SysTick,
    private readonly mpu: Mpu,
  ) {}

  /** The exception model its registers drive (set once by the core: the model needs the bus first). */
  attach(model: ExceptionModel): void {
    this.model = model;
  }

  reset(): void {
    this.shcsrEnables = 0;
  }

  /** True when unprivileged code may make this access: only STIR, and only with CCR.USERSETMPEND. */
  unprivilegedAllowed(offset: number, write: boolean): boolean {
    return write && offset === 0xf00 && (this.scb.ccr & Ccr.USERSETMPEND) !== 0;
  }

  /** Undefined when the register does not take this access size (the bus makes it a BusFault). */
  read(offset: number, size: number): number | undefined {
    const aligned = offset & ~3;
    if (size < 4 && !this.byteAccessible(aligned)) return undefined;
    const word = this.readWord(aligned) >>> 0;
    const shift = 8 * (offset & 3);
    return size === 4 ? word : (word >>> shift) & (size === 1 ? 0xff : 0xffff);
  }

  write(offset: number, size: number, value: number): boolean {
    const aligned = offset & ~3;
    if (size === 4) {
      this.writeWord(aligned, value >>> 0);
      return true;
    }
    if (!this.byteAccessible(aligned)) return false;
    const shift = 8 * (offset & 3);
    const bytes = size === 1 ? 0xff : 0xffff;
    if (aligned === 0xd28) {
      // CFSR is write-one-to-clear: a byte write touches only its own bits.
      this.scb.cfsr = (this.scb.cfsr & ~((value & bytes) << shift)) >>> 0;
      return true;
    }
    for (let i = 0; i < size; i++) this.writePriorityByte(offset + i, (value >>> (8 * i)) & 0xff);
    return true;
  }

  /** IPR, SHPR and CFSR take byte and halfword accesses; the rest are word-only. */
  private byteAccessible(aligned: number): boolean {
    return (aligned >= 0x400 && aligned < 0x400 + this.nvic.irqCount) || (aligned >= 0xd18 && aligned <= 0xd20) || aligned === 0xd28;
  }

  private writePriorityByte(offset: number, value: number): void {
    if (offset < 0xd00) this.nvic.writeIprByte(offset - 0x100, value);
    else {
      const exc = 4 + (offset - 0xd18);
      if (!CONFIGURABLE.has(exc)) return;
      this.nvic.priority[exc] = value & this.nvic.priorityMask;
      this.model.update();
    }
  }

  private readWord(o: number): number {
    const { scb, nvic } = this;
    if (o >= 0x100 && o < 0x5f0) return nvic.read(o - 0x100);
    switch (o) {
      case 0x004: return nvic.ictr;
      case 0x010: return this.sysTick.readCsr(this.state.cycles);
      case 0x014: return this.sysTick.readRvr();
      case 0x018: return this.sysTick.readCvr(this.state.cycles);
      case 0x01c: return this.sysTick.readCalib();
      case 0xd00: return CPUID_CORTEX_M4;
      case 0xd04: return this.icsr();
      case 0xd08: return scb.vtor;
      case 0xd0c: return ((0xfa05 << 16) | (scb.prigroup << 8)) >>> 0;
      case 0xd10: return scb.scr;
      case 0xd14: return scb.ccr;
      case 0xd18:
      case 0xd1c:
      case 0xd20: {
        let v = 0;
        for (let i = 3; i >= 0; i--) v = (v << 8) | nvic.priority[4 + (o - 0xd18) + i];
        return v >>> 0;
      }
      case 0xd24: return this.shcsr();
      case 0xd28: return scb.cfsr;
      case 0xd2c: return scb.hfsr;
      case 0xd34: return scb.mmfar;
      case 0xd38: return scb.bfar;
      case 0xd88: return scb.cpacr;
      case 0xd90: return this.mpu.type;
      case 0xd94: return this.mpu.ctrl;
      case 0xd98: return this.mpu.rnr;
      case 0xd9c:
      case 0xda4:
      case 0xdac:
      case 0xdb4: return this.mpu.readRbar();
      case 0xda0:
      case 0xda8:
      case 0xdb0:
      case 0xdb8: return this.mpu.rasr[this.mpu.rnr];
      case 0xf34: return scb.fpccr;
      case 0xf38: return scb.fpcar;
      case 0xf3c: return scb.fpdscr;
      case 0xf40: return MVFR0;
      case 0xf44: return MVFR1;
      default: return 0; // reserved and debug registers read as zero
    }
  }

  private writeWord(o: number, v: number): void {
    const { scb, nvic } = this;
    if (o >= 0x100 && o < 0x5f0) {
      nvic.write(o - 0x100, v);
      return;
    }
    switch (o) {
      case 0x010: this.sysTick.writeCsr(v, this.state.cycles); break;
      case 0x014: this.sysTick.writeRvr(v); break;
      case 0x018: this.sysTick.writeCvr(this.state.cycles); break;
      case 0xd04: this.writeIcsr(v); break;
      case 0xd08: scb.vtor = v & 0xffffff80; break;
      case 0xd0c:
        if (v >>> 16 !== 0x05fa) break; // writes without VECTKEY are ignored
        scb.prigroup = (v >>> 8) & 7;
        if (v & 4) scb.resetRequested = true;
        this.model.update();
        break;
      case 0xd10: scb.scr = v & 0x16; break;
      case 0xd14:
        scb.ccr = v & CCR_WRITABLE;
        this.onConfigChange();
        break;
      case 0xd18:
      case 0xd1c:
      case 0xd20:
        for (let i = 0; i < 4; i++) this.writePriorityByte(o + i, (v >>> (8 * i)) & 0xff);
        break;
      case 0xd24: this.writeShcsr(v); break;
      case 0xd28: scb.cfsr = (scb.cfsr & ~v) >>> 0; break;
      case 0xd2c: scb.hfsr = (scb.hfsr & ~v) >>> 0; break;
      case 0xd34: scb.mmfar = v; break;
      case 0xd38: scb.bfar = v; break;
      case 0xd88: scb.cpacr = v & 0x00f00000; break;
      case 0xd94:
        this.mpu.ctrl = v & 7;
        this.onConfigChange();
        break;
      case 0xd98: this.mpu.rnr = v & 7; break;
      case 0xd9c:
      case 0xda4:
      case 0xdac:
      case 0xdb4: this.mpu.writeRbar(v); break;
      case 0xda0:
      case 0xda8:
      case 0xdb0:
      case 0xdb8: this.mpu.writeRasr(v); break;
      case 0xf00:
        if ((v & 0x1ff) < nvic.irqCount) nvic.setPending(16 + (v & 0x1ff));
        break;
      case 0xf34: scb.fpccr = (v & FPCCR_WRITABLE) >>> 0; break;
      case 0xf38: scb.fpcar = v & ~7; break;
      case 0xf3c: scb.fpdscr = v & 0x07c00000; break;
      default: break; // read-only and reserved registers ignore writes
    }
  }

  /** ICSR (B3.2.4): the active and pending vectors, and the set/clear bits of NMI, PendSV, SysTick. */
  private icsr(): number {
    const { nvic, model } = this;
    let v = this.state.ipsr;
    if (this.state.ipsr !== 0 && nvic.activeCount() === 1) v |= 1 << 11; // RETTOBASE
    v |= (model.nextPending & 0x1ff) << 12;
    for (let e = 16; e < nvic.count; e++) {
      if (nvic.pending[e]) {
        v |= 1 << 22; // ISRPENDING
        break;
      }
    }
    if (nvic.pending[Exc.SysTick]) v |= 1 << 26;
    if (nvic.pending[Exc.PendSV]) v |= 1 << 28;
    if (nvic.pending[Exc.NMI]) v |= 1 << 31;
    return v >>> 0;
  }

  private writeIcsr(v: number): void {
    const { nvic } = this;
    if (v & (1 << 31)) nvic.pending[Exc.NMI] = 1;
    if (v & (1 << 28)) nvic.pending[Exc.PendSV] = 1;
    else if (v & (1 << 27)) nvic.pending[Exc.PendSV] = 0;
    if (v & (1 << 26)) nvic.pending[Exc.SysTick] = 1;
    else if (v & (1 << 25)) nvic.pending[Exc.SysTick] = 0;
    this.model.update();
  }

  private shcsr(): number {
    let v = this.shcsrEnables;
    for (const [bit, exc, kind] of SHCSR_BITS) if (this.nvic[kind][exc]) v |= 1 << bit;
    return v >>> 0;
  }

  private writeShcsr(v: number): void {
    for (const [bit, exc, kind] of SHCSR_BITS) this.nvic[kind][exc] = (v >>> bit) & 1;
    this.shcsrEnables = v & 0x70000;
    this.model.setFaultEnables(v);
  }
}
