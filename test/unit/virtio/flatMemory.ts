// One contiguous byte array seen at a base address: the memory behind ring tests and the rpmsg
// bench, a fast MemoryAccess for one window. Accesses outside it throw MemoryFault.
import { MemoryFault, type MemoryAccess } from '../../../src/core/soc/memoryAccess';

// Up to this many bytes, word-at-a-time copies beat creating a subarray view for TypedArray.set.
const SMALL_COPY = 64;

export class FlatMemory implements MemoryAccess {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(
    readonly base: number,
    readonly size: number,
  ) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  // The accessors check bounds inline and leave the fault to a cold function, so they inline.
  private at(addr: number, len: number, access: 'read' | 'write'): number {
    const off = addr - this.base;
    if (off >= 0 && len >= 0 && off + len <= this.size) return off;
    throw this.fault(addr, len, access);
  }

  private fault(addr: number, len: number, access: 'read' | 'write'): MemoryFault {
    return new MemoryFault(addr, len, access, `outside 0x${this.base.toString(16)}+0x${this.size.toString(16)}`);
  }

  read8(addr: number): number {
    const off = addr - this.base;
    if (off >= 0 && off < this.size) return this.bytes[off];
    throw this.fault(addr, 1, 'read');
  }
  read16(addr: number): number {
    const off = addr - this.base;
    if (off >= 0 && off <= this.size - 2) return this.view.getUint16(off, true);
    throw this.fault(addr, 2, 'read');
  }
  read32(addr: number): number {
    const off = addr - this.base;
    if (off >= 0 && off <= this.size - 4) return this.view.getUint32(off, true);
    throw this.fault(addr, 4, 'read');
  }
  write8(addr: number, value: number): void {
    const off = addr - this.base;
    if (off >= 0 && off < this.size) this.bytes[off] = value;
    else throw this.fault(addr, 1, 'write');
  }
  write16(addr: number, value: number): void {
    const off = addr - this.base;
    if (off >= 0 && off <= this.size - 2) this.view.setUint16(off, value, true);
    else throw this.fault(addr, 2, 'write');
  }
  write32(addr: number, value: number): void {
    const off = addr - this.base;
    if (off >= 0 && off <= this.size - 4) this.view.setUint32(off, value >>> 0, true);
    else throw this.fault(addr, 4, 'write');
  }
  readBytes(addr: number, len: number): Uint8Array {
    const off = this.at(addr, len, 'read');
    return this.bytes.slice(off, off + len);
  }
  writeBytes(addr: number, data: Uint8Array): void {
    this.bytes.set(data, this.at(addr, data.length, 'write'));
  }
  fill(addr: number, len: number, value: number): void {
    const off = this.at(addr, len, 'write');
    this.bytes.fill(value, off, off + len);
  }
  readInto(addr: number, target: Uint8Array, offset: number, len: number): void {
    const off = this.at(addr, len, 'read');
    if (len > SMALL_COPY) {
      target.set(this.bytes.subarray(off, off + len), offset);
      return;
    }
    let i = 0;
    for (; i + 4 <= len; i += 4) {
      const w = this.view.getUint32(off + i, true);
      target[offset + i] = w;
      target[offset + i + 1] = w >>> 8;
      target[offset + i + 2] = w >>> 16;
      target[offset + i + 3] = w >>> 24;
    }
    for (; i < len; i++) target[offset + i] = this.bytes[off + i];
  }
  writeFrom(addr: number, source: Uint8Array, offset: number, len: number): void {
    const off = this.at(addr, len, 'write');
    if (len > SMALL_COPY) {
      this.bytes.set(offset === 0 && len === source.length ? source : source.subarray(offset, offset + len), off);
      return;
    }
    let i = 0;
    for (; i + 4 <= len; i += 4) {
      const o = offset + i;
      this.view.setUint32(off + i, source[o] | (source[o + 1] << 8) | (source[o + 2] << 16) | (source[o + 3] << 24), true);
    }
    for (; i < len; i++) this.bytes[off + i] = source[offset + i];
  }
}
