// Physical memory of a board: banks of real bytes, allocated lazily in 64 KiB pages, so a 2 GiB
// DDR region costs nothing until written. Overlapping or touching ranges named by the board
// (core windows, reserved memory) are merged into one bank, so aliases share the same bytes.

export const PAGE_SHIFT = 16;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PAGE_MASK = PAGE_SIZE - 1;

/** Someone told of the accesses that touch bank offsets [lo, hi): `fn` gets the access's own offset and length. */
export interface RangeObserver {
  readonly lo: number;
  readonly hi: number;
  readonly fn: (off: number, len: number) => void;
}

/** One contiguous physical range of bytes. */
export class MemoryBank {
  /** One DataView per page once written; undefined reads as zeros. */
  readonly pages: (DataView | undefined)[];
  /** The same pages as bytes, for copies that must not allocate a view per access. */
  readonly bytes: (Uint8Array | undefined)[];
  /**
   * Bank offsets [watchLo, watchHi) someone wants to know about (trace buffers): every write that
   * touches them bumps `watchGen`, so a reader can skip re-reading bytes nobody wrote.
   */
  watchLo = 0;
  watchHi = 0;
  watchGen = 0;
  /** Who is told of writes to a range of the bank (a debugger's watchpoints on shared memory). */
  private observers: readonly RangeObserver[] = [];

  constructor(
    readonly base: number,
    readonly size: number,
    readonly names: readonly string[],
  ) {
    this.pages = new Array<DataView | undefined>(Math.ceil(size / PAGE_SIZE)).fill(undefined);
    this.bytes = new Array<Uint8Array | undefined>(this.pages.length).fill(undefined);
  }

  /** Adds [off, off+len) to the watched range (one span covering every watched range). */
  watch(off: number, len: number): void {
    if (this.watchHi <= this.watchLo) {
      this.watchLo = off;
      this.watchHi = off + len;
    } else {
      this.watchLo = Math.min(this.watchLo, off);
      this.watchHi = Math.max(this.watchHi, off + len);
    }
  }

  unwatchAll(): void {
    this.watchLo = this.watchHi = 0;
  }

  /** Every write to the bank reports here (the fast paths of AddressSpace included). */
  wrote(off: number, len: number): void {
    if (off < this.watchHi && off + len > this.watchLo) this.watchGen++;
    if (this.observers.length !== 0) this.tellObservers(off, len);
  }

  /** `fn` is told of every write that touches bank offsets [off, off+len), after it; returns the function that stops it. */
  observe(off: number, len: number, fn: (off: number, len: number) => void): () => void {
    const o: RangeObserver = { lo: off, hi: off + len, fn };
    this.observers = [...this.observers, o];
    return () => {
      this.observers = this.observers.filter((x) => x !== o);
    };
  }

  private tellObservers(off: number, len: number): void {
    for (const o of this.observers) if (off < o.hi && off + len > o.lo) o.fn(off, len);
  }

  /** The page for writing, allocated on first use. */
  pageForWrite(index: number): DataView {
    let p = this.pages[index];
    if (!p) {
      p = new DataView(new ArrayBuffer(PAGE_SIZE));
      this.pages[index] = p;
      this.bytes[index] = new Uint8Array(p.buffer);
    }
    return p;
  }

  /** Bytes actually allocated (pages written so far). */
  get allocatedBytes(): number {
    let n = 0;
    for (const p of this.pages) if (p) n += PAGE_SIZE;
    return n;
  }

  /** Copies `len` bytes at bank offset `off` into `out` at `outOff`. */
  copyOut(off: number, len: number, out: Uint8Array, outOff: number): void {
    while (len > 0) {
      const pi = Math.floor(off / PAGE_SIZE);
      const po = off % PAGE_SIZE;
      const n = Math.min(len, PAGE_SIZE - po);
      const p = this.pages[pi];
      if (p) out.set(new Uint8Array(p.buffer, po, n), outOff);
      else out.fill(0, outOff, outOff + n);
      off += n;
      outOff += n;
      len -= n;
    }
  }

  /** Copies `data` to bank offset `off`. */
  copyIn(off: number, data: Uint8Array): void {
    this.wrote(off, data.length);
    let done = 0;
    while (done < data.length) {
      const pi = Math.floor((off + done) / PAGE_SIZE);
      const po = (off + done) % PAGE_SIZE;
      const n = Math.min(data.length - done, PAGE_SIZE - po);
      new Uint8Array(this.pageForWrite(pi).buffer, po, n).set(data.subarray(done, done + n));
      done += n;
    }
  }

  /** Fills without allocating pages that would stay all zeros. */
  fillRange(off: number, len: number, value: number): void {
    this.wrote(off, len);
    while (len > 0) {
      const pi = Math.floor(off / PAGE_SIZE);
      const po = off % PAGE_SIZE;
      const n = Math.min(len, PAGE_SIZE - po);
      const p = value === 0 ? this.pages[pi] : this.pageForWrite(pi);
      if (p) new Uint8Array(p.buffer, po, n).fill(value);
      off += n;
      len -= n;
    }
  }
}

export interface PhysicalRange {
  readonly name: string;
  readonly pa: number;
  readonly size: number;
}

export class PhysicalMemory {
  readonly banks: readonly MemoryBank[];

  constructor(ranges: readonly PhysicalRange[]) {
    const sorted = ranges.filter((r) => r.size > 0).sort((a, b) => a.pa - b.pa || b.size - a.size);
    const merged: { base: number; end: number; names: string[] }[] = [];
    for (const r of sorted) {
      const last = merged[merged.length - 1];
      if (last && r.pa <= last.end) {
        last.end = Math.max(last.end, r.pa + r.size);
        last.names.push(r.name);
      } else merged.push({ base: r.pa, end: r.pa + r.size, names: [r.name] });
    }
    this.banks = merged.map((m) => new MemoryBank(m.base, m.end - m.base, m.names));
  }

  /** The bank holding [pa, pa+len), if one does. */
  bankAt(pa: number, len = 1): MemoryBank | undefined {
    for (const b of this.banks) if (pa >= b.base && pa + len <= b.base + b.size) return b;
    return undefined;
  }

  get allocatedBytes(): number {
    return this.banks.reduce((n, b) => n + b.allocatedBytes, 0);
  }
}
