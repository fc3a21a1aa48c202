// One side's view of memory (the host's physical addresses, or a remote core's device
// addresses): windows onto physical banks. The hot path of every accessor is a compare against
// the last window hit, a shift, an array index and a DataView access, with no allocation.
// Reads through a view can be observed (a debugger watching what the host reads); while any
// observer is set the view's reads all take the slow path, which tells them.
import { MemoryAccess, MemoryFault } from './memoryAccess';
import { MemoryBank, PAGE_MASK, PAGE_SHIFT, PAGE_SIZE, type RangeObserver } from './physicalMemory';

/** Below this many bytes a byte loop beats making a view to copy from. */
const SMALL_COPY = 64;

export interface Window {
  readonly name: string;
  /** Address in this view. */
  readonly start: number;
  readonly size: number;
  readonly bank: MemoryBank;
  /** Offset of `start` inside the bank. */
  readonly bankOffset: number;
  readonly writable: boolean;
}

interface ReadObserver extends RangeObserver {
  readonly bank: MemoryBank;
}

export class AddressSpace implements MemoryAccess {
  // Last window hit, for reads and for writes (a read-only window never enters the write cache).
  private rStart = 0;
  private rSize = 0;
  private rOff = 0;
  private rPages: (DataView | undefined)[] = [];
  private wStart = 0;
  private wSize = 0;
  private wOff = 0;
  private wPages: (DataView | undefined)[] = [];
  private wBank: MemoryBank | undefined;
  /** Told of reads through this view; while there are any, the read cache above stays empty. */
  private readObservers: readonly ReadObserver[] = [];
  /** Inside unobserved(): reads are the simulator's own looks, nobody's accesses. */
  private unobservedDepth = 0;

  constructor(
    readonly name: string,
    readonly windows: readonly Window[],
  ) {}

  /** The window holding [addr, addr+len), if any. */
  windowAt(addr: number, len = 1): Window | undefined {
    for (const w of this.windows) if (addr >= w.start && addr + len <= w.start + w.size) return w;
    return undefined;
  }

  /** True when the whole range is mapped. */
  isMapped(addr: number, len: number): boolean {
    return this.windowAt(addr, Math.max(len, 1)) !== undefined;
  }

  /**
   * `fn` is told of every read through this view that touches bank offsets [off, off+len) of
   * `bank`, after it; returns the function that stops it.
   */
  observeReads(bank: MemoryBank, off: number, len: number, fn: (off: number, len: number) => void): () => void {
    const o: ReadObserver = { bank, lo: off, hi: off + len, fn };
    this.readObservers = [...this.readObservers, o];
    this.rStart = this.rSize = 0;
    return () => {
      this.readObservers = this.readObservers.filter((x) => x !== o);
    };
  }

  /** Runs `fn` with its reads told to no observer: the simulator looking at memory for a view or a snapshot. */
  unobserved<T>(fn: () => T): T {
    this.unobservedDepth++;
    try {
      return fn();
    } finally {
      this.unobservedDepth--;
    }
  }

  read8(addr: number): number {
    const o = addr - this.rStart;
    if (o >= 0 && o < this.rSize) {
      const b = o + this.rOff;
      const p = this.rPages[b >>> PAGE_SHIFT];
      if (p !== undefined) return p.getUint8(b & PAGE_MASK);
    }
    return this.slowRead(addr, 1);
  }

  read16(addr: number): number {
    const o = addr - this.rStart;
    if (o >= 0 && o + 1 < this.rSize) {
      const b = o + this.rOff;
      const po = b & PAGE_MASK;
      const p = this.rPages[b >>> PAGE_SHIFT];
      if (p !== undefined && po <= PAGE_SIZE - 2) return p.getUint16(po, true);
    }
    return this.slowRead(addr, 2);
  }

  read32(addr: number): number {
    const o = addr - this.rStart;
    if (o >= 0 && o + 3 < this.rSize) {
      const b = o + this.rOff;
      const po = b & PAGE_MASK;
      const p = this.rPages[b >>> PAGE_SHIFT];
      if (p !== undefined && po <= PAGE_SIZE - 4) return p.getUint32(po, true);
    }
    return this.slowRead(addr, 4);
  }

  write8(addr: number, value: number): void {
    const o = addr - this.wStart;
    if (o >= 0 && o < this.wSize) {
      const b = o + this.wOff;
      const p = this.wPages[b >>> PAGE_SHIFT];
      if (p !== undefined) {
        p.setUint8(b & PAGE_MASK, value);
        this.wBank!.wrote(b, 1);
        return;
      }
    }
    this.slowWrite(addr, 1, value);
  }

  write16(addr: number, value: number): void {
    const o = addr - this.wStart;
    if (o >= 0 && o + 1 < this.wSize) {
      const b = o + this.wOff;
      const po = b & PAGE_MASK;
      const p = this.wPages[b >>> PAGE_SHIFT];
      if (p !== undefined && po <= PAGE_SIZE - 2) {
        p.setUint16(po, value, true);
        this.wBank!.wrote(b, 2);
        return;
      }
    }
    this.slowWrite(addr, 2, value);
  }

  write32(addr: number, value: number): void {
    const o = addr - this.wStart;
    if (o >= 0 && o + 3 < this.wSize) {
      const b = o + this.wOff;
      const po = b & PAGE_MASK;
      const p = this.wPages[b >>> PAGE_SHIFT];
      if (p !== undefined && po <= PAGE_SIZE - 4) {
        p.setUint32(po, value, true);
        this.wBank!.wrote(b, 4);
        return;
      }
    }
    this.slowWrite(addr, 4, value);
  }

  readBytes(addr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    this.forEachChunk(addr, len, 'read', (w, off, n, done) => {
      w.bank.copyOut(off, n, out, done);
      if (this.readObservers.length !== 0) this.tellReads(w.bank, off, n);
    });
    return out;
  }

  writeBytes(addr: number, data: Uint8Array): void {
    this.forEachChunk(addr, data.length, 'write', (w, off, n, done) => w.bank.copyIn(off, data.subarray(done, done + n)));
  }

  fill(addr: number, len: number, value: number): void {
    this.forEachChunk(addr, len, 'write', (w, off, n) => w.bank.fillRange(off, n, value & 0xff));
  }

  /** readBytes into a caller's buffer, allocation-free when the range lies in one window. */
  readInto(addr: number, target: Uint8Array, offset: number, len: number): void {
    const w = this.windowAt(addr, Math.max(len, 1));
    if (!w || len <= 0) {
      target.set(this.readBytes(addr, len), offset);
      return;
    }
    const bank = w.bank;
    let b = w.bankOffset + (addr - w.start);
    let done = 0;
    while (done < len) {
      const po = b & PAGE_MASK;
      const n = Math.min(len - done, PAGE_SIZE - po);
      const page = bank.bytes[b >>> PAGE_SHIFT];
      if (!page) target.fill(0, offset + done, offset + done + n);
      else if (n <= SMALL_COPY) for (let i = 0; i < n; i++) target[offset + done + i] = page[po + i];
      else target.set(page.subarray(po, po + n), offset + done);
      done += n;
      b += n;
    }
    if (this.readObservers.length !== 0) this.tellReads(bank, w.bankOffset + (addr - w.start), len);
  }

  /** writeBytes from part of a caller's buffer, allocation-free when the range lies in one window. */
  writeFrom(addr: number, source: Uint8Array, offset: number, len: number): void {
    const w = this.windowAt(addr, Math.max(len, 1));
    if (!w || !w.writable || len <= 0) {
      this.writeBytes(addr, source.subarray(offset, offset + len));
      return;
    }
    const bank = w.bank;
    let b = w.bankOffset + (addr - w.start);
    bank.wrote(b, len);
    let done = 0;
    while (done < len) {
      const po = b & PAGE_MASK;
      const n = Math.min(len - done, PAGE_SIZE - po);
      const pi = b >>> PAGE_SHIFT;
      bank.pageForWrite(pi);
      const page = bank.bytes[pi]!;
      if (n <= SMALL_COPY) for (let i = 0; i < n; i++) page[po + i] = source[offset + done + i];
      else page.set(source.subarray(offset + done, offset + done + n), po);
      done += n;
      b += n;
    }
  }

  /** Splits [addr, addr+len) over consecutive windows; faults on any hole. */
  private forEachChunk(
    addr: number,
    len: number,
    access: 'read' | 'write',
    fn: (w: Window, bankOff: number, n: number, done: number) => void,
  ): void {
    if (!Number.isInteger(len) || len < 0) throw new MemoryFault(addr, len, access, 'bad length');
    // Check the whole range first so a faulting access changes nothing.
    const parts: [Window, number, number, number][] = [];
    let done = 0;
    while (done < len) {
      const a = addr + done;
      const w = this.windowAt(a);
      if (!w) throw new MemoryFault(addr, len, access, `0x${a.toString(16)} is not mapped in ${this.name}`);
      if (access === 'write' && !w.writable) throw new MemoryFault(addr, len, access, `${w.name} is read-only in ${this.name}`);
      const n = Math.min(len - done, w.start + w.size - a);
      parts.push([w, w.bankOffset + (a - w.start), n, done]);
      done += n;
    }
    for (const [w, off, n, d] of parts) fn(w, off, n, d);
  }

  private slowRead(addr: number, n: number): number {
    const w = this.windowAt(addr, n);
    if (!w) {
      const why = this.windowAt(addr) ? 'crosses the end of a window' : 'is not mapped';
      throw new MemoryFault(addr, n, 'read', `0x${addr.toString(16)} ${why} in ${this.name}`);
    }
    const b = w.bankOffset + (addr - w.start);
    if (this.readObservers.length === 0) {
      this.rStart = w.start;
      this.rSize = w.size;
      this.rOff = w.bankOffset;
      this.rPages = w.bank.pages;
      return readBank(w.bank, b, n);
    }
    const v = readBank(w.bank, b, n);
    this.tellReads(w.bank, b, n);
    return v;
  }

  private tellReads(bank: MemoryBank, off: number, len: number): void {
    if (this.unobservedDepth !== 0) return;
    for (const o of this.readObservers) if (o.bank === bank && off < o.hi && off + len > o.lo) o.fn(off, len);
  }

  private slowWrite(addr: number, n: number, value: number): void {
    const w = this.windowAt(addr, n);
    if (!w) {
      const why = this.windowAt(addr) ? 'crosses the end of a window' : 'is not mapped';
      throw new MemoryFault(addr, n, 'write', `0x${addr.toString(16)} ${why} in ${this.name}`);
    }
    if (!w.writable) throw new MemoryFault(addr, n, 'write', `${w.name} is read-only in ${this.name}`);
    this.wStart = w.start;
    this.wSize = w.size;
    this.wOff = w.bankOffset;
    this.wPages = w.bank.pages;
    this.wBank = w.bank;
    const b = w.bankOffset + (addr - w.start);
    w.bank.wrote(b, n);
    const po = b & PAGE_MASK;
    if (po + n <= PAGE_SIZE) {
      const p = w.bank.pageForWrite(b >>> PAGE_SHIFT);
      if (n === 1) p.setUint8(po, value);
      else if (n === 2) p.setUint16(po, value, true);
      else p.setUint32(po, value, true);
      return;
    }
    for (let i = 0; i < n; i++) w.bank.pageForWrite((b + i) >>> PAGE_SHIFT).setUint8((b + i) & PAGE_MASK, (value >>> (8 * i)) & 0xff);
  }
}

/** The little-endian value of `n` bytes (1, 2 or 4) at bank offset `b`; unwritten pages read as zeros. */
function readBank(bank: MemoryBank, b: number, n: number): number {
  const po = b & PAGE_MASK;
  if (po + n <= PAGE_SIZE) {
    const p = bank.pages[b >>> PAGE_SHIFT];
    if (!p) return 0;
    return n === 1 ? p.getUint8(po) : n === 2 ? p.getUint16(po, true) : p.getUint32(po, true);
  }
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + readBank(bank, b + i, 1);
  return v;
}
