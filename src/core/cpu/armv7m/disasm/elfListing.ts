// A whole ELF's code listed as objdump -d walks it: each executable section in runs between the
// ARM mapping symbols, Thumb and data runs disassembled (IT blocks carry from line to line inside
// a run), A32 runs ($a: Cortex-R and Cortex-A code) named but not disassembled.
import { SHF_EXECINSTR, SHT_NOBITS } from '../../../elf/constants';
import type { ElfFile } from '../../../elf/elfFile';
import { disassemble, type DisasmLine } from './disassemble';
import { disasmSymbols, mappingKind } from './elfSymbols';

export interface ListedRun {
  readonly section: string;
  readonly start: number;
  readonly end: number;
  /** A32 code, not disassembled (the lines are empty). */
  readonly a32: boolean;
  readonly lines: DisasmLine[];
}

/** The runs of every executable section of a linked ELF, in address order within each section. */
export function listElf(elf: ElfFile): ListedRun[] {
  const { name, map } = disasmSymbols(elf);
  const mapping = elf.symbols().filter((m) => mappingKind(m.name) !== undefined && m.shndx !== 0);
  const runs: ListedRun[] = [];
  for (const s of elf.sections) {
    if ((s.flags & SHF_EXECINSTR) === 0 || s.type === SHT_NOBITS || s.size === 0) continue;
    const data = elf.sectionData(s);
    const end = s.addr + s.size;
    const read = (addr: number, len: number): Uint8Array => {
      const off = addr - s.addr;
      if (off < 0 || off + len > data.length) throw new RangeError('outside the section');
      return data.subarray(off, off + len);
    };
    const inSection = mapping.filter((m) => m.shndx === s.index && m.value >= s.addr && m.value < end);
    const starts = [...new Set([s.addr, ...inSection.map((m) => m.value)])].sort((a, b) => a - b);
    starts.forEach((start, k) => {
      const stop = k + 1 < starts.length ? starts[k + 1] : end;
      const a32 = inSection.some((m) => m.value === start && mappingKind(m.name) === 'a');
      // a run's listing ends at the first line past it (the last may run into the next run)
      const lines = a32 ? [] : disassemble(read, start, stop - start, name, map).filter((l) => l.address < stop);
      runs.push({ section: s.name, start, end: stop, a32, lines });
    });
  }
  return runs;
}
