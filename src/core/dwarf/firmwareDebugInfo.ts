// The firmware's debug information as the `amp` debug adapter asks for it: source positions of
// addresses, breakpoint addresses of lines and functions, step ranges, functions, the call stack
// (through exception entry), globals and locals with their values. One object per ELF, built once;
// malformed DWARF gives a DwarfError from fromElf() when nothing can be read, or a partial result
// with the faults in `problems`.
import type { ElfFile } from '../elf/elfFile';
import { CallFrames } from './callFrames';
import { AT, TAG } from './constants';
import { DebugInfo, type Die, type Unit } from './debugInfo';
import { DwarfError } from './dwarfError';
import { Functions, type FunctionInfo, type InlinedCall } from './functions';
import { joinPath, LineTable, parseLineProgram, type LineEntry, type LineFile, type LineProgram } from './lineTable';
import { describeLocation, type FrameContext } from './location';
import { DwarfSections } from './sections';
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
  ) {
    this.problems = [...info.problems, ...callFrames.problems];
    const programs: LineProgram[] = [];
    for (const unit of info.units) {
      const p = this.programOf(unit);
      if (p) programs.push(p);
    }
    this.lines = new LineTable(programs, isCode);
    this.types = new Types(info);
    this.functions = new Functions(info);
    this.variables = new Variables(info, this.functions);
    this.unwinder = new Unwinder(sections, callFrames);
  }

  /** Reads the ELF's DWARF. Throws DwarfError only when a section lies outside the file. */
  static fromElf(elf: ElfFile): FirmwareDebugInfo {
    const sections = DwarfSections.fromElf(elf);
    const code = elf.sections.filter((s) => (s.flags & SHF_ALLOC_EXEC) === SHF_ALLOC_EXEC && s.size > 0);
    const isCode = (a: number) => code.length === 0 || code.some((s) => a >= s.addr && a < s.addr + s.size);
    return new FirmwareDebugInfo(sections, new DebugInfo(sections), new CallFrames(sections), isCode);
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
      const moved = f && address === f.low ? this.afterPrologue(f) : address;
      const key = f ? `${f.die.offset}:${this.blockOf(f, address)?.offset ?? ''}` : `@${address}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(moved);
    }
    return { line: places.line, addresses: out };
  }

  /** The address a breakpoint on function `name` goes to: past its prologue. */
  functionBreakpoint(name: string): { address: number; source?: SourceLocation }[] {
    return this.functions.named(name).map((f) => {
      const address = this.afterPrologue(f);
      return { address, source: this.sourceAt(address) };
    });
  }

  /**
   * Where the prologue ends: the address of the function's second line-table row (the first
   * statement after the one at its entry), or its entry when it has only one.
   */
  afterPrologue(f: FunctionInfo): number {
    const rows = this.lines.rowsIn(f.low, f.high);
    const second = rows.find((r) => r.address > f.low);
    return second ? second.address : f.low;
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

  /** A variable's view in `frame` (globals: any frame). */
  view(v: Variable, frame: StackFrame | undefined, exact: boolean, memory: MemoryReader): ValueView {
    const pc = frame ? (exact ? frame.pc : frame.pc - 1) : 0;
    const size = this.types.sizeOf(v.type) ?? 0;
    const ctx: FrameContext = frame ? this.frameContext(frame, memory) : { register: () => undefined, readMemory: memory };
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
