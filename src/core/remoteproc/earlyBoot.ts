// What a boot loader does before Linux for a core it starts itself (U-Boot `rproc load/start`,
// TF-A, the FSBL): copy the image's segments through the core's own view, release it, and
// publish where its resource table is, for the host to attach to later.
import { ElfError } from '../elf/types';
import type { CoreDesc } from '../soc/board';
import type { RemoteCore } from '../soc/remoteCore';
import type { RemoteProgram } from '../soc/remoteProgram';
import type { SocMemory } from '../soc/socMemory';
import type { ElfFile } from '../elf/elfFile';
import type { PublishedTable } from './drivers/common';
import type { Firmware } from './firmware';

const PT_LOAD = 1;

export function loadEarlyBoot(
  memory: SocMemory,
  core: CoreDesc,
  fw: Firmware,
  program: (elf: ElfFile) => RemoteProgram,
  remote: RemoteCore,
): PublishedTable | undefined {
  const elf = fw.elf();
  if (elf instanceof ElfError) throw elf;
  for (const p of elf.programs) {
    if (p.type !== PT_LOAD || !p.memsz) continue;
    const pa = memory.daToPa(core, p.paddr, p.memsz);
    if (pa === undefined) throw new ElfError(p.headerOffset, `segment ${p.index} at 0x${p.paddr.toString(16)} is outside ${core.id}'s memory`);
    memory.host.writeBytes(pa, fw.data.subarray(p.offset, p.offset + p.filesz));
    if (p.memsz > p.filesz) memory.host.fill(pa + p.filesz, p.memsz - p.filesz, 0);
  }
  remote.release(elf, program(elf));
  const s = elf.section('.resource_table');
  return s ? { da: s.addr, size: s.size } : undefined;
}
