// rpmsg stack figures over the loopback link (host virtio_rpmsg_bus <-> OpenAMP-style echo on the
// remote, real vring bytes in one flat memory): round trips per second with 32-byte messages,
// MB/s with 496-byte messages, a baseline that copies the same bytes through the same memory
// object with no ring logic, and heap growth over a soak of 1,000,000 messages. Next to the
// loopback figure, the same echo through a whole simulated stm32mp157, one event at a time as the
// faces drive it: the example firmware's own code on the M4 takes each message from the ring on
// its IPCC interrupt and echoes it. Goal: >= 100,000 round trips/s of 32 bytes. Rates are per
// second of this process's CPU time: the machines are shared, and wall time measures the others.
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { rpmsgHostOf } from '../src/core/rpmsg/attachRpmsg';
import { findBoard } from '../src/core/soc/boardLoader';
import { createSystem } from '../src/core/system';
import { LoopbackLink } from '../test/unit/rpmsg/loopbackLink';
import type { HostEndpoint } from '../src/core/rpmsg/hostEndpoint';
import type { RpmsgDevice } from '../src/core/rpmsg/rpmsgDevice';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

interface Rig {
  link: LoopbackLink;
  rpdev: RpmsgDevice;
  ept: HostEndpoint;
  dst: number;
  received: number;
  bytes: number;
}

function rig(): Rig {
  const link = new LoopbackLink({ services: ['rpmsg-openamp-demo-channel'] }).start();
  const bus = link.bus!;
  const rpdev = bus.devices.find((d) => d.name === 'rpmsg-openamp-demo-channel')!;
  const r: Rig = { link, rpdev, ept: undefined as unknown as HostEndpoint, dst: rpdev.dst, received: 0, bytes: 0 };
  r.ept = bus.createEndpoint(rpdev, (_d, len) => {
    r.received++;
    r.bytes += len;
  }, 0xffffffff)!;
  return r;
}

/** Seconds of CPU this process used since `from`. */
function cpuSeconds(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
}

function roundTrips(r: Rig, n: number, len: number): number {
  const msg = new Uint8Array(len).fill(0x5a);
  const bus = r.link.bus!;
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    if (bus.send(r.rpdev, r.ept.addr, r.dst, msg, 0, len, false) !== 0) throw new Error('send failed');
    r.link.pump();
  }
  return n / cpuSeconds(start);
}

/** Bursts of `burst` messages, then the doorbells: how a streaming writer fills the ring. */
function streamed(r: Rig, n: number, len: number, burst: number): number {
  const msg = new Uint8Array(len).fill(0xa5);
  const bus = r.link.bus!;
  const before = r.bytes;
  const start = process.cpuUsage();
  for (let i = 0; i < n; i += burst) {
    for (let j = 0; j < burst; j++) if (bus.send(r.rpdev, r.ept.addr, r.dst, msg, 0, len, false) !== 0) throw new Error('send failed');
    r.link.pump();
  }
  return (r.bytes - before) / cpuSeconds(start);
}

/** The same bytes through the same memory object, no rings: host -> shm -> remote -> shm -> host. */
function baseline(r: Rig, n: number, len: number): number {
  const mem = r.link.mem;
  const msg = new Uint8Array(len).fill(0x5a);
  const scratch = new Uint8Array(512);
  const a = 0x10040000;
  const b = 0x10060000;
  let sum = 0;
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const off = (i & 63) * 512;
    mem.writeFrom(a + off, msg, 0, len);
    mem.readInto(a + off, scratch, 0, len);
    mem.writeFrom(b + off, scratch, 0, len);
    mem.readInto(b + off, scratch, 0, len);
    sum += scratch[len - 1];
  }
  if (sum === 0) throw new Error('baseline copied nothing');
  return n / cpuSeconds(start);
}

/** Echo round trips with the rpmsg-tty service of the example firmware on the M4 of a whole stm32mp157 system, driven by step(). */
function systemRoundTrips(n: number, len: number): number {
  const data = new Uint8Array(fs.readFileSync(path.resolve(__dirname, '../../examples/stm32mp157/rproc-m4-fw.elf')));
  const system = createSystem({ board: findBoard('stm32mp157')!, firmware: { name: 'rproc-m4-fw.elf', data } });
  system.files.write('/sys/class/remoteproc/remoteproc0/state', 'start\n');
  system.runFor(1e9);
  const bus = rpmsgHostOf(system)!.buses[0];
  const rpdev = bus.devices.find((d) => d.name === 'rpmsg-tty')!;
  let received = 0;
  const ept = bus.createEndpoint(rpdev, () => received++, 0xffffffff)!;
  const msg = new Uint8Array(len).fill(0x5a);
  const run = (count: number) => {
    for (let i = 0; i < count; i++) {
      if (bus.send(rpdev, ept.addr, rpdev.dst, msg, 0, len, false) !== 0) throw new Error('send failed');
      const want = received + 1;
      while (received < want) if (!system.step()) throw new Error('system went idle before the echo');
    }
  };
  run(n / 10); // warm-up
  const start = process.cpuUsage();
  run(n);
  return n / cpuSeconds(start);
}

const r = rig();
roundTrips(r, 200_000, 32); // warm-up
const rtps = roundTrips(r, 2_000_000, 32);
const base32 = baseline(r, 2_000_000, 32);
streamed(r, 100_000, 496, 64);
const bps = streamed(r, 1_000_000, 496, 64);
const base496 = baseline(r, 1_000_000, 496) * 496;
const sysRtps = systemRoundTrips(200_000, 32);
console.log(`rpmsg round trips (32 B): ${Math.round(rtps)} /s`);
console.log(`rpmsg round trips through the example firmware on the M4 (32 B, whole stm32mp157, step()): ${Math.round(sysRtps)} /s`);
console.log(`baseline copies (32 B, same memory, no rings): ${Math.round(base32)} /s`);
console.log(`ratio round trips / baseline: ${(rtps / base32).toFixed(3)}`);
console.log(`rpmsg throughput (496 B, echoed): ${(bps / 1e6).toFixed(1)} MB/s`);
console.log(`baseline throughput (496 B): ${(base496 / 1e6).toFixed(1)} MB/s`);
console.log(`ratio throughput / baseline: ${(bps / base496).toFixed(3)}`);

// Soak: heap after warm-up vs after 1,000,000 more messages.
const soak = rig();
roundTrips(soak, 100_000, 32);
gc();
const heapBefore = process.memoryUsage().heapUsed;
const sent = soak.received;
roundTrips(soak, 1_000_000, 32);
gc();
const heapAfter = process.memoryUsage().heapUsed;
if (soak.received - sent !== 1_000_000) throw new Error(`soak lost messages: ${soak.received - sent}`);
console.log(`soak messages: ${soak.received - sent} messages`);
console.log(`soak heap growth after warm-up: ${(((heapAfter - heapBefore) / heapBefore) * 100).toFixed(2)} %`);
