import assert from 'node:assert/strict';
import { LoopbackLink } from './loopbackLink';
import { RPMSG_ERR_DEV_STATE, RPMSG_ERR_NO_BUFF, RPMSG_SEND_QUEUED } from '../../../src/core/remote/remoteRpmsg';
import { KernelError } from '../../../src/core/kernel/errno';
import { createEndpointIoctl, destroyEndpointIoctl } from '../../../src/core/rpmsg/rpmsgCtrl';
import { RPMSG_SEND_WAITING } from '../../../src/core/rpmsg/virtioRpmsgBus';
import { RPMSG_NS_ADDR } from '../../../src/core/rpmsg/rpmsgWire';
import { rpmsgSnapshot } from '../../../src/core/rpmsg/rpmsgSnapshot';
import { vringLayout } from '../../../src/core/virtio/vringLayout';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const messages = (l: LoopbackLink) => l.log.lines.map((x) => `${x.device}: ${x.message}`);

function errnoOf(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof KernelError) return e.errno;
    throw e;
  }
  return 'none';
}

describe('host rpmsg bus over virtio (loopback)', () => {
  it('comes online, sets the status byte, and creates the announced channel with the kernel lines and names', () => {
    const l = new LoopbackLink({ num: 256 }).start();
    assert.deepEqual(messages(l), [
      'virtio_rpmsg_bus virtio0: rpmsg host is online',
      'virtio_rpmsg_bus virtio0: creating channel rpmsg-tty addr 0x400',
    ]);
    assert.equal(l.mem.read8(0x10000000 + 24 + 24), 7, 'ACKNOWLEDGE | DRIVER | DRIVER_OK');
    assert.equal(l.mem.read32(0x10000000 + 24 + 16), 1, 'gfeatures: VIRTIO_RPMSG_F_NS');
    assert.deepEqual(l.files.list('/sys/bus/rpmsg/devices'), ['virtio0.rpmsg-tty.-1.1024', 'virtio0.rpmsg_ctrl.0.0', 'virtio0.rpmsg_ns.53.53']);
    const dir = '/sys/bus/rpmsg/devices/virtio0.rpmsg-tty.-1.1024';
    assert.equal(text(l.files.read(`${dir}/name`)), 'rpmsg-tty\n');
    assert.equal(text(l.files.read(`${dir}/src`)), '0x400\n');
    assert.equal(text(l.files.read(`${dir}/dst`)), '0x400\n');
    assert.equal(text(l.files.read(`${dir}/announce`)), 'false\n');
    assert.deepEqual(l.files.list('/dev'), ['rpmsg_ctrl0', 'ttyRPMSG0']);
    assert.equal(l.bus!.numBufs, 512);
    const snap = rpmsgSnapshot(l.host);
    assert.deepEqual(snap[0].channels, [
      { device: 'virtio0.rpmsg_ctrl.0.0', name: 'rpmsg_ctrl', src: 0, dst: 0, driver: 'rpmsg_ctrl', node: '/dev/rpmsg_ctrl0' },
      { device: 'virtio0.rpmsg_ns.53.53', name: 'rpmsg_ns', src: 53, dst: 53, driver: 'rpmsg_ns', node: undefined },
      { device: 'virtio0.rpmsg-tty.-1.1024', name: 'rpmsg-tty', src: 1024, dst: 1024, driver: 'rpmsg_tty', node: '/dev/ttyRPMSG0' },
    ]);
    assert.deepEqual(snap[0].endpoints.map((e) => [e.addr, e.device]), [
      [53, 'virtio0.rpmsg_ns.53.53'],
      [1024, 'virtio0.rpmsg-tty.-1.1024'],
    ]);
    assert.deepEqual(snap[0].stats, { sent: 0, received: 1, lostTx: 0, lostRx: 0 });
  });

  it('sizes the pool from the ring as rpmsg_probe does and posts the first half as rx buffers', () => {
    for (const [num, bufs] of [
      [4, 8],
      [16, 32],
      [128, 256],
      [256, 512],
      [1024, 512],
    ]) {
      const l = new LoopbackLink({ num, align: 16 }).start();
      assert.equal(l.bus!.numBufs, bufs);
      // rx ring (vring0): every descriptor is device-writable, 512 bytes, in the first half of the pool
      const lay = vringLayout(num, 16);
      const ring = l.mem.read32(0x10000000 + 24 + 28);
      for (let i = 0; i < Math.min(num, bufs / 2); i++) {
        const at = ring + 16 * i;
        assert.equal(l.mem.read32(at + 8), 512);
        assert.equal(l.mem.read16(at + 12), 2);
        assert.ok(l.mem.read32(at) >= 0x10040000 && l.mem.read32(at) < 0x10040000 + (bufs / 2) * 512);
      }
      assert.ok(lay.size > 0);
    }
  });

  it('echoes through /dev/ttyRPMSG0', () => {
    const l = new LoopbackLink().start();
    l.files.write('/dev/ttyRPMSG0', 'hi\n');
    l.advance(1_000_000);
    assert.equal(text(l.files.read('/dev/ttyRPMSG0')), 'hi\n');
    assert.equal(text(l.files.read('/dev/ttyRPMSG0')), '');
  });

  it('a tty write longer than the mtu goes out in 496-byte messages and comes back whole', () => {
    const l = new LoopbackLink().start();
    const data = new Uint8Array(1000).map((_, i) => 32 + (i % 90));
    const before = l.bus!.stats.sent;
    l.files.write('/dev/ttyRPMSG0', data);
    assert.equal(l.bus!.stats.sent - before, 3);
    l.advance(1_000_000);
    assert.deepEqual(l.files.read('/dev/ttyRPMSG0'), data);
  });

  it('without VIRTIO_RPMSG_F_NS there is no name service: announcements find no recipient', () => {
    const l = new LoopbackLink({ dfeatures: 0 }).start();
    assert.equal(l.mem.read32(0x10000000 + 24 + 16), 0);
    assert.deepEqual(l.files.list('/sys/bus/rpmsg/devices'), ['virtio0.rpmsg_ctrl.0.0']);
    // the remote did not announce (no NS negotiated); a message to 53 anyway is dropped with the kernel's warning
    l.program.rpmsg!.sendRaw(1024, RPMSG_NS_ADDR, new Uint8Array(40), 0, 40, false);
    l.advance(10_000);
    assert.deepEqual(messages(l), ['virtio_rpmsg_bus virtio0: rpmsg host is online', 'virtio_rpmsg_bus virtio0: msg received with no recipient']);
  });

  it('carries every size from 1 to 496 bytes through rpmsg_ctrl endpoints, refuses 497 with the kernel line', () => {
    const l = new LoopbackLink({ services: ['rpmsg-openamp-demo-channel'] }).start();
    const dev = createEndpointIoctl(l.host, 'rpmsg_ctrl0', { name: 'demo', src: 0xffffffff, dst: 0x400 });
    assert.equal(dev.devName, 'rpmsg0');
    assert.equal(text(l.files.read('/sys/class/rpmsg/rpmsg0/name')), 'demo\n');
    assert.equal(text(l.files.read('/sys/class/rpmsg/rpmsg0/dst')), '1024\n');
    for (let len = 1; len <= 496; len++) {
      const msg = new Uint8Array(len).map((_, i) => (i * 7 + len) & 0xff);
      l.files.write('/dev/rpmsg0', msg);
      l.advance(10_000);
      assert.deepEqual(l.files.read('/dev/rpmsg0'), msg, `len ${len}`);
    }
    assert.equal(errnoOf(() => l.files.write('/dev/rpmsg0', new Uint8Array(497))), 'EMSGSIZE');
    assert.equal(messages(l).at(-1), 'rpmsg_ctrl virtio0.rpmsg_ctrl.0.0: message is too big (497)');
    destroyEndpointIoctl(l.host, 'rpmsg0');
    assert.equal(l.files.exists('/dev/rpmsg0'), false);
  });

  it('tears a channel down on NS destroy, and reports bad name-service messages as the kernel does', () => {
    const l = new LoopbackLink().start();
    const remote = l.program.rpmsg!;
    const ept = [...remote.endpoints.values()][0];
    remote.destroyEndpoint(ept);
    l.advance(10_000);
    assert.equal(messages(l).at(-1), 'virtio_rpmsg_bus virtio0: destroying channel rpmsg-tty addr 0x400');
    assert.equal(l.files.exists('/dev/ttyRPMSG0'), false);
    assert.equal(l.files.exists('/sys/bus/rpmsg/devices/virtio0.rpmsg-tty.-1.1024'), false);

    remote.sendRaw(1024, RPMSG_NS_ADDR, new Uint8Array(10), 0, 10, false);
    const ns = (name: string, addr: number, flags: number) => {
      const m = new Uint8Array(40);
      m.set(new TextEncoder().encode(name));
      new DataView(m.buffer).setUint32(32, addr, true);
      new DataView(m.buffer).setUint32(36, flags, true);
      remote.sendRaw(1024, RPMSG_NS_ADDR, m, 0, 40, false);
    };
    ns('rpmsg-raw', 0x500, 0);
    ns('rpmsg-raw', 0x500, 0);
    ns('nothing-here', 0x501, 1);
    ns('x'.repeat(40), 0x502, 0);
    l.advance(10_000);
    assert.deepEqual(messages(l).slice(-8), [
      'virtio_rpmsg_bus virtio0: malformed ns msg (10)',
      'virtio_rpmsg_bus virtio0: creating channel rpmsg-raw addr 0x500',
      'virtio_rpmsg_bus virtio0: creating channel rpmsg-raw addr 0x500',
      'virtio_rpmsg_bus virtio0: channel rpmsg-raw:ffffffff:500 already exist',
      'virtio_rpmsg_bus virtio0: rpmsg_create_channel failed',
      'virtio_rpmsg_bus virtio0: destroying channel nothing-here addr 0x501',
      'virtio_rpmsg_bus virtio0: rpmsg_destroy_channel failed: -22',
      `virtio_rpmsg_bus virtio0: creating channel ${'x'.repeat(31)} addr 0x502`,
    ]);
    // rpmsg-raw is bound by rpmsg_char: /dev/rpmsg0 on the channel's own endpoint
    assert.ok(l.files.exists('/dev/rpmsg0'));
  });

  it('keeps order under backpressure: a 4-entry ring, 200 blocking sends, every echo once and in order', () => {
    const l = new LoopbackLink({ num: 4, align: 16, services: ['rpmsg-openamp-demo-channel'] }).start();
    const bus = l.bus!;
    const rpdev = bus.devices.find((d) => d.name === 'rpmsg-openamp-demo-channel')!;
    const got: number[] = [];
    const ept = bus.createEndpoint(rpdev, (d, len) => got.push(new DataView(d.buffer, d.byteOffset, len).getUint32(0, true)), 0xffffffff)!;
    const results: number[] = [];
    let waited = 0;
    for (let i = 0; i < 200; i++) {
      const m = new Uint8Array(8);
      new DataView(m.buffer).setUint32(0, i, true);
      const rc = bus.send(rpdev, ept.addr, rpdev.dst, m, 0, 8, true, (r) => results.push(r));
      if (rc === RPMSG_SEND_WAITING) waited++;
      else assert.equal(rc, 0);
    }
    assert.ok(waited > 150, `most sends had to wait (${waited})`);
    l.advance(100_000_000);
    assert.deepEqual(got, [...Array(200).keys()]);
    assert.deepEqual(results, Array(waited).fill(0));
  });

  it('times a blocked sender out after 15 s of virtual time, and trysend fails at once with ENOMEM', () => {
    const l = new LoopbackLink({ num: 4, align: 16 }).start();
    l.stopRemote();
    const tty = '/dev/ttyRPMSG0';
    for (let i = 0; i < 4; i++) l.files.write(tty, 'x');
    assert.equal(errnoOf(() => l.files.write(tty, 'y')), 'ENOMEM');
    // the first tx buffer (second half of the pool) holds the documented header, then the payload
    const buf = 0x10040000 + 4 * 512;
    assert.deepEqual([...l.mem.readBytes(buf, 17)], [0, 4, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0x78]);
    const bus = l.bus!;
    const rpdev = bus.devices.find((d) => d.name === 'rpmsg-tty')!;
    let rc: number | undefined;
    assert.equal(bus.send(rpdev, rpdev.src, rpdev.dst, new Uint8Array(4), 0, 4, true, (r) => (rc = r)), RPMSG_SEND_WAITING);
    l.advance(14_999_999_999);
    assert.equal(rc, undefined);
    l.advance(1);
    assert.equal(rc, -512);
    assert.equal(messages(l).at(-1), 'rpmsg_tty virtio0.rpmsg-tty.-1.1024: timeout waiting for a tx buffer');
  });

  it('the remote blocks too: a queued echo goes out when the host refills, or gives up after 15 s', () => {
    for (const hostReads of [true, false]) {
      const l = new LoopbackLink({ num: 4, align: 16 }).start();
      const remote = l.program.rpmsg!;
      const ept = [...remote.endpoints.values()][0];
      ept.dest = 1024;
      const codes: number[] = [];
      // the host's rx ring holds 4 buffers: the 5th send finds none
      const data = new Uint8Array(4);
      for (let i = 0; i < 4; i++) assert.equal(remote.send(ept, data, 0, 4, false), 0);
      assert.equal(remote.send(ept, data, 0, 4, false), RPMSG_ERR_NO_BUFF);
      assert.equal(remote.send(ept, data, 0, 4, true, (rc) => codes.push(rc)), RPMSG_SEND_QUEUED);
      // a host that never takes its interrupt never refills
      if (!hostReads) (l as unknown as { irq: undefined }).irq = undefined;
      l.advance(14_000_000_000);
      assert.deepEqual(codes, hostReads ? [0] : []);
      l.advance(1_000_000_000);
      assert.deepEqual(codes, hostReads ? [0] : [RPMSG_ERR_NO_BUFF]);
    }
  });

  it('detach and attach: the remote sees DRIVER_OK go, fails its pending sends, and re-announces to the new bus', () => {
    const l = new LoopbackLink({ num: 4, align: 16 }).start();
    const remote = l.program.rpmsg!;
    const ept = [...remote.endpoints.values()][0];
    ept.dest = 1024;
    const data = new Uint8Array(4);
    for (let i = 0; i < 4; i++) remote.send(ept, data, 0, 4, false);
    const codes: number[] = [];
    remote.send(ept, data, 0, 4, true, (rc) => codes.push(rc));
    l.removeHost();
    l.advance(1000);
    assert.deepEqual(codes, [RPMSG_ERR_DEV_STATE]);
    assert.equal(remote.ready, false);
    assert.equal(ept.dest, 0xffffffff);
    assert.equal(l.files.exists('/dev/ttyRPMSG0'), false);
    l.probeHost();
    assert.equal(messages(l).filter((m) => m.endsWith('creating channel rpmsg-tty addr 0x400')).length, 2);
    l.files.write('/dev/ttyRPMSG0', 'back');
    l.advance(1_000_000);
    assert.equal(text(l.files.read('/dev/ttyRPMSG0')), 'back');
    assert.strictEqual(l.trace(), '', 'the stand-in writes nothing into the firmware\'s trace buffer');
  });

  it('reports bad used-ring contents with the virtqueue name, as BAD_RING does', () => {
    const l = new LoopbackLink({ num: 8, align: 16 }).start();
    const ring = l.mem.read32(0x10000000 + 24 + 28);
    const lay = vringLayout(8, 16);
    l.stopRemote();
    const used = ring + lay.usedOffset;
    const idx = l.mem.read16(used + 2);
    l.mem.write32(used + 4 + 8 * (idx % 8), 600);
    l.mem.write16(used + 2, idx + 1);
    // the doorbell for vring0 as the remote would ring it
    (l as unknown as { hostRing: number }).hostRing = 1;
    l.pump();
    assert.equal(messages(l).at(-1), 'virtio_rpmsg_bus virtio0: input:id 600 out of range');
  });

  it('the older rpmsg-tty-channel name gets a device but no tty on 6.12; rpmsg_export_ept still reaches it', () => {
    const l = new LoopbackLink({ services: ['rpmsg-tty-channel'] }).start();
    assert.ok(l.files.exists('/sys/bus/rpmsg/devices/virtio0.rpmsg-tty-channel.-1.1024'));
    assert.equal(l.files.exists('/dev/ttyRPMSG0'), false);
    createEndpointIoctl(l.host, 'rpmsg_ctrl0', { name: 'tty', src: 0xffffffff, dst: 0x400 });
    l.files.write('/dev/rpmsg0', 'old');
    l.advance(1_000_000);
    assert.equal(text(l.files.read('/dev/rpmsg0')), 'old');
  });

  it('the remote never follows a bad ring: a head out of range stops its rpmsg, with the reason in a notice', () => {
    const l = new LoopbackLink({ num: 8, align: 16 }).start();
    const ring1 = l.mem.read32(0x10000000 + 24 + 28 + 20);
    const avail = ring1 + vringLayout(8, 16).availOffset;
    const idx = l.mem.read16(avail + 2);
    l.mem.write16(avail + 4 + 2 * (idx % 8), 77);
    l.mem.write16(avail + 2, idx + 1);
    (l as unknown as { remoteRing: boolean }).remoteRing = true;
    l.pump();
    assert.strictEqual(l.notices.at(-1), 'rpmsg: avail ring head 77 out of range');
    assert.strictEqual(l.trace(), '');
    l.files.write('/dev/ttyRPMSG0', 'x');
    l.advance(1_000_000);
    assert.equal(text(l.files.read('/dev/ttyRPMSG0')), '');
  });

  it('runs the kernel rpmsg-client-sample conversation to goodbye', () => {
    const l = new LoopbackLink({ services: ['rpmsg-client-sample'] }).start();
    l.advance(10_000_000);
    const m = messages(l).filter((x) => x.startsWith('rpmsg_client_sample'));
    const dev = 'rpmsg_client_sample virtio0.rpmsg-client-sample.-1.1024';
    assert.equal(m[0], `${dev}: new channel: 0x400 -> 0x400!`);
    assert.equal(m[1], `${dev}: incoming msg 1 (src: 0x400)`);
    assert.equal(m[100], `${dev}: incoming msg 100 (src: 0x400)`);
    assert.equal(m[101], `${dev}: goodbye!`);
    assert.equal(m.length, 102);
  });

  it('firmware with no known service comes up and announces nothing', () => {
    const l = new LoopbackLink({ services: [] }).start();
    assert.deepEqual(messages(l), ['virtio_rpmsg_bus virtio0: rpmsg host is online']);
    assert.deepEqual(l.notices, ['modelled remote: loopback']);
  });

  it('hundreds of endpoints: 300 rpmsg-raw channels each echo on their own /dev/rpmsgN; ttys stop at 32', () => {
    const raw = Array(300).fill('rpmsg-raw');
    const l = new LoopbackLink({ services: raw }).start();
    l.advance(10_000_000);
    assert.equal(l.host.eptdevs.size, 300);
    for (let i = 0; i < 300; i++) l.files.write(`/dev/rpmsg${i}`, `m${i}`);
    l.advance(10_000_000);
    for (let i = 0; i < 300; i++) assert.equal(text(l.files.read(`/dev/rpmsg${i}`)), `m${i}`);

    const t = new LoopbackLink({ services: Array(33).fill('rpmsg-tty') }).start();
    t.advance(10_000_000);
    assert.equal(t.host.ttys.size, 32);
    const tail = messages(t).slice(-3);
    assert.deepEqual(tail, [
      'rpmsg_tty virtio0.rpmsg-tty.-1.1056: Failed to alloc tty port',
      'rpmsg_tty virtio0.rpmsg-tty.-1.1056: rpmsg_dev_probe: failed: -28',
      'rpmsg_tty virtio0.rpmsg-tty.-1.1056: probe with driver rpmsg_tty failed with error -28',
    ]);
  });

  it('a remote crash mid-burst: every message is delivered once or counted lost; nothing duplicated', () => {
    const l = new LoopbackLink({ num: 8, align: 16, services: ['rpmsg-openamp-demo-channel'] }).start();
    const bus = l.bus!;
    const rpdev = bus.devices.find((d) => d.name === 'rpmsg-openamp-demo-channel')!;
    const echoed: number[] = [];
    const ept = bus.createEndpoint(rpdev, (d) => echoed.push(d[0] | (d[1] << 8)), 0xffffffff)!;
    const failed: number[] = [];
    let queued = 0;
    const remote = l.program.rpmsg!;
    const before = remote.received;
    for (let i = 0; i < 100; i++) {
      if (i === 37) l.stopRemote(); // power cut after 37 messages were sent
      const m = new Uint8Array([i & 0xff, i >> 8]);
      const rc = bus.send(rpdev, ept.addr, rpdev.dst, m, 0, 2, true, (r) => r !== 0 && failed.push(i));
      if (rc === RPMSG_SEND_WAITING) queued++;
      if (i < 37) l.pump();
    }
    const reachedRemote = remote.received - before;
    l.removeHost();
    const stats = bus.stats;
    assert.equal(new Set(echoed).size, echoed.length, 'no duplicates');
    assert.deepEqual(echoed, [...Array(echoed.length).keys()], 'in order');
    // every message: taken by the remote, lost in the ring, or failed back to its sender
    assert.equal(reachedRemote + stats.lostTx + failed.length, 100);
    assert.equal(failed.length, queued);
    assert.equal(l.files.exists('/dev/rpmsg_ctrl0'), false);
    assert.deepEqual(l.files.list('/sys/bus/rpmsg/devices'), []);
  });
});
