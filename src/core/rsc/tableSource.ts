// Where a firmware's resource table is defined in its C sources, from the ELF alone: the symbol at
// `.resource_table`'s address names the variable, and a C file defines it (`TYPE name = {`).
// Several files may define a variable of that name (one per firmware); the one whose file name the
// ELF's debug info mentions is the one it was built from. No DWARF parsing: `-g` puts the source
// file names into .debug_line/.debug_str as NUL-terminated strings, which is all this needs.

import { STT_OBJECT } from '../elf/constants';
import { ElfFile } from '../elf/elfFile';
import { SectionHeader } from '../elf/types';

/** A place in a text: offset and length, and the zero-based line and column where it starts. */
export interface TextSpot {
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  readonly character: number;
}

/** The variable placed at the table section's address (an object symbol, the first by name order). */
export function tableSymbolName(elf: ElfFile, section: SectionHeader): string | undefined {
  const at = elf.symbols().filter((s) => s.value === section.addr && s.type === STT_OBJECT && s.name !== '' && /^[A-Za-z_]\w*$/.test(s.name));
  at.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return at[0]?.name;
}

/** True when the ELF holds `name` as a whole file name (after a NUL or a slash, before a NUL). */
export function elfMentionsFile(bytes: Uint8Array, name: string): boolean {
  const needle = new TextEncoder().encode(`${name}\0`);
  const first = needle[0];
  outer: for (let i = bytes.indexOf(first); i >= 0; i = bytes.indexOf(first, i + 1)) {
    if (i > 0 && bytes[i - 1] !== 0 && bytes[i - 1] !== 0x2f && bytes[i - 1] !== 0x5c) continue;
    for (let j = 1; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

export interface TableDefinition {
  /** The variable's name where it is defined. */
  readonly name: TextSpot;
  /** The initializer, `{` to its matching `}`. */
  readonly body: { readonly start: number; readonly end: number };
}

/**
 * Every definition `... name = { ... }` (a file may define it once per `#if` branch); declarations
 * (`extern`, no initializer) and comments do not count.
 */
export function findTableDefinitions(text: string, symbol: string): TableDefinition[] {
  const out: TableDefinition[] = [];
  const re = new RegExp(`\\b${symbol}\\s*=\\s*\\{`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (/^\s*(extern\b|\/\/|\*|\/\*)/.test(text.slice(lineStart, m.index))) continue;
    const open = m.index + m[0].length - 1;
    const close = matching(text, open);
    if (close < 0) continue;
    out.push({ name: spot(text, m.index, symbol.length), body: { start: open, end: close } });
  }
  return out;
}

/** The definition that names the most of `entryNames` (`.name = "..."`); the first one on a tie. */
export function findTableDefinition(text: string, symbol: string, entryNames: readonly string[] = []): TableDefinition | undefined {
  let best: TableDefinition | undefined;
  let bestScore = -1;
  for (const d of findTableDefinitions(text, symbol)) {
    const score = entryNames.filter((n) => designator(text, d, n)).length;
    if (score > bestScore) [best, bestScore] = [d, score];
  }
  return best;
}

/** The `.name = "NAME"` initializer of an entry inside the definition. */
export function entryNameSpot(text: string, def: TableDefinition, name: string): TextSpot | undefined {
  const at = designator(text, def, name);
  return at ? spot(text, at.index, at.length) : undefined;
}

/** The value expression of `.field = VALUE` in the braces around an entry's `.name = "NAME"`. */
export function entryFieldValueSpot(text: string, def: TableDefinition, name: string, field: string): TextSpot | undefined {
  const at = designator(text, def, name);
  if (!at) return undefined;
  const open = enclosingOpen(text, def.body.start, at.index);
  if (open < 0) return undefined;
  const close = matching(text, open);
  const block = text.slice(open, close + 1);
  const m = new RegExp(`\\.${field}\\s*=\\s*([^,}\\n]+?)\\s*(,|\\}|\\n)`).exec(block);
  if (!m) return undefined;
  const valueStart = open + m.index + m[0].indexOf(m[1], m[0].indexOf('=') + 1);
  return spot(text, valueStart, m[1].length);
}

function designator(text: string, def: TableDefinition, name: string): { index: number; length: number } | undefined {
  const escaped = name.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`\\.name\\s*=\\s*"${escaped}"`, 'g');
  re.lastIndex = def.body.start;
  const m = re.exec(text);
  return m && m.index < def.body.end ? { index: m.index, length: m[0].length } : undefined;
}

/** The `{` at `from` or later whose block holds `at`, innermost. */
function enclosingOpen(text: string, from: number, at: number): number {
  const stack: number[] = [];
  for (let i = from; i < at; i++) {
    if (text[i] === '{') stack.push(i);
    else if (text[i] === '}') stack.pop();
  }
  return stack.length ? stack[stack.length - 1] : -1;
}

/** Index of the `}` matching the `{` at `open`, skipping strings and comments; -1 if none. */
function matching(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return -1;
      i = end + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      if (end < 0) return -1;
      i = end;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

function spot(text: string, offset: number, length: number): TextSpot {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { offset, length, line, character: offset - lineStart };
}
