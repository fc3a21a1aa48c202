// An encoding as data, in the spirit of decodetree: a pattern string of 16 or 32 characters (the
// first halfword first; spaces ignored) where 0 and 1 are fixed bits, '-' is a bit that does not
// matter, and a letter is a bit of the field of that name. A field's bits are concatenated in the
// order they appear, so 'i' at bit 26, 'iii' at 14-12 and 'iiiiiiii' at 7-0 give i:imm3:imm8.
import type { Inst } from './inst';

export type Fields = Record<string, number>;
/** Fills `inst` (exec, fields, cycles); leaving `exec` unset rejects the fields (the next match, or UNDEFINED). */
export type DecodeFn = (f: Fields, inst: Inst) => void;

interface FieldBits {
  name: string;
  /** Bit positions, most significant first. */
  bits: number[];
}

/** A pattern's fixed bits and named fields, for any table keyed by encodings (the disassembler's too). */
export interface Pattern {
  pattern: string;
  width: 16 | 32;
  mask: number;
  match: number;
  fields: FieldBits[];
}

export interface Encoding extends Pattern {
  decode: DecodeFn;
}

export function enc(pattern: string, decode: DecodeFn): Encoding {
  return { ...parsePattern(pattern), decode };
}

export function parsePattern(pattern: string): Pattern {
  const p = pattern.replace(/ /g, '');
  if (p.length !== 16 && p.length !== 32) throw new Error(`encoding pattern of ${p.length} bits: ${pattern}`);
  let mask = 0;
  let match = 0;
  const byName = new Map<string, number[]>();
  for (let k = 0; k < p.length; k++) {
    const bit = p.length - 1 - k;
    const ch = p[k];
    if (ch === '0' || ch === '1') {
      mask |= 1 << bit;
      if (ch === '1') match |= 1 << bit;
    } else if (ch !== '-') {
      const bits = byName.get(ch) ?? [];
      bits.push(bit);
      byName.set(ch, bits);
    }
  }
  return {
    pattern,
    width: p.length as 16 | 32,
    mask: mask >>> 0,
    match: match >>> 0,
    fields: [...byName].map(([name, bits]) => ({ name, bits })),
  };
}

/**
 * The patterns of `table` whose fixed bits can match a word starting with `hw1` (`shift` 16 for
 * 32-bit tables, 0 for 16-bit ones), looked up once per first halfword and kept in `cache`.
 */
export function candidates<T extends Pattern>(table: T[], cache: Map<number, T[]>, hw1: number, shift: number): T[] {
  let list = cache.get(hw1);
  if (list === undefined) {
    list = table.filter((e) => ((hw1 ^ (e.match >>> shift)) & (e.mask >>> shift)) === 0);
    cache.set(hw1, list);
  }
  return list;
}

export function extractFields(e: Pattern, word: number): Fields {
  const f: Fields = {};
  for (const { name, bits } of e.fields) {
    let v = 0;
    for (const b of bits) v = (v << 1) | ((word >>> b) & 1);
    f[name] = v >>> 0;
  }
  return f;
}

/** Sign-extends the low `bits` bits of v. */
export function sext(v: number, bits: number): number {
  const s = 32 - bits;
  return (v << s) >> s;
}
