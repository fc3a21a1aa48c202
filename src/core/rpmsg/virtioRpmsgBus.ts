// The host's virtio_rpmsg_bus for one vdev (struct virtproc_info): probes the device as
// rpmsg_probe() does, owns the 512-byte buffer pool (first half rx, second half tx), the endpoint
// table, the devices on the bus, sending (with the kernel's 15 s wait for a tx buffer, in
// virtual time) and receiving. Everything crosses to the remote through ring bytes and kicks.
import type { DeviceLog } from '../kernel/kernelLog';
import { KernelError } from '../kernel/errno';
import { DriverVirtqueue } from '../virtio/driverVirtqueue';
import type { HostVirtioDevice, HostVring } from '../virtio/hostVirtioDevice';
import { copyFromMemory, copyToMemory } from '../virtio/memoryCopy';
import { VirtqueueError } from '../virtio/virtqueueError';
import { VIRTIO_CONFIG_S_ACKNOWLEDGE, VIRTIO_CONFIG_S_DRIVER, VIRTIO_CONFIG_S_DRIVER_OK } from '../virtio/virtioStatus';
import { VIRTIO_RING_F_EVENT_IDX } from '../virtio/vringLayout';
import { HostEndpoint, type RpmsgCallback } from './hostEndpoint';
import { RpmsgDevice } from './rpmsgDevice';
import type { RpmsgHost } from './rpmsgHost';
import {
  RPMSG_ADDR_ANY,
  RPMSG_BUF_SIZE,
  RPMSG_HDR_SIZE,
  RPMSG_MAX_PAYLOAD,
  RPMSG_NS_ADDR,
  RPMSG_NS_CREATE,
  RPMSG_NS_DESTROY,
  RPMSG_RESERVED_ADDRESSES,
  VIRTIO_RPMSG_F_NS,
  encodeNsMessage,
  rpmsgBufferCount,
  rpmsgDst,
  rpmsgLen,
  rpmsgSrc,
  writeRpmsgHeader,
} from './rpmsgWire';

const EINVAL = -22;
const ENOMEM = -12;
const EMSGSIZE = -90;
const ENODEV = -19;
const ERESTARTSYS = -512;
/** Send returned this: the message waits for a tx buffer and `done` gets the result. */
export const RPMSG_SEND_WAITING = 1;
const TX_WAIT_NS = 15_000_000_000;

interface Waiter {
  src: number;
  dst: number;
  data: Uint8Array;
  rpdev: RpmsgDevice;
  done: ((rc: number) => void) | undefined;
  cancelTimer: () => void;
}

/** What crossed this bus, so a test or a face can account for every message. */
export interface RpmsgBusStats {
  /** Messages put on the tx ring. */
  sent: number;
  /** Messages taken from the rx ring and dispatched. */
  received: number;
  /** Sent messages the remote never took back before the bus went away. */
  lostTx: number;
  /** Messages the remote put on the rx ring that the host never read before the bus went away. */
  lostRx: number;
}

export class VirtioRpmsgBus {
  readonly devices: RpmsgDevice[] = [];
  readonly endpoints = new Map<number, HostEndpoint>();
  readonly stats: RpmsgBusStats = { sent: 0, received: 0, lostTx: 0, lostRx: 0 };
  readonly numBufs: number;
  readonly log: DeviceLog;
  private readonly rvq: DriverVirtqueue;
  private readonly svq: DriverVirtqueue;
  private readonly rvring: HostVring;
  private readonly svring: HostVring;
  private readonly bufPa: number;
  private readonly bufDma: number;
  private lastSbuf = 0;
  private sleepers = 0;
  private readonly waiters: Waiter[] = [];
  private readonly rxScratch = new Uint8Array(RPMSG_MAX_PAYLOAD);
  private readonly hasNs: boolean;
  private removed = false;

  constructor(
    readonly host: RpmsgHost,
    readonly dev: HostVirtioDevice,
  ) {
    this.log = host.log.device(`virtio_rpmsg_bus ${dev.name}`);
    // virtio core: the driver is being bound, then feature negotiation (no FEATURES_OK without VERSION_1).
    dev.setStatus(dev.getStatus() | VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    const features = dev.deviceFeatures() & ((1 << VIRTIO_RPMSG_F_NS) | (1 << VIRTIO_RING_F_EVENT_IDX));
    dev.finalizeFeatures(features >>> 0);
    this.hasNs = (features & (1 << VIRTIO_RPMSG_F_NS)) !== 0;
    const eventIdx = (features & (1 << VIRTIO_RING_F_EVENT_IDX)) !== 0;
    [this.rvring, this.svring] = dev.findVqs(2);
    if (!this.rvring || !this.svring) throw new KernelError('ENOENT');
    const mem = dev.mem;
    try {
      this.rvq = new DriverVirtqueue('input', mem, this.rvring.pa, this.rvring.num, this.rvring.align, eventIdx, () => dev.kick(this.rvring));
      this.svq = new DriverVirtqueue('output', mem, this.svring.pa, this.svring.num, this.svring.align, eventIdx, () => dev.kick(this.svring));
    } catch (e) {
      // a ring the simulator cannot hold (num past 32768): the queue cannot be created
      if (e instanceof VirtqueueError) throw new KernelError('ENOMEM');
      throw e;
    }
    this.numBufs = rpmsgBufferCount(this.rvq.num);
    const pool = dev.allocDma(this.numBufs * RPMSG_BUF_SIZE, 8);
    this.bufPa = pool.pa;
    // dma_alloc_coherent's handle: with no dma-ranges offset it is the physical address.
    this.bufDma = pool.pa;
    for (let i = 0; i < this.numBufs / 2; i++) this.rvq.addOne(i, this.bufDma + i * RPMSG_BUF_SIZE, RPMSG_BUF_SIZE, true);
    this.svq.disableCb();
    dev.onInterrupt((notifyid) => this.interrupt(notifyid));
    this.registerDevice(new RpmsgDevice(this, 'rpmsg_ctrl', 0, 0, false, 'rpmsg_ctrl'));
    if (this.hasNs) this.registerDevice(new RpmsgDevice(this, 'rpmsg_ns', RPMSG_NS_ADDR, RPMSG_NS_ADDR, false, 'rpmsg_ns'));
    const notify = this.rvq.kickPrepare();
    dev.setStatus(dev.getStatus() | VIRTIO_CONFIG_S_DRIVER_OK);
    if (notify) dev.kick(this.rvring);
    this.log.info('rpmsg host is online');
  }

  get name(): string {
    return this.dev.name;
  }

  /** Payload bytes one message can carry (rpmsg_get_mtu). */
  get mtu(): number {
    return RPMSG_MAX_PAYLOAD;
  }

  // ---- endpoints -------------------------------------------------------------------------

  /** __rpmsg_create_ept(): a fixed address, or the lowest free one from 1024 for RPMSG_ADDR_ANY. */
  createEndpoint(rpdev: RpmsgDevice, cb: RpmsgCallback | undefined, addr: number): HostEndpoint | undefined {
    let a = addr;
    if (addr === RPMSG_ADDR_ANY) {
      a = RPMSG_RESERVED_ADDRESSES;
      while (this.endpoints.has(a)) a++;
    } else if (this.endpoints.has(addr)) {
      this.log.err(`idr_alloc failed: -28`);
      return undefined;
    }
    const ept = new HostEndpoint(a, rpdev, cb);
    this.endpoints.set(a, ept);
    return ept;
  }

  destroyEndpoint(ept: HostEndpoint): void {
    if (this.endpoints.get(ept.addr) === ept) this.endpoints.delete(ept.addr);
    ept.cb = undefined;
  }

  // ---- devices (channels) ----------------------------------------------------------------

  /** __rpmsg_create_channel(): refuses a duplicate, else registers and binds a driver. */
  createChannel(name: string, src: number, dst: number): RpmsgDevice | undefined {
    if (this.devices.some((d) => d.matches(name, src, dst))) {
      this.log.err(`channel ${name}:${src.toString(16)}:${dst.toString(16)} already exist`);
      return undefined;
    }
    const rpdev = new RpmsgDevice(this, name, src, dst, src !== RPMSG_ADDR_ANY);
    this.registerDevice(rpdev);
    return rpdev;
  }

  /** rpmsg_unregister_device() for the first device matching the channel; -EINVAL when none. */
  releaseChannel(name: string, src: number, dst: number): number {
    const rpdev = this.devices.find((d) => d.matches(name, src, dst));
    if (!rpdev) return EINVAL;
    this.unregisterDevice(rpdev);
    return 0;
  }

  private registerDevice(rpdev: RpmsgDevice): void {
    rpdev.devName = `${this.dev.name}.${rpdev.name}.${rpdev.src | 0}.${rpdev.dst | 0}`;
    this.devices.push(rpdev);
    this.host.addDeviceFiles(rpdev);
    this.host.bindDriver(rpdev);
  }

  unregisterDevice(rpdev: RpmsgDevice): void {
    const i = this.devices.indexOf(rpdev);
    if (i < 0) return;
    this.devices.splice(i, 1);
    this.host.unbindDriver(rpdev);
    this.host.removeDeviceFiles(rpdev);
  }

  /** virtio_rpmsg_announce_create/destroy: tell the remote about a local server channel. */
  announce(rpdev: RpmsgDevice, flags: typeof RPMSG_NS_CREATE | typeof RPMSG_NS_DESTROY): void {
    if (!rpdev.announce || !rpdev.ept || !this.hasNs) return;
    const msg = encodeNsMessage(rpdev.name, rpdev.ept.addr, flags);
    const err = this.send(rpdev, rpdev.ept.addr, RPMSG_NS_ADDR, msg, 0, msg.length, true);
    if (err < 0) this.log.err(`failed to announce service ${err}`);
  }

  // ---- sending ---------------------------------------------------------------------------

  /**
   * rpmsg_send_offchannel_raw(): 0 when on the ring, a negative errno, or RPMSG_SEND_WAITING when
   * `wait` and no tx buffer is free (then `done` gets 0 or -ERESTARTSYS after 15 s of virtual time).
   */
  send(rpdev: RpmsgDevice, src: number, dst: number, data: Uint8Array, offset: number, len: number, wait: boolean, done?: (rc: number) => void): number {
    if (this.removed) return ENODEV;
    if (src === RPMSG_ADDR_ANY || dst === RPMSG_ADDR_ANY) {
      this.host.log.device(rpdev.logName).err(`invalid addr (src 0x${src.toString(16)}, dst 0x${dst.toString(16)})`);
      return EINVAL;
    }
    if (len > RPMSG_MAX_PAYLOAD) {
      this.host.log.device(rpdev.logName).err(`message is too big (${len})`);
      return EMSGSIZE;
    }
    const buf = this.waiters.length === 0 ? this.getTxBuf() : -1;
    if (buf >= 0) {
      this.transmit(buf, src, dst, data, offset, len);
      return 0;
    }
    if (!wait) return ENOMEM;
    this.upSleepers();
    const waiter: Waiter = { src, dst, data: data.slice(offset, offset + len), rpdev, done, cancelTimer: () => undefined };
    waiter.cancelTimer = this.host.schedule(TX_WAIT_NS, () => {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      this.downSleepers();
      this.host.log.device(rpdev.logName).err('timeout waiting for a tx buffer');
      waiter.done?.(ERESTARTSYS);
    });
    this.waiters.push(waiter);
    return RPMSG_SEND_WAITING;
  }

  /** get_a_tx_buf(): the next never-used tx buffer, else one the remote gave back; -1 when none. */
  private getTxBuf(): number {
    if (this.lastSbuf < this.numBufs / 2) return this.numBufs / 2 + this.lastSbuf++;
    try {
      return this.svq.getBuf();
    } catch (e) {
      this.badRing('output', e);
      return -1;
    }
  }

  /** BAD_RING(): say what was wrong; the queue stays broken, as in the kernel. */
  private badRing(queue: string, e: unknown): void {
    if (!(e instanceof VirtqueueError)) throw e;
    this.log.err(`${queue}:${e.message}`);
  }

  private transmit(buf: number, src: number, dst: number, data: Uint8Array, offset: number, len: number): void {
    const pa = this.bufPa + buf * RPMSG_BUF_SIZE;
    const mem = this.dev.mem;
    writeRpmsgHeader(mem, pa, src, dst, len);
    copyToMemory(mem, pa + RPMSG_HDR_SIZE, data, offset, len);
    const err = this.svq.addOne(buf, this.bufDma + buf * RPMSG_BUF_SIZE, RPMSG_HDR_SIZE + len, false);
    if (err) {
      this.log.err(`virtqueue_add_outbuf failed: ${err}`);
      return;
    }
    this.stats.sent++;
    this.svq.kick();
  }

  /** rpmsg_upref_sleepers(): the first sleeper turns tx-complete interrupts on. */
  private upSleepers(): void {
    if (this.sleepers++ === 0) this.svq.enableCb();
  }

  private downSleepers(): void {
    if (--this.sleepers === 0) this.svq.disableCb();
  }

  // ---- receiving -------------------------------------------------------------------------

  private interrupt(notifyid: number): void {
    if (this.removed) return;
    try {
      // vring_interrupt(): a queue with nothing used is not this queue's interrupt (IRQ_NONE)
      if (notifyid === this.rvring.notifyid && this.rvq.hasUsed()) this.recvDone();
      else if (notifyid === this.svring.notifyid && this.svq.hasUsed()) this.xmitDone();
    } catch (e) {
      this.badRing(notifyid === this.rvring.notifyid ? 'input' : 'output', e);
    }
  }

  /** rpmsg_recv_done(): dispatch every used rx buffer, give each back, kick once. */
  private recvDone(): void {
    let buf = this.rvq.getBuf();
    if (buf < 0) {
      this.log.err('uhm, incoming signal, but no used buffer ?');
      return;
    }
    let received = 0;
    while (buf >= 0) {
      if (!this.recvSingle(buf, this.rvq.lastLen)) break;
      received++;
      buf = this.rvq.getBuf();
    }
    if (received) this.rvq.kick();
  }

  private recvSingle(buf: number, len: number): boolean {
    const pa = this.bufPa + buf * RPMSG_BUF_SIZE;
    const mem = this.dev.mem;
    const msgLen = rpmsgLen(mem, pa);
    if (len > RPMSG_BUF_SIZE || len < RPMSG_HDR_SIZE || msgLen > len - RPMSG_HDR_SIZE) {
      this.log.warn(`inbound msg too big: (${len}, ${msgLen})`);
      return false;
    }
    this.stats.received++;
    const ept = this.endpoints.get(rpmsgDst(mem, pa));
    if (ept) {
      const cb = ept.cb;
      if (cb) {
        copyFromMemory(mem, pa + RPMSG_HDR_SIZE, this.rxScratch, 0, msgLen);
        cb(this.rxScratch, msgLen, rpmsgSrc(mem, pa));
      }
    } else {
      this.log.warn('msg received with no recipient');
    }
    if (this.removed) return false;
    const err = this.rvq.addOne(buf, this.bufDma + buf * RPMSG_BUF_SIZE, RPMSG_BUF_SIZE, true);
    if (err < 0) {
      this.log.err(`failed to add a virtqueue buffer: ${err}`);
      return false;
    }
    return true;
  }

  /** rpmsg_xmit_done(): wake the senders waiting for a tx buffer, in order. */
  private xmitDone(): void {
    while (this.waiters.length) {
      const buf = this.getTxBuf();
      if (buf < 0) return;
      const w = this.waiters.shift()!;
      w.cancelTimer();
      this.downSleepers();
      this.transmit(buf, w.src, w.dst, w.data, 0, w.data.length);
      w.done?.(0);
    }
  }

  // ---- removal ---------------------------------------------------------------------------

  /** rpmsg_remove(): reset, unregister every device, drop the queues; account for what was in flight. */
  remove(): void {
    if (this.removed) return;
    this.dev.setStatus(0);
    for (const d of [...this.devices]) this.unregisterDevice(d);
    this.removed = true;
    this.account();
    for (const w of this.waiters.splice(0)) {
      w.cancelTimer();
      w.done?.(ENODEV);
    }
    this.sleepers = 0;
    this.endpoints.clear();
  }

  /** Buffers still owned by the remote are messages lost with it; unread rx ones too. */
  private account(): void {
    try {
      while (this.svq.getBuf() >= 0);
      while (this.rvq.getBuf() >= 0) this.stats.lostRx++;
    } catch (e) {
      if (!(e instanceof VirtqueueError)) throw e;
    }
    this.stats.lostTx += this.svq.inFlight().length;
  }
}
