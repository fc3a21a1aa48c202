// Where the host's `rproc->table_ptr` points: the kernel's cached copy, or the table loaded in the
// remote's memory (read and written through the host's physical view, as the kernel's pointer is).
import type { MemoryAccess } from '../soc/memoryAccess';

export interface TableRef {
  readonly where: 'cached' | 'loaded';
  /** Host physical address when loaded. */
  readonly pa: number | undefined;
  readonly size: number;
  read8(off: number): number;
  read32(off: number): number;
  write8(off: number, v: number): void;
  write32(off: number, v: number): void;
  /** A copy of the whole table. */
  bytes(): Uint8Array;
}

export function cachedTable(buf: Uint8Array): TableRef {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  // The kernel may read a field past a short table before its length check fails: read zeros.
  const fits = (o: number, n: number) => o >= 0 && o + n <= buf.length;
  return {
    where: 'cached',
    pa: undefined,
    size: buf.length,
    read8: (o) => (fits(o, 1) ? dv.getUint8(o) : 0),
    read32: (o) => (fits(o, 4) ? dv.getUint32(o, true) : 0),
    write8: (o, v) => fits(o, 1) && dv.setUint8(o, v),
    write32: (o, v) => fits(o, 4) && dv.setUint32(o, v >>> 0, true),
    bytes: () => buf.slice(),
  };
}

export function loadedTable(mem: MemoryAccess, pa: number, size: number): TableRef {
  // Same bounds as the cached copy: a field past the table reads as zero, a write there is dropped.
  const fits = (o: number, n: number) => o >= 0 && o + n <= size;
  return {
    where: 'loaded',
    pa,
    size,
    read8: (o) => (fits(o, 1) ? mem.read8(pa + o) : 0),
    read32: (o) => (fits(o, 4) ? mem.read32(pa + o) : 0),
    write8: (o, v) => fits(o, 1) && mem.write8(pa + o, v),
    write32: (o, v) => fits(o, 4) && mem.write32(pa + o, v >>> 0),
    bytes: () => mem.readBytes(pa, size),
  };
}
