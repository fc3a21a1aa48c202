// A host rpmsg bus and a remote OpenAMP-style stack joined over one flat shared memory, with no
// board and no remoteproc around them: a resource table laid out as a firmware would ship it,
// a vdev the way remoteproc_virtio presents it, and a doorbell per direction. The bench measures
// the stack through it, and tests use it to look at the protocol alone. Kicks set a doorbell;
// pump() rings them until both sides are quiet, so nothing recurses and nothing allocates.
import { ElfFile } from '../../../src/core/elf/elfFile';
import { KernelLog } from '../../../src/core/kernel/kernelLog';
import { FileTree } from '../../../src/core/shell/fileTree';
import { Scheduler } from '../../../src/core/sim/scheduler';
import type { CoreDesc } from '../../../src/core/soc/board';
import type { RemoteContext } from '../../../src/core/soc/remoteProgram';
import { FlatMemory } from '../virtio/flatMemory';
import type { HostVirtioDevice, HostVring } from '../../../src/core/virtio/hostVirtioDevice';
import { vringLayout } from '../../../src/core/virtio/vringLayout';
import { RpmsgHost } from '../../../src/core/rpmsg/rpmsgHost';
import type { VirtioRpmsgBus } from '../../../src/core/rpmsg/virtioRpmsgBus';
import { RPMSG_BUF_SIZE, VIRTIO_ID_RPMSG, VIRTIO_RPMSG_F_NS, rpmsgBufferCount } from '../../../src/core/rpmsg/rpmsgWire';
import { OpenampProgram } from '../../../src/core/remote/openampProgram';

export interface LoopbackOptions {
  /** Entries per vring (power of two, ≤ 1024). */
  readonly num?: number;
  readonly align?: number;
  /** Device features the "firmware" offers (default: name service). */
  readonly dfeatures?: number;
  /** Services the remote runs (default: the tty echo). */
  readonly services?: readonly string[];
}

const BASE = 0x10000000;
const SIZE = 0x100000;
const TABLE = BASE;
const TRACE = BASE + 0x400;
const TRACE_LEN = 0x800;
const VRING0 = BASE + 0x10000;
const VRING_STRIDE = 0x8000;
const BUFFERS = BASE + 0x40000;
const VDEV = TABLE + 24;

/** The smallest valid ELF32 header: the loopback's remote has no image, only a context that needs one. */
function emptyElf(): ElfFile {
  const b = new Uint8Array(52);
  b.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  const v = new DataView(b.buffer);
  v.setUint16(16, 2, true);
  v.setUint16(18, 40, true);
  v.setUint32(20, 1, true);
  v.setUint16(40, 52, true);
  v.setUint16(42, 32, true);
  v.setUint16(46, 40, true);
  return ElfFile.parse(b);
}

export class LoopbackLink {
  readonly mem = new FlatMemory(BASE, SIZE);
  readonly scheduler = new Scheduler();
  readonly files = new FileTree();
  readonly log = new KernelLog(() => this.scheduler.now());
  readonly host: RpmsgHost;
  readonly program: OpenampProgram;
  /** What the stand-in said (its notices). */
  readonly notices: string[] = [];
  readonly core: CoreDesc;
  bus: VirtioRpmsgBus | undefined;
  private removeBus: (() => void) | undefined;
  private hostRing = 0;
  private remoteRing = false;
  private irq: ((notifyid: number) => void) | undefined;
  private remoteKick: (() => void) | undefined;
  private readonly num: number;
  private readonly align: number;

  constructor(opts: LoopbackOptions = {}) {
    this.num = opts.num ?? 256;
    this.align = opts.align ?? 4096;
    if (vringLayout(this.num, this.align).size > VRING_STRIDE || this.num > 1024) throw new RangeError(`vring of ${this.num} does not fit the loopback`);
    this.host = new RpmsgHost({ scheduler: this.scheduler, files: this.files, log: this.log });
    this.program = new OpenampProgram(opts.services ?? ['rpmsg-tty'], 'modelled remote: loopback');
    this.core = {
      name: 'loopback',
      id: 'loopback',
      cpu: 'cortex-m4',
      endian: 'little',
      driver: 'stm32_rproc',
      defaultFirmware: '',
      memories: [{ name: 'shm', da: BASE, pa: BASE, size: SIZE, kind: 'sram', access: 'rw' }],
      memoryRegions: [],
      mailbox: [
        { name: 'vq0', latencyNs: 0 },
        { name: 'vq1', latencyNs: 0 },
      ],
      tableRequired: true,
      earlyBootCapable: false,
    };
    this.writeTable(opts.dfeatures ?? 1 << VIRTIO_RPMSG_F_NS);
  }

  /** The firmware's table: one rpmsg vdev with two vrings (da left to the host), a trace buffer. */
  private writeTable(dfeatures: number): void {
    const m = this.mem;
    m.write32(TABLE, 1);
    m.write32(TABLE + 4, 2);
    m.write32(TABLE + 16, VDEV - TABLE);
    const trace = VDEV + 28 + 2 * 20;
    m.write32(TABLE + 20, trace - TABLE);
    m.write32(VDEV, 3);
    m.write32(VDEV + 4, VIRTIO_ID_RPMSG);
    m.write32(VDEV + 12, dfeatures);
    m.write8(VDEV + 25, 2);
    for (let i = 0; i < 2; i++) {
      const vr = VDEV + 28 + 20 * i;
      m.write32(vr, 0xffffffff);
      m.write32(vr + 4, this.align);
      m.write32(vr + 8, this.num);
      m.write32(vr + 12, i);
    }
    m.write32(trace, 2);
    m.write32(trace + 4, TRACE);
    m.write32(trace + 8, TRACE_LEN);
  }

  /** Releases the remote and probes the host bus, then runs until both are up. */
  start(): this {
    const ctx: RemoteContext = {
      core: this.core,
      mem: this.mem,
      elf: emptyElf(),
      peripherals: undefined,
      resourceTableDa: TABLE,
      now: () => this.scheduler.now(),
      nextEventNs: () => this.scheduler.nextTime(),
      watchEventsBefore: () => undefined,
      unwatchEvents: () => undefined,
      setClock: () => undefined,
      useMailboxDevice: () => undefined,
      console: () => undefined,
      notice: (text) => this.notices.push(text),
      schedule: (ns, fn) => this.scheduler.after(ns, fn, 'remote'),
      timer: (fn) => {
        let cancel: (() => void) | undefined;
        return {
          set: (ns) => {
            cancel?.();
            cancel = this.scheduler.after(ns, fn, 'remote');
          },
          cancel: () => cancel?.(),
        };
      },
      kick: (_ch, value) => {
        this.hostRing |= 1 << (value ?? 0);
      },
      onKick: (h) => {
        this.remoteKick = () => h('vq0', 0);
      },
      random: () => 0.5,
      crash: () => this.stopRemote(),
    };
    this.program.start(ctx);
    this.probeHost();
    return this;
  }

  /** The host binds virtio_rpmsg_bus to the vdev (again, after removeHost(): an attach). */
  probeHost(): void {
    const binding = this.host.probe(this.hostDevice());
    this.bus = binding.bus;
    this.removeBus = binding.remove;
    this.advance(1_000_000);
  }

  private hostDevice(): HostVirtioDevice {
    const m = this.mem;
    let dma = BUFFERS;
    return {
      name: 'virtio0',
      id: VIRTIO_ID_RPMSG,
      mem: m,
      deviceFeatures: () => m.read32(VDEV + 12),
      finalizeFeatures: (f) => m.write32(VDEV + 16, f),
      getStatus: () => m.read8(VDEV + 24),
      setStatus: (s) => m.write8(VDEV + 24, s),
      readConfig: (_o, len) => new Uint8Array(len),
      findVqs: (count) => {
        const out: HostVring[] = [];
        for (let i = 0; i < count; i++) {
          const pa = VRING0 + i * VRING_STRIDE;
          m.write32(VDEV + 28 + 20 * i, pa);
          out.push({ index: i, pa, da: pa, num: this.num, align: this.align, notifyid: i });
        }
        return out;
      },
      allocDma: (size) => {
        if (size > rpmsgBufferCount(this.num) * RPMSG_BUF_SIZE || dma !== BUFFERS) throw new RangeError('loopback has one buffer pool');
        dma += size;
        return { pa: BUFFERS, da: BUFFERS };
      },
      kick: () => {
        this.remoteRing = true;
      },
      onInterrupt: (h) => {
        this.irq = h;
      },
    };
  }

  /** Rings the doorbells until neither side has anything to say. */
  pump(): void {
    while (this.remoteRing || this.hostRing) {
      if (this.remoteRing) {
        this.remoteRing = false;
        this.remoteKick?.();
      }
      const ring = this.hostRing;
      this.hostRing = 0;
      if (ring & 1) this.irq?.(0);
      if (ring & 2) this.irq?.(1);
    }
  }

  /** Lets `ns` of virtual time pass, ringing doorbells before and after. */
  advance(ns: number): void {
    this.pump();
    const until = this.scheduler.now() + ns;
    while (this.scheduler.nextTime() !== undefined && this.scheduler.nextTime()! <= until) {
      this.scheduler.step();
      this.pump();
    }
    this.scheduler.runUntil(until);
  }

  /** The remote stops dead (crash or power cut): the host keeps its bus until removeHost(). */
  stopRemote(): void {
    this.program.stop();
    this.remoteKick = undefined;
  }

  /** rproc stop/crash on the host side: the bus is removed as rpmsg_remove() does. */
  removeHost(): void {
    // the host's last doorbell lets the remote see the cleared status (as zynqmp_r5 does on detach)
    this.remoteRing = true;
    this.removeBus?.();
    this.removeBus = undefined;
    this.bus = undefined;
  }

  /** The trace buffer as debugfs trace0 shows it (up to the first NUL). */
  trace(): string {
    const b = this.mem.readBytes(TRACE, TRACE_LEN);
    const end = b.indexOf(0);
    return new TextDecoder().decode(b.subarray(0, end < 0 ? b.length : end));
  }
}
