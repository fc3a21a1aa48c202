// Virtual time for the peripheral models that count (the watchdog): they read the time when a
// register is read and ask for one callback at the moment something happens, instead of ticking.
// Its owner decides what time is: the system's scheduler, or a bare run's core cycles.

export interface PeripheralClock {
  /** Virtual time now, in nanoseconds. */
  nowNs(): number;
  /** Calls `fn` once, `delayNs` of virtual time from now; the result cancels the call. */
  after(delayNs: number, fn: () => void): () => void;
}
