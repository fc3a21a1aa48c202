// The variables a debugger shows: the globals and file statics of every unit, and the parameters
// and locals of a function (or of a call inlined into it) at a pc, innermost lexical block first,
// as gdb's `info locals` orders them. Each is read where its location says, into bytes.
import { AT, TAG } from './constants';
import type { DebugInfo, Die } from './debugInfo';
import { DwarfError } from './dwarfError';
import type { Functions } from './functions';
import { evaluateValue, locationAt, Unavailable, type FrameContext, type Location } from './location';
import { rangesOf } from './ranges';

export interface Variable {
  readonly name: string;
  /** The entry with the location (the definition, when a declaration came first). */
  readonly die: Die;
  readonly type: Die | undefined;
  readonly kind: 'global' | 'static' | 'parameter' | 'local';
}

export interface VariableValue {
  readonly location: Location;
  /** The value's bytes, or undefined when it is optimized out or cannot be read. */
  readonly bytes: Uint8Array | undefined;
}

export class Variables {
  constructor(
    private readonly info: DebugInfo,
    private readonly functions: Functions,
  ) {}

  /** Every variable defined at a unit's top level, with a location or a constant value. */
  globals(): Variable[] {
    const out: Variable[] = [];
    for (const unit of this.info.units) {
      for (const die of unit.root?.children ?? []) {
        if (die.tag !== TAG.variable || (!die.attr(AT.location) && !die.attr(AT.const_value))) continue;
        const name = this.info.nameOf(die);
        if (!name) continue;
        const external = this.info.inherited(die, AT.external)?.kind === 'flag';
        out.push({ name, die, type: this.typeOf(die), kind: external ? 'global' : 'static' });
      }
    }
    return out;
  }

  /**
   * The parameters and locals in `scope` (a function's DIE, or an inlined call's) at `pc`: blocks
   * that hold the pc, innermost first, then the scope's own variables; calls inlined further in are
   * frames of their own and left out.
   */
  at(scope: Die, pc: number): Variable[] {
    const levels: Die[][] = [];
    let current: Die | undefined = scope;
    for (let depth = 0; current && depth < 200; depth++) {
      const here: Die[] = [];
      let next: Die | undefined;
      for (const c of current.children) {
        if (c.tag === TAG.formal_parameter || c.tag === TAG.variable) here.push(c);
        else if (c.tag === TAG.lexical_block && !next && this.holds(c, pc)) next = c;
      }
      levels.push(here);
      current = next;
    }
    const out: Variable[] = [];
    for (const level of levels.reverse()) {
      for (const die of level) {
        const name = this.info.nameOf(die);
        if (!name) continue;
        out.push({ name, die, type: this.typeOf(die), kind: die.tag === TAG.formal_parameter ? 'parameter' : 'local' });
      }
    }
    // gdb lists parameters apart (`info args`); here they come after the locals of the same scope.
    return [...out.filter((v) => v.kind === 'local'), ...out.filter((v) => v.kind === 'parameter')];
  }

  /** The frame base of the function holding `pc` (DW_AT_frame_base, usually DW_OP_call_frame_cfa). */
  frameBase(pc: number, frame: FrameContext): number | undefined {
    const f = this.functions.at(pc);
    const v = f?.die.attr(AT.frame_base);
    if (!f || v?.kind !== 'block') return undefined;
    try {
      return evaluateValue(this.info.sections, f.die.unit, v.value, frame);
    } catch (e) {
      if (e instanceof Unavailable) return undefined;
      throw e;
    }
  }

  /**
   * Where `v` is at `pc` and its bytes (`size` of them). `pc` is the frame's own pc for the top
   * frame and one less than the return address for callers, as location lists need.
   */
  read(v: Variable, pc: number, size: number, frame: FrameContext): VariableValue {
    const constant = v.die.attr(AT.const_value);
    if (constant) {
      const bytes = constant.kind === 'block' ? constant.value : constant.kind === 'const' ? toBytes(constant.value, size, this.info.sections.little) : undefined;
      return { location: { kind: 'value', bytes: bytes ?? new Uint8Array(0) }, bytes };
    }
    const withBase: FrameContext = {
      register: (n) => frame.register(n),
      readMemory: (a, n) => frame.readMemory(a, n),
      cfa: frame.cfa,
      frameBase: frame.frameBase ?? this.frameBase(pc, frame),
      entryValue: (n) => frame.entryValue?.(n),
    };
    const location = locationAt(this.info.sections, v.die, AT.location, pc, withBase);
    return { location, bytes: this.bytesAt(location, size, withBase) };
  }

  private bytesAt(loc: Location, size: number, frame: FrameContext): Uint8Array | undefined {
    const little = this.info.sections.little;
    switch (loc.kind) {
      case 'memory': {
        const b = frame.readMemory(loc.address, size);
        return b && b.length >= size ? b.subarray(0, size) : undefined;
      }
      case 'register': {
        const v = frame.register(loc.register);
        return v === undefined ? undefined : toBytes(v, size, little);
      }
      case 'value':
        return loc.bytes.length >= size ? loc.bytes.subarray(0, size) : undefined;
      case 'pieces': {
        const out = new Uint8Array(size);
        let at = 0;
        for (const p of loc.pieces) {
          const part = this.bytesAt(p.location, p.size, frame);
          if (!part) return undefined;
          out.set(part.subarray(0, Math.min(p.size, size - at)), at);
          at += p.size;
          if (at >= size) break;
        }
        return out;
      }
      default:
        return undefined;
    }
  }

  private holds(block: Die, pc: number): boolean {
    try {
      return rangesOf(this.info, block).some((r) => pc >= r.start && pc < r.end);
    } catch (e) {
      if (e instanceof DwarfError) return false;
      throw e;
    }
  }

  private typeOf(die: Die): Die | undefined {
    const t = this.info.inherited(die, AT.type);
    return t?.kind === 'ref' ? this.info.die(t.value) : undefined;
  }
}

/** `value` as `size` bytes in the target's order (a register's contents, a DW_AT_const_value). */
function toBytes(value: number, size: number, little: boolean): Uint8Array {
  const out = new Uint8Array(size);
  let v = BigInt.asUintN(8 * size, BigInt(Math.trunc(value)));
  for (let i = 0; i < size; i++) {
    out[little ? i : size - 1 - i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
