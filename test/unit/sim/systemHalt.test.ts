// A core halted for its debugger halts the whole system: on the example firmware, in the whole
// STM32MP157 system with the host's remoteproc, virtio and rpmsg, booted through sysfs.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { CoreStop } from '../../../src/core/cpu/coreDebug';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { KernelError } from '../../../src/core/kernel/errno';
import { LifecycleRuntime, type RuntimeEvent } from '../../../src/debug/lifecycleRuntime';
import { Shell } from '../../../src/core/shell/shell';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { vringLayout } from '../../../src/core/virtio/vringLayout';
import { createSystem, type AmpSystem } from '../../../src/core/system';
import { EXAMPLES_DIR } from '../../fixtures/fixtures';

const ELF = path.join(EXAMPLES_DIR, 'stm32mp157/rproc-m4-fw.elf');
const data = new Uint8Array(fs.readFileSync(ELF));
const elf = ElfFile.parse(data);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** A function's entry as the core's PC reaches it (Thumb bit clear). */
function fn(name: string): number {
  const s = elf.symbol(name);
  assert.ok(s, name);
  return Number(s.value) & ~1;
}

interface Bench {
  readonly system: AmpSystem;
  readonly shell: Shell;
  readonly stops: CoreStop[];
}

function bench(): Bench {
  const system = createSystem({ board: findBoard('stm32mp157')!, firmware: { name: 'rproc-m4-fw.elf', data } });
  const shell = new Shell(system, { readFile: () => { throw new KernelError('ENOENT'); } }, { out: () => undefined, err: () => undefined });
  const stops: CoreStop[] = [];
  const debug = system.debug('m4');
  debug.attach();
  debug.stops.on((s) => stops.push(s));
  return { system, shell, stops };
}

/** Runs the system until it halts (or `ns` of virtual time pass). */
function runToHalt(system: AmpSystem, ns = 20e9): void {
  const end = system.now() + ns;
  while (!system.halted && system.now() < end) system.runUntil(Math.min(end, system.now() + 1e6));
}

/** Halted with `hi` sent to the firmware: time stands still; resumed with no watch, the echo is read. */
function heldThenEchoed(system: AmpSystem, debug: ReturnType<AmpSystem['debug']>): void {
  const t = system.now();
  system.runFor(1e9);
  assert.equal(system.now(), t);
  debug.setWatchpoints([]);
  debug.resume();
  system.runFor(100e6);
  assert.equal(text(system.files.read('/dev/ttyRPMSG0')), 'hi');
}

describe('a debugged core halts the whole system', () => {
  it('breaks on a firmware function, holds time and the host while halted, then steps and continues', () => {
    const { system, shell, stops } = bench();
    const debug = system.debug('m4');
    debug.setBreakpoints([fn('rpmsg_announce')]);
    assert.equal(shell.run('echo start > /sys/class/remoteproc/remoteproc0/state'), 0);
    runToHalt(system);
    assert.ok(system.halted);
    assert.deepEqual(stops, [{ kind: 'breakpoint', pc: fn('rpmsg_announce') }]);
    assert.equal(debug.core!.state.pc, fn('rpmsg_announce'));
    // nothing runs and time stands still, whatever the faces ask
    const t = system.now();
    const log = system.dmesg();
    assert.equal(system.runFor(5e9), 0);
    assert.equal(system.step(), false);
    assert.equal(system.runUntilIdle(), 0);
    assert.equal(shell.run('sleep 3'), 0);
    assert.equal(system.now(), t);
    assert.equal(system.dmesg(), log);
    assert.doesNotMatch(log, /creating channel rpmsg-tty/);
    // one instruction
    debug.resume({ kind: 'step' });
    runToHalt(system);
    assert.deepEqual(stops[1], { kind: 'step' });
    assert.notEqual(debug.core!.state.pc, fn('rpmsg_announce'));
    // continue: the breakpoint is not hit again (announced once) and the channel comes up
    debug.resume();
    system.runFor(1e9);
    assert.equal(system.halted, false);
    assert.equal(stops.length, 2);
    assert.match(system.dmesg(), /creating channel rpmsg-tty addr 0x400/);
    assert.ok(system.now() >= t + 1e9);
  });

  it('steps while the PC stays in a range, stopping on a breakpoint inside it', () => {
    const { system, shell, stops } = bench();
    const debug = system.debug('m4');
    const start = fn('rpmsg_start');
    debug.setBreakpoints([start]);
    shell.run('echo start > /sys/class/remoteproc/remoteproc0/state');
    runToHalt(system);
    debug.setBreakpoints([]);
    // out of rpmsg_start's first 8 bytes
    debug.resume({ kind: 'range', start, end: start + 8 });
    runToHalt(system);
    assert.deepEqual(stops[1], { kind: 'step' });
    const pc = debug.core!.state.pc;
    assert.ok(pc < start || pc >= start + 8, pc.toString(16));
  });

  it('a watchpoint on a vring fires when the host writes it, with the host stopped after its write', () => {
    const { system, shell, stops } = bench();
    const debug = system.debug('m4');
    shell.run('echo start > /sys/class/remoteproc/remoteproc0/state; sleep 1');
    assert.match(system.dmesg(), /creating channel rpmsg-tty/);
    // the host's tx ring (vring1): its avail->idx moves when the host sends a message
    const ring = system.snapshot().cores[0].vdevs[0].vrings[1];
    const availIdx = ring.da + vringLayout(ring.num, ring.align).availOffset + 2;
    const before = debug.core!.bus.debugRead(availIdx, 2)!;
    debug.setWatchpoints([{ addr: availIdx, length: 2, access: 'write' }]);
    system.runFor(100e6);
    assert.equal(system.halted, false, 'the firmware alone does not write the host\'s avail ring');
    system.files.write('/dev/ttyRPMSG0', 'hi');
    assert.ok(system.halted);
    assert.deepEqual(stops, [{ kind: 'watch', access: 'write', addr: availIdx, by: 'host' }]);
    assert.equal(debug.core!.bus.debugRead(availIdx, 2), (before + 1) & 0xffff);
    assert.equal(text(system.files.read('/dev/ttyRPMSG0')), '', 'no echo while halted');
    heldThenEchoed(system, debug);
  });

  it("a read watchpoint on a used ring fires when the host reads it, not on the debugger's, the core's or the views' reads", () => {
    const { system, shell, stops } = bench();
    const debug = system.debug('m4');
    shell.run('echo start > /sys/class/remoteproc/remoteproc0/state; sleep 1');
    // the host's rx ring (vring0): the firmware puts its echo in the used ring, the host's virtio reads used->idx
    const ring = system.snapshot().cores[0].vdevs[0].vrings[0];
    const usedIdx = ring.da + vringLayout(ring.num, ring.align).usedOffset + 2;
    debug.setWatchpoints([{ addr: usedIdx, length: 2, access: 'read' }]);
    const seen = system.snapshot().cores[0].vdevs[0].vrings[0].usedIdx;
    assert.equal(debug.readMemory(usedIdx, 2).length, 2);
    system.runFor(100e6);
    assert.equal(system.halted, false, 'the snapshot, the debugger and the idle firmware read nothing the watch catches');
    assert.deepEqual(stops, []);
    system.files.write('/dev/ttyRPMSG0', 'hi');
    runToHalt(system, 1e9);
    assert.ok(system.halted);
    assert.deepEqual(stops, [{ kind: 'watch', access: 'read', addr: usedIdx, by: 'host' }]);
    assert.equal(debug.core!.bus.debugRead(usedIdx, 2), ((seen ?? 0) + 1) & 0xffff, 'the firmware put the echo there');
    heldThenEchoed(system, debug);
  });

  it("a read watchpoint on the trace buffer fires on the host's trace0 read, not on the system's own looks at it", () => {
    const { system, shell, stops } = bench();
    const debug = system.debug('m4');
    const buf = Number(elf.symbol('trace_buf')!.value);
    debug.setWatchpoints([{ addr: buf, length: 4, access: 'read' }]);
    // the firmware logs its start into the buffer: the system reads the buffer again for its trace events and snapshots
    shell.run('echo start > /sys/class/remoteproc/remoteproc0/state; sleep 1');
    assert.match(system.snapshot().cores[0].traces[0].text, /rpmsg: announced rpmsg-tty at 0x400/);
    assert.equal(system.halted, false);
    assert.deepEqual(stops, []);
    assert.equal(shell.run('cat /sys/kernel/debug/remoteproc/remoteproc0/trace0'), 0);
    assert.ok(system.halted);
    assert.deepEqual(stops, [{ kind: 'watch', access: 'read', addr: buf, by: 'host' }]);
  });

  it("a watchpoint on the core's own write stops before the write; the resume makes it", () => {
    const { system, shell, stops } = bench();
    const debug = system.debug('m4');
    const state = elf.symbol('state')!;
    // the loader's zeroing of .bss is the host's write: the watch goes on once the core is out of reset
    debug.haltAtReset = true;
    shell.run('echo start > /sys/class/remoteproc/remoteproc0/state');
    runToHalt(system);
    const addr = Number(state.value);
    debug.setWatchpoints([{ addr, length: 4, access: 'write' }]);
    // a debugger's write is no one's store: it does not fire
    assert.ok(debug.writeMemory(addr, new Uint8Array([0x5a, 0x5a, 0x5a, 0x5a])));
    debug.resume();
    runToHalt(system);
    // the startup code clears .bss
    assert.deepEqual(stops[1], { kind: 'watch', access: 'write', addr, by: 'core' });
    assert.ok(debug.core!.state.pc >= fn('reset_handler') && debug.core!.state.pc < fn('fault_handler'));
    assert.deepEqual([...debug.readMemory(addr, 4)], [0x5a, 0x5a, 0x5a, 0x5a], 'not written yet');
    debug.resume({ kind: 'step' });
    runToHalt(system);
    assert.deepEqual(stops[2], { kind: 'step' });
    assert.equal(debug.core!.bus.debugRead(addr, 4), 0);
  });

  it('pause halts a running system where it is; resume runs it on', () => {
    const { system, shell, stops } = bench();
    const debug = system.debug('m4');
    shell.run('echo start > /sys/class/remoteproc/remoteproc0/state; sleep 1');
    debug.pause();
    assert.ok(system.halted);
    assert.deepEqual(stops, [{ kind: 'interrupt' }]);
    const t = system.now();
    const cycles = debug.core!.state.cycles;
    system.runFor(1e9);
    assert.equal(system.now(), t);
    assert.equal(debug.core!.state.cycles, cycles);
    debug.resume();
    system.runFor(1e9);
    assert.ok(debug.core!.state.cycles > cycles);
  });

  it("halts at the reset vector when asked, and a halted core's shutdown wait runs out as on the board", () => {
    const { system, shell, stops } = bench();
    const debug = system.debug('m4');
    debug.haltAtReset = true;
    shell.run('echo start > /sys/class/remoteproc/remoteproc0/state');
    runToHalt(system);
    assert.deepEqual(stops, [{ kind: 'reset' }]);
    assert.equal(debug.core!.state.pc, fn('reset_handler'));
    // stop blocks the host in its 500 ms wait for the M4's ack: a synchronous host call cannot
    // yield to the debugger, so it runs out with the core halted, and the M4 is powered off
    const t = system.now();
    assert.equal(shell.run('echo stop > /sys/class/remoteproc/remoteproc0/state'), 0);
    assert.match(system.dmesg(), /warning: remote FW shutdown without ack/);
    assert.ok(system.now() >= t + 500e6);
    assert.equal(debug.running, false);
    assert.ok(system.halted, 'still halted until the debugger resumes');
    debug.resume();
    system.runFor(1e6);
    assert.equal(system.rproc('m4').state, 'offline');
  });

  it('the same run with the same breakpoints gives the same log and the same stops', () => {
    const run = () => {
      const { system, shell, stops } = bench();
      const debug = system.debug('m4');
      debug.setBreakpoints([fn('rpmsg_serve')]);
      shell.run('echo start > /sys/class/remoteproc/remoteproc0/state');
      runToHalt(system);
      const times = [system.now()];
      debug.resume();
      system.runFor(1e9);
      system.files.write('/dev/ttyRPMSG0', 'again');
      runToHalt(system);
      times.push(system.now());
      debug.detach();
      system.runFor(1e9);
      return { log: system.dmesg(), stops, times, cycles: debug.core!.state.cycles };
    };
    const a = run();
    assert.equal(a.stops.length, 2);
    assert.deepEqual(run(), a);
  });

  it('with haltSystem off, the host runs on while the core is halted', () => {
    const { system, shell } = bench();
    const debug = system.debug('m4');
    debug.haltSystem = false;
    debug.setBreakpoints([fn('rpmsg_announce')]);
    shell.run('echo start > /sys/class/remoteproc/remoteproc0/state; sleep 2');
    assert.equal(system.halted, false);
    assert.ok(debug.halted);
    const cycles = debug.core!.state.cycles;
    const t = system.now();
    system.runFor(1e9);
    assert.equal(system.now(), t + 1e9);
    assert.equal(debug.core!.state.cycles, cycles);
  });

  it("the life-cycle debugger's run loop stops when its code thread halts the system, and goes on once it is resumed", () => {
    const deferred: (() => void)[] = [];
    const rt = new LifecycleRuntime({
      mode: 'launch',
      programName: 'rproc-m4-fw.elf',
      data,
      board: findBoard('stm32mp157')!,
      readHostFile: () => {
        throw new Error('no disk in this test');
      },
      defer: (f) => deferred.push(f),
    });
    const events: RuntimeEvent[] = [];
    rt.events.on((e) => events.push(e));
    const code = rt.code!;
    code.setBreakpoints('function breakpoint', [{ addr: fn('rpmsg_announce'), action: { kind: 'function breakpoint', what: 'rpmsg_announce' } }]);
    const stopped = () => events.filter((e) => e.kind === 'stopped');
    const runToStop = () => {
      const n = stopped().length;
      rt.run('continue');
      while (stopped().length === n && deferred.length) deferred.shift()!();
      return stopped().pop();
    };
    const stop = runToStop();
    assert.deepEqual(stop && stop.kind === 'stopped' && { thread: stop.thread, reason: stop.reason }, { thread: 'code', reason: 'function breakpoint' });
    assert.deepEqual(rt.system.debug('m4').lastStop, { kind: 'breakpoint', pc: fn('rpmsg_announce') });
    assert.ok(rt.system.halted);
    const t = rt.system.now();
    assert.equal(rt.system.scheduler.step(), false, 'a halted system runs no event');
    assert.equal(rt.system.now(), t);
    assert.doesNotMatch(rt.system.dmesg(), /creating channel rpmsg-tty/);
    code.setBreakpoints('function breakpoint', []);
    runToStop();
    assert.ok(rt.system.now() > t);
    assert.match(rt.system.dmesg(), /creating channel rpmsg-tty/);
  });
});
