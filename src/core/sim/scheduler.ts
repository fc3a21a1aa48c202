// Discrete-event scheduler in virtual nanoseconds. Events at the same time run in the order they
// were scheduled (a sequence number breaks ties), so a run is a pure function of its inputs.
// A debugger holds it while a core it debugs is halted: step, runUntil and runUntilIdle then run
// nothing and time does not move, so no part of the system (the host included) acts behind the
// user's back. runWhile, a host blocked synchronously inside an event, cannot yield: it runs on.

interface Pending {
  readonly time: number;
  readonly seq: number;
  readonly label: string;
  /** A remote's own activity (its CPU's slices, its peripherals' timers), not the host's work. */
  readonly background: boolean;
  fn: (() => void) | undefined; // undefined once cancelled or run
}

export class Scheduler {
  private readonly heap: Pending[] = [];
  private seq = 0;
  private time = 0;
  /** Someone running ahead (a CPU slice) wants to know of an event due before this time. */
  private horizon = Infinity;
  private onEarlier: ((timeNs: number) => void) | undefined;
  /** Live events that are not background: the debugger asks after every event whether any is left. */
  private hostEvents = 0;

  /** Virtual time in nanoseconds. */
  now(): number {
    return this.time;
  }

  /** Virtual time at which the last event that was not background ran. */
  lastHostWorkNs = 0;

  /** Whoever holds the scheduler (a halted core's debugger, by core id). */
  private readonly holders = new Set<string>();

  /** True while held: the loops run no event and time stands still. */
  get halted(): boolean {
    return this.holders.size !== 0;
  }

  /** Holds the scheduler for `holder` (the event running now finishes first). */
  hold(holder: string): void {
    this.holders.add(holder);
  }

  release(holder: string): void {
    this.holders.delete(holder);
  }

  /** Runs `fn` at now + `delayNs`; returns a function that cancels it. */
  after(delayNs: number, fn: () => void, label = '', background = false): () => void {
    if (!(delayNs >= 0) || !Number.isFinite(delayNs)) throw new RangeError(`bad delay ${delayNs} ns for ${label || 'event'}`);
    const ev: Pending = { time: this.time + Math.round(delayNs), seq: this.seq++, label, background, fn };
    this.push(ev);
    if (!background) this.hostEvents++;
    if (ev.time < this.horizon) {
      this.horizon = ev.time;
      this.onEarlier?.(ev.time);
    }
    return () => {
      if (ev.fn && !ev.background) this.hostEvents--;
      ev.fn = undefined;
    };
  }

  /**
   * Tells `fn` of each event scheduled from now on that is due before `timeNs` and before every
   * event it was told of: a CPU running a slice up to `timeNs` ends it at that event's time, so the
   * host's answer is not left for its next slice. One watcher at a time; `Infinity` stops watching.
   */
  watchBefore(timeNs: number, fn: ((timeNs: number) => void) | undefined): void {
    this.horizon = timeNs;
    this.onEarlier = fn;
  }

  /** Whether a live event other than a remote's own activity is pending. */
  hasHostWork(): boolean {
    return this.hostEvents > 0;
  }

  /** Time of the next live event, if any. */
  nextTime(): number | undefined {
    this.dropCancelled();
    return this.heap.length ? this.heap[0].time : undefined;
  }

  /** Runs the next event; false when there is none or the scheduler is held. */
  step(): boolean {
    if (this.halted || this.nextTime() === undefined) return false;
    this.runNext();
    return true;
  }

  /** Runs every event due at or before `timeNs`, then sets the clock to `timeNs`; held, it stops where it is. */
  runUntil(timeNs: number): number {
    let n = 0;
    for (;;) {
      if (this.halted) return n;
      const t = this.nextTime();
      if (t === undefined || t > timeNs) break;
      this.step();
      n++;
    }
    if (timeNs > this.time) this.time = timeNs;
    return n;
  }

  /**
   * Runs events while `cond()` holds and the next one is due by `deadlineNs`; then, if `cond()`
   * still holds, time moves on to the deadline. A host that blocks on the remote (a mailbox
   * client with tx_block) waits this way. Returns `cond()`'s last value. The wait is a host call
   * that cannot return to the debugger, so a hold does not stop it: it runs to its end, with a
   * halted core taking no slices (as a core halted by a probe on the board), and the hold takes
   * effect when the caller's event is over.
   */
  runWhile(cond: () => boolean, deadlineNs: number): boolean {
    while (cond()) {
      const t = this.nextTime();
      if (t === undefined || t > deadlineNs) {
        if (deadlineNs > this.time) this.time = deadlineNs;
        return cond();
      }
      this.runNext();
    }
    return false;
  }

  /** Runs until nothing is pending, `maxEvents` ran (a periodic remote never goes idle) or the scheduler is held. */
  runUntilIdle(maxEvents = 1_000_000): number {
    let n = 0;
    while (n < maxEvents && this.step()) n++;
    return n;
  }

  private runNext(): void {
    this.dropCancelled();
    const ev = this.pop();
    if (!ev) return;
    this.time = ev.time;
    if (!ev.background) {
      this.lastHostWorkNs = ev.time;
      this.hostEvents--;
    }
    const fn = ev.fn!;
    ev.fn = undefined;
    fn();
  }

  private dropCancelled(): void {
    while (this.heap.length && this.heap[0].fn === undefined) this.pop();
  }

  private less(a: Pending, b: Pending): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }

  private push(ev: Pending): void {
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): Pending | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
