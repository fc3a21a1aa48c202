// What the disassembler needs from a firmware ELF's symbol table, chosen as objdump chooses: the
// symbol an address is named after ("main+0x1c": the nearest one at or below it; among several
// at one address functions, then objects, then non-local ones, then by name), and the ARM mapping
// symbols ($t code, $d data) that say where literal pools and tables lie.
import { SHF_ALLOC, SHN_LORESERVE, SHN_UNDEF, STB_GLOBAL, STB_LOCAL, STT_FILE, STT_FUNC, STT_OBJECT, STT_SECTION } from '../../../elf/constants';
import type { ElfFile } from '../../../elf/elfFile';
import type { ElfSymbol } from '../../../elf/types';
import { lastAtOrBefore } from '../../../sortedSearch';
import type { CodeMap, SymbolName } from './disassemble';

/** $a, $t, $d and their "$t.name" forms (ELF for the Arm Architecture, 5.5.5). */
export function mappingKind(name: string): 'a' | 't' | 'd' | undefined {
  const m = /^\$([atd])(\..*)?$/.exec(name);
  return m === null ? undefined : (m[1] as 'a' | 't' | 'd');
}

interface Entry {
  addr: number;
  sym: ElfSymbol;
}

/** objdump's order for symbols at one address: the first one names it. */
function rank(s: ElfSymbol): number[] {
  return [s.type === STT_FUNC ? 0 : 1, s.type === STT_OBJECT ? 0 : 1, s.bind === STB_LOCAL ? 1 : 0, s.bind === STB_GLOBAL ? 0 : 1, s.name.startsWith('.') ? 1 : 0];
}

function compare(a: Entry, b: Entry): number {
  if (a.addr !== b.addr) return a.addr - b.addr;
  const ra = rank(a.sym);
  const rb = rank(b.sym);
  for (let k = 0; k < ra.length; k++) if (ra[k] !== rb[k]) return ra[k] - rb[k];
  return a.sym.name < b.sym.name ? -1 : a.sym.name > b.sym.name ? 1 : 0;
}

/** "main", "main+0x1c" or "g-0x10": a name and the distance of `addr` from where it is. */
function offsetName(name: string, base: number, addr: number): string {
  if (addr === base) return name;
  return addr > base ? `${name}+0x${(addr - base).toString(16)}` : `${name}-0x${(base - addr).toString(16)}`;
}

/** Index of the last entry of `sorted` (by addr) at or below `addr`, or -1. */
const lastAtOrBelow = (sorted: readonly { addr: number }[], addr: number): number => lastAtOrBefore(sorted, (e) => e.addr, addr);

export interface DisasmSymbols {
  readonly name: SymbolName;
  readonly map: CodeMap;
}

/**
 * The symbol namer and code map of an ARM ELF (Thumb function symbols' bit 0 cleared). `section`
 * (a section index) keeps to that section's symbols, as in an object file whose sections all
 * start at 0.
 */
export function disasmSymbols(elf: ElfFile, section?: number): DisasmSymbols {
  const named: Entry[] = [];
  const mapping: { addr: number; data: boolean }[] = [];
  const bounds: { addr: number }[] = [];
  for (const sym of elf.symbols()) {
    if (sym.name === '' || sym.shndx === SHN_UNDEF || sym.type === STT_SECTION || sym.type === STT_FILE) continue;
    if (section !== undefined && sym.shndx !== section) continue;
    // a Thumb function's value has bit 0 set; a mapping symbol may sit at an odd address
    const addr = (sym.type === STT_FUNC ? sym.value & ~1 : sym.value) >>> 0;
    const kind = mappingKind(sym.name);
    if (sym.shndx < SHN_LORESERVE) bounds.push({ addr });
    if (kind !== undefined) {
      if (sym.shndx < SHN_LORESERVE) mapping.push({ addr, data: kind === 'd' });
    } else named.push({ addr, sym });
  }
  named.sort(compare);
  // the first of several at one address
  const first = named.filter((e, k) => k === 0 || named[k - 1].addr !== e.addr);
  mapping.sort((a, b) => a.addr - b.addr);
  bounds.sort((a, b) => a.addr - b.addr);
  const sections = elf.sections.filter((s) => (s.flags & SHF_ALLOC) !== 0 && (section === undefined || s.index === section));
  const name = (addr: number): string | undefined => {
    if (first.length === 0) {
      // no symbol at all: the section and the offset in it
      const s = sections.find((x) => addr >= x.addr && addr < x.addr + x.size);
      return s === undefined ? undefined : offsetName(s.name, s.addr, addr);
    }
    // below the first symbol objdump counts back from it
    const e = first[Math.max(lastAtOrBelow(first, addr), 0)];
    return offsetName(e.sym.name, e.addr, addr);
  };
  const map: CodeMap = {
    bigEndianData: elf.header.endian === 'big',
    isData(addr: number): boolean {
      const k = lastAtOrBelow(mapping, addr);
      return k >= 0 && mapping[k].data;
    },
    nextSymbol(addr: number): number | undefined {
      const k = lastAtOrBelow(bounds, addr) + 1;
      return k < bounds.length ? bounds[k].addr : undefined;
    },
    symbolAtOrBelow(addr: number): number | undefined {
      const k = lastAtOrBelow(bounds, addr);
      return k < 0 ? undefined : bounds[k].addr;
    },
  };
  return { name, map };
}
