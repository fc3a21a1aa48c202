// The board's physical memory as it was at one stop. The kernel's boot runs to its end in one
// call, so a stop inside it shows a record: every written page copied at that moment, a page
// equal to the previous record's shared rather than copied again.
import type { PhysicalMemory } from '../core/soc/physicalMemory';
import { PAGE_SIZE } from '../core/soc/physicalMemory';

export class MemoryImage {
  private constructor(
    private readonly physical: PhysicalMemory,
    /** Per bank, per page: the copy, or undefined for a page never written (zeros). */
    private readonly pages: readonly (readonly (Uint8Array | undefined)[])[],
  ) {}

  static capture(physical: PhysicalMemory, previous?: MemoryImage): MemoryImage {
    const pages = physical.banks.map((bank, bi) =>
      bank.pages.map((p, pi) => {
        if (!p) return undefined;
        const live = new Uint8Array(p.buffer, p.byteOffset, p.byteLength);
        const prev = previous?.pages[bi]?.[pi];
        if (prev && sameBytes(prev, live)) return prev;
        return live.slice();
      }),
    );
    return new MemoryImage(physical, pages);
  }

  /** The bytes of the mapped prefix of [pa, pa+len) (shorter when the range leaves its bank). */
  read(pa: number, len: number): Uint8Array {
    const bi = this.physical.banks.findIndex((b) => pa >= b.base && pa < b.base + b.size);
    if (bi < 0) return new Uint8Array(0);
    const bank = this.physical.banks[bi];
    const n = Math.min(len, bank.base + bank.size - pa);
    const out = new Uint8Array(n);
    let off = pa - bank.base;
    let done = 0;
    while (done < n) {
      const pi = Math.floor(off / PAGE_SIZE);
      const po = off % PAGE_SIZE;
      const k = Math.min(n - done, PAGE_SIZE - po);
      const page = this.pages[bi][pi];
      if (page) out.set(page.subarray(po, po + k), done);
      done += k;
      off += k;
    }
    return out;
  }

  read32(pa: number): number {
    const b = this.read(pa, 4);
    return b.length < 4 ? 0 : (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  }

  read16(pa: number): number {
    const b = this.read(pa, 2);
    return b.length < 2 ? 0 : b[0] | (b[1] << 8);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  const wa = new Uint32Array(a.buffer, a.byteOffset, a.length >>> 2);
  const wb = b.byteOffset % 4 === 0 ? new Uint32Array(b.buffer, b.byteOffset, b.length >>> 2) : undefined;
  if (wb) {
    for (let i = 0; i < wa.length; i++) if (wa[i] !== wb[i]) return false;
    return true;
  }
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
