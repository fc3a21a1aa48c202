// Both sides of the objdump comparison: `arm-none-eabi-objdump -d` run on an ELF and parsed into
// lines, and our disassembler run over the same executable sections with the ELF's symbols.
import { execFileSync } from 'child_process';
import { disassemble, type DisasmLine } from '../../../src/core/cpu/armv7m/disasm/disassemble';
import { disasmSymbols } from '../../../src/core/cpu/armv7m/disasm/elfSymbols';
import { ElfFile } from '../../../src/core/elf/elfFile';

const SHF_EXECINSTR = 0x4;
const SHT_NOBITS = 8;
const ET_REL = 1;

export interface ListingLine {
  address: number;
  bytes: string;
  text: string;
}

/** The instruction lines of `objdump -d` ("addr:\tbytes\ttext"): headers, labels and "..." left out. */
export function objdumpListing(file: string): ListingLine[] {
  const out = execFileSync('arm-none-eabi-objdump', ['-d', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const lines: ListingLine[] = [];
  for (const l of out.split('\n')) {
    const m = /^ *([0-9a-f]+):\t(.*)$/.exec(l);
    if (m === null) continue;
    const rest = m[2];
    const tab = rest.indexOf('\t');
    const bytes = tab < 0 ? '' : rest.slice(0, tab).trim();
    const text = (tab < 0 ? rest : rest.slice(tab + 1)).trimEnd();
    lines.push({ address: parseInt(m[1], 16), bytes, text });
  }
  return lines;
}

/** Our listing of every executable section of an ELF, by address, as objdump walks them. */
export function ourListing(bytes: Uint8Array): Map<number, DisasmLine> {
  const elf = ElfFile.parse(bytes);
  // an object file's sections all start at 0: each has its own symbols
  const relocatable = elf.header.type === ET_REL;
  const byAddr = new Map<number, DisasmLine>();
  for (const s of elf.sections) {
    if ((s.flags & SHF_EXECINSTR) === 0 || s.type === SHT_NOBITS || s.size === 0) continue;
    const data = elf.sectionData(s);
    const read = (addr: number, len: number): Uint8Array => {
      const off = addr - s.addr;
      if (off < 0 || off + len > data.length) throw new RangeError('outside the section');
      return data.subarray(off, off + len);
    };
    const { name, map } = disasmSymbols(elf, relocatable ? s.index : undefined);
    // one call per section, as IT blocks carry from line to line; it ends past the section
    for (const line of disassemble(read, s.addr, s.size, name, map)) byAddr.set(line.address, line);
  }
  return byAddr;
}
