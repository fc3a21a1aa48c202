// The Cortex-M4's bus (CpuBus): memory through the core's AddressSpace, the System Control Space,
// and devices mapped by the SoC. Faults are precise: there is no write buffer in this model, so a
// store that nothing answers is a precise BusFault like a load (PRECISERR, BFAR).
// The fast path of every access is one compare (below the lowest device, MPU off) and one mask
// (alignment when UNALIGN_TRP is set), then the AddressSpace's own fast path. A debugger's
// watchpoints close the fast path while there are any, as the MPU does.
import { MemoryFault } from '../../../soc/memoryAccess';
import type { AddressSpace } from '../../../soc/addressSpace';
import { ABORT, type CpuBus } from '../cpuBus';
import { Cfsr, Exc } from '../exceptions';
import type { CpuState } from '../state';
import type { ExceptionModel } from './exceptionModel';
import { Access, defaultAllows, type Mpu } from './mpu';
import { Ccr, type Scb } from './scb';
import { Probe, type StackAccess } from './stackAccess';
import { SCS_BASE, SCS_SIZE, type SystemControlSpace } from './systemControlSpace';

/** A memory-mapped device: offsets from its base, sizes 1, 2 or 4; throwing MemoryFault is a BusFault. */
export interface MappedDevice {
  read(offset: number, size: number): number;
  write(offset: number, size: number, value: number): void;
}

/** Which data accesses a debugger's watchpoint catches. */
export type WatchAccess = 'write' | 'read' | 'access';

/** A watched range [addr, addr+length). */
export interface Watchpoint {
  readonly addr: number;
  readonly length: number;
  readonly access: WatchAccess;
}

interface Mapping {
  readonly base: number;
  readonly size: number;
  readonly device: MappedDevice;
}

/** The ARMv7-M map's peripheral region starts here: everything below is plain memory. */
const PERIPHERAL_BASE = 0x40000000;
const PAGE_SHIFT = 12;
/** Code is tracked in 64-byte lines, so data stored beside code does not drop the decoded blocks. */
const LINE_SHIFT = 6;

export class SystemBus implements CpuBus, StackAccess {
  codeGeneration = 0;
  probe: Probe = Probe.Ok;
  private readonly devices: Mapping[] = [];
  /** Accesses below this address (unsigned) go straight to memory: 0 while the MPU is enabled. */
  private fastLimit = PERIPHERAL_BASE;
  private lowestDevice = PERIPHERAL_BASE;
  private align16 = 0;
  private align32 = 0;
  /** One flag per 4 KiB page holding decoded code, then one per 64-byte line of such a page. */
  private readonly codePages = new Uint8Array(1 << (32 - PAGE_SHIFT));
  private readonly codeLines = new Map<number, Uint8Array>();
  private model!: ExceptionModel;
  private watchpoints: readonly Watchpoint[] = [];
  /**
   * Told of a data access a watchpoint catches, before it happens: the access is abandoned (ABORT)
   * with no fault, so the instruction can run again once the debugger has looked.
   */
  onWatch: ((hit: Watchpoint, addr: number) => void) | undefined;

  constructor(
    readonly space: AddressSpace,
    private readonly state: CpuState,
    private readonly scb: Scb,
    private readonly mpu: Mpu,
    private readonly scs: SystemControlSpace,
  ) {
    scs.onConfigChange = () => this.configure();
  }

  /** The exception model that takes the faults this bus raises (set once by the core). */
  attach(model: ExceptionModel): void {
    this.model = model;
  }

  /** Maps a device at [base, base+size); it may not overlap another device or the System Control Space. */
  mapDevice(base: number, size: number, device: MappedDevice): void {
    const b = base >>> 0;
    if (!Number.isInteger(size) || size <= 0 || b + size > 0x100000000) throw new RangeError(`bad device range 0x${b.toString(16)}+0x${size.toString(16)}`);
    const overlaps = (s: number, n: number) => b < s + n && s < b + size;
    if (overlaps(SCS_BASE, SCS_SIZE)) throw new RangeError(`device at 0x${b.toString(16)} overlaps the System Control Space`);
    for (const d of this.devices) if (overlaps(d.base, d.size)) throw new RangeError(`device at 0x${b.toString(16)} overlaps the one at 0x${d.base.toString(16)}`);
    this.devices.push({ base: b, size, device });
    this.lowestDevice = Math.min(this.lowestDevice, b);
    this.configure();
  }

  /** Re-derives the fast-path limits from CCR.UNALIGN_TRP and MPU_CTRL.ENABLE. */
  configure(): void {
    const trap = (this.scb.ccr & Ccr.UNALIGN_TRP) !== 0;
    this.align16 = trap ? 1 : 0;
    this.align32 = trap ? 3 : 0;
    this.fastLimit = this.mpu.enabled || this.watchpoints.length !== 0 ? 0 : this.lowestDevice;
  }

  setWatchpoints(watchpoints: readonly Watchpoint[]): void {
    this.watchpoints = watchpoints;
    this.configure();
  }

  /**
   * A debugger's read: no MPU, alignment trap or watchpoint, no fault raised; undefined where
   * nothing answers. Device registers see the read as they would the core's.
   */
  debugRead(addr: number, size: 1 | 2 | 4): number | undefined {
    try {
      return this.raw(addr >>> 0, size, false, 0);
    } catch (e) {
      if (!(e instanceof MemoryFault)) throw e;
      return undefined;
    }
  }

  /** A debugger's write, as debugRead; code it changes is decoded afresh. False where nothing answers. */
  debugWrite(addr: number, size: 1 | 2 | 4, value: number): boolean {
    const a = addr >>> 0;
    try {
      this.raw(a, size, true, value);
    } catch (e) {
      if (!(e instanceof MemoryFault)) throw e;
      return false;
    }
    if (this.codePages[a >>> PAGE_SHIFT] || this.codePages[(a + size - 1) >>> PAGE_SHIFT]) this.storedNearCode(a, size);
    return true;
  }

  read8(addr: number): number {
    const a = addr >>> 0;
    if (a < this.fastLimit) {
      try {
        return this.space.read8(a);
      } catch (e) {
        return this.busError(e, a);
      }
    }
    return this.slowRead(a, 1);
  }

  read16(addr: number): number {
    const a = addr >>> 0;
    if (a < this.fastLimit && (a & this.align16) === 0) {
      try {
        return this.space.read16(a);
      } catch (e) {
        return this.busError(e, a);
      }
    }
    return this.slowRead(a, 2);
  }

  read32(addr: number): number {
    const a = addr >>> 0;
    if (a < this.fastLimit && (a & this.align32) === 0) {
      try {
        return this.space.read32(a);
      } catch (e) {
        return this.busError(e, a);
      }
    }
    return this.slowRead(a, 4);
  }

  write8(addr: number, value: number): void {
    const a = addr >>> 0;
    if (a < this.fastLimit) {
      try {
        this.space.write8(a, value);
      } catch (e) {
        this.busError(e, a);
      }
      if (this.codePages[a >>> PAGE_SHIFT]) this.storedNearCode(a, 1);
      return;
    }
    this.slowWrite(a, 1, value);
  }

  write16(addr: number, value: number): void {
    const a = addr >>> 0;
    if (a < this.fastLimit && (a & this.align16) === 0) {
      try {
        this.space.write16(a, value);
      } catch (e) {
        this.busError(e, a);
      }
      if (this.codePages[a >>> PAGE_SHIFT] || this.codePages[(a + 1) >>> PAGE_SHIFT]) this.storedNearCode(a, 2);
      return;
    }
    this.slowWrite(a, 2, value);
  }

  write32(addr: number, value: number): void {
    const a = addr >>> 0;
    if (a < this.fastLimit && (a & this.align32) === 0) {
      try {
        this.space.write32(a, value);
      } catch (e) {
        this.busError(e, a);
      }
      if (this.codePages[a >>> PAGE_SHIFT] || this.codePages[(a + 3) >>> PAGE_SHIFT]) this.storedNearCode(a, 4);
      return;
    }
    this.slowWrite(a, 4, value);
  }

  fetch16(addr: number): number {
    const a = addr >>> 0;
    const s = this.state;
    const allowed = this.mpu.enabled ? this.mpu.check(a, Access.Execute, s.privileged, this.model.executionPriority < 0) : defaultAllows(a, Access.Execute);
    if (!allowed) {
      this.model.fault(Exc.MemManage, Cfsr.IACCVIOL);
      throw ABORT;
    }
    if (a >= SCS_BASE - 0x0e000 || this.deviceAt(a)) return this.instructionBusError();
    try {
      return this.space.read16(a);
    } catch (e) {
      if (!(e instanceof MemoryFault)) throw e;
      return this.instructionBusError();
    }
  }

  markCode(addr: number): void {
    const a = addr >>> 0;
    const page = a >>> PAGE_SHIFT;
    this.codePages[page] = 1;
    let lines = this.codeLines.get(page);
    if (!lines) this.codeLines.set(page, (lines = new Uint8Array(1 << (PAGE_SHIFT - LINE_SHIFT))));
    lines[(a & ((1 << PAGE_SHIFT) - 1)) >>> LINE_SHIFT] = 1;
  }

  /** Flags no memory as code (the decoded-block cache was flushed). */
  clearCodeMarks(): void {
    this.codePages.fill(0);
    this.codeLines.clear();
  }

  /** A store of `size` bytes at `a` in a page holding code: bumps codeGeneration if it touched a code line. */
  private storedNearCode(a: number, size: number): void {
    if (this.isCodeLine(a) || this.isCodeLine((a + size - 1) >>> 0)) this.codeGeneration++;
  }

  private isCodeLine(a: number): boolean {
    const lines = this.codeLines.get(a >>> PAGE_SHIFT);
    return lines !== undefined && lines[(a & ((1 << PAGE_SHIFT) - 1)) >>> LINE_SHIFT] === 1;
  }

  probeRead32(addr: number, privileged: boolean): number {
    this.probe = this.probeAccess(addr >>> 0, Access.Read, privileged);
    if (this.probe !== Probe.Ok) return 0;
    try {
      return this.raw(addr >>> 0, 4, false, 0);
    } catch (e) {
      if (!(e instanceof MemoryFault)) throw e;
      this.probe = Probe.Bus;
      return 0;
    }
  }

  probeWrite32(addr: number, value: number, privileged: boolean): void {
    this.probe = this.probeAccess(addr >>> 0, Access.Write, privileged);
    if (this.probe !== Probe.Ok) return;
    try {
      this.raw(addr >>> 0, 4, true, value);
      if (this.codePages[(addr >>> 0) >>> PAGE_SHIFT]) this.storedNearCode(addr >>> 0, 4);
    } catch (e) {
      if (!(e instanceof MemoryFault)) throw e;
      this.probe = Probe.Bus;
    }
  }

  /** Stacking goes to memory only: the MPU's verdict, or a bus error for the SCS and devices. */
  private probeAccess(a: number, access: Access, privileged: boolean): Probe {
    if (this.mpu.enabled && !this.mpu.check(a, access, privileged, this.model.executionPriority < 0)) return Probe.Mpu;
    if ((a >= SCS_BASE && a < SCS_BASE + SCS_SIZE) || this.deviceAt(a)) return Probe.Bus;
    return Probe.Ok;
  }

  private slowRead(a: number, size: number): number {
    this.check(a, size, Access.Read);
    if (this.watchpoints.length !== 0) this.watch(a, size, 'read');
    try {
      return this.raw(a, size, false, 0);
    } catch (e) {
      return this.busError(e, a);
    }
  }

  private slowWrite(a: number, size: number, value: number): void {
    this.check(a, size, Access.Write);
    if (this.watchpoints.length !== 0) this.watch(a, size, 'write');
    try {
      this.raw(a, size, true, value);
    } catch (e) {
      this.busError(e, a);
    }
    if (this.codePages[a >>> PAGE_SHIFT] || this.codePages[(a + size - 1) >>> PAGE_SHIFT]) this.storedNearCode(a, size);
  }

  /** Abandons an access a watchpoint catches (see onWatch). */
  private watch(a: number, size: number, access: 'read' | 'write'): void {
    for (const w of this.watchpoints) {
      if ((w.access === access || w.access === 'access') && a < w.addr + w.length && w.addr < a + size) {
        this.onWatch?.(w, a);
        throw ABORT;
      }
    }
  }

  /** Alignment (UNALIGN_TRP) and MPU checks of a data access; throws ABORT after raising the fault. */
  private check(a: number, size: number, access: Access): void {
    if (size > 1 && (a & (size - 1)) !== 0 && this.scb.ccr & Ccr.UNALIGN_TRP) {
      this.model.fault(Exc.UsageFault, Cfsr.UNALIGNED);
      throw ABORT;
    }
    const s = this.state;
    const privileged = s.privileged && !s.accessUnprivileged;
    if (this.mpu.enabled && !this.mpu.check(a, access, privileged, this.model.executionPriority < 0)) {
      this.scb.mmfar = a;
      this.model.fault(Exc.MemManage, Cfsr.DACCVIOL | Cfsr.MMARVALID);
      throw ABORT;
    }
    if (a >= SCS_BASE && a < SCS_BASE + SCS_SIZE && !privileged && !this.scs.unprivilegedAllowed(a - SCS_BASE, access === Access.Write)) {
      this.preciseBusFault(a);
    }
  }

  /** The access itself: System Control Space, a device, or memory. Throws MemoryFault when nothing answers. */
  private raw(a: number, size: number, write: boolean, value: number): number {
    if (a >= SCS_BASE && a < SCS_BASE + SCS_SIZE) {
      if (write) {
        if (this.scs.write(a - SCS_BASE, size, value)) return 0;
      } else {
        const v = this.scs.read(a - SCS_BASE, size);
        if (v !== undefined) return v;
      }
      throw new MemoryFault(a, size, write ? 'write' : 'read', 'the System Control Space takes only word accesses here');
    }
    const d = this.deviceAt(a);
    if (d) {
      if (write) {
        d.device.write(a - d.base, size, value);
        return 0;
      }
      return d.device.read(a - d.base, size) >>> 0;
    }
    if (write) {
      if (size === 1) this.space.write8(a, value);
      else if (size === 2) this.space.write16(a, value);
      else this.space.write32(a, value);
      return 0;
    }
    return size === 1 ? this.space.read8(a) : size === 2 ? this.space.read16(a) : this.space.read32(a);
  }

  private deviceAt(a: number): Mapping | undefined {
    if (a < this.lowestDevice) return undefined;
    for (const d of this.devices) if (a >= d.base && a < d.base + d.size) return d;
    return undefined;
  }

  /** A MemoryFault from memory or a device becomes a precise BusFault; anything else is a bug and propagates. */
  private busError(e: unknown, a: number): never {
    if (!(e instanceof MemoryFault)) throw e;
    return this.preciseBusFault(a);
  }

  private preciseBusFault(a: number): never {
    this.scb.bfar = a;
    this.model.fault(Exc.BusFault, Cfsr.PRECISERR | Cfsr.BFARVALID);
    throw ABORT;
  }

  private instructionBusError(): never {
    this.model.fault(Exc.BusFault, Cfsr.IBUSERR);
    throw ABORT;
  }
}
