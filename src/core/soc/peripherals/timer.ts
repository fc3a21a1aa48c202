// An STM32 general-purpose timer (TIM2-TIM5) as firmware uses it for a periodic interrupt, ST's HAL
// time base among them (RM0436, "General-purpose timers (TIM2/TIM3/TIM4/TIM5)"): the counter counts
// up at the timer clock / (PSC + 1) while CR1.CEN is set and wraps after ARR to 0, which is the update
// event: SR.UIF set (the interrupt while DIER.UIE is set), PSC and a preloaded ARR (CR1.ARPE) taken,
// the counter stopped in one-pulse mode (CR1.OPM). EGR.UG does the same at once and clears the
// counter; UIF then only with CR1.URS clear; CR1.UDIS stops update events. Down and centre-aligned
// counting, slave modes and capture/compare are not modelled: their registers are reported.
// The count is worked out from the clock when read; the clock calls back once per update event.
import type { MappedDevice } from '../../cpu/armv7m/system/systemBus';
import type { PeripheralClock } from './peripheralClock';
import { laneOf, withLane } from './registerAccess';
import type { Unserved } from './unmodelled';

/** Register offsets (RM0436, TIM2-TIM5 register map). */
export const TimReg = { CR1: 0x00, SMCR: 0x08, DIER: 0x0c, SR: 0x10, EGR: 0x14, CNT: 0x24, PSC: 0x28, ARR: 0x2c } as const;
export const TimCr1 = { CEN: 1 << 0, UDIS: 1 << 1, URS: 1 << 2, OPM: 1 << 3, ARPE: 1 << 7 } as const;
export const TIM_UIF = 1 << 0; // SR.UIF, DIER.UIE, EGR.UG
/**
 * The kernel clock of the timers on APB1 (TIM2-TIM7, TIM12-TIM14) with RCC_TIMG1PRER.TIMG1PRE at its
 * reset value 0 (RM0436, RCC): mcu_ck while APB1 is divided by 1 or 2, else twice PCLK1.
 */
export function timg1Hz(mcuHz: number, apb1Divider: number): number {
  return apb1Divider <= 2 ? mcuHz : (2 * mcuHz) / apb1Divider;
}

const KNOWN = new Set<number>(Object.values(TimReg));
/** CR1.DIR and CR1.CMS: down and centre-aligned counting, reported when set. */
const CR1_NOT_MODELLED = (1 << 4) | (3 << 5);
/** The CR1 bits kept (DIR and CMS are reported, CKD and UIFREMAP read back as 0). */
const CR1_KEPT = TimCr1.CEN | TimCr1.UDIS | TimCr1.URS | TimCr1.OPM | TimCr1.ARPE;

export class Timer implements MappedDevice {
  private cr1 = 0;
  private dier = 0;
  private uif = false;
  /** PSC and ARR as written, and as the counter uses them (the preload registers' shadows). */
  private psc = 0;
  private pscActive = 0;
  private arr: number;
  private arrActive: number;
  /** The count at `sinceNs`, and from then on the counter counts while CEN is set. */
  private count = 0;
  private sinceNs: number;
  private cancelUpdate: (() => void) | undefined;
  private line: (high: boolean) => void = () => undefined;

  constructor(
    private readonly clock: PeripheralClock,
    /** The timer's kernel clock in Hz, as the RCC sets it now. */
    private readonly timerHz: () => number,
    /** Counter width: 32 for TIM2 and TIM5, 16 for TIM3 and TIM4 (ARR's reset value is all ones). */
    private readonly bits: 16 | 32,
    private readonly unserved: Unserved,
  ) {
    this.arr = this.arrActive = this.mask;
    this.sinceNs = clock.nowNs();
  }

  /** Connects the interrupt line (update) and drives it to its level. */
  connect(line: (high: boolean) => void): void {
    this.line = line;
    this.updateLine();
  }

  /** The counter now (wrapped, should the update event's callback not have come yet). */
  counter(): number {
    if (!(this.cr1 & TimCr1.CEN)) return this.count;
    const c = this.count + Math.floor((this.clock.nowNs() - this.sinceNs) / this.countNs());
    const top = this.count <= this.arrActive ? this.arrActive : this.mask;
    return c <= top ? c : (c - top - 1) % (this.arrActive + 1);
  }

  read(offset: number, size: number): number {
    let v: number;
    switch (offset & ~3) {
      case TimReg.CR1:
        v = this.cr1;
        break;
      case TimReg.SMCR:
        v = 0; // slave mode disabled: the HAL starts the counter only then
        break;
      case TimReg.DIER:
        v = this.dier;
        break;
      case TimReg.SR:
        v = this.uif ? TIM_UIF : 0;
        break;
      case TimReg.EGR:
        v = 0;
        break;
      case TimReg.CNT:
        v = this.counter();
        break;
      case TimReg.PSC:
        v = this.psc;
        break;
      case TimReg.ARR:
        v = this.arr;
        break;
      default:
        return this.unserved(offset, size, false);
    }
    return laneOf(v, offset, size);
  }

  write(offset: number, size: number, value: number): void {
    const word = offset & ~3;
    if (!KNOWN.has(word)) {
      this.unserved(offset, size, true);
      return;
    }
    const v = withLane(this.read(word, 4) >>> 0, offset, size, value) >>> 0;
    switch (word) {
      case TimReg.CR1:
        if (v & CR1_NOT_MODELLED) this.unserved(offset, size, true);
        this.writeCr1(v & CR1_KEPT);
        break;
      case TimReg.SMCR:
        if (v !== 0) this.unserved(offset, size, true);
        break;
      case TimReg.DIER:
        this.dier = v & TIM_UIF;
        this.updateLine();
        break;
      case TimReg.SR:
        if (!(v & TIM_UIF)) this.setUif(false); // rc_w0
        break;
      case TimReg.EGR:
        if (v & TIM_UIF) this.update('UG', this.clock.nowNs());
        break;
      case TimReg.CNT:
        this.rebase(v & this.mask);
        break;
      case TimReg.PSC:
        this.psc = v & 0xffff; // taken at the next update event
        break;
      case TimReg.ARR:
        this.arr = v & this.mask;
        if (!(this.cr1 & TimCr1.ARPE)) {
          this.arrActive = this.arr;
          this.rebase(this.counter());
        }
        break;
    }
  }

  private get mask(): number {
    return this.bits === 32 ? 0xffffffff : 0xffff;
  }

  /** One count, in nanoseconds. */
  private countNs(): number {
    return ((this.pscActive + 1) * 1e9) / this.timerHz();
  }

  private writeCr1(v: number): void {
    const count = this.counter();
    this.cr1 = v;
    this.rebase(count);
  }

  /** The counter is `count` now; the next update event is re-armed from it. */
  private rebase(count: number): void {
    this.count = count;
    this.sinceNs = this.clock.nowNs();
    this.arm();
  }

  private arm(): void {
    this.cancelUpdate?.();
    this.cancelUpdate = undefined;
    if (!(this.cr1 & TimCr1.CEN)) return;
    // the counter passes ARR (or overflows, written above it) and wraps to 0
    const toWrap = (this.count <= this.arrActive ? this.arrActive : this.mask) - this.count + 1;
    const at = this.sinceNs + toWrap * this.countNs();
    this.cancelUpdate = this.clock.after(at - this.clock.nowNs(), () => {
      this.cancelUpdate = undefined;
      this.update('overflow', at);
    });
  }

  /** The update event at `atNs`: the counter from 0 with the preloaded PSC and ARR; UIF but for a UG with URS set. */
  private update(cause: 'overflow' | 'UG', atNs: number): void {
    if (this.cr1 & TimCr1.UDIS) {
      this.count = 0;
      this.sinceNs = atNs;
      return this.arm();
    }
    this.pscActive = this.psc;
    this.arrActive = this.arr;
    this.count = 0;
    this.sinceNs = atNs;
    if (cause === 'overflow' && this.cr1 & TimCr1.OPM) this.cr1 &= ~TimCr1.CEN;
    if (cause === 'overflow' || !(this.cr1 & TimCr1.URS)) this.setUif(true);
    this.arm();
  }

  private setUif(on: boolean): void {
    this.uif = on;
    this.updateLine();
  }

  private updateLine(): void {
    this.line(this.uif && (this.dier & TIM_UIF) !== 0);
  }
}
