// The driver side of a split virtqueue (what the host's virtio_ring.c does): it owns the
// descriptor free list in private shadow state, publishes buffer chains on the available ring,
// and takes finished ones back from the used ring. Everything the device wrote is checked
// before use; a bad value marks the queue broken and throws VirtqueueError.
import type { MemoryAccess } from '../soc/memoryAccess';
import { VirtqueueError } from './virtqueueError';
import {
  VRING_AVAIL_F_NO_INTERRUPT,
  VRING_DESC_F_NEXT,
  VRING_DESC_F_WRITE,
  VRING_USED_F_NO_NOTIFY,
  vringLayout,
  vringNeedEvent,
  type VringLayout,
} from './vringLayout';

const TWO_32 = 0x1_0000_0000;
const ENOSPC = 28;

export class DriverVirtqueue {
  readonly layout: VringLayout;
  /** Length the device reported for the buffer last returned by getBuf(). */
  lastLen = 0;
  broken = false;
  private readonly mask: number;
  private readonly avail: number;
  private readonly used: number;
  private readonly shadowNext: Uint16Array;
  /** Token of each in-flight chain, by head index; -1 where the index is not a head. */
  private readonly tokens: Int32Array;
  private readonly chainCount: Uint16Array;
  /** Total bytes of each in-flight chain: a used length past it is garbage. (Devices such as
   * OpenAMP report the read length of a read-only buffer, so the bound is the whole chain.) */
  private readonly chainBytes: Float64Array;
  private freeHead = 0;
  private free: number;
  private availIdx = 0;
  private added = 0;
  private lastUsed = 0;
  /** The device's used idx as last read. */
  private seenUsed = 0;
  private callbacksOn = true;

  constructor(
    readonly name: string,
    private readonly mem: MemoryAccess,
    /** Address of the descriptor table in this side's view. */
    readonly base: number,
    num: number,
    align: number,
    private readonly eventIdx: boolean,
    private readonly notify: () => void,
  ) {
    this.layout = vringLayout(num, align);
    this.mask = num - 1;
    this.avail = base + this.layout.availOffset;
    this.used = base + this.layout.usedOffset;
    this.shadowNext = new Uint16Array(num);
    // as virtio_ring.c: each free descriptor links to the next; the last link (num) is never followed
    for (let i = 0; i < num; i++) this.shadowNext[i] = i + 1;
    this.tokens = new Int32Array(num).fill(-1);
    this.chainCount = new Uint16Array(num);
    this.chainBytes = new Float64Array(num);
    this.free = num;
    mem.fill(base, this.layout.size, 0);
  }

  get num(): number {
    return this.layout.num;
  }
  get numFree(): number {
    return this.free;
  }

  /** One buffer (the rpmsg case): device-readable, or device-writable when `writable`. */
  addOne(token: number, addr: number, len: number, writable: boolean): number {
    if (this.free < 1) return -ENOSPC;
    const head = this.freeHead;
    this.freeHead = this.shadowNext[head];
    // as virtqueue_add_split, `next` holds the free-list link even without VRING_DESC_F_NEXT
    this.writeDesc(head, addr, len, writable ? VRING_DESC_F_WRITE : 0, this.freeHead);
    this.publish(head, token, 1, len);
    return 0;
  }

  /** A chain of `outCount` device-readable then `inCount` device-writable buffers. 0 or -ENOSPC. */
  add(token: number, addrs: ArrayLike<number>, lens: ArrayLike<number>, outCount: number, inCount: number): number {
    const total = outCount + inCount;
    if (total < 1 || total > this.free) return -ENOSPC;
    const head = this.freeHead;
    let d = head;
    let bytes = 0;
    for (let i = 0; i < total; i++) {
      const next = this.shadowNext[d];
      const isIn = i >= outCount;
      bytes += lens[i];
      const flags = (isIn ? VRING_DESC_F_WRITE : 0) | (i < total - 1 ? VRING_DESC_F_NEXT : 0);
      this.writeDesc(d, addrs[i], lens[i], flags, next);
      if (i < total - 1) d = next;
      else this.freeHead = next;
    }
    this.publish(head, token, total, bytes);
    return 0;
  }

  private writeDesc(i: number, addr: number, len: number, flags: number, next: number): void {
    const at = this.base + 16 * i;
    this.mem.write32(at, addr >>> 0);
    this.mem.write32(at + 4, Math.floor(addr / TWO_32));
    this.mem.write32(at + 8, len);
    this.mem.write32(at + 12, flags | (next << 16)); // flags then next, little-endian
  }

  private publish(head: number, token: number, count: number, bytes: number): void {
    this.free -= count;
    this.tokens[head] = token;
    this.chainCount[head] = count;
    this.chainBytes[head] = bytes;
    this.mem.write16(this.avail + 4 + 2 * (this.availIdx & this.mask), head);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    this.mem.write16(this.avail + 2, this.availIdx);
    this.added++;
  }

  /** Does the device want a notification for what was added since the last call? */
  kickPrepare(): boolean {
    const oldIdx = (this.availIdx - this.added) & 0xffff;
    this.added = 0;
    if (this.eventIdx) return vringNeedEvent(this.mem.read16(this.base + this.layout.availEventOffset), this.availIdx, oldIdx);
    return (this.mem.read16(this.used) & VRING_USED_F_NO_NOTIFY) === 0;
  }

  kick(): boolean {
    const needed = this.kickPrepare();
    if (needed) this.notify();
    return needed;
  }

  hasUsed(): boolean {
    return !this.broken && this.mem.read16(this.used + 2) !== this.lastUsed;
  }

  /** Token of the next finished chain (and its length in lastLen), or -1 when none. */
  getBuf(): number {
    if (this.broken) return -1;
    if (this.lastUsed === this.seenUsed) {
      // only look at the device's index again once everything it returned is taken
      const usedIdx = this.mem.read16(this.used + 2);
      if (usedIdx === this.lastUsed) return -1;
      if (((usedIdx - this.lastUsed) & 0xffff) > this.layout.num) {
        return this.bad('used-index-jump', this.used + 2, `used idx ${usedIdx} is ${(usedIdx - this.lastUsed) & 0xffff} ahead of ${this.lastUsed}`);
      }
      this.seenUsed = usedIdx;
    }
    const elem = this.used + 4 + 8 * (this.lastUsed & this.mask);
    const id = this.mem.read32(elem);
    const len = this.mem.read32(elem + 4);
    if (id >= this.layout.num) return this.bad('desc-index-out-of-range', elem, `id ${id} out of range`);
    const token = this.tokens[id];
    if (token < 0) return this.bad('head-not-in-use', elem, `id ${id} is not a head!`);
    if (len > this.chainBytes[id]) {
      return this.bad('used-len-past-buffer', elem + 4, `used len ${len} is past the ${this.chainBytes[id]} bytes of id ${id}`);
    }
    let last = id;
    for (let i = 1; i < this.chainCount[id]; i++) last = this.shadowNext[last];
    this.shadowNext[last] = this.freeHead;
    this.freeHead = id;
    this.free += this.chainCount[id];
    this.tokens[id] = -1;
    this.lastUsed = (this.lastUsed + 1) & 0xffff;
    if (this.eventIdx && this.callbacksOn) this.mem.write16(this.base + this.layout.usedEventOffset, this.lastUsed);
    this.lastLen = len;
    return token;
  }

  /** Asks the device not to interrupt (virtqueue_disable_cb). */
  disableCb(): void {
    this.callbacksOn = false;
    // with event index the kernel parks used_event at 0 ("a hack", says virtio_ring.c)
    if (this.eventIdx) this.mem.write16(this.base + this.layout.usedEventOffset, 0);
    else this.mem.write16(this.avail, VRING_AVAIL_F_NO_INTERRUPT);
  }

  /** Re-enables interrupts; false when used buffers are already pending (virtqueue_enable_cb). */
  enableCb(): boolean {
    this.callbacksOn = true;
    if (this.eventIdx) this.mem.write16(this.base + this.layout.usedEventOffset, this.lastUsed);
    else this.mem.write16(this.avail, 0);
    return !this.hasUsed();
  }

  /** Tokens of every chain still owned by the device (what is lost if it goes away now). */
  inFlight(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.layout.num; i++) if (this.tokens[i] >= 0) out.push(this.tokens[i]);
    return out;
  }

  private bad(fault: ConstructorParameters<typeof VirtqueueError>[0], where: number, message: string): never {
    this.broken = true;
    throw new VirtqueueError(fault, where, message);
  }
}
