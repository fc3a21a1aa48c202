import assert from 'assert';
import { Scheduler } from '../../../src/core/sim/scheduler';
import { SeededRandom } from '../../../src/core/sim/random';

describe('sim/Scheduler', () => {
  it('runs events in time order, and equal times in the order they were scheduled', () => {
    const s = new Scheduler();
    const seen: string[] = [];
    s.after(20, () => seen.push('c'));
    s.after(10, () => seen.push('a'));
    s.after(10, () => seen.push('b'));
    s.after(0, () => seen.push('now'));
    s.runUntilIdle();
    assert.deepStrictEqual(seen, ['now', 'a', 'b', 'c']);
    assert.strictEqual(s.now(), 20);
  });

  it('keeps the order of many equal-time events scheduled from inside events', () => {
    const s = new Scheduler();
    const seen: number[] = [];
    s.after(5, () => {
      for (let i = 0; i < 50; i++) s.after(0, () => seen.push(i));
    });
    s.runUntilIdle();
    assert.deepStrictEqual(seen, [...Array(50).keys()]);
  });

  it('cancels an event, and a cancelled event never runs nor counts as next', () => {
    const s = new Scheduler();
    let ran = false;
    const cancel = s.after(100, () => (ran = true));
    s.after(200, () => undefined);
    cancel();
    assert.strictEqual(s.nextTime(), 200);
    s.runUntilIdle();
    assert.strictEqual(ran, false);
  });

  it('runUntil runs what is due and moves the clock to the deadline', () => {
    const s = new Scheduler();
    const seen: number[] = [];
    s.after(10, () => seen.push(s.now()));
    s.after(30, () => seen.push(s.now()));
    assert.strictEqual(s.runUntil(20), 1);
    assert.strictEqual(s.now(), 20);
    assert.deepStrictEqual(seen, [10]);
    s.after(5, () => seen.push(s.now()));
    s.runUntil(40);
    assert.deepStrictEqual(seen, [10, 25, 30]);
  });

  it('runUntilIdle stops after maxEvents for a program that never goes idle', () => {
    const s = new Scheduler();
    const tick = () => s.after(1000, tick);
    tick();
    assert.strictEqual(s.runUntilIdle(100), 100);
    assert.strictEqual(s.now(), 100_000);
  });

  it('counts host work apart from background events, through runs and cancels (cancelling twice counts once)', () => {
    const s = new Scheduler();
    const tick = () => s.after(1000, tick, 'systick', true);
    tick();
    assert.strictEqual(s.hasHostWork(), false);
    const cancel = s.after(500, () => undefined, 'vq');
    s.after(1500, () => undefined, 'irq');
    assert.strictEqual(s.hasHostWork(), true);
    cancel();
    cancel();
    assert.strictEqual(s.hasHostWork(), true);
    s.runUntil(1500);
    assert.strictEqual(s.hasHostWork(), false);
    assert.strictEqual(s.lastHostWorkNs, 1500);
    const late = s.after(10, () => undefined);
    s.runUntil(2000);
    late();
    assert.strictEqual(s.hasHostWork(), false);
  });

  it('refuses negative and non-finite delays', () => {
    const s = new Scheduler();
    assert.throws(() => s.after(-1, () => undefined), RangeError);
    assert.throws(() => s.after(NaN, () => undefined), RangeError);
    assert.throws(() => s.after(Infinity, () => undefined), RangeError);
  });
});

describe('sim/SeededRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const sa = Array.from({ length: 20 }, () => a.next());
    assert.deepStrictEqual(sa, Array.from({ length: 20 }, () => b.next()));
    assert.notDeepStrictEqual(sa, Array.from({ length: 20 }, () => c.next()));
    for (const x of sa) assert.ok(x >= 0 && x < 1);
  });

  it('fork() gives an independent stream that is itself deterministic', () => {
    const a = new SeededRandom(7).fork();
    const b = new SeededRandom(7).fork();
    assert.strictEqual(a.nextU32(), b.nextU32());
  });
});
