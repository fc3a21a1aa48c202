// What our own checks look at: the parsed image, the decoded table and where it sits in the
// file, the kernel model of the board's core, and the carveouts the kernel would end up with.

import { ElfFile } from '../../elf/elfFile';
import { PT_LOAD } from '../../elf/constants';
import { ProgramHeader, SectionHeader } from '../../elf/types';
import { Carveout, KernelModel } from '../kernelModel';
import { ResourceTable, RscEntry } from '../types';
import { Place } from './report';

export interface AmpwContext {
  readonly elf: ElfFile;
  readonly table: ResourceTable | undefined;
  readonly tableSection: SectionHeader | undefined;
  readonly k: KernelModel;
  readonly carveouts: readonly Carveout[];
  /** PT_LOAD segments with a memory size: what the kernel copies. */
  readonly loads: readonly ProgramHeader[];
}

export function ampwContext(elf: ElfFile, table: ResourceTable | undefined, tableSection: SectionHeader | undefined, k: KernelModel, carveouts: readonly Carveout[]): AmpwContext {
  const loads = elf.programs.filter((p) => p.type === PT_LOAD && p.memsz > 0);
  return { elf, table, tableSection, k, carveouts, loads };
}

/** Where an entry (or a field inside it) is in the file. */
export function entryPlace(c: AmpwContext, e: RscEntry, fieldOffset = 0, length = e.size - fieldOffset): Place {
  return { entry: e.index, offset: (c.tableSection?.offset ?? 0) + e.offset + fieldOffset, length };
}

export function segmentPlace(c: AmpwContext, p: ProgramHeader): Place {
  return { offset: p.headerOffset, length: c.elf.header.class === 64 ? 56 : 32 };
}

export const overlaps = (a: number, alen: number, b: number, blen: number): boolean => a < b + blen && b < a + alen;

export const insideAny = (ranges: readonly { da: number; end: number }[], da: number, len: number): boolean => ranges.some((r) => da >= r.da && da + len <= r.end);
