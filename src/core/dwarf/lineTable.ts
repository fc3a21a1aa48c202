// The line number programs of .debug_line (DWARF 2 to 5 headers, every standard and extended
// opcode), run into rows, and the questions a debugger asks of them: which line is at an address,
// where the code of a line starts, which addresses belong to the line being stepped.
import { LNCT, LNE, LNS, FORM } from './constants';
import { DwarfReader } from './dwarfReader';
import { readForm, type FormContext } from './forms';
import type { DwarfSections } from './sections';
import { lastAtOrBefore } from '../sortedSearch';

export interface LineRow {
  readonly address: number;
  /** Index into the program's `files` (0-based in DWARF 5, 1-based before). */
  readonly file: number;
  readonly line: number;
  readonly column: number;
  readonly isStmt: boolean;
  readonly endSequence: boolean;
  readonly prologueEnd: boolean;
  readonly discriminator: number;
}

export interface LineFile {
  /** Directory and name joined as the table gives them (directory 0 of DWARF 2-4 is the unit's own directory, left out). */
  readonly path: string;
  readonly name: string;
  readonly directory: string;
  /** `path` made absolute with the unit's DW_AT_comp_dir, when it is relative and the unit has one. */
  readonly fullPath: string;
}

/** One line number program: the rows of a compile unit, in sequences of ascending addresses. */
export interface LineProgram {
  readonly offset: number;
  readonly version: number;
  /** Sparse: a DWARF 2-4 program has no file 0. */
  readonly files: readonly (LineFile | undefined)[];
  /** Each sequence's rows, its end_sequence row last. */
  readonly sequences: readonly (readonly LineRow[])[];
}

/** A source position: the file's path as the line table gives it. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Past this many rows in one program the rest is dropped: no real unit comes near it. */
const MAX_ROWS = 1 << 22;

/** Parses the line number program at `offset` of .debug_line; `compDir` is its unit's DW_AT_comp_dir. */
export function parseLineProgram(sections: DwarfSections, offset: number, compDir = ''): LineProgram {
  const r = sections.reader('.debug_line', offset);
  const length = r.initialLength();
  const end = r.offset + length;
  if (end > r.bytes.length) throw r.error(offset, `unit length 0x${length.toString(16)} runs past the end of the section`);
  const u = r.sub(r.offset, end);
  const version = u.u16();
  if (version < 2 || version > 5) throw u.error(offset, `unsupported line table version ${version}`);
  let addressSize: number = sections.addressSize;
  if (version >= 5) {
    addressSize = u.u8();
    u.u8(); // segment_selector_size
  }
  const headerLength = u.u32();
  const programStart = u.offset + headerLength;
  if (programStart > end) throw u.error(u.offset - 4, `header length 0x${headerLength.toString(16)} runs past the unit's end`);
  const minInstLength = u.u8();
  if (version >= 4) u.u8(); // maximum_operations_per_instruction: 1 on every target we read
  const defaultIsStmt = u.u8() !== 0;
  const lineBase = u.i8();
  const lineRange = u.u8();
  const opcodeBase = u.u8();
  const opcodeLengths: number[] = [];
  for (let i = 1; i < opcodeBase; i++) opcodeLengths[i] = u.u8();

  const files: (LineFile | undefined)[] = [];
  if (version >= 5) {
    const ctx: FormContext = { sections, addressSize, version, unitOffset: 0, strOffsetsBase: 0, addrBase: 0 };
    const dirs = readEntries(u, ctx).map((e) => e.path);
    for (const e of readEntries(u, ctx)) files.push(fileOf(dirs[e.dir] ?? '', e.path, compDir));
  } else {
    const dirs = [''];
    for (let d = u.cString(); d !== ''; d = u.cString()) dirs.push(d);
    files.push(undefined);
    for (let name = u.cString(); name !== ''; name = u.cString()) {
      const dir = u.uleb();
      u.uleb(); // modification time
      u.uleb(); // length
      files.push(fileOf(dirs[dir] ?? '', name, compDir));
    }
  }

  const sequences = runProgram(u.sub(programStart, end), { minInstLength, defaultIsStmt, lineBase, lineRange, opcodeBase, opcodeLengths, files, compDir });
  return { offset, version, files, sequences };
}

/** Every line number program in .debug_line, in section order. */
export function parseAllLinePrograms(sections: DwarfSections): LineProgram[] {
  const out: LineProgram[] = [];
  const r = sections.reader('.debug_line');
  while (!r.atEnd) {
    const at = r.offset;
    out.push(parseLineProgram(sections, at));
    r.offset = at + 4 + r.initialLength();
  }
  return out;
}

function fileOf(directory: string, name: string, compDir: string): LineFile {
  const path = joinPath(directory, name);
  return { path, name, directory, fullPath: joinPath(compDir, path) };
}

/** `name` under `directory`, unless it is absolute; `.` components dropped. */
export function joinPath(directory: string, name: string): string {
  const joined = directory === '' || name.startsWith('/') ? name : `${directory.replace(/\/+$/, '')}/${name}`;
  return joined.replace(/(^|\/)\.\//g, '$1').replace(/\/\.$/, '');
}

/** A DWARF 5 directory or file name table: entry formats, then the entries. */
function readEntries(u: DwarfReader, ctx: FormContext): { path: string; dir: number }[] {
  const formatCount = u.u8();
  const format: [number, number][] = [];
  for (let i = 0; i < formatCount; i++) format.push([u.uleb(), u.uleb()]);
  const count = u.uleb();
  // Each entry takes at least one byte unless its format is empty: a count beyond that is a lie.
  if (formatCount > 0 && count > u.remaining) throw u.error(u.offset, `${count} entries cannot fit in the ${u.remaining} bytes left`);
  const out: { path: string; dir: number }[] = [];
  for (let i = 0; i < count && formatCount > 0; i++) {
    let path = '';
    let dir = 0;
    for (const [type, form] of format) {
      const v = readForm(u, form, ctx);
      if (type === LNCT.path && v?.kind === 'string') path = v.value;
      else if (type === LNCT.directory_index && v?.kind === 'const') dir = v.value;
      else if (type === LNCT.path && form !== FORM.string && v?.kind !== 'string') throw u.error(u.offset, `file name of form 0x${form.toString(16)}`);
    }
    out.push({ path, dir });
  }
  return out;
}

interface Header {
  minInstLength: number;
  defaultIsStmt: boolean;
  lineBase: number;
  lineRange: number;
  opcodeBase: number;
  opcodeLengths: number[];
  files: (LineFile | undefined)[];
  compDir: string;
}

function runProgram(r: DwarfReader, h: Header): LineRow[][] {
  const sequences: LineRow[][] = [];
  let rows: LineRow[] = [];
  let count = 0;
  let address = 0;
  let file = 1;
  let line = 1;
  let column = 0;
  let isStmt = h.defaultIsStmt;
  let prologueEnd = false;
  let discriminator = 0;
  const reset = () => {
    address = 0;
    file = 1;
    line = 1;
    column = 0;
    isStmt = h.defaultIsStmt;
    prologueEnd = false;
    discriminator = 0;
  };
  const emit = (endSequence: boolean) => {
    if (++count > MAX_ROWS) throw r.error(r.offset, `more than ${MAX_ROWS} rows`);
    rows.push({ address, file, line, column, isStmt, endSequence, prologueEnd, discriminator });
    prologueEnd = false;
    discriminator = 0;
    if (endSequence) {
      sequences.push(rows);
      rows = [];
      reset();
    }
  };
  const needRange = (at: number) => {
    if (h.lineRange === 0) throw r.error(at, 'line_range is 0 but the program advances by it');
  };
  while (!r.atEnd) {
    const at = r.offset;
    const op = r.u8();
    if (op >= h.opcodeBase) {
      needRange(at);
      const adjusted = op - h.opcodeBase;
      address += Math.floor(adjusted / h.lineRange) * h.minInstLength;
      line += h.lineBase + (adjusted % h.lineRange);
      emit(false);
      continue;
    }
    switch (op) {
      case 0: {
        const len = r.uleb();
        const next = r.offset + len;
        if (len === 0 || next > r.end) throw r.error(at, `extended opcode of length ${len} runs past the unit's end`);
        const sub = r.u8();
        if (sub === LNE.end_sequence) emit(true);
        else if (sub === LNE.set_address) address = r.unsigned(len - 1);
        else if (sub === LNE.define_file) {
          const name = r.cString();
          const dir = r.uleb();
          h.files.push(fileOf(dir === 0 ? '' : (h.files[dir]?.directory ?? ''), name, h.compDir));
        } else if (sub === LNE.set_discriminator) discriminator = r.uleb();
        r.offset = next;
        break;
      }
      case LNS.copy:
        emit(false);
        break;
      case LNS.advance_pc:
        address += r.uleb() * h.minInstLength;
        break;
      case LNS.advance_line:
        line += r.sleb();
        break;
      case LNS.set_file:
        file = r.uleb();
        break;
      case LNS.set_column:
        column = r.uleb();
        break;
      case LNS.negate_stmt:
        isStmt = !isStmt;
        break;
      case LNS.set_basic_block:
      case LNS.set_epilogue_begin:
        break;
      case LNS.const_add_pc:
        needRange(at);
        address += Math.floor((255 - h.opcodeBase) / h.lineRange) * h.minInstLength;
        break;
      case LNS.fixed_advance_pc:
        address += r.u16();
        break;
      case LNS.set_prologue_end:
        prologueEnd = true;
        break;
      case LNS.set_isa:
        r.uleb();
        break;
      default:
        // An opcode this version does not define: skip its arguments as the header says.
        for (let i = 0; i < (h.opcodeLengths[op] ?? 0); i++) r.uleb();
    }
  }
  // A program that stops without end_sequence: keep what it said.
  if (rows.length) {
    rows.push({ ...rows[rows.length - 1], endSequence: true });
    sequences.push(rows);
  }
  return sequences;
}


/** A row with the file it names and the range of addresses it covers (up to the next row). */
export interface LineEntry extends SourcePosition {
  /** `file` made absolute with the unit's directory. */
  readonly fullPath: string;
  readonly address: number;
  readonly end: number;
  readonly isStmt: boolean;
}

interface Sequence {
  readonly start: number;
  readonly end: number;
  readonly rows: readonly LineRow[];
  readonly files: readonly (LineFile | undefined)[];
}

/** Where the code of a source line starts: the first address of each run of its rows. */
export interface LinePlaces {
  /** The line asked for, or the next line that has code when it has none. */
  readonly line: number;
  readonly exact: boolean;
  readonly addresses: readonly number[];
}

/**
 * The rows of every program, by address. Sequences that lie outside the firmware's code (the
 * linker's garbage collection leaves sequences at address 0) are dropped by `isCode`.
 */
export class LineTable {
  private readonly sequences: Sequence[];
  /** Sequences outside the code: what the linker discarded. */
  private readonly discarded: Sequence[] = [];

  constructor(programs: readonly LineProgram[], isCode: (address: number) => boolean = () => true) {
    this.sequences = [];
    for (const p of programs) {
      for (const rows of p.sequences) {
        if (rows.length < 2) continue;
        const start = rows[0].address;
        const end = rows[rows.length - 1].address;
        if (end > start && isCode(start)) this.sequences.push({ start, end, rows, files: p.files });
        else this.discarded.push({ start, end, rows, files: p.files });
      }
    }
    this.sequences.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  /** The row for `pc`: the last row at or before it in its sequence, preferring a statement at the same address. */
  at(pc: number): LineEntry | undefined {
    const seq = this.sequenceAt(pc);
    if (!seq) return undefined;
    const rows = seq.rows;
    let i = rowAtOrBefore(rows, pc);
    if (i < 0) return undefined;
    for (let j = i; j >= 0 && rows[j].address === rows[i].address; j--) {
      if (rows[j].isStmt) {
        i = j;
        break;
      }
    }
    return this.entry(seq, i);
  }

  /**
   * The addresses of `line` in `file` where a breakpoint goes: every statement row of that line in
   * the file's own table, built the way gdb builds it (see fileEntries); when the line has no code,
   * those of the next line that has. A line whose code the linker discarded has no address.
   */
  places(file: (f: LineFile) => boolean, line: number): LinePlaces {
    let best = Infinity;
    const exact: number[] = [];
    const next: number[] = [];
    let discarded = false;
    // The lines of the file in code the linker discarded: gdb finds them and binds to no real code.
    let bestDiscarded = Infinity;
    for (const seq of this.discarded) {
      for (const r of seq.rows) {
        const f = seq.files[r.file];
        if (r.endSequence || !f || r.line < line || !file(f)) continue;
        if (r.line === line) discarded = true;
        else bestDiscarded = Math.min(bestDiscarded, r.line);
      }
    }
    for (const seq of this.sequences) {
      const matches = seq.files.map((f) => f !== undefined && file(f));
      if (!matches.some(Boolean)) continue;
      for (const [index, entries] of fileEntries(seq.rows)) {
        if (!matches[index]) continue;
        for (const e of entries) {
          if (!e.isStmt || e.line === 0) continue;
          if (e.line === line) exact.push(e.address);
          else if (e.line > line && e.line <= best) {
            if (e.line < best) next.length = 0;
            best = e.line;
            next.push(e.address);
          }
        }
      }
    }
    const sorted = (a: number[]) => [...new Set(a)].sort((x, y) => x - y);
    if (exact.length || discarded) return { line, exact: true, addresses: sorted(exact) };
    if (best === Infinity || bestDiscarded < best) return { line: Math.min(best, bestDiscarded), exact: false, addresses: [] };
    return { line: best, exact: false, addresses: sorted(next) };
  }

  /** The addresses of the line at `pc` around it: the contiguous entries of the same file and line, as [start, end). */
  lineRange(pc: number): { start: number; end: number } | undefined {
    const here = this.at(pc);
    if (!here) return undefined;
    const same = (e: LineEntry | undefined) => e !== undefined && e.line === here.line && e.file === here.file;
    let start = here.address;
    let end = here.end;
    for (let e = this.at(start - 1); same(e) && (e as LineEntry).address < start; e = this.at(start - 1)) start = (e as LineEntry).address;
    for (let e = this.at(end); same(e) && (e as LineEntry).end > end; e = this.at(end)) end = (e as LineEntry).end;
    return { start, end };
  }

  /** Statement rows in [start, end), in address order, one per address; with `every`, all rows, statements or not. */
  rowsIn(start: number, end: number, every = false): LineEntry[] {
    const out: LineEntry[] = [];
    for (const seq of this.sequences) {
      if (seq.end <= start || seq.start >= end) continue;
      for (let i = 0; i < seq.rows.length - 1; i++) {
        const row = seq.rows[i];
        if (row.address < start || row.address >= end || (!row.isStmt && !every)) continue;
        if (!every && out.length && out[out.length - 1].address === row.address) out.pop();
        out.push(this.entry(seq, i));
      }
    }
    return out.sort((a, b) => a.address - b.address);
  }

  private sequenceAt(pc: number): Sequence | undefined {
    const seqs = this.sequences;
    const found = lastAtOrBefore(seqs, (s) => s.start, pc);
    // Sequences may nest or overlap (bad input, or the same code twice): look back a little.
    for (let i = found; i >= 0 && i > found - 8; i--) if (seqs[i].start <= pc && pc < seqs[i].end) return seqs[i];
    return undefined;
  }

  private entry(seq: Sequence, i: number): LineEntry {
    const row = seq.rows[i];
    let end = seq.end;
    for (let j = i + 1; j < seq.rows.length; j++) {
      if (seq.rows[j].address > row.address) {
        end = seq.rows[j].address;
        break;
      }
    }
    const f = seq.files[row.file];
    return { file: f?.path ?? '', fullPath: f?.fullPath ?? '', line: row.line, column: row.column, address: row.address, end, isStmt: row.isStmt };
  }
}

/** Index of the last row whose address is at most `pc` (rows ascend), or -1. */
function rowAtOrBefore(rows: readonly LineRow[], pc: number): number {
  return lastAtOrBefore(rows, (r) => r.address, pc);
}

interface FileEntry {
  readonly line: number;
  readonly address: number;
  readonly isStmt: boolean;
}

/**
 * A sequence's rows split into one table per file, as gdb records them (so that breakpoints land
 * where gdb puts them): a row of another file at the same address as the last one is dropped when
 * it is not a statement; switching files ends the old file's table at the new address, which drops
 * the old file's rows at that address; consecutive rows of one line collapse once the line has had
 * a discriminator. End markers are entries of line 0.
 */
export function fileEntries(rows: readonly LineRow[]): Map<number, FileEntry[]> {
  const out = new Map<number, FileEntry[]>();
  const finish = (file: number, address: number) => {
    const list = out.get(file);
    if (!list) return;
    while (list.length && list[list.length - 1].address === address) list.pop();
    list.push({ line: 0, address, isStmt: true });
  };
  let lastFile = -1;
  let lastLine = -1;
  let lastAddress = -1;
  let discriminated = false;
  for (const row of rows) {
    if (row.endSequence) {
      if (lastFile >= 0) finish(lastFile, row.address);
      break;
    }
    discriminated = row.line === lastLine ? discriminated || row.discriminator !== 0 : row.discriminator !== 0;
    const fileChanged = row.file !== lastFile;
    const ignore = fileChanged && row.address === lastAddress && !row.isStmt;
    lastAddress = row.address;
    if (fileChanged && !ignore && lastFile >= 0) finish(lastFile, row.address);
    if (ignore) continue;
    if (fileChanged || row.line !== lastLine || !discriminated) {
      const list = out.get(row.file) ?? [];
      list.push({ line: row.line, address: row.address, isStmt: row.isStmt });
      out.set(row.file, list);
    }
    lastFile = row.file;
    lastLine = row.line;
  }
  return out;
}
