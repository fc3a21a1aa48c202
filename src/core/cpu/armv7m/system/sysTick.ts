// SysTick (B3.3): a 24-bit down-counter on the core clock (CLKSOURCE reads as 1: CALIB.NOREF says
// there is no reference clock). It is computed from the core's cycle count, never ticked per
// instruction: `nextWrap` tells the run loop where to end a slice, `advance` catches up after it.

const CSR_ENABLE = 1;
const CSR_TICKINT = 2;
const CSR_CLKSOURCE = 4;
const CSR_COUNTFLAG = 1 << 16;
/** CALIB: NOREF (no reference clock), SKEW (TENMS is not known), TENMS 0. */
const CALIB = (1 << 31) | (1 << 30);

export class SysTick {
  private ctrl = 0;
  private reload = 0;
  /** The counter's value while stopped. */
  private frozen = 0;
  /** While running: the cycle at which the counter next reaches 0 (Infinity when it never will). */
  private zeroAt = Infinity;
  private countFlag = false;
  /** The cycle of the last 1 → 0 transition: the counter reads 0 during it. */
  private lastZero = -1;
  /** Called at each wrap with TICKINT set: pends the SysTick exception. */
  onWrap: () => void = () => undefined;

  reset(): void {
    this.ctrl = 0;
    this.reload = 0;
    this.frozen = 0;
    this.zeroAt = Infinity;
    this.countFlag = false;
    this.lastZero = -1;
  }

  /** The cycle at which the run loop must stop next for SysTick (Infinity when it will not wrap). */
  get nextWrap(): number {
    return this.ctrl & CSR_ENABLE ? this.zeroAt : Infinity;
  }

  /** Processes every wrap up to `cycles` (one exception pend stands for all: pending is one bit). */
  advance(cycles: number): void {
    if (!(this.ctrl & CSR_ENABLE) || cycles < this.zeroAt) return;
    this.countFlag = true;
    this.lastZero = cycles === this.zeroAt ? cycles : -1;
    if (this.ctrl & CSR_TICKINT) this.onWrap();
    if (this.reload === 0) {
      // Reloading 0 stops the counter at 0 (B3.3.1).
      this.zeroAt = Infinity;
      this.frozen = 0;
      return;
    }
    const period = this.reload + 1;
    this.zeroAt += period * (Math.floor((cycles - this.zeroAt) / period) + 1);
  }

  readCsr(cycles: number): number {
    this.advance(cycles);
    const v = (this.ctrl | CSR_CLKSOURCE | (this.countFlag ? CSR_COUNTFLAG : 0)) >>> 0;
    this.countFlag = false; // COUNTFLAG clears on read
    return v;
  }

  writeCsr(v: number, cycles: number): void {
    this.advance(cycles);
    const was = this.ctrl & CSR_ENABLE;
    const current = this.value(cycles);
    this.ctrl = v & (CSR_ENABLE | CSR_TICKINT);
    if (!was && this.ctrl & CSR_ENABLE) this.start(current, cycles);
    else if (was && !(this.ctrl & CSR_ENABLE)) this.frozen = current;
  }

  readRvr(): number {
    return this.reload;
  }

  writeRvr(v: number): void {
    this.reload = v & 0xffffff;
  }

  readCvr(cycles: number): number {
    this.advance(cycles);
    return this.value(cycles);
  }

  /** Any write clears the counter to 0 and COUNTFLAG; the next clock loads RVR. */
  writeCvr(cycles: number): void {
    this.countFlag = false;
    this.frozen = 0;
    if (this.ctrl & CSR_ENABLE) this.start(0, cycles);
  }

  readCalib(): number {
    return CALIB >>> 0;
  }

  private start(current: number, cycles: number): void {
    // From 0 the first clock only loads RVR: the count to the next 1 → 0 transition is RVR + 1.
    this.zeroAt = current > 0 ? cycles + current : this.reload > 0 ? cycles + this.reload + 1 : Infinity;
  }

  private value(cycles: number): number {
    if (!(this.ctrl & CSR_ENABLE)) return this.frozen;
    if (this.zeroAt === Infinity || cycles === this.lastZero) return 0;
    return this.zeroAt - cycles;
  }
}
