// The STM32MP157 example remote (examples/stm32mp157, C built by arm-none-eabi-gcc) booted through
// the whole system: its own code on the Cortex-M4 announces rpmsg-tty, echoes, writes its trace
// and console, and answers the host's shutdown. The fixtures m4-no-shutdown-ack and m4-lockup are
// the same firmware with one behaviour changed.
import assert from 'node:assert/strict';
import { rpmsgHostOf } from '../../../src/core/rpmsg/attachRpmsg';
import type { HostEndpoint } from '../../../src/core/rpmsg/hostEndpoint';
import type { RpmsgDevice } from '../../../src/core/rpmsg/rpmsgDevice';
import type { VirtioRpmsgBus } from '../../../src/core/rpmsg/virtioRpmsgBus';
import type { AmpSystem, SystemEvent } from '../../../src/core/system';
import { VRING_USED_F_NO_NOTIFY, vringLayout } from '../../../src/core/virtio/vringLayout';
import { exampleSystem, fixtureSystem } from '../remoteproc/helpers';

const STATE = '/sys/class/remoteproc/remoteproc0/state';
const TTY = '/dev/ttyRPMSG0';
const BOOT_LINES = 'stm32mp157 m4: rpmsg-tty echo firmware\nm4: watchdog WWDG1 started, refreshed every 50 ms\nrpmsg: waiting for virtio DRIVER_OK\nrpmsg: virtio device ready\nrpmsg: announced rpmsg-tty at 0x400\n';
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

function started(sys: AmpSystem, events: SystemEvent[] = []): AmpSystem {
  sys.events.on((e) => events.push(e));
  sys.files.write(STATE, 'start\n');
  sys.runFor(1e8);
  return sys;
}

/** A host endpoint on the rpmsg-tty channel that collects what the remote sends it. */
function endpoint(sys: AmpSystem): { bus: VirtioRpmsgBus; rpdev: RpmsgDevice; ept: HostEndpoint; got: string[]; send(s: string): number } {
  const bus = rpmsgHostOf(sys)!.buses[0];
  const rpdev = bus.devices.find((d) => d.name === 'rpmsg-tty')!;
  const got: string[] = [];
  const ept = bus.createEndpoint(rpdev, (d, len) => got.push(text(d.subarray(0, len))), 0xffffffff)!;
  return { bus, rpdev, ept, got, send: (s) => bus.send(rpdev, ept.addr, rpdev.dst, Buffer.from(s, 'latin1'), 0, s.length, false) };
}

/** [avail idx, used idx] of vring0 (the host's rx buffers) and vring1 (its messages). */
function rings(sys: AmpSystem): number[][] {
  return sys.snapshot().cores[0].vdevs[0].vrings.map((v) => [v.availIdx!, v.usedIdx!]);
}

/** The flags of vring0's used ring, which the remote writes to ask for (or suppress) the host's kicks. */
function usedFlags(sys: AmpSystem): number {
  const v = sys.snapshot().cores[0].vdevs[0].vrings[0];
  return sys.memory.host.read16(v.pa! + vringLayout(v.num, v.align).usedOffset);
}

describe('examples/stm32mp157: the C remote on the simulated M4', () => {
  it('announces rpmsg-tty from 0x400 by the name service, running its own code', () => {
    const sys = started(exampleSystem('stm32mp157'));
    assert.match(sys.dmesg(), /virtio_rpmsg_bus virtio0: creating channel rpmsg-tty addr 0x400\n$/);
    assert.deepEqual(sys.files.list('/sys/bus/rpmsg/devices').sort(), ['virtio0.rpmsg-tty.-1.1024', 'virtio0.rpmsg_ctrl.0.0', 'virtio0.rpmsg_ns.53.53']);
    assert.deepEqual(sys.snapshot().cores[0].execution, { runsFirmware: true, note: undefined });
    assert.equal(sys.snapshot().cores[0].vdevs[0].status, 7);
  });

  it('echoes each message back to its sender, in order, from single lines to a burst', () => {
    const sys = started(exampleSystem('stm32mp157'));
    for (const line of ['one\n', 'two\n', 'three\n']) {
      sys.files.write(TTY, line);
      sys.runFor(1e6);
      assert.equal(text(sys.files.read(TTY)), line);
    }
    const burst = Array.from({ length: 12 }, (_, i) => `<${i}>`);
    for (const m of burst) sys.files.write(TTY, m);
    sys.runFor(1e6);
    assert.equal(text(sys.files.read(TTY)), burst.join(''));
    const big = 'x'.repeat(495) + '!';
    sys.files.write(TTY, big);
    sys.runFor(1e6);
    assert.equal(text(sys.files.read(TTY)), big, 'a full 496-byte payload');
  });

  it('answers within microseconds of virtual time: woken by the IPCC, also between its SysTick ticks', () => {
    const sys = started(exampleSystem('stm32mp157'));
    const e = endpoint(sys);
    for (let i = 0; i < 5; i++) {
      sys.runFor(7e6 + i * 1e6); // anywhere between two watchdog refreshes
      const sent = sys.now();
      assert.equal(e.send(`ping ${i}`), 0);
      while (e.got.length === i) assert.ok(sys.step());
      const took = sys.now() - sent;
      assert.ok(took < 20e3, `echo ${i} came back after ${took} ns`);
    }
  });

  it('two host endpoints talking at once each get their own echoes', () => {
    const sys = started(exampleSystem('stm32mp157'));
    const a = endpoint(sys);
    const b = endpoint(sys);
    assert.notEqual(a.ept.addr, b.ept.addr);
    for (let i = 0; i < 6; i++) {
      assert.equal(a.send(`a${i}`), 0);
      assert.equal(b.send(`b${i}`), 0);
    }
    sys.runFor(1e6);
    assert.deepEqual(a.got, ['a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
    assert.deepEqual(b.got, ['b0', 'b1', 'b2', 'b3', 'b4', 'b5']);
  });

  it('with every host rx buffer in use, it never echoes past the buffers the host gave, and loses nothing', () => {
    const sys = started(exampleSystem('stm32mp157'));
    const e = endpoint(sys);
    for (let i = 0; i < 16; i++) assert.equal(e.send(`m${i}`), 0);
    while (rings(sys)[1][1] < 16) assert.ok(sys.step(), 'the remote takes the first 16');
    for (let i = 16; i < 32; i++) assert.equal(e.send(`m${i}`), 0);
    // Event by event: the remote's used index on vring0 never passes the host's avail index there
    // (it waits for buffers the host gives back, asking for a kick while it has none).
    for (let n = 0; n < 100_000 && e.got.length < 32; n++) {
      const [[avail, used]] = rings(sys);
      assert.ok(((avail - used) & 0xffff) <= 16, `used ${used} passed avail ${avail}`);
      if (!sys.step()) break;
    }
    sys.runFor(1e6);
    assert.deepEqual(e.got, Array.from({ length: 32 }, (_, i) => `m${i}`));
    assert.deepEqual(rings(sys)[1], [32, 32]);
    assert.equal(usedFlags(sys), VRING_USED_F_NO_NOTIFY, 'with buffers again, the kicks are suppressed');
  });

  it('writes its own lines into its trace buffer and on its console (USART3)', () => {
    const events: SystemEvent[] = [];
    const sys = started(exampleSystem('stm32mp157'), events);
    assert.equal(text(sys.files.read('/sys/kernel/debug/remoteproc/remoteproc0/trace0')), BOOT_LINES);
    assert.equal(text(sys.files.read('/dev/ttyAMP-console-m4')), BOOT_LINES);
    const console = events.filter((e) => e.kind === 'console');
    assert.ok(console.every((e) => e.kind === 'console' && e.rproc === 'remoteproc0' && e.core === 'm4'));
    assert.equal(console.map((e) => (e.kind === 'console' ? e.text : '')).join(''), BOOT_LINES);
  });

  it('answers the shutdown at once: the host sees the ack and stops it without a warning', () => {
    const sys = started(exampleSystem('stm32mp157'));
    const before = sys.now();
    sys.files.write(STATE, 'stop\n');
    assert.equal(text(sys.files.read(STATE)), 'offline\n');
    assert.ok(sys.now() - before < 1e6, `stopped after ${sys.now() - before} ns`);
    assert.doesNotMatch(sys.dmesg(), /shutdown without ack/);
    assert.match(sys.dmesg(), /remoteproc remoteproc0: stopped remote processor m4\n$/);
    assert.equal(text(sys.files.read('/dev/ttyAMP-console-m4')), BOOT_LINES + 'm4: shutdown requested, stopping\n');
  });

  it('boots again after a stop, with a new channel that echoes', () => {
    const sys = started(exampleSystem('stm32mp157'));
    sys.files.write(STATE, 'stop\n');
    started(sys);
    assert.equal(sys.dmesg().match(/creating channel rpmsg-tty addr 0x400/g)?.length, 2);
    sys.files.write(TTY, 'again');
    sys.runFor(1e6);
    assert.equal(text(sys.files.read(TTY)), 'again');
  });

  it('fixture m4-no-shutdown-ack: the host waits 500 ms, warns, and stops it all the same', () => {
    const sys = started(fixtureSystem('stm32mp157', 'm4', 'm4-no-shutdown-ack'));
    sys.files.write(TTY, 'still echoes');
    sys.runFor(1e6);
    assert.equal(text(sys.files.read(TTY)), 'still echoes');
    const before = sys.now();
    sys.files.write(STATE, 'stop\n');
    assert.ok(sys.now() - before >= 500e6, `waited ${sys.now() - before} ns`);
    assert.match(sys.dmesg(), /remoteproc remoteproc0: warning: remote FW shutdown without ack\n.*remoteproc remoteproc0: stopped remote processor m4\n$/);
    assert.match(text(sys.files.read('/dev/ttyAMP-console-m4')), /m4: shutdown requested, not answered\nrpmsg: virtio device reset\n$/);
  });

  it('fixture m4-lockup: the core locks up on the first message; its watchdog resets it and the host recovers', () => {
    const events: SystemEvent[] = [];
    const sys = started(fixtureSystem('stm32mp157', 'm4', 'm4-lockup'), events);
    assert.match(sys.dmesg(), /creating channel rpmsg-tty addr 0x400\n$/);
    sys.files.write(TTY, 'hello?');
    const lockedAt = sys.now();
    sys.runFor(1e6);
    assert.equal(text(sys.files.read(TTY)), '', 'no echo');
    const note = sys.snapshot().cores[0].execution?.note ?? '';
    assert.match(note, /^locked up in HardFault at 0x[0-9a-f]{8} \(CFSR 0x00010000: UNDEFINSTR\)$/);
    assert.ok(events.some((e) => e.kind === 'notice' && e.text === note), 'the lockup is a notice of the system');
    assert.match(text(sys.files.read('/dev/ttyAMP-console-m4')), /m4: locking up\n$/);
    // WWDG1 is no longer refreshed: within its ~160 ms it resets the M4, which the host takes for a crash
    sys.runFor(200e6);
    const crash = /\[\s*(\d+\.\d+)\] remoteproc remoteproc0: crash detected in m4: type watchdog\n/.exec(sys.dmesg());
    assert.ok(crash, sys.dmesg());
    const after = Number(crash[1]) * 1e9 - lockedAt;
    assert.ok(after > 100e6 && after <= 165e6, `the watchdog bit ${after} ns after the lockup`);
    assert.ok(events.some((e) => e.kind === 'notice' && /WWDG1 reset the core/.test(e.text)));
    assert.match(sys.dmesg(), /recovering m4\n[\s\S]*creating channel rpmsg-tty addr 0x400\n$/);
    assert.equal(text(sys.files.read(STATE)), 'running\n');
  });

  it('runs for seconds with its watchdog refreshed: no crash', () => {
    const sys = started(exampleSystem('stm32mp157'));
    sys.runFor(3e9);
    assert.doesNotMatch(sys.dmesg(), /crash/);
    sys.files.write(TTY, 'still here');
    sys.runFor(1e6);
    assert.equal(text(sys.files.read(TTY)), 'still here');
  });
});
