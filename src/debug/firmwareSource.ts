// The firmware's C source as its DWARF line table maps it: which line an address is on, where a
// breakpoint on a line goes, and a line's addresses for a step. Relative paths (a build with
// -ffile-prefix-map, as the examples are) start at the ELF's directory.
import * as path from 'path';
import type { ElfFile } from '../core/elf/elfFile';
import { DwarfError } from '../core/dwarf/dwarfError';
import { DwarfSections } from '../core/dwarf/sections';
import { LineTable, parseAllLinePrograms } from '../core/dwarf/lineTable';

const SHF_EXECINSTR = 4;

export interface SourceLine {
  /** Absolute path of the file on this machine. */
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

export class FirmwareSource {
  /** Undefined when the ELF has no line table, or one that cannot be read (`problem` says why). */
  private readonly table: LineTable | undefined;
  readonly problem: string | undefined;
  private readonly base: string;
  private readonly resolved = new Map<string, string>();

  constructor(elf: ElfFile, elfPath: string) {
    this.base = path.dirname(elfPath);
    let table: LineTable | undefined;
    let problem: string | undefined;
    try {
      const sections = DwarfSections.fromElf(elf);
      if (!sections.has('.debug_line')) problem = `${path.basename(elfPath)} has no line table (.debug_line): build it with -g`;
      else {
        // Only code the image holds: sections of functions the linker dropped sit at address 0.
        const code = elf.sections.filter((s) => (s.flags & SHF_EXECINSTR) !== 0 && s.size > 0);
        table = new LineTable(parseAllLinePrograms(sections), (a) => code.some((s) => a >= s.addr && a < s.addr + s.size));
      }
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      problem = `the line table of ${path.basename(elfPath)} cannot be read: ${e.message}`;
    }
    this.table = table;
    this.problem = problem;
  }

  get hasLines(): boolean {
    return this.table !== undefined;
  }

  /** A path of the line table as a path of this machine. */
  private abs(p: string): string {
    let r = this.resolved.get(p);
    if (r === undefined) this.resolved.set(p, (r = path.resolve(this.base, p)));
    return r;
  }

  /** The source line of the instruction at `pc`. */
  lineAt(pc: number): SourceLine | undefined {
    const e = this.table?.at(pc);
    return e && e.line > 0 ? { path: this.abs(e.file), line: e.line, column: Math.max(1, e.column) } : undefined;
  }

  /** The addresses of the line `pc` is on, around it: what a step by line runs through. */
  lineRange(pc: number): { start: number; end: number } | undefined {
    return this.table?.lineRange(pc);
  }

  /** True when the table names `file` (an absolute path), or a file of the same name when none matches exactly. */
  covers(file: string): boolean {
    return this.matcher(file) !== undefined;
  }

  /** Where a breakpoint on `line` of `file` goes: the line's code, or the next line's that has code. */
  places(file: string, line: number): { line: number; addresses: readonly number[] } {
    const match = this.matcher(file);
    if (!match || !this.table) return { line, addresses: [] };
    return this.table.places(match, line);
  }

  private matcher(file: string): ((p: string) => boolean) | undefined {
    if (!this.table) return undefined;
    const want = path.resolve(file);
    const paths = this.table.files();
    if (paths.some((p) => this.abs(p) === want)) return (p) => this.abs(p) === want;
    // The workspace may reach the sources by another path (a link, another checkout): the name decides when it is unique.
    const name = path.basename(want);
    const same = paths.filter((p) => path.basename(p) === name);
    return same.length === 1 ? (p) => p === same[0] : undefined;
  }
}
