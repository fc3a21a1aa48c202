// The STM32MP157's extended interrupt and event controller as the M4 uses it (RM0436, "Extended interrupt
// and event controller (EXTI)"): 76 events in three banks of 32. A configurable event's rising or
// falling edge (per EXTI_RTSRn/FTSRn), or a 1 written to its EXTI_SWIERn bit, sets its pending bit
// in EXTI_RPRn/FPRn (cleared by writing 1); a pending event interrupts each CPU that unmasks it in its
// own EXTI_CxIMRn. The M4 is CPU2: its masks C2IMRn/C2EMRn are registers here; the A7 (CPU1, the host)
// has its masks behind the host API below, which is what the kernel's EXTI driver does through them.
// Not modelled: direct events (peripherals' own wakeup lines), the event outputs to the M4's RXEV
// (C2EMRn) and the GPIO port selection (EXTI_EXTICRn) keep what is written and do nothing.
import type { MappedDevice } from '../../cpu/armv7m/system/systemBus';
import { laneOf, withLane } from './registerAccess';
import type { Unserved } from './unmodelled';

export const EXTI_BANKS = 3;
/** Register offsets (RM0436, EXTI register map): bank n's configurable-event registers at n × 0x20. */
export const ExtiReg = { RTSR: 0x00, FTSR: 0x04, SWIER: 0x08, RPR: 0x0c, FPR: 0x10, EXTICR: 0x60, C2IMR: 0xc0, C2EMR: 0xc4 } as const;
const BANK_STRIDE = 0x20;
/** C2IMRn and C2EMRn of bank n at 0xc0 + n × 0x10. */
const cpuBankOf = (word: number) => (word - ExtiReg.C2IMR) >> 4;
/**
 * The configurable events of each bank (ST's STM32MP1 HAL event table): 0-15 GPIO, 16 PVD/AVD, 17-19
 * RTC and TAMP; 65 CPU2 SEV, 66 CPU1 SEV, 68 WWDG1 reset, 73 CPU2 SYSRESETREQ.
 */
const CONFIGURABLE = [0x000fffff, 0, (1 << 1) | (1 << 2) | (1 << 4) | (1 << 9)] as const;
/** C2IMR3's reset value (ST's STM32MP1 SVD); the other masks reset to 0. */
const C2IMR3_RESET = 0x0de9;
/** The WWDG1 reset event: the host's stm32_rproc watches it (`interrupts = <68 1>` on the m4 node). */
export const EXTI_WWDG1_RESET = 68;

/** One CPU's interrupt output for `event`, high while the event is pending and unmasked. */
export type ExtiLine = (event: number, high: boolean) => void;

export class Exti implements MappedDevice {
  private readonly rtsr = new Uint32Array(EXTI_BANKS);
  private readonly ftsr = new Uint32Array(EXTI_BANKS);
  private readonly rpr = new Uint32Array(EXTI_BANKS);
  private readonly fpr = new Uint32Array(EXTI_BANKS);
  private readonly exticr = new Uint32Array(4);
  private readonly c2imr = Uint32Array.of(0, 0, C2IMR3_RESET);
  private readonly c2emr = new Uint32Array(EXTI_BANKS);
  /** The host's (CPU1's) interrupt masks. */
  private readonly c1imr = new Uint32Array(EXTI_BANKS);
  /** Input levels of the configurable events, for their edges. */
  private readonly level = new Uint32Array(EXTI_BANKS);
  /** The lines' levels as last driven, so each change is told once. */
  private readonly driven: [Uint32Array, Uint32Array] = [new Uint32Array(EXTI_BANKS), new Uint32Array(EXTI_BANKS)];
  /** The host's interrupt for each event it unmasked (the A7's GIC side). */
  onHostInterrupt?: ExtiLine;
  private m4Line: ExtiLine = () => undefined;

  constructor(private readonly unserved: Unserved) {}

  /** Connects the M4's interrupt outputs (to its NVIC) and drives them to their levels. */
  connect(line: ExtiLine): void {
    this.m4Line = line;
    this.update();
  }

  /** A peripheral drives configurable event `event`'s input: an edge the triggers select makes it pending. */
  input(event: number, high: boolean): void {
    const [bank, bit] = this.locate(event);
    if (!(CONFIGURABLE[bank] & bit)) return;
    const was = (this.level[bank] & bit) !== 0;
    if (was === high) return;
    this.level[bank] = high ? this.level[bank] | bit : this.level[bank] & ~bit;
    if (high && this.rtsr[bank] & bit) this.rpr[bank] |= bit;
    if (!high && this.ftsr[bank] & bit) this.fpr[bank] |= bit;
    this.update();
  }

  /** The host's EXTI driver sets an event's trigger edges and unmasks it for CPU1 (request_irq with its type). */
  hostEnable(event: number, edges: { readonly rising: boolean; readonly falling: boolean }): void {
    const [bank, bit] = this.locate(event);
    this.rtsr[bank] = edges.rising ? this.rtsr[bank] | bit : this.rtsr[bank] & ~bit;
    this.ftsr[bank] = edges.falling ? this.ftsr[bank] | bit : this.ftsr[bank] & ~bit;
    this.c1imr[bank] |= bit;
    this.update();
  }

  /** The host masks an event for CPU1 (free_irq). */
  hostDisable(event: number): void {
    const [bank, bit] = this.locate(event);
    this.c1imr[bank] &= ~bit;
    this.update();
  }

  /** The host acknowledges an event: clears its pending bits (writes 1 to RPR and FPR). */
  hostAck(event: number): void {
    const [bank, bit] = this.locate(event);
    this.rpr[bank] &= ~bit;
    this.fpr[bank] &= ~bit;
    this.update();
  }

  /** Whether `event` is pending (a rising or a falling edge). */
  pending(event: number): boolean {
    const [bank, bit] = this.locate(event);
    return ((this.rpr[bank] | this.fpr[bank]) & bit) !== 0;
  }

  read(offset: number, size: number): number {
    const v = this.register(offset & ~3);
    if (v === undefined) return this.unserved(offset, size, false);
    return laneOf(v === 'write-only' ? 0 : v, offset, size);
  }

  write(offset: number, size: number, value: number): void {
    const word = offset & ~3;
    const old = this.register(word);
    if (old === undefined) {
      this.unserved(offset, size, true);
      return;
    }
    const v = withLane(old === 'write-only' ? 0 : old, offset, size, value);
    const bits = withLane(0, offset, size, value);
    if (word >= ExtiReg.C2IMR) {
      (word & 4 ? this.c2emr : this.c2imr)[cpuBankOf(word)] = v;
    } else if (word >= ExtiReg.EXTICR) this.exticr[(word - ExtiReg.EXTICR) >> 2] = v;
    else {
      const bank = Math.floor(word / BANK_STRIDE);
      const configurable = CONFIGURABLE[bank];
      switch (word % BANK_STRIDE) {
        case ExtiReg.RTSR:
          this.rtsr[bank] = v & configurable;
          break;
        case ExtiReg.FTSR:
          this.ftsr[bank] = v & configurable;
          break;
        case ExtiReg.SWIER:
          this.rpr[bank] |= bits & configurable; // a software rising edge, whatever RTSR says
          break;
        case ExtiReg.RPR:
          this.rpr[bank] &= ~bits;
          break;
        case ExtiReg.FPR:
          this.fpr[bank] &= ~bits;
          break;
      }
    }
    this.update();
  }

  /** The value of the register at `word`, 'write-only' for SWIER (reads as zero), undefined where not served. */
  private register(word: number): number | 'write-only' | undefined {
    if (word >= ExtiReg.C2IMR) {
      const bank = cpuBankOf(word);
      if ((word & 0xb) !== 0 || bank >= EXTI_BANKS) return undefined; // C2IMRn at +0, C2EMRn at +4
      return (word & 4 ? this.c2emr : this.c2imr)[bank];
    }
    if (word >= ExtiReg.EXTICR) return word < ExtiReg.EXTICR + 0x10 ? this.exticr[(word - ExtiReg.EXTICR) >> 2] : undefined;
    const bank = Math.floor(word / BANK_STRIDE);
    switch (word % BANK_STRIDE) {
      case ExtiReg.RTSR:
        return this.rtsr[bank];
      case ExtiReg.FTSR:
        return this.ftsr[bank];
      case ExtiReg.SWIER:
        return 'write-only';
      case ExtiReg.RPR:
        return this.rpr[bank];
      case ExtiReg.FPR:
        return this.fpr[bank];
      default:
        return undefined;
    }
  }

  /** Drives each CPU's lines to pending-and-unmasked, telling only the changes. */
  private update(): void {
    const outputs: [ExtiLine, ExtiLine | undefined] = [this.m4Line, this.onHostInterrupt];
    const masks = [this.c2imr, this.c1imr];
    for (let cpu = 0; cpu < 2; cpu++) {
      const output = outputs[cpu];
      if (!output) continue;
      for (let bank = 0; bank < EXTI_BANKS; bank++) {
        const now = (this.rpr[bank] | this.fpr[bank]) & masks[cpu][bank] & CONFIGURABLE[bank];
        const changed = now ^ this.driven[cpu][bank];
        if (!changed) continue;
        this.driven[cpu][bank] = now;
        for (let i = 0; i < 32; i++) if (changed & (1 << i)) output(32 * bank + i, (now & (1 << i)) !== 0);
      }
    }
  }

  private locate(event: number): [number, number] {
    if (!Number.isInteger(event) || event < 0 || event >= 32 * EXTI_BANKS) throw new RangeError(`no EXTI event ${event} (the EXTI has ${32 * EXTI_BANKS})`);
    return [event >> 5, 1 << (event & 31)];
  }
}
