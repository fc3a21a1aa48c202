// The debug sections of a firmware ELF as the DWARF parsers see them: each a view into the file
// (empty when the ELF lacks it), and the byte order and address size of the target.
import type { ElfFile } from '../elf/elfFile';
import { ElfError } from '../elf/types';
import { DwarfError } from './dwarfError';
import { DwarfReader } from './dwarfReader';

export const DEBUG_SECTIONS = [
  '.debug_info',
  '.debug_abbrev',
  '.debug_line',
  '.debug_line_str',
  '.debug_str',
  '.debug_str_offsets',
  '.debug_addr',
  '.debug_ranges',
  '.debug_rnglists',
  '.debug_loc',
  '.debug_loclists',
  '.debug_frame',
] as const;
export type DebugSectionName = (typeof DEBUG_SECTIONS)[number];

export class DwarfSections {
  constructor(
    private readonly data: ReadonlyMap<string, Uint8Array>,
    readonly little: boolean,
    readonly addressSize: 4 | 8,
  ) {}

  /** Reads the debug sections of `elf`; a section whose data lie outside the file is a DwarfError. */
  static fromElf(elf: ElfFile): DwarfSections {
    const data = new Map<string, Uint8Array>();
    for (const name of DEBUG_SECTIONS) {
      const s = elf.section(name);
      if (!s) continue;
      try {
        data.set(name, elf.sectionData(s));
      } catch (e) {
        if (e instanceof ElfError) throw new DwarfError(name, 0, e.message);
        throw e;
      }
    }
    return new DwarfSections(data, elf.header.endian === 'little', elf.header.class === 32 ? 4 : 8);
  }

  bytes(name: DebugSectionName): Uint8Array {
    return this.data.get(name) ?? new Uint8Array(0);
  }

  reader(name: DebugSectionName, offset = 0): DwarfReader {
    const bytes = this.bytes(name);
    if (!(offset >= 0 && offset <= bytes.length)) throw new DwarfError(name, offset, `offset is outside the section (0x${bytes.length.toString(16)} bytes)`);
    return new DwarfReader(name, bytes, this.little, offset);
  }
}
