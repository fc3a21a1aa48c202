// A PeripheralClock a test moves by hand: advance() runs the callbacks that come due, in time order.
import type { PeripheralClock } from '../../../src/core/soc/peripherals/peripheralClock';

export class ManualClock implements PeripheralClock {
  private now = 0;
  private timers: { at: number; fn: () => void }[] = [];

  nowNs(): number {
    return this.now;
  }

  after(delayNs: number, fn: () => void): () => void {
    const timer = { at: this.now + delayNs, fn };
    this.timers.push(timer);
    return () => (this.timers = this.timers.filter((t) => t !== timer));
  }

  /** Moves time on by `ns`, running each callback at its own time. */
  advance(ns: number): void {
    const end = this.now + ns;
    for (;;) {
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.now = next.at;
      next.fn();
    }
    this.now = end;
  }
}
