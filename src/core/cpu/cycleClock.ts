// The peripherals' clock in a bare run, with no system around the core: time is the core's cycle
// count at its clock rate, and the callbacks come due between run slices: the run loop ends each
// slice at the next one (nextDue) and then calls those due (fireDue).
import type { PeripheralClock } from '../soc/peripherals/peripheralClock';

interface Timer {
  readonly at: number; // core cycle
  readonly seq: number; // order among timers due at the same cycle
  readonly fn: () => void;
}

export class CycleClock implements PeripheralClock {
  private timers: Timer[] = [];
  private seq = 0;

  constructor(
    private readonly cycles: () => number,
    private readonly hz: number,
  ) {}

  nowNs(): number {
    return (this.cycles() * 1e9) / this.hz;
  }

  after(delayNs: number, fn: () => void): () => void {
    const timer: Timer = { at: this.cycles() + Math.max(0, Math.ceil((delayNs * this.hz) / 1e9)), seq: this.seq++, fn };
    this.timers.push(timer);
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** The cycle the next callback is due at; Infinity with none. */
  nextDue(): number {
    return this.timers[0]?.at ?? Infinity;
  }

  /** Calls, in order, every callback due by the core's cycle count now. */
  fireDue(): void {
    while (this.timers.length && this.timers[0].at <= this.cycles()) this.timers.shift()!.fn();
  }
}
