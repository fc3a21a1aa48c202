// The firmware's debug information as the `amp` debug adapter asks for it: source positions of
// addresses, breakpoint addresses of lines and functions, step ranges, functions, the call stack
// (through exception entry), globals and locals with their values. One object per ELF, built once;
// malformed DWARF gives a DwarfError from fromElf() when nothing can be read, or a partial result
// with the faults in `problems`.
import type { ElfFile } from '../elf/elfFile';
import { STT_FUNC, STT_OBJECT } from '../elf/constants';
import { ElfError } from '../elf/types';
import { CallFrames } from './callFrames';
import { AT, OP, TAG } from './constants';
import { DebugInfo, type Die, type Unit } from './debugInfo';
import { DwarfError } from './dwarfError';
import { Functions, type FunctionInfo, type InlinedCall } from './functions';
import { joinPath, LineTable, parseLineProgram, type LineEntry, type LineFile, type LineProgram } from './lineTable';
import { describeLocation, evaluateValue, Unavailable, type FrameContext } from './location';
import { DwarfSections } from './sections';
import { lastAtOrBefore } from '../sortedSearch';
import { Types } from './types';
import { Unwinder, type CoreRegisters, type MemoryReader, type StackFrame } from './unwind';
import { Variables, type Variable } from './variables';

export interface CompileUnitInfo {
  readonly name: string;
  readonly compDir: string;
  readonly producer: string;
  /** The files of its line table, as the table gives them. */
  readonly files: readonly string[];
}

export interface SourceLocation {
  /** The path as the line table gives it (directory + name), and made absolute with the unit's directory. */
  readonly file: string;
  readonly fullPath: string;
  readonly line: number;
  readonly column: number;
}

export interface BreakpointPlaces {
  /** The line the breakpoint lands on: the one asked for, or the next line with code. */
  readonly line: number;
  readonly addresses: readonly number[];
}

/** A frame of the call stack with what DWARF says of it. */
export interface FrameInfo {
  readonly frame: StackFrame;
  /** The function, or undefined (no debug information, or the exception frame). */
  readonly function?: FunctionInfo;
  readonly source?: SourceLocation;
}

/** What a Variables view shows for a variable or a child of one. */
export interface ValueView {
  readonly name: string;
  readonly type: string;
  readonly value: string;
  /** "in memory at 0x…", "in register r4", "optimized out". */
  readonly where: string;
  readonly address?: number;
  readonly size: number;
  /** Members or elements it can be expanded into (0 for scalars). */
  readonly childCount: number;
}

export class FirmwareDebugInfo {
  readonly problems: DwarfError[];
  readonly types: Types;
  readonly functions: Functions;
  readonly variables: Variables;
  private readonly lines: LineTable;
  private readonly programs = new Map<number, LineProgram>();
  private readonly unwinder: Unwinder;

  private constructor(
    readonly sections: DwarfSections,
    readonly info: DebugInfo,
    readonly callFrames: CallFrames,
    isCode: (address: number) => boolean,
    symbolAt?: (address: number) => string | undefined,
  ) {
    this.problems = [...info.problems, ...callFrames.problems];
    const programs: LineProgram[] = [];
    for (const unit of info.units) {
      const p = this.programOf(unit);
      if (p) programs.push(p);
    }
    this.lines = new LineTable(programs, isCode);
    this.types = new Types(info, symbolAt);
    this.functions = new Functions(info, isCode);
    this.variables = new Variables(info, this.functions);
    this.unwinder = new Unwinder(sections, callFrames);
  }

  /** Reads the ELF's DWARF. Throws DwarfError only when a section lies outside the file. */
  static fromElf(elf: ElfFile): FirmwareDebugInfo {
    const sections = DwarfSections.fromElf(elf);
    const code = elf.sections.filter((s) => (s.flags & SHF_ALLOC_EXEC) === SHF_ALLOC_EXEC && s.size > 0);
    const isCode = (a: number) => code.length === 0 || code.some((s) => a >= s.addr && a < s.addr + s.size);
    return new FirmwareDebugInfo(sections, new DebugInfo(sections), new CallFrames(sections), isCode, elfSymbolizer(elf));
  }

  /** Whether the ELF has debug information to speak of (built with -g). */
  get hasDebugInfo(): boolean {
    return this.info.units.length > 0;
  }

  compileUnits(): CompileUnitInfo[] {
    return this.info.units.map((u) => {
      const root = u.root as Die;
      const files = this.programOf(u)?.files.filter((f): f is LineFile => f !== undefined).map((f) => f.path) ?? [];
      return { name: root.str(AT.name) ?? '', compDir: root.str(AT.comp_dir) ?? '', producer: root.str(AT.producer) ?? '', files: [...new Set(files)] };
    });
  }

  /** The source line of `pc`. */
  sourceAt(pc: number): SourceLocation | undefined {
    const e = this.lines.at(pc);
    return e && position(e);
  }

  /**
   * Where a breakpoint on `line` of `file` goes: one address per function or block holding the
   * line's code, past the prologue where the line is a function's first (gdb's choice). `file` may
   * be absolute, or a path's tail (`gdb.c`, `gdb-m4/gdb.c`).
   */
  breakpointAddresses(file: string, line: number): BreakpointPlaces {
    const places = this.lines.places(fileMatcher(file), line);
    const seen = new Set<string>();
    const out: number[] = [];
    for (const address of places.addresses) {
      const f = this.functions.at(address);
      const key = f ? `${f.die.offset}:${this.blockOf(f, address)?.offset ?? ''}` : `@${address}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // An address inside the prologue moves past it, as gdb's skip_prologue_sal moves it.
      const after = f ? this.afterPrologue(f) : address;
      out.push(f && address >= f.low && address < after ? after : address);
    }
    return { line: places.line, addresses: [...new Set(out)].sort((a, b) => a - b) };
  }

  /** Where a breakpoint on function `name` goes: past the prologue of each copy, and at the start of each call inlined. */
  functionBreakpoint(name: string): { address: number; source?: SourceLocation }[] {
    const addresses = [...this.functions.named(name).map((f) => this.afterPrologue(f)), ...this.functions.inlinedCopies(name).map((c) => c.ranges[0].start)];
    return [...new Set(addresses)].sort((a, b) => a - b).map((address) => ({ address, source: this.sourceAt(address) }));
  }

  /**
   * Where the prologue ends, as gdb finds it from the line table for gcc's code: the function's
   * entry when two rows of its first file sit at that address, statements or not (gcc's mark that
   * there is no prologue), else the address where the entry's row ends.
   */
  afterPrologue(f: FunctionInfo): number {
    // Hand-written assembly has no prologue gdb would skip.
    if (f.die.unit.root?.num(AT.language) === DW_LANG_Mips_Assembler) return f.low;
    const rows = this.lines.rowsIn(f.low, f.high, true);
    if (rows.length < 2 || rows[0].address !== f.low) return f.low;
    // gdb takes the first row at the entry, statement or not.
    if (rows[1].address === f.low && rows[1].file === rows[0].file) return f.low;
    const next = rows.find((r) => r.address > f.low);
    return next ? next.address : f.low;
  }

  /** The range to step over for "step by line" at `pc`: the addresses of its line around it, inside its function. */
  stepRange(pc: number): { start: number; end: number } | undefined {
    const r = this.lines.lineRange(pc);
    if (!r) return undefined;
    const f = this.functions.at(pc);
    const range = f?.ranges.find((x) => pc >= x.start && pc < x.end);
    if (!range) return r;
    return { start: Math.max(r.start, range.start), end: Math.min(r.end, range.end) };
  }

  functionAt(pc: number): FunctionInfo | undefined {
    return this.functions.at(pc);
  }

  /** The calls inlined at `pc`, outermost first, with the position of each call. */
  inlinedAt(pc: number): (InlinedCall & { callSite?: SourceLocation })[] {
    const f = this.functions.at(pc);
    if (!f) return [];
    return this.functions.inlinedAt(f, pc).map((c) => {
      const file = c.callFile === undefined ? undefined : this.programOf(c.die.unit)?.files[c.callFile];
      return file && c.callLine !== undefined ? { ...c, callSite: { file: file.path, fullPath: file.fullPath, line: c.callLine, column: c.callColumn ?? 0 } } : c;
    });
  }

  /** Where a function is declared in the source. */
  declaredAt(die: Die): SourceLocation | undefined {
    const file = this.info.inherited(die, AT.decl_file);
    const line = this.info.inherited(die, AT.decl_line);
    if (file?.kind !== 'const' || line?.kind !== 'const') return undefined;
    const f = this.programOf(die.unit)?.files[file.value];
    return f && { file: f.path, fullPath: f.fullPath, line: line.value, column: 0 };
  }

  /** The call stack of a stopped core, with functions and source positions. */
  callStack(regs: CoreRegisters, memory: MemoryReader, max = 64): FrameInfo[] {
    const frames = this.unwinder.stack(regs, memory, max);
    return frames.map((frame, i) => {
      if (frame.kind === 'exception') return { frame };
      // A caller's pc is a return address: its call is the instruction before.
      const exact = i === 0 || frames[i - 1].kind === 'exception';
      const lookup = exact ? frame.pc : frame.pc - 1;
      const source = this.sourceAt(lookup);
      return { frame, function: this.functions.at(lookup), source };
    });
  }

  /** What an expression in `frame` can read. */
  frameContext(frame: StackFrame, memory: MemoryReader): FrameContext {
    return { register: (n) => frame.registers[n], cfa: frame.cfa, readMemory: memory };
  }

  /** The parameters and locals at the frame's pc (`exact`: the top frame, or one an exception stopped). */
  locals(frame: StackFrame, exact: boolean): Variable[] {
    const pc = exact ? frame.pc : frame.pc - 1;
    const f = this.functions.at(pc);
    if (!f) return [];
    const inlined = this.functions.inlinedAt(f, pc);
    return this.variables.at(inlined.length ? inlined[inlined.length - 1].die : f.die, pc);
  }

  globals(): Variable[] {
    return this.variables.globals();
  }

  /**
   * A variable's view in `frame` (globals: any frame). `caller`, the frame below it in the call
   * stack, lets a value the function received in a register be found after the register changed,
   * from the caller's call site (what gdb shows as `n@entry`).
   */
  view(v: Variable, frame: StackFrame | undefined, exact: boolean, memory: MemoryReader, caller?: StackFrame): ValueView {
    const pc = frame ? (exact ? frame.pc : frame.pc - 1) : 0;
    const size = Math.min(this.types.sizeOf(v.type) ?? 0, MAX_VALUE_BYTES);
    const ctx: FrameContext = frame
      ? { ...this.frameContext(frame, memory), entryValue: (n) => (caller ? this.entryValue(caller, n, memory) : undefined) }
      : { register: () => undefined, readMemory: memory };
    const { location, bytes } = this.variables.read(v, pc, size, ctx);
    const little = this.sections.little;
    return {
      name: v.name,
      type: this.types.name(v.type),
      value: bytes ? this.types.format(v.type, bytes, little, memory) : '<optimized out>',
      where: describeLocation(location),
      address: location.kind === 'memory' ? location.address : undefined,
      size,
      childCount: bytes ? this.types.childCount(v.type) : 0,
    };
  }

  /** The children of a value of `type` whose bytes are `bytes` (at `address` when in memory), `from` to `from + count`. */
  childViews(type: Die | undefined, bytes: Uint8Array, address: number | undefined, memory: MemoryReader, from = 0, count = 100, inner = 0): ValueView[] {
    const little = this.sections.little;
    return this.types.children(type, from, count, inner).map((c) => {
      const size = this.types.sizeOf(c.type, c.inner) ?? 0;
      const value = this.types.formatChild(c, bytes, little, memory);
      return {
        name: c.name,
        type: this.types.name(c.type, c.inner),
        value,
        where: address === undefined ? 'a computed value' : `in memory at 0x${(address + c.offset).toString(16)}`,
        address: address === undefined ? undefined : address + c.offset,
        size,
        childCount: c.bitSize !== undefined ? 0 : this.types.childCount(c.type, c.inner),
      };
    });
  }

  /** Register `n`'s value at the call that `caller` made: its call site's DW_AT_call_value for that register. */
  private entryValue(caller: StackFrame, n: number, memory: MemoryReader): number | undefined {
    const f = this.functions.at(caller.pc - 1);
    if (!f || caller.kind !== 'code') return undefined;
    const sites: Die[] = [];
    const stack = [f.die];
    for (let visited = 0; stack.length && visited < 100000; visited++) {
      const d = stack.pop() as Die;
      if ((d.tag === TAG.call_site && d.num(AT.call_return_pc) === caller.pc) || (d.tag === TAG.GNU_call_site && d.num(AT.low_pc) === caller.pc)) sites.push(d);
      else stack.push(...d.children);
    }
    for (const site of sites) {
      for (const p of site.children) {
        const loc = p.attr(AT.location);
        const value = p.attr(AT.call_value) ?? p.attr(AT.GNU_call_site_value);
        if (loc?.kind !== 'block' || loc.value.length !== 1 || loc.value[0] !== OP.reg0 + n || value?.kind !== 'block') continue;
        const ctx = this.frameContext(caller, memory);
        try {
          return evaluateValue(this.sections, p.unit, value.value, { ...ctx, frameBase: this.variables.frameBase(caller.pc - 1, ctx) });
        } catch (e) {
          if (e instanceof Unavailable) return undefined;
          throw e;
        }
      }
    }
    return undefined;
  }

  private programOf(unit: Unit): LineProgram | undefined {
    const root = unit.root;
    const stmt = root?.attr(AT.stmt_list);
    if (!root || !stmt || (stmt.kind !== 'offset' && stmt.kind !== 'const')) return undefined;
    const cached = this.programs.get(stmt.value);
    if (cached) return cached;
    try {
      const p = parseLineProgram(this.sections, stmt.value, root.str(AT.comp_dir) ?? '');
      this.programs.set(stmt.value, p);
      return p;
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      this.problems.push(e);
      return undefined;
    }
  }

  /** The innermost lexical block of `f` holding `address` (gdb keeps one breakpoint location per block). */
  private blockOf(f: FunctionInfo, address: number): Die | undefined {
    let scope = f.die;
    for (let depth = 0; depth < 200; depth++) {
      const next = scope.children.find((c) => (c.tag === TAG.lexical_block || c.tag === TAG.inlined_subroutine) && this.functions.safeRanges(c).some((r) => address >= r.start && address < r.end));
      if (!next) return scope;
      scope = next;
    }
    return scope;
  }
}

const SHF_ALLOC_EXEC = 0x2 | 0x4;
/** Which of several symbols at one address names it (higher wins): STB_WEAK, STB_LOCAL, STB_GLOBAL. */
const BIND_RANK: Record<number, number> = { 2: 0, 0: 1, 1: 2 };
/** A value larger than this is read in part: a Variables view shows its first elements only. */
const MAX_VALUE_BYTES = 64 * 1024;
/** What gas writes as the language of an assembly unit. */
const DW_LANG_Mips_Assembler = 0x8001;

function position(e: LineEntry): SourceLocation {
  return { file: e.file, fullPath: e.fullPath, line: e.line, column: e.column };
}

/** Whether a line table's file is `query`: the same path (absolute, or relative to its unit), or a tail of it on a `/`. */
function fileMatcher(query: string): (f: LineFile) => boolean {
  const q = joinPath('', query);
  return (f) => {
    for (const p of [f.fullPath, f.path]) {
      if (p === q || p.endsWith(`/${q}`) || q.endsWith(`/${p}`)) return true;
    }
    return false;
  };
}

/**
 * Names an address by the ELF symbol at or before it in the same section, `name+offset` (Thumb
 * functions' symbols have bit 0 set, which is dropped): gdb's `<...>` after a pointer.
 */
function elfSymbolizer(elf: ElfFile): ((address: number) => string | undefined) | undefined {
  let symbols: { name: string; value: number; end: number; rank: number }[];
  try {
    const sections = elf.sections;
    symbols = elf
      .symbols()
      .filter((s) => s.name && (s.type === STT_OBJECT || s.type === STT_FUNC) && s.shndx > 0 && s.shndx < sections.length)
      .map((s) => {
        const section = sections[s.shndx];
        return { name: s.name, value: s.type === STT_FUNC ? s.value & ~1 : s.value, end: section.addr + section.size, rank: BIND_RANK[s.bind] ?? 0 };
      })
      // At one address the last one wins: a global name before a local one before a weak alias.
      .sort((a, b) => a.value - b.value || a.rank - b.rank);
  } catch (e) {
    if (e instanceof ElfError) return undefined;
    throw e;
  }
  const find = (address: number) => {
    const s = symbols[lastAtOrBefore(symbols, (x) => x.value, address)];
    return s && address < s.end ? s : undefined;
  };
  return (address) => {
    // A Thumb code pointer (bit 0 set) names the function at the even address.
    const s = find(address);
    const t = address & 1 ? find(address - 1) : undefined;
    const hit = t && t.value === address - 1 ? { s: t, at: address - 1 } : s ? { s, at: address } : undefined;
    if (!hit) return undefined;
    return hit.at === hit.s.value ? hit.s.name : `${hit.s.name}+${hit.at - hit.s.value}`;
  };
}
