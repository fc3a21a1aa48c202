// Attribute values by form (DWARF 5 section 7.5.6), for DIEs and for the DWARF 5 line header's
// entry formats. Values are classed as the consumers need them: a constant, an address, a
// string, a block (exprloc included), a reference (made absolute in .debug_info), a section offset,
// or an index into a table that the unit's base resolves (its bases may come after such a value in
// the unit's own entry, so strx and addrx are resolved in a second step).
import { FORM } from './constants';
import { DwarfReader, stringAt } from './dwarfReader';
import type { DwarfSections } from './sections';

export type AttrValue =
  | { readonly kind: 'const'; readonly value: number; readonly signed?: boolean }
  | { readonly kind: 'address'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'block'; readonly value: Uint8Array }
  | { readonly kind: 'ref'; readonly value: number }
  | { readonly kind: 'offset'; readonly value: number }
  | { readonly kind: 'loclistx' | 'rnglistx'; readonly value: number }
  /** Indices into .debug_str_offsets and .debug_addr, until resolveIndex() reads them with the unit's bases. */
  | { readonly kind: 'strx' | 'addrx'; readonly value: number }
  | { readonly kind: 'flag'; readonly value: boolean };

/** What a form's value depends on: the unit it is read in. */
export interface FormContext {
  readonly sections: DwarfSections;
  readonly addressSize: number;
  readonly version: number;
  /** Offset of the unit's header in .debug_info: unit-relative references are made absolute with it. */
  readonly unitOffset: number;
  strOffsetsBase: number;
  addrBase: number;
}

/** Reads one value of `form`; `implicitConst` is the abbreviation's value for DW_FORM_implicit_const. */
export function readForm(r: DwarfReader, form: number, ctx: FormContext, implicitConst = 0, depth = 0): AttrValue | undefined {
  const at = r.offset;
  switch (form) {
    case FORM.addr:
      return { kind: 'address', value: r.unsigned(ctx.addressSize) };
    case FORM.data1:
      return { kind: 'const', value: r.u8() };
    case FORM.data2:
      return { kind: 'const', value: r.u16() };
    case FORM.data4:
      return { kind: 'const', value: r.u32() };
    case FORM.data8:
      return { kind: 'const', value: r.u64() };
    case FORM.data16:
      return { kind: 'block', value: r.block(16) };
    case FORM.sdata:
      return { kind: 'const', value: r.sleb(), signed: true };
    case FORM.udata:
      return { kind: 'const', value: r.uleb() };
    case FORM.implicit_const:
      return { kind: 'const', value: implicitConst, signed: true };
    case FORM.flag:
      return { kind: 'flag', value: r.u8() !== 0 };
    case FORM.flag_present:
      return { kind: 'flag', value: true };
    case FORM.string:
      return { kind: 'string', value: r.cString() };
    case FORM.strp:
      return { kind: 'string', value: stringAt('.debug_str', ctx.sections.bytes('.debug_str'), r.u32()) };
    case FORM.line_strp:
      return { kind: 'string', value: stringAt('.debug_line_str', ctx.sections.bytes('.debug_line_str'), r.u32()) };
    case FORM.strx:
    case FORM.GNU_str_index:
      return { kind: 'strx', value: r.uleb() };
    case FORM.strx1:
      return { kind: 'strx', value: r.u8() };
    case FORM.strx2:
      return { kind: 'strx', value: r.u16() };
    case FORM.strx3:
      return { kind: 'strx', value: r.u24() };
    case FORM.strx4:
      return { kind: 'strx', value: r.u32() };
    case FORM.addrx:
    case FORM.GNU_addr_index:
      return { kind: 'addrx', value: r.uleb() };
    case FORM.addrx1:
      return { kind: 'addrx', value: r.u8() };
    case FORM.addrx2:
      return { kind: 'addrx', value: r.u16() };
    case FORM.addrx3:
      return { kind: 'addrx', value: r.u24() };
    case FORM.addrx4:
      return { kind: 'addrx', value: r.u32() };
    case FORM.block1:
      return { kind: 'block', value: r.block(r.u8()) };
    case FORM.block2:
      return { kind: 'block', value: r.block(r.u16()) };
    case FORM.block4:
      return { kind: 'block', value: r.block(r.u32()) };
    case FORM.block:
    case FORM.exprloc:
      return { kind: 'block', value: r.block(r.uleb()) };
    case FORM.ref1:
      return { kind: 'ref', value: ctx.unitOffset + r.u8() };
    case FORM.ref2:
      return { kind: 'ref', value: ctx.unitOffset + r.u16() };
    case FORM.ref4:
      return { kind: 'ref', value: ctx.unitOffset + r.u32() };
    case FORM.ref8:
      return { kind: 'ref', value: ctx.unitOffset + r.u64() };
    case FORM.ref_udata:
      return { kind: 'ref', value: ctx.unitOffset + r.uleb() };
    case FORM.ref_addr:
      // DWARF 2 wrote an address-sized offset; later versions an offset of the format's size.
      return { kind: 'ref', value: ctx.version <= 2 ? r.unsigned(ctx.addressSize) : r.u32() };
    case FORM.sec_offset:
      return { kind: 'offset', value: r.u32() };
    case FORM.loclistx:
      return { kind: 'loclistx', value: r.uleb() };
    case FORM.rnglistx:
      return { kind: 'rnglistx', value: r.uleb() };
    case FORM.indirect: {
      if (depth > 4) throw r.error(at, 'DW_FORM_indirect nested too deep');
      return readForm(r, r.uleb(), ctx, implicitConst, depth + 1);
    }
    case FORM.ref_sup4:
    case FORM.strp_sup:
    case FORM.GNU_ref_alt:
    case FORM.GNU_strp_alt:
      r.skip(4);
      return undefined;
    case FORM.ref_sup8:
    case FORM.ref_sig8:
      r.skip(8);
      return undefined;
    default:
      throw r.error(at, `unknown attribute form 0x${form.toString(16)}`);
  }
}

const KNOWN = new Set<number>(Object.values(FORM));

/** Whether readForm knows `form` (abbreviations are checked when read, before any DIE uses them). */
export function knownForm(form: number): boolean {
  return KNOWN.has(form);
}

/** A strx or addrx value read from the unit's tables; any other value as it is. */
export function resolveIndex(v: AttrValue, ctx: FormContext): AttrValue {
  if (v.kind === 'addrx') return { kind: 'address', value: addrx(v.value, ctx) };
  if (v.kind !== 'strx') return v;
  const r = ctx.sections.reader('.debug_str_offsets');
  r.offset = ctx.strOffsetsBase + v.value * 4;
  return { kind: 'string', value: stringAt('.debug_str', ctx.sections.bytes('.debug_str'), r.u32()) };
}

/** The address at `index` of the unit's .debug_addr table. */
export function addrx(index: number, ctx: Pick<FormContext, 'sections' | 'addrBase' | 'addressSize'>): number {
  const r: DwarfReader = ctx.sections.reader('.debug_addr');
  r.offset = ctx.addrBase + index * ctx.addressSize;
  return r.unsigned(ctx.addressSize);
}
