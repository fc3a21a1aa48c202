// The firmware's C source as its DWARF says it, for the code thread: which line an address is on,
// where a breakpoint on a line or a function goes, a line's addresses for a step, the call stack
// (through exception entry) and the variables of a frame. Relative paths (a build with
// -ffile-prefix-map, as the examples are) start at the ELF's directory.
import * as path from 'path';
import type { ElfFile } from '../core/elf/elfFile';
import { DwarfError } from '../core/dwarf/dwarfError';
import { FirmwareDebugInfo, type FrameInfo } from '../core/dwarf/firmwareDebugInfo';
import type { MemoryReader } from '../core/dwarf/unwind';
import type { RegisterFile } from './coreRegisters';

export interface SourceLine {
  /** Absolute path of the file on this machine. */
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

/** A frame of the code thread's stack: where it is, and what its variables are read against. */
export interface CodeFrame {
  readonly info: FrameInfo;
  /** The name the Call Stack shows. */
  readonly name: string;
  readonly source?: SourceLine;
  /** The frame's pc is where it stopped (the top frame, or one an exception interrupted), not a return address. */
  readonly exact: boolean;
}

export class FirmwareSource {
  /** Undefined when the ELF has no debug information that can be read (`problem` says why). */
  readonly debug: FirmwareDebugInfo | undefined;
  readonly problem: string | undefined;
  private readonly base: string;

  constructor(elf: ElfFile, elfPath: string) {
    this.base = path.dirname(elfPath);
    const name = path.basename(elfPath);
    let debug: FirmwareDebugInfo | undefined;
    let problem: string | undefined;
    try {
      debug = FirmwareDebugInfo.fromElf(elf);
      if (!debug.hasDebugInfo) {
        problem = `${name} has no debug information: build it with -g`;
        debug = undefined;
      }
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      problem = `the debug information of ${name} cannot be read: ${e.message}`;
    }
    this.debug = debug;
    this.problem = problem;
  }

  /** A path of the debug information as a path of this machine. */
  abs(p: string): string {
    return path.resolve(this.base, p);
  }

  /** The source line of the instruction at `pc`. */
  lineAt(pc: number): SourceLine | undefined {
    const s = this.debug?.sourceAt(pc);
    return s && s.line > 0 ? { path: this.abs(s.fullPath), line: s.line, column: Math.max(1, s.column) } : undefined;
  }

  /** The addresses of the line `pc` is on, inside its function: what a step by line runs through. */
  lineRange(pc: number): { start: number; end: number } | undefined {
    return this.debug?.stepRange(pc);
  }

  /** The source files the debug information names, as paths of this machine. */
  files(): string[] {
    return [...new Set((this.debug?.compileUnits() ?? []).flatMap((u) => u.files.map((f) => this.abs(path.join(u.compDir, f)))))].sort();
  }

  /** True when the debug information names `file` (an absolute path of this machine). */
  covers(file: string): boolean {
    const want = path.resolve(file);
    return (this.debug?.compileUnits() ?? []).some((u) => u.files.some((f) => this.abs(path.join(u.compDir, f)) === want || this.abs(f) === want));
  }

  /** Where a breakpoint on `line` of `file` goes: the line's code past a prologue, or the next line's that has code. */
  places(file: string, line: number): { line: number; addresses: readonly number[] } {
    if (!this.debug) return { line, addresses: [] };
    // The debug information's paths are relative to the ELF's directory here (sources beside it, or
    // elsewhere for an ELF built in a build directory), or absolute (a toolchain's headers).
    const rel = path.relative(this.base, path.resolve(file));
    const relative = path.isAbsolute(rel) ? undefined : this.debug.breakpointAddresses(rel.split(path.sep).join('/'), line);
    return relative?.addresses.length ? relative : this.debug.breakpointAddresses(file, line);
  }

  /** The address past the prologue of each function named `name`. */
  functionPlaces(name: string): readonly number[] {
    return this.debug?.functionBreakpoint(name).map((f) => f.address) ?? [];
  }

  /** The call stack of the stopped core, innermost first, `max` frames at most. */
  stack(regs: RegisterFile, memory: MemoryReader, max = 64): CodeFrame[] {
    if (!this.debug) return [];
    const r = Array.from({ length: 16 }, (_, n) => regs.read(n === 13 ? 'sp' : n === 14 ? 'lr' : n === 15 ? 'pc' : `r${n}`) ?? 0);
    const frames = this.debug.callStack({ r, msp: regs.read('msp'), psp: regs.read('psp') }, memory, max);
    return frames.map((info, i) => {
      const exact = i === 0 || frames[i - 1].frame.kind === 'exception';
      const excReturn = `0x${info.frame.pc.toString(16)}`;
      const name = info.frame.kind === 'exception' ? `<exception entry, EXC_RETURN ${excReturn}>` : (info.function?.name ?? `0x${info.frame.pc.toString(16).padStart(8, '0')}`);
      const s = info.source;
      return { info, name, exact, source: s && s.line > 0 ? { path: this.abs(s.fullPath), line: s.line, column: Math.max(1, s.column) } : undefined };
    });
  }
}
