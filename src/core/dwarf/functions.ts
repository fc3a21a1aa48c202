// The firmware's functions from DW_TAG_subprogram entries that have code (low_pc/high_pc or
// ranges), with the calls inlined into them (DW_TAG_inlined_subroutine): which function holds a pc,
// where a function is, and the chain of inlined calls at a pc.
import { AT, TAG } from './constants';
import type { DebugInfo, Die } from './debugInfo';
import { DwarfError } from './dwarfError';
import { rangesOf, type AddressRange } from './ranges';
import { lastAtOrBefore } from '../sortedSearch';

export interface FunctionInfo {
  readonly name: string;
  /** The concrete DW_TAG_subprogram. */
  readonly die: Die;
  readonly ranges: readonly AddressRange[];
  /** The lowest address: the entry of a function with one range. */
  readonly low: number;
  readonly high: number;
  readonly external: boolean;
}

export interface InlinedCall {
  readonly name: string;
  readonly die: Die;
  readonly ranges: readonly AddressRange[];
  /** Index into the unit's line table files, and the line and column of the call. */
  readonly callFile?: number;
  readonly callLine?: number;
  readonly callColumn?: number;
}

export class Functions {
  /** Sorted by `low`. */
  readonly list: FunctionInfo[] = [];
  private readonly byName = new Map<string, FunctionInfo[]>();
  private inlinedByName: Map<string, InlinedCall[]> | undefined;

  /** `isCode` drops functions the linker discarded (their entries stay, at address 0). */
  constructor(
    private readonly info: DebugInfo,
    private readonly isCode: (address: number) => boolean = () => true,
  ) {
    for (const unit of info.units) {
      if (!unit.root) continue;
      const stack = [...unit.root.children];
      while (stack.length) {
        const die = stack.pop() as Die;
        if (die.tag === TAG.subprogram) this.add(die);
        // Functions nest only in C++ classes and namespaces; C keeps them at the unit's top.
        else if (die.tag !== TAG.lexical_block && die.tag !== TAG.inlined_subroutine) for (const c of die.children) if (c.tag === TAG.subprogram || c.children.length) stack.push(c);
      }
    }
    this.list.sort((a, b) => a.low - b.low || b.high - a.high);
  }

  private add(die: Die): void {
    if (die.flag(AT.declaration)) return;
    // Thumb code's assembler-made entries carry the Thumb bit in low_pc: instructions are 2-aligned.
    const ranges = this.safeRanges(die).map((r) => (r.start & 1 ? { start: r.start - 1, end: r.end - 1 } : r));
    if (!ranges.length || !this.isCode(ranges[0].start)) return;
    const name = this.info.nameOf(die) ?? '??';
    const low = Math.min(...ranges.map((r) => r.start));
    const high = Math.max(...ranges.map((r) => r.end));
    const external = this.info.inherited(die, AT.external)?.kind === 'flag';
    const f: FunctionInfo = { name, die, ranges, low, high, external };
    this.list.push(f);
    const list = this.byName.get(name) ?? [];
    list.push(f);
    this.byName.set(name, list);
  }

  /** The function whose code holds `pc`. */
  at(pc: number): FunctionInfo | undefined {
    const found = lastAtOrBefore(this.list, (f) => f.low, pc);
    // Functions with several ranges (hot/cold parts) may start before others that lie between them.
    for (let i = found; i >= 0; i--) {
      const f = this.list[i];
      if (f.ranges.some((r) => pc >= r.start && pc < r.end)) return f;
      if (i < found - 64) break;
    }
    return undefined;
  }

  /** The functions called `name` (a static one in each of several units, say). */
  named(name: string): readonly FunctionInfo[] {
    return this.byName.get(name) ?? [];
  }

  /** Every call of `name` inlined into a function (its first range first, as DWARF lists it). */
  inlinedCopies(name: string): readonly InlinedCall[] {
    if (!this.inlinedByName) {
      const map = new Map<string, InlinedCall[]>();
      for (const f of this.list) {
        const stack = [...f.die.children];
        while (stack.length) {
          const d = stack.pop() as Die;
          if (d.tag === TAG.inlined_subroutine) {
            const ranges = this.safeRanges(d);
            const n = this.info.nameOf(d);
            if (n && ranges.length) map.set(n, [...(map.get(n) ?? []), { name: n, die: d, ranges }]);
          }
          if (d.tag === TAG.inlined_subroutine || d.tag === TAG.lexical_block) stack.push(...d.children);
        }
      }
      this.inlinedByName = map;
    }
    return this.inlinedByName.get(name) ?? [];
  }

  /** The calls inlined at `pc` inside `f`, outermost first. */
  inlinedAt(f: FunctionInfo, pc: number): InlinedCall[] {
    const out: InlinedCall[] = [];
    let scope: Die | undefined = f.die;
    while (scope) {
      let next: Die | undefined;
      for (const c of scope.children) {
        if (c.tag !== TAG.inlined_subroutine && c.tag !== TAG.lexical_block) continue;
        if (!this.safeRanges(c).some((r) => pc >= r.start && pc < r.end)) continue;
        next = c;
        if (c.tag === TAG.inlined_subroutine) {
          out.push({ name: this.info.nameOf(c) ?? '??', die: c, ranges: this.safeRanges(c), callFile: c.num(AT.call_file), callLine: c.num(AT.call_line), callColumn: c.num(AT.call_column) });
        }
        break;
      }
      scope = next;
    }
    return out;
  }

  /** An entry's ranges; a list that cannot be read counts as none. */
  safeRanges(die: Die): AddressRange[] {
    try {
      return rangesOf(this.info, die);
    } catch (e) {
      if (e instanceof DwarfError) return [];
      throw e;
    }
  }
}
