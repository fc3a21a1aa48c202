// rproc_elf_load_segments(): every PT_LOAD segment with a memory size is copied to the device
// address in p_paddr, which rproc_da_to_va() must translate through the driver's da_to_va op or a
// mapped carveout. The first failure stops the load: rproc_start() logs
// `Failed to load program segments: %d` and the boot fails. Without a board the memory map is
// unknown, so the translation is not judged.

import { ElfFile } from '../../elf/elfFile';
import { PT_LOAD } from '../../elf/constants';
import { Finding } from '../../findings';
import { Carveout, KernelModel } from '../kernelModel';
import { FW_RSC_ADDR_ANY } from '../types';
import { Rule, hex, report } from './report';

const rule = (name: string, errno: string, why: string, fix: string): Rule => ({
  rule: `kernel/${name}`,
  kernelFunction: 'rproc_elf_load_segments',
  errno,
  explanation: `${why} The kernel then logs \`Failed to load program segments: -${errno === 'EOVERFLOW' ? 75 : 22}\` and the boot fails.`,
  fix,
});

const badFilesz = rule('bad_phdr_filesz', 'EINVAL', 'A segment holds more bytes in the file than in memory (p_filesz > p_memsz).', 'Fix the linker script; p_filesz can never exceed p_memsz in a linked image.');
const truncatedFw = rule('truncated_fw', 'EINVAL', 'A segment\'s file bytes (p_offset + p_filesz) run past the end of the image.', 'Install the whole image; it was truncated (or its program headers are damaged).');
const sizeT = rule('size_does_not_fit', 'EOVERFLOW', 'On a 32-bit host a segment larger than 4 GiB cannot be addressed.', 'Fix the segment size; a remote core image is never that large.');
const badDa = rule(
  'bad_phdr_da',
  'EINVAL',
  'The segment\'s device address (p_paddr) and size are not inside memory the kernel can reach for this core: a carveout (registered from the device tree or declared in the table) or the driver\'s own memories.',
  'Link the segment into the core\'s memory (see the board\'s memories), declare a carveout covering it, or fix the LMA (AT>) in the linker script: the kernel uses p_paddr, not p_vaddr.',
);

/** rproc_da_to_va(): the driver's op first, then the mapped carveouts in list order. */
export function daToVa(k: KernelModel, carveouts: readonly Carveout[], da: number, len: number): boolean {
  if (k.opsDaToVa?.(da, len)) return true;
  for (const c of carveouts) {
    if (!c.mapped || c.da === FW_RSC_ADDR_ANY) continue;
    const offset = (da - c.da) | 0;
    if (offset < 0) continue;
    if (offset + len > c.len) continue;
    return true;
  }
  return false;
}

export function kernelLoadSegments(elf: ElfFile, k: KernelModel, carveouts: readonly Carveout[]): Finding | undefined {
  const size = elf.bytes.byteLength;
  for (const p of elf.programs) {
    if (p.type !== PT_LOAD || !p.memsz) continue;
    const place = { offset: p.headerOffset, length: elf.header.class === 64 ? 56 : 32 };
    if (p.filesz > p.memsz) return report(badFilesz, 'error', `bad phdr filesz 0x${hex(p.filesz)} memsz 0x${hex(p.memsz)}`, place);
    if (p.offset + p.filesz > size) return report(truncatedFw, 'error', `truncated fw: need 0x${hex(p.offset + p.filesz)} avail 0x${hex(size)}`, place);
    if (k.hostBits === 32 && p.memsz > 0xffffffff) return report(sizeT, 'error', `size (${hex(p.memsz)}) does not fit in size_t type`, place);
    if (k.core && !daToVa(k, carveouts, p.paddr, p.memsz)) return report(badDa, 'error', `bad phdr da 0x${hex(p.paddr)} mem 0x${hex(p.memsz)}`, place);
  }
  return undefined;
}
