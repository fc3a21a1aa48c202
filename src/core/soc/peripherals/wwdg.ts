// The STM32MP157's window watchdog WWDG1, the MCU's watchdog (RM0436, "System window watchdog (WWDG)"):
// a free-running 7-bit down-counter T clocked by PCLK1 / 4096 / 2^WDGTB. Once WWDG_CR.WDGA is set
// (only a reset clears it) it resets the MCU when T6 clears (the count passes 0x40 to 0x3F), when
// software writes T6 clear, or when software refreshes it while the count is above the window W. The
// count reaching 0x40 sets WWDG_SR.EWIF, the early wakeup interrupt while WWDG_CFR.EWI is set.
// The count is worked out from the clock when read; the clock calls back once for EWIF and once for
// the reset, both re-armed on each refresh or configuration write. PCLK1 is read when the count is
// worked out and when the callbacks are armed: a change of RCC_APB1DIVR mid-count is exact only
// from the next refresh or WWDG_CFR write.
import type { MappedDevice } from '../../cpu/armv7m/system/systemBus';
import type { PeripheralClock } from './peripheralClock';
import { laneOf, withLane } from './registerAccess';
import type { Unserved } from './unmodelled';

/** Register offsets (RM0436, WWDG register map). */
export const WwdgReg = { CR: 0x00, CFR: 0x04, SR: 0x08, HWCFGR: 0x3f0, VERR: 0x3f4, IPIDR: 0x3f8, SIDR: 0x3fc } as const;
export const WwdgCr = { T: 0x7f, T6: 0x40, WDGA: 1 << 7 } as const;
export const WwdgCfr = { W: 0x7f, EWI: 1 << 9, WDGTB: 7 << 11 } as const;
export const WWDG_SR_EWIF = 1 << 0;
/** WWDG_CR and WWDG_CFR reset values: counter and window 0x7f, prescaler 1, EWI off. */
const CR_RESET = 0x7f;
const CFR_RESET = 0x7f;
/** The fixed divider between PCLK and the counter clock. */
export const WWDG_DIVIDER = 4096;
const WDGTB_SHIFT = 11;
/** The count at which EWIF is set, and the one the reset comes at. */
const EWI_COUNT = 0x40;
const RESET_COUNT = 0x3f;
/** Identification registers' reset values (ST's STM32MP1 SVD). */
const ID_REGS: ReadonlyMap<number, number> = new Map([
  [WwdgReg.HWCFGR, 0x0fff],
  [WwdgReg.VERR, 0x21],
  [WwdgReg.IPIDR, 0x120051],
  [WwdgReg.SIDR, 0xa3c5dd01],
]);

/** Why the watchdog reset the MCU. */
export type WwdgResetCause = 'the counter reached 0x3f' | 'a refresh outside the window' | 'T6 written clear';

/** The watchdog's outputs inside the SoC: the early wakeup interrupt line and its reset signal (RCC's flag, EXTI event 68). */
export interface WwdgOutputs {
  ewi(high: boolean): void;
  reset(): void;
}

export class Wwdg implements MappedDevice {
  /** Told of each reset it generates, after the SoC's outputs: its owner resets the MCU. */
  onReset?: (cause: WwdgResetCause) => void;
  private active = false;
  /** T as last loaded, and the time it was loaded at. */
  private loaded = CR_RESET;
  private loadedAtNs: number;
  private cfr = CFR_RESET;
  private ewif = false;
  private cancelTimers: (() => void)[] = [];
  private outputs: WwdgOutputs = { ewi: () => undefined, reset: () => undefined };

  constructor(
    private readonly clock: PeripheralClock,
    /** PCLK1 of the MCU, in Hz, as the RCC sets it now. */
    private readonly pclkHz: () => number,
    private readonly unserved: Unserved,
  ) {
    this.loadedAtNs = clock.nowNs();
  }

  /** Connects the outputs and drives the EWI line to its level. */
  connect(outputs: WwdgOutputs): void {
    this.outputs = outputs;
    this.updateLine();
  }

  /** Whether WDGA is set: the watchdog can reset the MCU. */
  get enabled(): boolean {
    return this.active;
  }

  /** One count of T, in nanoseconds: 4096 × 2^WDGTB PCLK periods. */
  get tickNs(): number {
    return (WWDG_DIVIDER * 2 ** ((this.cfr & WwdgCfr.WDGTB) >>> WDGTB_SHIFT) * 1e9) / this.pclkHz();
  }

  /** The down-counter T now. */
  counter(): number {
    return (((this.loaded - this.ticksSinceLoad()) % 0x80) + 0x80) % 0x80;
  }

  read(offset: number, size: number): number {
    const word = offset & ~3;
    let v: number;
    if (word === WwdgReg.CR) v = (this.active ? WwdgCr.WDGA : 0) | this.counter();
    else if (word === WwdgReg.CFR) v = this.cfr;
    else if (word === WwdgReg.SR) v = this.ewif ? WWDG_SR_EWIF : 0;
    else {
      const id = ID_REGS.get(word);
      if (id === undefined) return this.unserved(offset, size, false);
      v = id;
    }
    return laneOf(v, offset, size);
  }

  write(offset: number, size: number, value: number): void {
    const word = offset & ~3;
    if (word === WwdgReg.CR) this.writeCr(withLane(this.read(WwdgReg.CR, 4), offset, size, value));
    else if (word === WwdgReg.CFR) this.writeCfr(withLane(this.cfr, offset, size, value));
    else if (word === WwdgReg.SR) {
      if (!(withLane(0, offset, size, value) & WWDG_SR_EWIF)) this.setEwif(false); // rc_w0: writing 1 has no effect
    } else if (!ID_REGS.has(word)) this.unserved(offset, size, true);
  }

  /** Back to the reset values, as the MCU reset it generates leaves it. */
  reset(): void {
    this.disarm();
    this.active = false;
    this.cfr = CFR_RESET;
    this.load(CR_RESET);
    this.setEwif(false);
  }

  private writeCr(v: number): void {
    if (this.active && this.counter() > (this.cfr & WwdgCfr.W)) return this.bite('a refresh outside the window');
    this.active ||= (v & WwdgCr.WDGA) !== 0;
    this.load(v & WwdgCr.T);
    if (this.active && !(v & WwdgCr.T6)) return this.bite('T6 written clear');
    this.arm();
  }

  private writeCfr(v: number): void {
    // The count goes on from the last whole tick at the new rate.
    const ticks = this.ticksSinceLoad();
    const count = this.counter();
    this.loadedAtNs += ticks * this.tickNs;
    this.loaded = count;
    this.cfr = (v & (WwdgCfr.W | WwdgCfr.WDGTB)) | (this.cfr & WwdgCfr.EWI) | (v & WwdgCfr.EWI); // EWI: only a reset clears it
    this.updateLine();
    this.arm();
  }

  private load(t: number): void {
    this.loaded = t;
    this.loadedAtNs = this.clock.nowNs();
  }

  private ticksSinceLoad(): number {
    return Math.floor((this.clock.nowNs() - this.loadedAtNs) / this.tickNs);
  }

  /** While active: one call when the count reaches 0x40 (EWIF) and one when it passes to 0x3f (the reset). */
  private arm(): void {
    this.disarm();
    if (!this.active) return;
    const count = this.counter();
    // From now to the count's next tick, then whole ticks.
    const sinceTick = this.clock.nowNs() - this.loadedAtNs - this.ticksSinceLoad() * this.tickNs;
    const at = (ticks: number) => ticks * this.tickNs - sinceTick;
    if (count > EWI_COUNT) this.cancelTimers.push(this.clock.after(at(count - EWI_COUNT), () => this.setEwif(true)));
    this.cancelTimers.push(this.clock.after(at(count - RESET_COUNT), () => this.bite('the counter reached 0x3f')));
  }

  private disarm(): void {
    for (const cancel of this.cancelTimers) cancel();
    this.cancelTimers = [];
  }

  private setEwif(on: boolean): void {
    this.ewif = on;
    this.updateLine();
  }

  private updateLine(): void {
    this.outputs.ewi(this.ewif && (this.cfr & WwdgCfr.EWI) !== 0);
  }

  private bite(cause: WwdgResetCause): void {
    this.reset();
    this.outputs.reset();
    this.onReset?.(cause);
  }
}
