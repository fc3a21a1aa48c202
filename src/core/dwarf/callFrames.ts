// Call frame information from .debug_frame (what gcc writes for arm-none-eabi): the CIEs and FDEs,
// and the table of rules their DW_CFA_* instructions describe, row by row: how to find the
// frame's CFA and each saved register at any pc of a function.
import { CFA } from './constants';
import { DwarfError } from './dwarfError';
import type { DwarfReader } from './dwarfReader';
import type { DwarfSections } from './sections';
import { lastAtOrBefore } from '../sortedSearch';

export type RegisterRule =
  | { readonly kind: 'undefined' }
  | { readonly kind: 'same' }
  | { readonly kind: 'offset'; readonly offset: number }
  | { readonly kind: 'val_offset'; readonly offset: number }
  | { readonly kind: 'register'; readonly register: number }
  | { readonly kind: 'expression'; readonly expr: Uint8Array }
  | { readonly kind: 'val_expression'; readonly expr: Uint8Array };

export type CfaRule = { readonly kind: 'register'; readonly register: number; readonly offset: number } | { readonly kind: 'expression'; readonly expr: Uint8Array };

export interface CfiRow {
  /** First address the row holds for (up to the next row's). */
  readonly address: number;
  readonly cfa: CfaRule;
  /** Rules for the registers the instructions named; any other register keeps its value. */
  readonly rules: ReadonlyMap<number, RegisterRule>;
}

export interface Cie {
  readonly offset: number;
  readonly version: number;
  readonly codeAlign: number;
  readonly dataAlign: number;
  readonly returnAddressRegister: number;
  readonly addressSize: number;
  readonly instructions: Uint8Array;
}

export interface Fde {
  readonly offset: number;
  readonly cie: Cie;
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  readonly instructions: Uint8Array;
}

/** More DW_CFA_remember_state without a restore than this is refused. */
const MAX_REMEMBERED = 64;
const CIE_ID = 0xffffffff;

export class CallFrames {
  readonly fdes: Fde[] = [];
  readonly problems: DwarfError[] = [];

  constructor(private readonly sections: DwarfSections) {
    const r = sections.reader('.debug_frame');
    const cies = new Map<number, Cie>();
    while (r.remaining >= 4) {
      const at = r.offset;
      const length = r.nextUnitLength(this.problems);
      if (length === undefined) break;
      const end = r.offset + length;
      if (end > r.end) {
        this.problems.push(r.error(at, `entry length 0x${length.toString(16)} runs past the end of the section`));
        break;
      }
      if (length === 0) continue; // a zero terminator, or padding
      try {
        const e = r.sub(r.offset, end);
        const id = e.u32();
        if (id === CIE_ID) cies.set(at, this.readCie(e, at));
        else {
          const cie = cies.get(id) ?? this.cieAt(id);
          cies.set(id, cie);
          this.fdes.push(this.readFde(e, at, cie));
        }
      } catch (err) {
        if (!(err instanceof DwarfError)) throw err;
        this.problems.push(err);
      }
      r.offset = end;
    }
    this.fdes.sort((a, b) => a.start - b.start);
  }

  /** The FDE whose range holds `pc` (an FDE at a gc-ed address 0 with nothing behind it is never chosen over a real one). */
  fdeAt(pc: number): Fde | undefined {
    const found = lastAtOrBefore(this.fdes, (f) => f.start, pc);
    for (let i = found; i >= 0 && i > found - 8; i--) if (pc < this.fdes[i].end) return this.fdes[i];
    return undefined;
  }

  /** The rule row in force at `pc`, or undefined when no FDE covers it. */
  rowAt(pc: number): CfiRow | undefined {
    const fde = this.fdeAt(pc);
    if (!fde) return undefined;
    let row: CfiRow | undefined;
    for (const r of this.rows(fde)) {
      if (r.address > pc) break;
      row = r;
    }
    return row;
  }

  /** Every row of an FDE's table, as `objdump --dwarf=frames-interp` prints them. */
  rows(fde: Fde): CfiRow[] {
    const cie = fde.cie;
    const initial = run(this.sections, cie.instructions, cie, fde.start, undefined, 'CIE', cie.offset);
    const state = initial[initial.length - 1];
    const rows = run(this.sections, fde.instructions, cie, fde.start, { cfa: state.cfa, rules: new Map(state.rules), initial: state.rules }, 'FDE', fde.offset);
    return rows.filter((r, i) => r.address < fde.end || i === 0);
  }

  private cieAt(offset: number): Cie {
    const r = this.sections.reader('.debug_frame', offset);
    const length = r.initialLength();
    const e = r.sub(r.offset, r.offset + length);
    if (e.u32() !== CIE_ID) throw r.error(offset, 'the FDE\'s CIE pointer does not point at a CIE');
    return this.readCie(e, offset);
  }

  private readCie(e: DwarfReader, offset: number): Cie {
    const version = e.u8();
    if (version !== 1 && version !== 3 && version !== 4) throw e.error(offset, `unsupported CIE version ${version}`);
    const augmentation = e.cString();
    if (augmentation !== '' && !augmentation.startsWith('z')) throw e.error(offset, `unsupported CIE augmentation "${augmentation}"`);
    let addressSize: number = this.sections.addressSize;
    if (version === 4) {
      addressSize = e.u8();
      e.u8(); // segment selector size
    }
    const codeAlign = e.uleb();
    const dataAlign = e.sleb();
    const returnAddressRegister = version === 1 ? e.u8() : e.uleb();
    if (augmentation.startsWith('z')) e.skip(e.uleb());
    return { offset, version, codeAlign, dataAlign, returnAddressRegister, addressSize, instructions: e.block(e.remaining) };
  }

  private readFde(e: DwarfReader, offset: number, cie: Cie): Fde {
    const start = e.unsigned(cie.addressSize);
    const range = e.unsigned(cie.addressSize);
    return { offset, cie, start, end: start + range, instructions: e.block(e.remaining) };
  }
}

interface State {
  cfa: CfaRule;
  rules: Map<number, RegisterRule>;
  /** The CIE's rules, for DW_CFA_restore. */
  initial: ReadonlyMap<number, RegisterRule> | undefined;
}

/** Runs CFA instructions from `start`; one row per location the instructions reach, the first at `start`. */
function run(sections: DwarfSections, bytes: Uint8Array, cie: Cie, start: number, from: State | undefined, what: string, offset: number): CfiRow[] {
  const r = sections.reader('.debug_frame');
  const base = bytes.byteOffset - sections.bytes('.debug_frame').byteOffset;
  r.offset = base;
  const e = r.sub(base, base + bytes.length);
  const state: State = from ?? { cfa: { kind: 'register', register: 13, offset: 0 }, rules: new Map(), initial: undefined };
  const remembered: State[] = [];
  const rows: CfiRow[] = [];
  let loc = start;
  const emitTo = (next: number) => {
    if (next !== loc) {
      rows.push({ address: loc, cfa: state.cfa, rules: new Map(state.rules) });
      loc = next;
    }
  };
  const restore = (reg: number) => {
    const rule = state.initial?.get(reg);
    if (rule) state.rules.set(reg, rule);
    else state.rules.delete(reg);
  };
  const cfaRegister = () => (state.cfa.kind === 'register' ? state.cfa : undefined);
  while (!e.atEnd) {
    const at = e.offset;
    const byte = e.u8();
    const high = byte & 0xc0;
    const low = byte & 0x3f;
    if (high === CFA.advance_loc) {
      emitTo(loc + low * cie.codeAlign);
      continue;
    }
    if (high === CFA.offset) {
      state.rules.set(low, { kind: 'offset', offset: e.uleb() * cie.dataAlign });
      continue;
    }
    if (high === CFA.restore) {
      restore(low);
      continue;
    }
    switch (byte) {
      case CFA.nop:
        break;
      case CFA.set_loc:
        emitTo(e.unsigned(cie.addressSize));
        break;
      case CFA.advance_loc1:
        emitTo(loc + e.u8() * cie.codeAlign);
        break;
      case CFA.advance_loc2:
        emitTo(loc + e.u16() * cie.codeAlign);
        break;
      case CFA.advance_loc4:
        emitTo(loc + e.u32() * cie.codeAlign);
        break;
      case CFA.offset_extended: {
        const reg = e.uleb();
        state.rules.set(reg, { kind: 'offset', offset: e.uleb() * cie.dataAlign });
        break;
      }
      case CFA.offset_extended_sf: {
        const reg = e.uleb();
        state.rules.set(reg, { kind: 'offset', offset: e.sleb() * cie.dataAlign });
        break;
      }
      case CFA.GNU_negative_offset_extended: {
        const reg = e.uleb();
        state.rules.set(reg, { kind: 'offset', offset: -e.uleb() * cie.dataAlign });
        break;
      }
      case CFA.val_offset: {
        const reg = e.uleb();
        state.rules.set(reg, { kind: 'val_offset', offset: e.uleb() * cie.dataAlign });
        break;
      }
      case CFA.val_offset_sf: {
        const reg = e.uleb();
        state.rules.set(reg, { kind: 'val_offset', offset: e.sleb() * cie.dataAlign });
        break;
      }
      case CFA.restore_extended:
        restore(e.uleb());
        break;
      case CFA.undefined:
        state.rules.set(e.uleb(), { kind: 'undefined' });
        break;
      case CFA.same_value:
        state.rules.set(e.uleb(), { kind: 'same' });
        break;
      case CFA.register: {
        const reg = e.uleb();
        state.rules.set(reg, { kind: 'register', register: e.uleb() });
        break;
      }
      case CFA.remember_state:
        if (remembered.length >= MAX_REMEMBERED) throw e.error(at, `more than ${MAX_REMEMBERED} remembered states in the ${what} at 0x${offset.toString(16)}`);
        remembered.push({ cfa: state.cfa, rules: new Map(state.rules), initial: state.initial });
        break;
      case CFA.restore_state: {
        const s = remembered.pop();
        if (!s) throw e.error(at, `DW_CFA_restore_state with no remembered state in the ${what} at 0x${offset.toString(16)}`);
        state.cfa = s.cfa;
        state.rules = s.rules;
        break;
      }
      case CFA.def_cfa: {
        const register = e.uleb();
        state.cfa = { kind: 'register', register, offset: e.uleb() };
        break;
      }
      case CFA.def_cfa_sf: {
        const register = e.uleb();
        state.cfa = { kind: 'register', register, offset: e.sleb() * cie.dataAlign };
        break;
      }
      case CFA.def_cfa_register: {
        const register = e.uleb();
        state.cfa = { kind: 'register', register, offset: cfaRegister()?.offset ?? 0 };
        break;
      }
      case CFA.def_cfa_offset:
        state.cfa = { kind: 'register', register: cfaRegister()?.register ?? 13, offset: e.uleb() };
        break;
      case CFA.def_cfa_offset_sf:
        state.cfa = { kind: 'register', register: cfaRegister()?.register ?? 13, offset: e.sleb() * cie.dataAlign };
        break;
      case CFA.def_cfa_expression:
        state.cfa = { kind: 'expression', expr: e.block(e.uleb()) };
        break;
      case CFA.expression: {
        const reg = e.uleb();
        state.rules.set(reg, { kind: 'expression', expr: e.block(e.uleb()) });
        break;
      }
      case CFA.val_expression: {
        const reg = e.uleb();
        state.rules.set(reg, { kind: 'val_expression', expr: e.block(e.uleb()) });
        break;
      }
      case CFA.GNU_args_size:
        e.uleb();
        break;
      default:
        throw e.error(at, `unknown call frame instruction 0x${byte.toString(16)} in the ${what} at 0x${offset.toString(16)}`);
    }
  }
  rows.push({ address: loc, cfa: state.cfa, rules: new Map(state.rules) });
  return rows;
}
