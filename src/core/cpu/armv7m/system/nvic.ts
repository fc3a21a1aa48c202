// The Nested Vectored Interrupt Controller (ARMv7-M ARM B3.4): the enabled, pending and active state
// of every exception (system exceptions too, so one table answers "what runs next") and the NVIC
// registers at 0xE000E100. External interrupt lines are levels a peripheral raises and lowers: a
// line still high when its handler returns pends the interrupt again.
import { Exc } from '../exceptions';

export class Nvic {
  /** Number of exceptions: 16 system slots plus the external interrupts. */
  readonly count: number;
  readonly enabled: Uint8Array;
  readonly pending: Uint8Array;
  readonly active: Uint8Array;
  /** Priority bytes as written, with the unimplemented low bits cleared (SHPR for 4-15, IPR for 16+). */
  readonly priority: Uint8Array;
  /** The level of each external line (index = exception number). */
  readonly level: Uint8Array;
  /** Mask of the implemented priority bits in a priority byte. */
  readonly priorityMask: number;
  /** Called when pending, enable or priority state changes: the owner re-checks what to take. */
  onChange: () => void = () => undefined;

  constructor(
    readonly irqCount: number,
    readonly priorityBits: number,
  ) {
    if (!Number.isInteger(irqCount) || irqCount < 1 || irqCount > 496) throw new RangeError(`external interrupt count ${irqCount} outside 1-496`);
    if (!Number.isInteger(priorityBits) || priorityBits < 3 || priorityBits > 8) throw new RangeError(`priority bits ${priorityBits} outside 3-8`);
    this.count = 16 + irqCount;
    this.enabled = new Uint8Array(this.count);
    this.pending = new Uint8Array(this.count);
    this.active = new Uint8Array(this.count);
    this.priority = new Uint8Array(this.count);
    this.level = new Uint8Array(this.count);
    this.priorityMask = (0xff << (8 - priorityBits)) & 0xff;
    this.reset();
  }

  reset(): void {
    this.enabled.fill(0);
    this.pending.fill(0);
    this.active.fill(0);
    this.priority.fill(0);
    // Fixed-priority and always-enabled system exceptions; the configurable faults start disabled (SHCSR),
    // DebugMonitor too: DEMCR.MON_EN enables it, and it resets to 0 (DEMCR is not modelled).
    for (const e of [Exc.NMI, Exc.HardFault, Exc.SVCall, Exc.PendSV, Exc.SysTick]) this.enabled[e] = 1;
    for (let e = 16; e < this.count; e++) if (this.level[e]) this.pending[e] = 1;
  }

  /** A peripheral drives external interrupt line `irq` high (pends it) or low. */
  setLine(irq: number, high: boolean): void {
    const e = this.irqException(irq);
    this.level[e] = high ? 1 : 0;
    if (high && !this.active[e] && !this.pending[e]) {
      this.pending[e] = 1;
      this.onChange();
    }
  }

  /** A peripheral's edge (one-shot) interrupt: pends `irq` whatever its line level. */
  pulse(irq: number): void {
    this.setPending(this.irqException(irq));
  }

  setPending(exc: number): void {
    if (this.pending[exc]) return;
    this.pending[exc] = 1;
    this.onChange();
  }

  clearPending(exc: number): void {
    // A level still high keeps an external interrupt pending.
    if (exc >= 16 && this.level[exc] && !this.active[exc]) return;
    this.pending[exc] = 0;
  }

  /** The handler of `exc` returned: a line still high pends it again. */
  deactivate(exc: number): void {
    this.active[exc] = 0;
    if (exc >= 16 && this.level[exc]) this.pending[exc] = 1;
  }

  /** Number of active exceptions (RETTOBASE, the return-to-Thread checks). */
  activeCount(): number {
    let n = 0;
    for (let e = this.active.indexOf(1, 1); e !== -1; e = this.active.indexOf(1, e + 1)) n++;
    return n;
  }

  /** Read of an NVIC register at `offset` from 0xE000E100 (ISER 0x000, ICER 0x080, ISPR 0x100, ICPR 0x180, IABR 0x200, IPR 0x300). */
  read(offset: number): number {
    if (offset < 0x280) {
      const arr = offset < 0x100 ? this.enabled : offset < 0x200 ? this.pending : this.active;
      return this.bitsOf(arr, (offset & 0x7f) >>> 2);
    }
    if (offset >= 0x300 && offset < 0x300 + this.irqCount) {
      const e = 16 + (offset - 0x300);
      let v = 0;
      for (let i = 3; i >= 0; i--) v = (v << 8) | (e + i < this.count ? this.priority[e + i] : 0);
      return v >>> 0;
    }
    return 0;
  }

  /** Write of a whole word (byte writes reach IPR through `writeIprByte`). */
  write(offset: number, value: number): void {
    if (offset < 0x200) {
      const word = (offset & 0x7f) >>> 2;
      for (let b = 0; b < 32; b++) {
        if (((value >>> b) & 1) === 0) continue;
        const e = 16 + word * 32 + b;
        if (e >= this.count) break;
        if (offset < 0x80) this.enabled[e] = 1;
        else if (offset < 0x100) this.enabled[e] = 0;
        else if (offset < 0x180) this.pending[e] = 1;
        else this.clearPending(e);
      }
      this.onChange();
      return;
    }
    if (offset >= 0x300 && offset < 0x300 + this.irqCount) for (let i = 0; i < 4; i++) this.writeIprByte(offset + i, value >>> (8 * i));
  }

  writeIprByte(offset: number, value: number): void {
    const e = 16 + (offset - 0x300);
    if (offset < 0x300 || e >= this.count) return;
    this.priority[e] = value & this.priorityMask;
    this.onChange();
  }

  /** ICTR.INTLINESNUM: the number of 32-line blocks implemented, minus one. */
  get ictr(): number {
    return Math.ceil(this.irqCount / 32) - 1;
  }

  private bitsOf(arr: Uint8Array, word: number): number {
    let v = 0;
    for (let b = 31; b >= 0; b--) {
      const e = 16 + word * 32 + b;
      v = (v << 1) | (e < this.count ? arr[e] : 0);
    }
    return v >>> 0;
  }

  private irqException(irq: number): number {
    if (!Number.isInteger(irq) || irq < 0 || irq >= this.irqCount) throw new RangeError(`no external interrupt ${irq} (the NVIC has ${this.irqCount})`);
    return 16 + irq;
  }
}
