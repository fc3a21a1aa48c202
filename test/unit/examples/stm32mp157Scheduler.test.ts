// The STM32MP157 scheduler example (examples/stm32mp157-scheduler, C built by arm-none-eabi-gcc)
// booted through the whole system: three threads on the process stack, switched by PendSV at each
// SysTick time slice, print whole lines; the busy one is preempted; the shutdown is acked.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { createSystem, type AmpSystem } from '../../../src/core/system';
import { EXAMPLES_DIR } from '../../fixtures/fixtures';

const ELF = 'm4-scheduler.elf';
const STATE = '/sys/class/remoteproc/remoteproc0/state';
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

function booted(ms: number): AmpSystem {
  const data = new Uint8Array(fs.readFileSync(path.join(EXAMPLES_DIR, 'stm32mp157-scheduler', ELF)));
  const sys = createSystem({ board: findBoard('stm32mp157')!, seed: 1, firmware: { name: ELF, data, core: 'm4' } });
  sys.files.write(STATE, 'start\n');
  sys.runFor(ms * 1e6);
  return sys;
}

/** The "[tick] thread: text" lines of the trace buffer, after the banner. */
function lines(sys: AmpSystem): { tick: number; thread: string; text: string }[] {
  const [banner, ...rest] = text(sys.files.read('/sys/kernel/debug/remoteproc/remoteproc0/trace0')).trimEnd().split('\n');
  assert.equal(banner, 'stm32mp157 m4: scheduler example, 3 threads, 1 ms time slices');
  return rest.map((l) => {
    const m = /^\[(\d+)\] (ping|pong|primes): (.+)$/.exec(l);
    assert.ok(m, `a whole line: ${JSON.stringify(l)}`);
    return { tick: Number(m[1]), thread: m[2], text: m[3] };
  });
}

describe('examples/stm32mp157-scheduler: preemptive threads on the simulated M4', () => {
  it('runs ping and pong on their periods while primes computes, preempted at each time slice', () => {
    const sys = booted(100);
    const all = lines(sys);
    const ticks = (t: string) => all.filter((l) => l.thread === t).map((l) => l.tick);
    const ping = ticks('ping');
    const pong = ticks('pong');
    assert.equal(ping.length, 5);
    assert.equal(pong.length, 4);
    ping.slice(1).forEach((t, i) => assert.ok(t - ping[i] >= 20 && t - ping[i] <= 22, `ping ${ping.join(',')}`));
    pong.slice(1).forEach((t, i) => assert.ok(t - pong[i] >= 30 && t - pong[i] <= 32, `pong ${pong.join(',')}`));
    const primes = all.filter((l) => l.thread === 'primes');
    assert.deepEqual(primes.map((l) => l.text), ['counting below 40000', 'found 4203']);
    // primes never yields while it counts: the lines of the others in between come from preemption
    const [begun, done] = primes.map((l) => all.indexOf(l));
    assert.ok(all.slice(begun + 1, done).filter((l) => l.thread !== 'primes').length >= 3, all.map((l) => `${l.tick} ${l.thread}`).join('\n'));
    assert.ok(primes[1].tick - primes[0].tick > 10, 'counting took many time slices');
    assert.equal(text(sys.files.read('/dev/ttyAMP-console-m4')), text(sys.files.read('/sys/kernel/debug/remoteproc/remoteproc0/trace0')));
  });

  it('acks the shutdown, and no thread prints after it', () => {
    const sys = booted(45);
    sys.files.write(STATE, 'stop\n');
    assert.equal(text(sys.files.read(STATE)), 'offline\n');
    assert.doesNotMatch(sys.dmesg(), /shutdown without ack/);
    assert.match(text(sys.files.read('/dev/ttyAMP-console-m4')), /\nscheduler: shutdown requested, stopping\n$/);
  });
});
