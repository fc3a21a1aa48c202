// The device side of a split virtqueue (what OpenAMP's virtqueue.c does on the remote): takes
// chains the driver made available, exposes their buffers translated to this side's addresses,
// and hands them back on the used ring. Every index, chain link, flag and buffer extent the
// driver wrote is checked before use; a bad one throws VirtqueueError and nothing is followed.
import type { MemoryAccess } from '../soc/memoryAccess';
import { VirtqueueError, type VirtqueueFault } from './virtqueueError';
import {
  VRING_AVAIL_F_NO_INTERRUPT,
  VRING_DESC_F_INDIRECT,
  VRING_DESC_F_NEXT,
  VRING_DESC_F_WRITE,
  VRING_USED_F_NO_NOTIFY,
  vringLayout,
  vringNeedEvent,
  type VringLayout,
} from './vringLayout';

const TWO_32 = 0x1_0000_0000;

/** Maps a buffer address written by the driver to this side's view; -1 when [addr, addr+len) is not all mapped. */
export type BufferAddressMap = (addr: number, len: number) => number;

export class DeviceVirtqueue {
  readonly layout: VringLayout;
  /** The chain taken by the last nextAvail(): its segments in this side's addresses. */
  segCount = 0;
  readonly segAddr: Float64Array;
  readonly segLen: Uint32Array;
  readonly segWritable: Uint8Array;
  private readonly mask: number;
  private readonly avail: number;
  private readonly used: number;
  private readonly inFlight: Uint8Array;
  private lastAvail = 0;
  /** The driver's avail idx as last read. */
  private seenAvail = 0;
  private usedIdx = 0;
  private usedSinceSignal = 0;
  private notifyOn = true;

  constructor(
    readonly name: string,
    private readonly mem: MemoryAccess,
    readonly base: number,
    num: number,
    align: number,
    private readonly eventIdx: boolean,
    private readonly mapBuffer: BufferAddressMap,
  ) {
    this.layout = vringLayout(num, align);
    this.mask = num - 1;
    this.avail = base + this.layout.availOffset;
    this.used = base + this.layout.usedOffset;
    this.segAddr = new Float64Array(num);
    this.segLen = new Uint32Array(num);
    this.segWritable = new Uint8Array(num);
    this.inFlight = new Uint8Array(num);
  }

  get num(): number {
    return this.layout.num;
  }

  hasAvail(): boolean {
    return this.mem.read16(this.avail + 2) !== this.lastAvail;
  }

  /** Head index of the next available chain (segments in seg*), or -1 when none. */
  nextAvail(): number {
    if (this.lastAvail === this.seenAvail) {
      // only look at the driver's index again once everything it published is taken
      const availIdx = this.mem.read16(this.avail + 2);
      if (availIdx === this.lastAvail) return -1;
      const ahead = (availIdx - this.lastAvail) & 0xffff;
      if (ahead > this.layout.num) this.bad('avail-index-jump', this.avail + 2, `avail idx ${availIdx} is ${ahead} ahead of ${this.lastAvail}`);
      this.seenAvail = availIdx;
    }
    const slot = this.avail + 4 + 2 * (this.lastAvail & this.mask);
    const head = this.mem.read16(slot);
    if (head >= this.layout.num) this.bad('desc-index-out-of-range', slot, `avail ring head ${head} out of range`);
    if (this.inFlight[head]) this.bad('head-in-use', slot, `head ${head} made available twice`);
    this.walkChain(head);
    this.inFlight[head] = 1;
    this.lastAvail = (this.lastAvail + 1) & 0xffff;
    if (this.eventIdx && this.notifyOn) this.mem.write16(this.used + 4 + 8 * this.layout.num, this.lastAvail);
    return head;
  }

  private walkChain(head: number): void {
    let d = head;
    let seenWritable = false;
    for (let n = 0; ; n++) {
      if (n === this.layout.num) this.bad('desc-chain-loop', this.base + 16 * d, `descriptor chain from ${head} loops`);
      const at = this.base + 16 * d;
      const lo = this.mem.read32(at);
      const hi = this.mem.read32(at + 4);
      const len = this.mem.read32(at + 8);
      const flagsNext = this.mem.read32(at + 12); // u16 flags, u16 next
      const flags = flagsNext & 0xffff;
      if (flags & VRING_DESC_F_INDIRECT) this.bad('desc-indirect', at + 12, `descriptor ${d} is indirect, not negotiated`);
      const writable = (flags & VRING_DESC_F_WRITE) !== 0;
      if (seenWritable && !writable) this.bad('desc-order', at + 12, `descriptor ${d} is readable after a writable one`);
      seenWritable = writable;
      const mapped = hi === 0 ? this.mapBuffer(lo, len) : -1;
      if (mapped < 0) {
        this.bad('desc-outside-memory', at, `descriptor ${d} buffer 0x${(hi * TWO_32 + lo).toString(16)}+${len} is outside shared memory`);
      }
      this.segAddr[n] = mapped;
      this.segLen[n] = len;
      this.segWritable[n] = writable ? 1 : 0;
      if ((flags & VRING_DESC_F_NEXT) === 0) {
        this.segCount = n + 1;
        return;
      }
      const next = flagsNext >>> 16;
      if (next >= this.layout.num) this.bad('desc-index-out-of-range', at + 14, `descriptor ${d} next ${next} out of range`);
      d = next;
    }
  }

  /** Returns a chain to the driver with `len` bytes written into it. */
  addUsed(head: number, len: number): void {
    if (head < 0 || head >= this.layout.num || !this.inFlight[head]) {
      this.bad('head-not-in-use', this.used + 2, `head ${head} is not in use`);
    }
    this.inFlight[head] = 0;
    const elem = this.used + 4 + 8 * (this.usedIdx & this.mask);
    this.mem.write32(elem, head);
    this.mem.write32(elem + 4, len);
    this.usedIdx = (this.usedIdx + 1) & 0xffff;
    this.mem.write16(this.used + 2, this.usedIdx);
    this.usedSinceSignal++;
  }

  /** Does the driver want an interrupt for what was used since the last call? */
  needsInterrupt(): boolean {
    const oldIdx = (this.usedIdx - this.usedSinceSignal) & 0xffff;
    this.usedSinceSignal = 0;
    if (this.eventIdx) return vringNeedEvent(this.mem.read16(this.base + this.layout.usedEventOffset), this.usedIdx, oldIdx);
    return (this.mem.read16(this.avail) & VRING_AVAIL_F_NO_INTERRUPT) === 0;
  }

  /** Tells the driver whether kicks are wanted (used flags, or avail_event with event index). */
  setNotify(wanted: boolean): void {
    this.notifyOn = wanted;
    if (this.eventIdx) {
      // off: an event index the driver's idx can only reach after lapping the whole ring
      const event = wanted ? this.lastAvail : (this.lastAvail - this.layout.num - 1) & 0xffff;
      this.mem.write16(this.used + 4 + 8 * this.layout.num, event);
    } else {
      this.mem.write16(this.used, wanted ? 0 : VRING_USED_F_NO_NOTIFY);
    }
  }

  private bad(fault: VirtqueueFault, where: number, message: string): never {
    throw new VirtqueueError(fault, where, message);
  }
}
