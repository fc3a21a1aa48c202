// The remote's rpmsg stack, as OpenAMP's rpmsg_virtio in the device role: it waits for the host's
// DRIVER_OK in its own view of the table, builds device-side virtqueues on the vring addresses the
// host wrote there (receives on vring 1, sends on vring 0), announces named endpoints with the
// name service, and sends into the buffers the host made available. As OpenAMP, it asks the host
// not to kick for refilled buffers; a blocking send with no buffer looks again every millisecond
// of virtual time and gives up after 15 s.
import type { RemoteContext } from '../soc/remoteProgram';
import { DeviceVirtqueue } from '../virtio/deviceVirtqueue';
import { copyFromMemory, copyToMemory } from '../virtio/memoryCopy';
import { VirtqueueError } from '../virtio/virtqueueError';
import { VIRTIO_CONFIG_S_DRIVER_OK } from '../virtio/virtioStatus';
import { VIRTIO_RING_F_EVENT_IDX } from '../virtio/vringLayout';
import {
  RPMSG_ADDR_ANY,
  RPMSG_HDR_SIZE,
  RPMSG_MAX_PAYLOAD,
  RPMSG_NS_ADDR,
  RPMSG_NS_CREATE,
  RPMSG_NS_DESTROY,
  RPMSG_RESERVED_ADDRESSES,
  VIRTIO_RPMSG_F_NS,
  encodeNsMessage,
  rpmsgDst,
  rpmsgLen,
  rpmsgSrc,
  writeRpmsgHeader,
} from '../rpmsg/rpmsgWire';
import { RemoteEndpoint, type RemoteCallback } from './remoteEndpoint';
import type { RemoteVdev } from './remoteResourceTable';

/** OpenAMP's error codes (lib/include/openamp/rpmsg.h). */
export const RPMSG_ERR_NO_BUFF = -2002;
export const RPMSG_ERR_PARAM = -2003;
export const RPMSG_ERR_DEV_STATE = -2004;
export const RPMSG_ERR_BUFF_SIZE = -2005;
export const RPMSG_ERR_ADDR = -2007;
/** A blocking send is queued; its `done` gets the result. */
export const RPMSG_SEND_QUEUED = 1;

const POLL_NS = 100_000;
const POLL_GIVE_UP_NS = 10_000_000_000;
const SEND_TIMEOUT_NS = 15_000_000_000;
const SEND_RETRY_NS = 1_000_000;

interface QueuedSend {
  src: number;
  dst: number;
  data: Uint8Array;
  done: ((rc: number) => void) | undefined;
  deadline: number;
}

/** Remote -> host notification for one vring. */
export type RemoteNotify = (vringIndex: number, notifyid: number) => void;

export class RemoteRpmsg {
  readonly endpoints = new Map<number, RemoteEndpoint>();
  ready = false;
  /** Messages the remote took from the host, and messages it put on the host's rx ring. */
  received = 0;
  sent = 0;
  private rvq: DeviceVirtqueue | undefined;
  private svq: DeviceVirtqueue | undefined;
  private ns = false;
  private readonly queued: QueuedSend[] = [];
  private readonly rxScratch = new Uint8Array(RPMSG_MAX_PAYLOAD);
  private readonly readyHandlers: (() => void)[] = [];
  private cancelPoll: (() => void) | undefined;
  private cancelRetry: (() => void) | undefined;
  private broken = false;
  private readonly regionPa: number[] = [];
  private readonly regionDa: number[] = [];
  private readonly regionEnd: number[] = [];

  constructor(
    private readonly ctx: RemoteContext,
    private readonly vdev: RemoteVdev,
    private readonly notify: RemoteNotify,
  ) {
    for (const m of ctx.core.memories) {
      this.regionPa.push(m.pa);
      this.regionDa.push(m.da);
      this.regionEnd.push(m.pa + m.size);
    }
  }

  /** Starts waiting for DRIVER_OK: polls the status byte, and looks again on every kick. */
  start(): void {
    const began = this.ctx.now();
    const poll = (): void => {
      this.cancelPoll = undefined;
      if (this.checkReady()) return;
      if (this.ctx.now() - began < POLL_GIVE_UP_NS) this.cancelPoll = this.ctx.schedule(POLL_NS, poll);
    };
    poll();
  }

  stop(): void {
    this.cancelPoll?.();
    this.cancelRetry?.();
    this.cancelPoll = this.cancelRetry = undefined;
  }

  onReady(fn: () => void): void {
    if (this.ready) fn();
    else this.readyHandlers.push(fn);
  }

  /** Called from the mailbox handler: anything new on either ring. */
  kicked(): void {
    if (!this.ready) {
      this.checkReady();
      return;
    }
    if ((this.ctx.mem.read8(this.vdev.statusField) & VIRTIO_CONFIG_S_DRIVER_OK) === 0) {
      this.hostReset();
      return;
    }
    if (this.broken) return;
    try {
      this.flushQueued();
      this.receiveAll();
    } catch (e) {
      this.fail(e);
    }
  }

  /**
   * The host took DRIVER_OK away (its driver was removed: stop of the vdev, detach): drop the
   * queues and pending sends, keep the endpoints, and wait for the host to come back.
   */
  private hostReset(): void {
    this.ready = false;
    this.broken = false;
    this.rvq = this.svq = undefined;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    for (const q of this.queued.splice(0)) q.done?.(RPMSG_ERR_DEV_STATE);
    for (const ept of this.endpoints.values()) if (ept.bindsToSender) ept.dest = RPMSG_ADDR_ANY;
    this.start();
  }

  private checkReady(): boolean {
    if (this.ready) return true;
    const mem = this.ctx.mem;
    if ((mem.read8(this.vdev.statusField) & VIRTIO_CONFIG_S_DRIVER_OK) === 0) return false;
    const [tx, rx] = this.vdev.vrings;
    if (!tx || !rx) {
      this.ctx.notice('rpmsg: vdev needs two vrings');
      return true;
    }
    const features = mem.read32(this.vdev.gfeaturesField);
    const eventIdx = (features & (1 << VIRTIO_RING_F_EVENT_IDX)) !== 0;
    this.ns = (features & (1 << VIRTIO_RPMSG_F_NS)) !== 0;
    const map = (addr: number, len: number) => this.mapBuffer(addr, len);
    try {
      this.svq = new DeviceVirtqueue('vq0', mem, mem.read32(tx.daField), tx.num, tx.align, eventIdx, map);
      this.rvq = new DeviceVirtqueue('vq1', mem, mem.read32(rx.daField), rx.num, rx.align, eventIdx, map);
    } catch (e) {
      if (!(e instanceof VirtqueueError)) throw e;
      this.ctx.notice(`rpmsg: bad vring: ${e.message}`);
      return true;
    }
    this.svq.setNotify(false);
    this.ready = true;
    // back after a reset: the endpoints exist, the new host only needs to hear of them
    if (this.ns) for (const ept of this.endpoints.values()) if (ept.name) this.announce(ept, RPMSG_NS_CREATE);
    for (const fn of this.readyHandlers.splice(0)) fn();
    this.kicked();
    return true;
  }

  /** Host physical address in a descriptor -> this core's address, through the board's map. */
  private mapBuffer(addr: number, len: number): number {
    for (let i = 0; i < this.regionPa.length; i++) {
      if (addr >= this.regionPa[i] && addr + len <= this.regionEnd[i]) return addr - this.regionPa[i] + this.regionDa[i];
    }
    return -1;
  }

  /** Bad ring contents stop the stack, as a firmware assert would; the simulator's notice says why. */
  private fail(e: unknown): void {
    if (!(e instanceof VirtqueueError)) throw e;
    this.broken = true;
    this.ctx.notice(`rpmsg: ${e.message}`);
  }

  // ---- endpoints -------------------------------------------------------------------------

  /** rpmsg_create_ept(): RPMSG_ADDR_ANY takes the lowest free address from 1024; a name is announced. */
  createEndpoint(name: string, cb: RemoteCallback, src = RPMSG_ADDR_ANY, dest = RPMSG_ADDR_ANY): RemoteEndpoint | undefined {
    let addr = src;
    if (addr === RPMSG_ADDR_ANY) {
      addr = RPMSG_RESERVED_ADDRESSES;
      while (this.endpoints.has(addr)) addr++;
    } else if (this.endpoints.has(addr)) {
      return undefined;
    }
    const ept = new RemoteEndpoint(name, addr, dest, cb);
    this.endpoints.set(addr, ept);
    if (name && this.ns) this.announce(ept, RPMSG_NS_CREATE);
    return ept;
  }

  destroyEndpoint(ept: RemoteEndpoint): void {
    if (this.endpoints.get(ept.addr) !== ept) return;
    if (ept.name && this.ns && this.ready) this.announce(ept, RPMSG_NS_DESTROY);
    this.endpoints.delete(ept.addr);
    ept.cb = undefined;
  }

  private announce(ept: RemoteEndpoint, flags: number): void {
    const msg = encodeNsMessage(ept.name, ept.addr, flags);
    this.sendRaw(ept.addr, RPMSG_NS_ADDR, msg, 0, msg.length, true);
  }

  // ---- sending ---------------------------------------------------------------------------

  /** rpmsg_send(): to the endpoint's peer; 0, RPMSG_SEND_QUEUED or an RPMSG_ERR_*. */
  send(ept: RemoteEndpoint, data: Uint8Array, offset: number, len: number, wait: boolean, done?: (rc: number) => void): number {
    return this.sendRaw(ept.addr, ept.dest, data, offset, len, wait, done);
  }

  sendRaw(src: number, dst: number, data: Uint8Array, offset: number, len: number, wait: boolean, done?: (rc: number) => void): number {
    if (!this.ready || this.broken) return RPMSG_ERR_DEV_STATE;
    if (src === RPMSG_ADDR_ANY || dst === RPMSG_ADDR_ANY) return RPMSG_ERR_ADDR;
    if (len > RPMSG_MAX_PAYLOAD || len < 0) return RPMSG_ERR_BUFF_SIZE;
    if (this.queued.length === 0) {
      let rc: number;
      try {
        rc = this.transmit(src, dst, data, offset, len);
      } catch (e) {
        this.fail(e);
        return RPMSG_ERR_DEV_STATE;
      }
      if (rc !== RPMSG_ERR_NO_BUFF) return rc;
    }
    if (!wait) return RPMSG_ERR_NO_BUFF;
    this.queued.push({ src, dst, data: data.slice(offset, offset + len), done, deadline: this.ctx.now() + SEND_TIMEOUT_NS });
    this.armRetry();
    return RPMSG_SEND_QUEUED;
  }

  /** One message into the next buffer the host made available; RPMSG_ERR_NO_BUFF when none. */
  private transmit(src: number, dst: number, data: Uint8Array, offset: number, len: number): number {
    const svq = this.svq!;
    const head = svq.nextAvail();
    if (head < 0) return RPMSG_ERR_NO_BUFF;
    if (!svq.segWritable[0] || svq.segLen[0] < RPMSG_HDR_SIZE + len) {
      svq.addUsed(head, 0);
      return RPMSG_ERR_BUFF_SIZE;
    }
    const at = svq.segAddr[0];
    const mem = this.ctx.mem;
    writeRpmsgHeader(mem, at, src, dst, len);
    copyToMemory(mem, at + RPMSG_HDR_SIZE, data, offset, len);
    svq.addUsed(head, RPMSG_HDR_SIZE + len);
    this.sent++;
    if (svq.needsInterrupt()) this.notify(0, this.vdev.vrings[0].notifyid);
    return 0;
  }

  private flushQueued(): void {
    while (this.queued.length) {
      const q = this.queued[0];
      const rc = this.transmit(q.src, q.dst, q.data, 0, q.data.length);
      if (rc === RPMSG_ERR_NO_BUFF) return;
      this.queued.shift();
      q.done?.(rc);
    }
  }

  private armRetry(): void {
    if (this.cancelRetry || !this.queued.length) return;
    this.cancelRetry = this.ctx.schedule(SEND_RETRY_NS, () => {
      this.cancelRetry = undefined;
      if (this.broken) return;
      try {
        this.flushQueued();
      } catch (e) {
        this.fail(e);
        return;
      }
      const now = this.ctx.now();
      while (this.queued.length && this.queued[0].deadline <= now) this.queued.shift()!.done?.(RPMSG_ERR_NO_BUFF);
      this.armRetry();
    });
  }

  // ---- receiving -------------------------------------------------------------------------

  private receiveAll(): void {
    const rvq = this.rvq!;
    let returned = false;
    for (let head = rvq.nextAvail(); head >= 0; head = rvq.nextAvail()) {
      const at = rvq.segAddr[0];
      const bufLen = rvq.segLen[0];
      const mem = this.ctx.mem;
      const len = rpmsgLen(mem, at);
      if (bufLen >= RPMSG_HDR_SIZE && len <= bufLen - RPMSG_HDR_SIZE) {
        this.received++;
        const ept = this.endpoints.get(rpmsgDst(mem, at));
        if (ept?.cb) {
          const src = rpmsgSrc(mem, at);
          if (ept.dest === RPMSG_ADDR_ANY) ept.dest = src;
          copyFromMemory(mem, at + RPMSG_HDR_SIZE, this.rxScratch, 0, len);
          ept.cb(this.rxScratch, len, src);
        }
      } else {
        this.ctx.notice(`rpmsg: dropped message of ${len} bytes in a ${bufLen}-byte buffer`);
      }
      rvq.addUsed(head, bufLen);
      returned = true;
    }
    if (returned && rvq.needsInterrupt()) this.notify(1, this.vdev.vrings[1].notifyid);
  }
}
