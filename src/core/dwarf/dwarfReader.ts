// A bounds-checked cursor over one DWARF section: fixed-size integers in the file's byte order,
// LEB128, NUL-terminated strings, and the 32-bit DWARF format's offsets (the 64-bit format is
// refused where a unit header announces it). Every read past the end throws a DwarfError naming the
// section and the offset, so no parser needs a check of its own before reading.
import { DwarfError } from './dwarfError';

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');
/** LEB128 numbers longer than this are refused: 10 bytes hold 64 bits; more is padding or garbage. */
const MAX_LEB_BYTES = 16;

export class DwarfReader {
  private readonly view: DataView;
  offset: number;

  constructor(
    readonly section: string,
    readonly bytes: Uint8Array,
    readonly little: boolean,
    offset = 0,
    /** Reads stop here (a unit's end); the section's end by default. */
    readonly end = bytes.length,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
    if (end > bytes.length) throw this.error(offset, `range ends at 0x${end.toString(16)}, past the section's 0x${bytes.length.toString(16)} bytes`);
  }

  /** A reader over [start, end) of the same section; `end` is checked against this reader's end. */
  sub(start: number, end: number): DwarfReader {
    if (!(start >= 0 && start <= end && end <= this.end)) {
      throw this.error(start, `range 0x${start.toString(16)}..0x${end.toString(16)} runs past the end (0x${this.end.toString(16)})`);
    }
    return new DwarfReader(this.section, this.bytes, this.little, start, end);
  }

  get atEnd(): boolean {
    return this.offset >= this.end;
  }

  get remaining(): number {
    return Math.max(0, this.end - this.offset);
  }

  error(offset: number, message: string): DwarfError {
    return new DwarfError(this.section, offset, message);
  }

  private need(n: number): number {
    const at = this.offset;
    if (!(at >= 0 && n <= this.end - at)) throw this.error(at, `reading ${n} bytes runs past the end (0x${this.end.toString(16)})`);
    this.offset = at + n;
    return at;
  }

  u8(): number {
    return this.bytes[this.need(1)];
  }

  i8(): number {
    return this.view.getInt8(this.need(1));
  }

  u16(): number {
    return this.view.getUint16(this.need(2), this.little);
  }

  i16(): number {
    return this.view.getInt16(this.need(2), this.little);
  }

  u24(): number {
    const at = this.need(3);
    const b = this.bytes;
    return this.little ? b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) : (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];
  }

  u32(): number {
    return this.view.getUint32(this.need(4), this.little);
  }

  i32(): number {
    return this.view.getInt32(this.need(4), this.little);
  }

  /** A 64-bit value as a number (exact up to 2^53; beyond that the nearest double). */
  u64(): number {
    const at = this.need(8);
    const lo = this.view.getUint32(at + (this.little ? 0 : 4), this.little);
    const hi = this.view.getUint32(at + (this.little ? 4 : 0), this.little);
    return hi * 0x100000000 + lo;
  }

  i64(): number {
    const at = this.need(8);
    const lo = this.view.getUint32(at + (this.little ? 0 : 4), this.little);
    const hi = this.view.getInt32(at + (this.little ? 4 : 0), this.little);
    return hi * 0x100000000 + lo;
  }

  /** An unsigned integer of `size` bytes (1, 2, 4 or 8). */
  unsigned(size: number): number {
    switch (size) {
      case 1:
        return this.u8();
      case 2:
        return this.u16();
      case 4:
        return this.u32();
      case 8:
        return this.u64();
      default:
        throw this.error(this.offset, `unsupported integer size ${size}`);
    }
  }

  uleb(): number {
    const start = this.offset;
    let result = 0;
    let scale = 1;
    for (let n = 0; ; n++) {
      if (n >= MAX_LEB_BYTES) throw this.error(start, `LEB128 number longer than ${MAX_LEB_BYTES} bytes`);
      const b = this.u8();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if (!(b & 0x80)) return result;
    }
  }

  sleb(): number {
    const start = this.offset;
    let result = 0;
    let scale = 1;
    for (let n = 0; ; n++) {
      if (n >= MAX_LEB_BYTES) throw this.error(start, `LEB128 number longer than ${MAX_LEB_BYTES} bytes`);
      const b = this.u8();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if (!(b & 0x80)) return b & 0x40 ? result - scale : result;
    }
  }

  /** The NUL-terminated string here, read as UTF-8. */
  cString(): string {
    const start = this.offset;
    const b = this.bytes;
    let i = start;
    while (i < this.end && b[i] !== 0) i++;
    if (i >= this.end) throw this.error(start, 'string runs past the end without a NUL');
    this.offset = i + 1;
    return decodeString(b.subarray(start, i));
  }

  /** `n` bytes here, as a view into the section. */
  block(n: number): Uint8Array {
    const at = this.need(n);
    return this.bytes.subarray(at, at + n);
  }

  skip(n: number): void {
    this.need(n);
  }

  /**
   * An initial length: the unit's length in the 32-bit format. The 64-bit format (0xffffffff then a
   * u64) is refused: 32-bit targets' toolchains never write it.
   */
  initialLength(): number {
    const at = this.offset;
    const n = this.u32();
    if (n === 0xffffffff) throw this.error(at, 'the 64-bit DWARF format is not supported');
    if (n >= 0xfffffff0) throw this.error(at, `reserved initial length 0x${n.toString(16)}`);
    return n;
  }

  /** The next unit's initial length, or undefined with the reason added to `problems`: the walk over a section's units ends there. */
  nextUnitLength(problems: DwarfError[]): number | undefined {
    try {
      return this.initialLength();
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      problems.push(e);
      return undefined;
    }
  }
}

function decodeString(bytes: Uint8Array): string {
  let ascii = true;
  for (const c of bytes) if (c >= 0x80) ascii = false;
  return ascii ? latin1.decode(bytes) : utf8.decode(bytes);
}

/** Strings already read, by section and offset: most names are read by many entries. */
const strings = new WeakMap<Uint8Array, Map<number, string>>();

/** The NUL-terminated string at `offset` of a string section (.debug_str, .debug_line_str). */
export function stringAt(section: string, bytes: Uint8Array, offset: number): string {
  let cache = strings.get(bytes);
  if (!cache) strings.set(bytes, (cache = new Map()));
  const known = cache.get(offset);
  if (known !== undefined) return known;
  if (!(offset >= 0 && offset < bytes.length)) throw new DwarfError(section, offset, `string offset 0x${offset.toString(16)} is outside the section (0x${bytes.length.toString(16)} bytes)`);
  const end = bytes.indexOf(0, offset);
  if (end < 0) throw new DwarfError(section, offset, 'string runs past the end without a NUL');
  const s = decodeString(bytes.subarray(offset, end));
  cache.set(offset, s);
  return s;
}
