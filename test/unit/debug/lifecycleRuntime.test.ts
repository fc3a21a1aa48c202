// The runtime under the DAP session, driven directly: pause interrupts a run that never goes idle,
// the same seed gives the same stops and output, and exception filters decide where a bad boot stops.
import assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { LaunchError, LifecycleRuntime, RuntimeEvent, RuntimeOptions } from '../../../src/debug/lifecycleRuntime';
import { resolveLaunch } from '../../../src/debug/launchConfig';
import { freshTrace } from '../../../src/debug/traceDelta';
import { FirmwareSource } from '../../../src/debug/firmwareSource';
import { REPO_ROOT, readFixture } from '../../fixtures/fixtures';

const M4_FW = new Uint8Array(fs.readFileSync(path.join(REPO_ROOT, 'examples/stm32mp157/rproc-m4-fw.elf')));

function runtime(over: Partial<RuntimeOptions> = {}): { rt: LifecycleRuntime; events: RuntimeEvent[]; deferred: (() => void)[] } {
  const deferred: (() => void)[] = [];
  const rt = new LifecycleRuntime({
    mode: 'launch',
    programName: 'rproc-m4-fw.elf',
    data: M4_FW,
    board: findBoard('stm32mp157')!,
    readHostFile: () => {
      throw new Error('no disk in this test');
    },
    defer: (fn) => deferred.push(fn),
    ...over,
  });
  const events: RuntimeEvent[] = [];
  rt.events.on((e) => events.push(e));
  return { rt, events, deferred };
}

const stops = (events: RuntimeEvent[]) => events.filter((e) => e.kind === 'stopped');

/** Runs the deferred slices of a run until it stops (a run with code breakpoints never runs out of events). */
function untilStop(events: RuntimeEvent[], deferred: (() => void)[], before: number): Extract<RuntimeEvent, { kind: 'stopped' }> {
  for (let i = 0; i < 10_000 && stops(events).length === before && deferred.length; i++) deferred.shift()!();
  const stop = stops(events)[before];
  assert.ok(stop && stop.kind === 'stopped', 'the run stopped');
  return stop;
}

describe('life-cycle runtime', () => {
  it('pause stops a run that never goes idle, between two slices of events', () => {
    const { rt, events, deferred } = runtime();
    rt.setFunctionBreakpoints(['running']);
    rt.run('continue');
    assert.equal(rt.position.line.text, 'running');
    // A device that ticks forever: continuing never runs out of events.
    const tick = () => rt.system.scheduler.after(1000, tick, 'test tick');
    tick();
    rt.run('continue');
    assert.equal(stops(events).length, 1, 'still running after one slice');
    assert.equal(deferred.length, 1, 'the run gave the event loop a turn');
    rt.pause();
    deferred.shift()!();
    const last = stops(events).pop();
    assert.deepEqual(last && { reason: last.reason, description: last.description }, { reason: 'pause', description: 'paused' });
    assert.ok(rt.system.now() > 0, 'virtual time advanced while running');
    assert.equal(rt.position.capture.timeNs, rt.system.now(), 'the pause shows the present');
  });

  it("a line written to the tty from outside the runtime (a terminal on the debugged system) reaches the firmware's breakpoint; one written while the system is halted waits for the resume, one written while paused goes out at the next continue", () => {
    const { rt, events, deferred } = runtime();
    rt.setFunctionBreakpoints(['rpmsg_create_channel']);
    rt.run('continue');
    assert.match(untilStop(events, deferred, 0).description, /rpmsg_create_channel/);
    const rpmsgC = path.join(REPO_ROOT, 'examples/stm32mp157/rpmsg.c');
    const line = fs.readFileSync(rpmsgC, 'utf8').split('\n').findIndex((l) => l.includes('const struct rpmsg_hdr *in = buf;')) + 1;
    const at = new FirmwareSource(rt.elf, path.join(REPO_ROOT, 'examples/stm32mp157/rproc-m4-fw.elf')).places(rpmsgC, line).addresses;
    assert.ok(at.length > 0, 'the line has code');
    rt.code!.setBreakpoints('breakpoint', at.map((addr) => ({ addr, action: { kind: 'breakpoint', what: `rpmsg.c:${line}` } })));
    const tty = '/dev/ttyRPMSG0';
    const readText = () => Buffer.from(rt.system.files.read(tty)).toString('latin1');
    rt.system.files.write(tty, 'hi\n');
    const ranBefore = events.filter((e) => e.kind === 'ran').length;
    rt.run('continue');
    const hit = untilStop(events, deferred, 1);
    assert.deepEqual([hit.thread, hit.reason], ['code', 'breakpoint'], hit.description);
    assert.ok(events.filter((e) => e.kind === 'ran').length > ranBefore, 'each slice tells the readers of device files');
    assert.equal(rt.system.halted, true);
    const held = rt.system.now();
    rt.system.files.write(tty, 'there\n');
    assert.equal(rt.system.now(), held, 'a write while halted lets no time pass');
    assert.equal(readText(), '', 'nothing echoed while halted');
    rt.code!.setBreakpoints('breakpoint', []);
    rt.setFunctionBreakpoints([]);
    rt.run('continue', 'code');
    assert.match(untilStop(events, deferred, 2).description, /^nothing left to run/);
    assert.equal(readText(), 'hi\nthere\n', 'both lines echoed, in order');
    // Paused with nothing left to run: a line written now goes out at the next continue, which runs
    // until the host has been idle for a while after the remote's answer.
    rt.system.files.write(tty, 'again\n');
    rt.run('continue');
    assert.match(untilStop(events, deferred, 3).description, /^nothing left to run/);
    assert.equal(readText(), 'again\n');
  });

  it('with a clock, a slice also ends after 20 of its milliseconds, however few events ran: a firmware that polls cannot hold the extension host', () => {
    let ms = 0;
    const { rt, events, deferred } = runtime({ clock: () => (ms += 1) });
    rt.setFunctionBreakpoints(['running']);
    rt.run('continue');
    assert.equal(untilStop(events, deferred, 0).reason, 'function breakpoint');
    const tick = () => rt.system.scheduler.after(1000, tick, 'test tick');
    tick();
    const from = rt.system.now();
    rt.run('continue');
    assert.equal(deferred.length, 1, 'the run gave the event loop a turn');
    const ran = (rt.system.now() - from) / 1000;
    assert.ok(ran > 0 && ran <= 20, `${ran} ticks in one slice, each costing a millisecond of the clock`);
  });

  it('the same seed gives the same stops and the same output, step for step', () => {
    const trace = () => {
      const { rt, events } = runtime({ seed: 7 });
      for (let i = 0; i < 30 && rt.position.line.key !== 'channel:rpmsg-tty'; i++) rt.run('stepIn');
      return events.map((e) => JSON.stringify(e));
    };
    const a = trace();
    assert.ok(a.some((e) => e.includes('creating channel rpmsg-tty')));
    assert.deepEqual(trace(), a);
  });

  it('with the validation filter off, a bad table stops first where the kernel gives up', () => {
    const { rt, events } = runtime({ data: readFixture('rsc-too-many-vrings') });
    rt.setExceptionFilters(['boot-failure']);
    rt.run('continue');
    const s = stops(events).pop();
    assert.ok(s && s.kind === 'stopped');
    assert.equal(s.reason, 'exception');
    assert.equal(s.filter, 'boot-failure');
    assert.match(s.text ?? '', /too many vrings: 3[\s\S]*Failed to process resources: -22/);
    assert.equal(s.description, 'boot failed in rproc_handle_vdev: too many vrings: 3');
    assert.match(rt.position.line.text, /^resource 2: vdev id 7 \(rpmsg\): 3 vring/);
    assert.equal(rt.rproc.state, 'offline');
  });

  it('with no exception filter, a failed boot runs on to nothing left to run', () => {
    const { rt, events } = runtime({ data: readFixture('rsc-too-many-vrings') });
    rt.setExceptionFilters([]);
    rt.run('continue');
    const s = stops(events).pop();
    assert.ok(s && s.kind === 'stopped');
    assert.equal(s.reason, 'pause');
    assert.match(s.description, /^nothing left to run: m4 is offline/);
  });

  it('a shell command at the running stop keeps the boot over: a later rpmsg error is an rpmsg error', () => {
    const { rt, events } = runtime();
    rt.setFunctionBreakpoints(['running']);
    rt.run('continue');
    assert.equal(rt.position.line.key, 'running');
    assert.deepEqual(rt.evaluate('cat /sys/class/remoteproc/remoteproc0/state'), { output: 'running\n', status: 0 });
    rt.evaluate('rpmsg_export_ept /dev/rpmsg_ctrl0 big 1030 1024');
    assert.equal(rt.evaluate(`echo ${'x'.repeat(600)} > /dev/rpmsg0`).status, 1);
    rt.run('continue');
    const s = stops(events).pop();
    assert.ok(s && s.kind === 'stopped');
    assert.equal(s.filter, 'rpmsg-error');
    assert.match(s.description, /message is too big \(601\)/);
  });

  it('line breakpoints past the source are unverified; a core the board lacks is a launch error', () => {
    const { rt } = runtime();
    const set = rt.setLineBreakpoints([2, 99]);
    assert.deepEqual(set.map((b) => b.verified), [true, false]);
    assert.match(set[1].message ?? '', /past the life cycle's \d+ lines/);
    assert.throws(() => runtime({ core: 'a7' }), (e: Error) => e instanceof LaunchError && /board 'stm32mp157' has no core 'a7' \(cores: m4\)/.test(e.message));
  });

  it('trace output is what the remote wrote since the last look, also after the ring wrapped', () => {
    assert.equal(freshTrace('', 'boot\n'), 'boot\n');
    assert.equal(freshTrace('boot\n', 'boot\nready\n'), 'ready\n');
    assert.equal(freshTrace('boot\nready\n', 'boot\nready\n'), '');
    // An 11-byte ring: `xy\n` overwrote the start of `boot\nready\n`.
    assert.equal(freshTrace('boot\nready\n', 'xy\nt\nready\n'), 'xy\n');
  });

  describe('what the remote prints and what the simulator says of it', () => {
    const output = (events: RuntimeEvent[], category: string) =>
      events.flatMap((e) => (e.kind === 'output' && e.category === category ? [e.text] : [])).join('');

    /** Runs to the `running` line, then a little virtual time, and returns what reached the debug console. */
    function boot(over: Partial<RuntimeOptions>): { console: string; log: string } {
      const { rt, events } = runtime(over);
      rt.setFunctionBreakpoints(['running']);
      rt.run('continue');
      assert.equal(rt.position.line.key, 'running');
      rt.evaluate('sleep 0.1');
      return { console: output(events, 'console'), log: output(events, 'stdout') };
    }

    it('a stand-in says so in the debug console, marked as the simulator\'s, never in the kernel log', () => {
      const am64 = boot({ programName: 'am64-main-r5f0_0-fw.elf', data: new Uint8Array(fs.readFileSync(path.join(REPO_ROOT, 'examples/am64x/am64-main-r5f0_0-fw.elf'))), board: findBoard('am64x')! });
      assert.match(am64.console, /^\[simulator\] r5f0_0: modelled remote: the firmware's code does not run on cortex-r5f cores yet$/m);
      assert.doesNotMatch(am64.log, /simulator|modelled remote/);
      // K3 attaches at probe, before the runtime exists: the label still comes out with the first stop.
      const attach = runtime({ mode: 'attach', programName: 'am64-main-r5f0_0-fw.elf', data: new Uint8Array(fs.readFileSync(path.join(REPO_ROOT, 'examples/am64x/am64-main-r5f0_0-fw.elf'))), board: findBoard('am64x')! });
      attach.rt.entry();
      assert.match(output(attach.events, 'console'), /^\[simulator\] r5f0_0: modelled remote: /m);
      assert.match(output(attach.events, 'stdout'), /remoteproc remoteproc0: 78000000.r5f is available\n[^\n]*attaching to 78000000.r5f/, 'the probe\'s log as before');
      const picked = boot({ remote: { app: 'tty', unmodelled: 'ignore' } });
      assert.match(picked.console, /^\[simulator\] m4: modelled remote \(tty, chosen by the user\): the firmware's code does not run$/m);
    });

    it('the firmware\'s console comes out line by line, named by its core; a fault it stopped on is the simulator\'s line', () => {
      const periph = boot({ programName: 'periph-m4.elf', data: readFixture('periph-m4') });
      assert.match(periph.console, /^m4 console: hello from UART4\nm4 console: RCC_MC_AHB3ENSETR = 0x00001800$/m);
      const fault = boot({ programName: 'bare-no-handler.elf', data: readFixture('bare-no-handler') });
      assert.match(fault.console, /^\[simulator\] m4: stopped on a fault with no handler at 0x[0-9a-f]{8} \(CFSR /m);
    });

    it('an unknown remoteApp or unmodelledAccess in launch.json is a launch error naming the attribute', () => {
      const program = path.join(REPO_ROOT, 'examples/stm32mp157/rproc-m4-fw.elf');
      assert.throws(() => resolveLaunch({ program, remoteApp: 'zephyr' }, 'launch', REPO_ROOT), (e: Error) => e instanceof LaunchError && e.message.startsWith('"remoteApp" must be one of firmware, echo, tty'));
      assert.throws(() => resolveLaunch({ program, unmodelledAccess: 'warn' }, 'launch', REPO_ROOT), (e: Error) => e instanceof LaunchError && e.message === '"unmodelledAccess" must be one of ignore, fault (got "warn")');
      assert.deepEqual(resolveLaunch({ program, remoteApp: 'echo', unmodelledAccess: 'fault' }, 'launch', REPO_ROOT).options.remote, { app: 'echo', unmodelled: 'fault' });
    });
  });
});
