// One contiguous byte array seen at a base address: the memory behind ring tests and the bench,
// and a fast MemoryAccess for any single window. Accesses outside it throw MemoryFault.
import { MemoryFault, type MemoryAccess } from '../soc/memoryAccess';

// Below this a byte loop beats creating a subarray view for TypedArray.set.
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

  private at(addr: number, len: number, access: 'read' | 'write'): number {
    const off = addr - this.base;
    if (off < 0 || len < 0 || off + len > this.size || !Number.isInteger(off)) {
      throw new MemoryFault(addr, len, access, `outside 0x${this.base.toString(16)}+0x${this.size.toString(16)}`);
    }
    return off;
  }

  read8(addr: number): number {
    return this.bytes[this.at(addr, 1, 'read')];
  }
  read16(addr: number): number {
    return this.view.getUint16(this.at(addr, 2, 'read'), true);
  }
  read32(addr: number): number {
    return this.view.getUint32(this.at(addr, 4, 'read'), true);
  }
  write8(addr: number, value: number): void {
    this.bytes[this.at(addr, 1, 'write')] = value;
  }
  write16(addr: number, value: number): void {
    this.view.setUint16(this.at(addr, 2, 'write'), value, true);
  }
  write32(addr: number, value: number): void {
    this.view.setUint32(this.at(addr, 4, 'write'), value >>> 0, true);
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
    if (len <= SMALL_COPY) for (let i = 0; i < len; i++) target[offset + i] = this.bytes[off + i];
    else target.set(this.bytes.subarray(off, off + len), offset);
  }
  writeFrom(addr: number, source: Uint8Array, offset: number, len: number): void {
    const off = this.at(addr, len, 'write');
    if (len <= SMALL_COPY) for (let i = 0; i < len; i++) this.bytes[off + i] = source[offset + i];
    else this.bytes.set(source.subarray(offset, offset + len), off);
  }
}
