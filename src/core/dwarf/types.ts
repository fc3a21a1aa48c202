// C types from DWARF (base, pointer, const/volatile, typedef, struct/union with bitfields, array
// with bounds, enum, function), named as gdb's `whatis` names them, and values formatted from bytes
// as gdb's `print` shows them at its simplest: integers in decimal, pointers in hex, char arrays as
// strings, structs and arrays in braces; with sizes and children so a Variables view can expand
// structs and arrays lazily. Chains of types are followed a bounded number of hops, so a loop of
// references in malformed DWARF ends in a name like `<type loop>`, never a hang.
import { AT, ATE, TAG } from './constants';
import type { DebugInfo, Die } from './debugInfo';

/** A member of a struct or union, or an element of an array. */
export interface TypeChild {
  readonly name: string;
  readonly type: Die | undefined;
  /** Byte offset inside the parent value. */
  readonly offset: number;
  /** For a bitfield: the bit offset from `offset`'s byte (least significant bit first) and the width. */
  readonly bitOffset?: number;
  readonly bitSize?: number;
  /** For a row of a multi-dimensional array: `type` is the whole array, less this many outer dimensions. */
  readonly inner?: number;
}

const MAX_HOPS = 32;
/** gdb's `set print repeats` and `set print elements` defaults. */
const REPEAT_THRESHOLD = 10;
const MAX_ELEMENTS = 200;

export class Types {
  /** `symbolAt` names what an address points at (`packets+60`), as gdb's `print` adds `<...>` to pointers. */
  constructor(
    private readonly info: DebugInfo,
    private readonly symbolAt?: (address: number) => string | undefined,
  ) {}

  /** The DIE a DW_AT_type names (undefined: void). */
  typeOf(die: Die): Die | undefined {
    return this.info.target(die, AT.type);
  }

  /** Typedefs and qualifiers stripped: the type that says how the bytes are laid out. */
  strip(type: Die | undefined): Die | undefined {
    let t = type;
    for (let i = 0; t && i < MAX_HOPS; i++) {
      if (!QUALIFIERS.has(t.tag) && t.tag !== TAG.typedef) return t;
      t = this.typeOf(t);
    }
    return t && (QUALIFIERS.has(t.tag) || t.tag === TAG.typedef) ? undefined : t;
  }

  /** The size in bytes, or undefined when DWARF does not say (void, incomplete types). */
  sizeOf(type: Die | undefined, inner = 0, hops = 0): number | undefined {
    if (!type || hops > MAX_HOPS) return undefined;
    const size = type.num(AT.byte_size);
    if (size !== undefined && !(inner && type.tag === TAG.array_type)) return size;
    if (type.tag === TAG.pointer_type) return type.unit.addressSize;
    if (QUALIFIERS.has(type.tag) || type.tag === TAG.typedef) return this.sizeOf(this.typeOf(type), inner, hops + 1);
    if (type.tag === TAG.array_type) {
      const element = this.sizeOf(this.typeOf(type), 0, hops + 1);
      if (element === undefined) return undefined;
      return this.dimensions(type, inner).reduce<number | undefined>((n, d) => (n === undefined || d === undefined ? undefined : n * d), element);
    }
    return undefined;
  }

  /** The element counts of an array type, outermost first, less `inner` outer ones (undefined: unknown, as in `int x[]`). */
  dimensions(array: Die, inner = 0): (number | undefined)[] {
    return array.children
      .filter((c) => c.tag === TAG.subrange_type)
      .map((c) => {
        const count = c.num(AT.count);
        if (count !== undefined) return count;
        const upper = c.num(AT.upper_bound);
        if (upper === undefined) return undefined;
        return upper - (c.num(AT.lower_bound) ?? 0) + 1;
      })
      .slice(inner);
  }

  /** The type's name as gdb's `whatis` prints it: `int [8]`, `const char *`, `struct rpmsg_hdr`. */
  name(type: Die | undefined, innerDims = 0): string {
    return this.declare(type, '', 0, innerDims).trim();
  }

  private declare(type: Die | undefined, inner: string, hops: number, innerDims = 0): string {
    const join = (base: string) => (inner ? `${base} ${inner}` : base);
    if (!type) return join('void');
    if (hops > MAX_HOPS) return join('<type loop>');
    const next = this.typeOf(type);
    const own = type.str(AT.name);
    switch (type.tag) {
      case TAG.base_type:
      case TAG.typedef:
        return join(own ?? '<unnamed>');
      case TAG.structure_type:
        return join(own ? `struct ${own}` : 'struct {...}');
      case TAG.union_type:
        return join(own ? `union ${own}` : 'union {...}');
      case TAG.enumeration_type:
        return join(own ? `enum ${own}` : 'enum {...}');
      case TAG.pointer_type: {
        const target = this.declaratorTarget(next);
        return this.declare(next, target ? `(*${inner})` : `*${inner}`, hops + 1);
      }
      case TAG.const_type:
      case TAG.volatile_type:
      case TAG.restrict_type:
      case TAG.atomic_type: {
        const word = QUALIFIER_WORDS.get(type.tag) ?? '';
        // A qualified pointer reads `char * const`; a qualified anything else `const char`.
        if (next?.tag === TAG.pointer_type) return this.declare(next, inner ? `${word}${/^[[(]/.test(inner) ? '' : ' '}${inner}` : word, hops + 1).replace(/\*(\S)/, '* $1');
        // A qualified array is an array of qualified elements, and gdb names it so.
        if (next?.tag === TAG.array_type) return this.declare(next, inner, hops + 1);
        return `${word} ${this.declare(next, inner, hops + 1)}`;
      }
      case TAG.array_type: {
        const dims = this.dimensions(type, innerDims).map((d) => `[${d ?? ''}]`).join('');
        return this.declare(next, `${inner}${dims}`, hops + 1);
      }
      case TAG.subroutine_type: {
        const params = type.children.filter((c) => c.tag === TAG.formal_parameter).map((p) => this.declare(this.typeOf(p), '', hops + 1).trim());
        const list = params.length ? params.join(', ') : type.flag(AT.prototyped) ? 'void' : '';
        return this.declare(next, `${inner}(${list})`, hops + 1);
      }
      default:
        return join(own ?? '<unknown type>');
    }
  }

  private declaratorTarget(t: Die | undefined): boolean {
    return t?.tag === TAG.array_type || t?.tag === TAG.subroutine_type;
  }

  /** A struct's or union's members, or an array's elements `from` to `from + count` (outermost dimension after `inner`). */
  children(type: Die | undefined, from = 0, count = MAX_ELEMENTS, inner = 0): TypeChild[] {
    const t = this.strip(type);
    if (!t) return [];
    if (t.tag === TAG.structure_type || t.tag === TAG.union_type) return this.members(t);
    if (t.tag !== TAG.array_type) return [];
    const dims = this.dimensions(t, inner);
    const n = dims[0] ?? 0;
    const stride = this.sizeOf(t, inner + 1);
    if (stride === undefined) return [];
    const out: TypeChild[] = [];
    for (let i = from; i < n && i < from + count; i++) {
      out.push(dims.length > 1 ? { name: `[${i}]`, type: t, offset: i * stride, inner: inner + 1 } : { name: `[${i}]`, type: this.typeOf(t), offset: i * stride });
    }
    return out;
  }

  /** How many children `children()` can give: members, or the outermost dimension's length. */
  childCount(type: Die | undefined, inner = 0): number {
    const t = this.strip(type);
    if (!t) return 0;
    if (t.tag === TAG.structure_type || t.tag === TAG.union_type) return this.members(t).length;
    if (t.tag === TAG.array_type) return this.dimensions(t, inner)[0] ?? 0;
    return 0;
  }

  private members(t: Die): TypeChild[] {
    const out: TypeChild[] = [];
    for (const m of t.children) {
      if (m.tag !== TAG.member) continue;
      const type = this.typeOf(m);
      const bitSize = m.num(AT.bit_size);
      const base = m.num(AT.data_member_location) ?? 0;
      const name = m.str(AT.name) ?? '';
      if (bitSize === undefined) {
        out.push({ name, type, offset: base });
        continue;
      }
      let bits = m.num(AT.data_bit_offset);
      if (bits === undefined) {
        // DWARF 2/3: DW_AT_bit_offset counts from the most significant bit of a DW_AT_byte_size unit.
        const unit = m.num(AT.byte_size) ?? this.sizeOf(type) ?? 4;
        const fromTop = m.num(AT.bit_offset) ?? 0;
        bits = base * 8 + unit * 8 - fromTop - bitSize;
      }
      out.push({ name, type, offset: Math.floor(bits / 8), bitOffset: bits % 8, bitSize });
    }
    return out;
  }

  /**
   * The value of `bytes` as gdb's `print` shows it. `memory` lets a `char *` show its string;
   * `symbolAt` names the function a function pointer points at.
   */
  format(type: Die | undefined, bytes: Uint8Array, little: boolean, memory?: (address: number, size: number) => Uint8Array | undefined, inner = 0, hops = 0): string {
    const t = this.strip(type);
    if (!t) return type ? '<type loop>' : 'void';
    if (hops > MAX_HOPS) return '<type loop>';
    switch (t.tag) {
      case TAG.base_type:
        return formatBase(t, bytes, little);
      case TAG.enumeration_type: {
        const v = readInt(bytes, 0, bytes.length, little, isSignedEnum(this, t));
        const e = t.children.find((c) => c.tag === TAG.enumerator && c.num(AT.const_value) === v);
        return e?.str(AT.name) ?? String(v);
      }
      case TAG.pointer_type: {
        const v = readInt(bytes, 0, Math.min(bytes.length, t.unit.addressSize), little, false);
        const symbol = this.symbolAt?.(v);
        const hex = `0x${v.toString(16)}${symbol ? ` <${symbol}>` : ''}`;
        const target = this.strip(this.typeOf(t));
        if (target && isChar(target) && memory && v !== 0) {
          const s = readCString(memory, v);
          return s === undefined ? hex : `${hex} ${s}`;
        }
        // At the top gdb names the pointer's type; inside a struct or an array it does not.
        return hops === 0 ? `(${this.name(type)}) ${hex}` : hex;
      }
      case TAG.structure_type:
      case TAG.union_type: {
        const parts = this.members(t).map((m) => `${m.name} = ${this.formatChild(m, bytes, little, memory, hops)}`);
        return `{${parts.join(', ')}}`;
      }
      case TAG.array_type: {
        const children = this.children(t, 0, MAX_ELEMENTS, inner);
        const more = this.childCount(t, inner) > MAX_ELEMENTS;
        const element = this.strip(this.typeOf(t));
        if (element && isChar(element) && this.dimensions(t, inner).length === 1) return charArray(children.map((c) => bytes[c.offset] ?? 0), more);
        const texts = children.map((c) => this.formatChild(c, bytes, little, memory, hops));
        return `{${repeats(texts).join(', ')}${more ? '...' : ''}}`;
      }
      case TAG.subroutine_type:
        return `{${this.name(t)}}`;
      default:
        return '<unknown type>';
    }
  }

  /** A member's or element's value, from its parent's bytes (bitfields included). */
  formatChild(c: TypeChild, bytes: Uint8Array, little: boolean, memory?: (a: number, n: number) => Uint8Array | undefined, hops = 0): string {
    const size = this.sizeOf(c.type, c.inner) ?? 0;
    if (c.bitSize !== undefined) {
      const t = this.strip(c.type);
      const signed = t?.tag === TAG.base_type && (t.num(AT.encoding) === ATE.signed || t.num(AT.encoding) === ATE.signed_char);
      const v = readBits(bytes, c.offset, c.bitOffset ?? 0, c.bitSize, signed);
      if (v === undefined) return '<unavailable>';
      if (t?.tag === TAG.enumeration_type) {
        const e = t.children.find((x) => x.tag === TAG.enumerator && x.num(AT.const_value) === v);
        return e?.str(AT.name) ?? String(v);
      }
      return t?.tag === TAG.base_type && t.num(AT.encoding) === ATE.boolean ? (v ? 'true' : 'false') : String(v);
    }
    if (c.offset + size > bytes.length) return '<unavailable>';
    return this.format(c.type, bytes.subarray(c.offset, c.offset + size), little, memory, c.inner, hops + 1);
  }
}

const QUALIFIERS = new Set<number>([TAG.const_type, TAG.volatile_type, TAG.restrict_type, TAG.atomic_type]);
const QUALIFIER_WORDS = new Map<number, string>([
  [TAG.const_type, 'const'],
  [TAG.volatile_type, 'volatile'],
  [TAG.restrict_type, 'restrict'],
  [TAG.atomic_type, '_Atomic'],
]);

function isChar(t: Die): boolean {
  const e = t.num(AT.encoding);
  return t.tag === TAG.base_type && t.num(AT.byte_size) === 1 && (e === ATE.signed_char || e === ATE.unsigned_char);
}

function isSignedEnum(types: Types, t: Die): boolean {
  const under = types.strip(types.typeOf(t));
  if (under) return under.num(AT.encoding) === ATE.signed || under.num(AT.encoding) === ATE.signed_char;
  return t.children.some((c) => c.tag === TAG.enumerator && (c.num(AT.const_value) ?? 0) < 0);
}

/** An integer of `size` bytes at `offset` (up to 8; above 2^53 the nearest double). */
export function readInt(bytes: Uint8Array, offset: number, size: number, little: boolean, signed: boolean): number {
  let v = 0;
  const n = Math.min(size, 8, bytes.length - offset);
  for (let i = 0; i < n; i++) v = v * 256 + bytes[offset + (little ? n - 1 - i : i)];
  if (signed && n > 0 && v >= 2 ** (8 * n - 1)) v -= 2 ** (8 * n);
  return v;
}

function readBits(bytes: Uint8Array, offset: number, bitOffset: number, bitSize: number, signed: boolean): number | undefined {
  const span = Math.ceil((bitOffset + bitSize) / 8);
  if (offset + span > bytes.length || bitSize > 52) return undefined;
  let v = 0;
  for (let i = span - 1; i >= 0; i--) v = v * 256 + bytes[offset + i];
  v = Math.floor(v / 2 ** bitOffset) % 2 ** bitSize;
  if (signed && v >= 2 ** (bitSize - 1)) v -= 2 ** bitSize;
  return v;
}

function formatBase(t: Die, bytes: Uint8Array, little: boolean): string {
  const size = t.num(AT.byte_size) ?? bytes.length;
  if (bytes.length < size) return '<unavailable>';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (t.num(AT.encoding)) {
    case ATE.float:
      if (size === 4) return formatFloat(view.getFloat32(0, little), 9, nanMantissa(BigInt(view.getUint32(0, little)), 23n, 32n));
      if (size === 8) return formatFloat(view.getFloat64(0, little), 17, nanMantissa(view.getBigUint64(0, little), 52n, 64n));
      return '<unsupported float>';
    case ATE.boolean:
      return readInt(bytes, 0, size, little, false) ? 'true' : 'false';
    case ATE.signed_char:
    case ATE.unsigned_char: {
      const v = readInt(bytes, 0, size, little, t.num(AT.encoding) === ATE.signed_char);
      return size === 1 ? `${v} ${charLiteral(v & 0xff)}` : String(v);
    }
    case ATE.signed:
      return size > 8 ? '<unsupported integer>' : bigOrNumber(bytes, size, little, true);
    default:
      return size > 8 ? '<unsupported integer>' : bigOrNumber(bytes, size, little, false);
  }
}

/** A NaN's mantissa, negative when its sign bit is set (gdb prints `-nan(0x...)`). */
function nanMantissa(bits: bigint, mantissaBits: bigint, width: bigint): bigint {
  const m = bits & ((1n << mantissaBits) - 1n);
  return bits >> (width - 1n) ? -m : m;
}

/** 64-bit integers exactly, through BigInt. */
function bigOrNumber(bytes: Uint8Array, size: number, little: boolean, signed: boolean): string {
  if (size < 8) return String(readInt(bytes, 0, size, little, signed));
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  return String(signed ? view.getBigInt64(0, little) : view.getBigUint64(0, little));
}

/** printf's %g with gdb's precision: 9 significant digits for float, 17 for double. */
function formatFloat(v: number, digits: number, nanBits: bigint): string {
  if (Number.isNaN(v)) return `${nanBits < 0n ? '-' : ''}nan(0x${(nanBits < 0n ? -nanBits : nanBits).toString(16)})`;
  if (!Number.isFinite(v)) return v < 0 ? '-inf' : 'inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa, e] = v.toExponential(digits - 1).split('e');
  const exp = Number(e);
  const strip = (t: string) => (t.includes('.') ? t.replace(/\.?0+$/, '') : t);
  if (exp < -4 || exp >= digits) return `${strip(mantissa)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return strip(v.toFixed(digits - 1 - exp));
}

const ESCAPES = new Map<number, string>([
  [7, '\\a'], [8, '\\b'], [9, '\\t'], [10, '\\n'], [11, '\\v'], [12, '\\f'], [13, '\\r'], [27, '\\033'],
]);

function escapeChar(c: number, quote: string): string {
  const e = ESCAPES.get(c);
  if (e) return e;
  if (c === quote.charCodeAt(0) || c === 0x5c) return `\\${String.fromCharCode(c)}`;
  if (c >= 0x20 && c < 0x7f) return String.fromCharCode(c);
  return `\\${c.toString(8).padStart(3, '0')}`;
}

function charLiteral(c: number): string {
  return `'${escapeChar(c, "'")}'`;
}

/** A char array as gdb prints it: runs of more than ten equal characters as `'c' <repeats N times>`, the rest as strings; one trailing NUL dropped. */
function charArray(chars: number[], more: boolean): string {
  let cs = chars;
  if (!more && cs.length && cs[cs.length - 1] === 0) cs = cs.slice(0, -1);
  if (cs.length === 0) return '""';
  const parts: string[] = [];
  let text = '';
  for (let i = 0; i < cs.length; ) {
    let j = i;
    while (j < cs.length && cs[j] === cs[i]) j++;
    if (j - i > REPEAT_THRESHOLD) {
      if (text) parts.push(`"${text}"`);
      text = '';
      parts.push(`${charLiteral(cs[i])} <repeats ${j - i} times>`);
      i = j;
    } else {
      text += escapeChar(cs[i], '"');
      i++;
    }
  }
  if (text) parts.push(`"${text}"`);
  return parts.join(', ') + (more ? '...' : '');
}

function repeats(texts: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < texts.length; ) {
    let j = i;
    while (j < texts.length && texts[j] === texts[i]) j++;
    if (j - i > REPEAT_THRESHOLD) out.push(`${texts[i]} <repeats ${j - i} times>`);
    else for (let k = i; k < j; k++) out.push(texts[k]);
    i = j;
  }
  return out;
}

/** The string a `char *` points at, as gdb shows it (up to 200 characters), or undefined when unreadable. */
function readCString(memory: (address: number, size: number) => Uint8Array | undefined, address: number): string | undefined {
  const chars: number[] = [];
  for (let i = 0; i < MAX_ELEMENTS; i++) {
    const b = memory(address + i, 1);
    if (!b || b.length < 1) return chars.length ? charArray(chars, true) : undefined;
    if (b[0] === 0) return charArray([...chars, 0], false);
    chars.push(b[0]);
  }
  return charArray(chars, true);
}
