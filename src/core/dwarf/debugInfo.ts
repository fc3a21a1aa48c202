// .debug_info and .debug_abbrev: the units (DWARF 2 to 5 headers) and their trees of debugging
// information entries, read once, every attribute decoded by its form. A unit that is malformed is
// left out and its DwarfError kept in `problems`, so one bad unit does not hide the others.
import { AT, FORM, UT } from './constants';
import { DwarfError } from './dwarfError';
import { knownForm, readForm, resolveIndex, type AttrValue, type FormContext } from './forms';
import type { DwarfSections } from './sections';

interface AbbrevAttr {
  readonly name: number;
  readonly form: number;
  readonly implicitConst: number;
}

interface Abbrev {
  readonly tag: number;
  readonly hasChildren: boolean;
  readonly attrs: readonly AbbrevAttr[];
}

export interface Attr {
  readonly name: number;
  readonly value: AttrValue;
}

export class Die {
  readonly children: Die[] = [];
  constructor(
    readonly offset: number,
    readonly tag: number,
    readonly attrs: readonly Attr[],
    readonly unit: Unit,
    readonly parent: Die | undefined,
  ) {}

  attr(name: number): AttrValue | undefined {
    for (const a of this.attrs) if (a.name === name) return a.value;
    return undefined;
  }

  /** The attribute as a number when it is a constant, an address or a flag. */
  num(name: number): number | undefined {
    const v = this.attr(name);
    if (v?.kind === 'const' || v?.kind === 'address') return v.value;
    return undefined;
  }

  str(name: number): string | undefined {
    const v = this.attr(name);
    return v?.kind === 'string' ? v.value : undefined;
  }

  flag(name: number): boolean {
    const v = this.attr(name);
    return v?.kind === 'flag' ? v.value : v?.kind === 'const' ? v.value !== 0 : false;
  }

  ref(name: number): number | undefined {
    const v = this.attr(name);
    return v?.kind === 'ref' ? v.value : undefined;
  }
}

export interface Unit {
  readonly offset: number;
  readonly end: number;
  readonly version: number;
  readonly unitType: number;
  readonly addressSize: number;
  readonly ctx: FormContext;
  /** The compile unit's entry; undefined only while it is being read. */
  root: Die | undefined;
  /** DW_AT_low_pc of the unit: the base of its range and location lists. */
  baseAddress: number;
  rnglistsBase: number;
  loclistsBase: number;
}

/** Deeper nesting than this is refused: C never comes near it, and walkers stay off the stack's limit. */
export const MAX_DEPTH = 200;

export class DebugInfo {
  readonly units: Unit[] = [];
  readonly problems: DwarfError[] = [];
  private readonly dies = new Map<number, Die>();
  private readonly abbrevCache = new Map<number, Map<number, Abbrev>>();

  constructor(readonly sections: DwarfSections) {
    const r = sections.reader('.debug_info');
    while (!r.atEnd) {
      const at = r.offset;
      const length = r.nextUnitLength(this.problems);
      if (length === undefined) break;
      const end = at + 4 + length;
      try {
        this.readUnit(at, Math.min(end, r.bytes.length));
        if (end > r.bytes.length) throw r.error(at, `unit length 0x${length.toString(16)} runs past the end of the section`);
      } catch (e) {
        if (!(e instanceof DwarfError)) throw e;
        this.problems.push(e);
      }
      if (end > r.bytes.length) break;
      r.offset = end;
    }
  }

  /** The entry at `offset` of .debug_info. */
  die(offset: number): Die | undefined {
    return this.dies.get(offset);
  }

  /** The entry a reference attribute names. */
  target(die: Die, name: number): Die | undefined {
    const ref = die.ref(name);
    return ref === undefined ? undefined : this.dies.get(ref);
  }

  /**
   * An attribute of the entry or, when it lacks it, of the entry its DW_AT_abstract_origin or
   * DW_AT_specification names (a few hops at most: a loop in the references ends there).
   */
  inherited(die: Die, name: number): AttrValue | undefined {
    let d: Die | undefined = die;
    for (let hops = 0; d && hops < 8; hops++) {
      const v = d.attr(name);
      if (v) return v;
      d = this.target(d, AT.abstract_origin) ?? this.target(d, AT.specification);
    }
    return undefined;
  }

  /** DW_AT_name, through DW_AT_abstract_origin and DW_AT_specification. */
  nameOf(die: Die): string | undefined {
    const v = this.inherited(die, AT.name);
    return v?.kind === 'string' ? v.value : undefined;
  }

  private readUnit(at: number, end: number): void {
    const r = this.sections.reader('.debug_info').sub(at + 4, end);
    const version = r.u16();
    if (version < 2 || version > 5) throw r.error(at, `unsupported DWARF version ${version}`);
    let unitType: number = UT.compile;
    let addressSize: number;
    let abbrevOffset: number;
    if (version >= 5) {
      unitType = r.u8();
      addressSize = r.u8();
      abbrevOffset = r.u32();
      if (unitType === UT.skeleton || unitType === UT.split_compile) r.skip(8);
      else if (unitType === UT.type || unitType === UT.split_type) r.skip(12);
      else if (unitType !== UT.compile && unitType !== UT.partial) throw r.error(at, `unknown unit type 0x${unitType.toString(16)}`);
    } else {
      abbrevOffset = r.u32();
      addressSize = r.u8();
    }
    if (addressSize !== 2 && addressSize !== 4 && addressSize !== 8) throw r.error(at, `unsupported address size ${addressSize}`);
    const abbrevs = this.abbrevs(abbrevOffset);
    const ctx: FormContext = { sections: this.sections, addressSize, version, unitOffset: at, strOffsetsBase: 8, addrBase: 8 };
    const unit: Unit = { offset: at, end, version, unitType, addressSize, ctx, root: undefined, baseAddress: 0, rnglistsBase: 12, loclistsBase: 12 };

    const stack: Die[] = [];
    while (!r.atEnd) {
      const dieOffset = r.offset;
      const code = r.uleb();
      if (code === 0) {
        stack.pop();
        if (stack.length === 0 && unit.root) break;
        continue;
      }
      const abbrev = abbrevs.get(code);
      if (!abbrev) throw r.error(dieOffset, `abbreviation code ${code} is not in the table at .debug_abbrev+0x${abbrevOffset.toString(16)}`);
      const isRoot = !unit.root;
      let attrs: Attr[] = [];
      let indexed = false;
      for (const a of abbrev.attrs) {
        const value = readForm(r, a.form, ctx, a.implicitConst);
        if (!value) continue;
        attrs.push({ name: a.name, value });
        indexed ||= value.kind === 'strx' || value.kind === 'addrx';
      }
      if (isRoot) setBases(unit, attrs);
      if (indexed) attrs = attrs.map((a) => ({ name: a.name, value: resolveIndex(a.value, ctx) }));
      const parent = stack[stack.length - 1];
      const die = new Die(dieOffset, abbrev.tag, attrs, unit, parent);
      this.dies.set(dieOffset, die);
      if (parent) parent.children.push(die);
      else if (isRoot) {
        unit.root = die;
        unit.baseAddress = die.num(AT.low_pc) ?? 0;
      } else break; // entries after the unit's root closed: padding
      if (abbrev.hasChildren) {
        if (stack.length >= MAX_DEPTH) throw r.error(dieOffset, `entries nest deeper than ${MAX_DEPTH}`);
        stack.push(die);
      } else if (isRoot) break;
    }
    if (!unit.root) throw r.error(at, 'unit has no entries');
    this.units.push(unit);
  }

  private abbrevs(offset: number): Map<number, Abbrev> {
    const cached = this.abbrevCache.get(offset);
    if (cached) return cached;
    const r = this.sections.reader('.debug_abbrev', offset);
    const table = new Map<number, Abbrev>();
    for (;;) {
      const code = r.uleb();
      if (code === 0) break;
      const tag = r.uleb();
      const hasChildren = r.u8() !== 0;
      const attrs: AbbrevAttr[] = [];
      for (;;) {
        const at = r.offset;
        const name = r.uleb();
        const form = r.uleb();
        if (name === 0 && form === 0) break;
        if (!knownForm(form)) throw r.error(at, `unknown attribute form 0x${form.toString(16)}`);
        attrs.push({ name, form, implicitConst: form === FORM.implicit_const ? r.sleb() : 0 });
      }
      if (!table.has(code)) table.set(code, { tag, hasChildren, attrs });
    }
    this.abbrevCache.set(offset, table);
    return table;
  }
}

/** The unit's DW_AT_str_offsets_base, addr_base, rnglists_base and loclists_base (defaults: just past the tables' headers). */
function setBases(unit: Unit, attrs: readonly Attr[]): void {
  for (const { name, value } of attrs) {
    if (value.kind !== 'offset' && value.kind !== 'const') continue;
    if (name === AT.str_offsets_base) unit.ctx.strOffsetsBase = value.value;
    else if (name === AT.addr_base) unit.ctx.addrBase = value.value;
    else if (name === AT.rnglists_base) unit.rnglistsBase = value.value;
    else if (name === AT.loclists_base) unit.loclistsBase = value.value;
  }
}
