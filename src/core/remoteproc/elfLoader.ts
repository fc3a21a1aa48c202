// remoteproc_elf_loader.c at run time: cache the table (rproc_elf_load_rsc_table), copy the
// PT_LOAD segments through da→pa into simulated memory (rproc_elf_load_segments), and find
// where the table landed (rproc_elf_find_loaded_rsc_table). The checks on the image alone are
// src/core/rsc's; what depends on the live carveouts is here.
import { kernelModel } from '../rsc/kernelModel';
import { kernelFindTable } from '../rsc/rules/kernelTable';
import { KernelError } from '../kernel/errno';
import type { Firmware } from './firmware';
import type { Rproc } from './rproc';
import { cachedTable } from './tableRef';

const PT_LOAD = 1;

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** find_table(): the `.resource_table` section when the kernel accepts it (its errors logged). */
function findTable(r: Rproc, fw: Firmware) {
  const elf = fw.elf();
  if (elf instanceof Error) return undefined;
  const lookup = kernelFindTable(elf, kernelModel(r.env.board, r.core));
  for (const f of lookup.findings) if (f.kernelFunction === 'find_table') r.log.err(f.message);
  return lookup.accepted ? lookup.section : undefined;
}

/** rproc_elf_load_rsc_table(): a private copy the host edits until the image is loaded. */
export function loadRscTable(r: Rproc, fw: Firmware): void {
  const s = findTable(r, fw);
  const elf = fw.elf();
  if (!s || elf instanceof Error) throw new KernelError('EINVAL');
  r.cachedTable = elf.sectionData(s).slice();
  r.tablePtr = cachedTable(r.cachedTable);
  r.tableSz = s.size;
}

/** What rproc_elf_load_segments() uses of the rproc: also met by a bare core (`ampw run`). */
export type SegmentLoader = Pick<Rproc, 'daToPa' | 'hostMem' | 'phase' | 'fail'>;

export function loadSegments(r: SegmentLoader, fw: Firmware): void {
  const elf = fw.elf();
  if (elf instanceof Error) throw new KernelError('EINVAL');
  for (const p of elf.programs) {
    if (p.type !== PT_LOAD || !p.memsz) continue;
    const da = p.paddr;
    if (p.filesz > p.memsz) r.fail('EINVAL', `bad phdr filesz ${hex(p.filesz)} memsz ${hex(p.memsz)}`);
    if (p.offset + p.filesz > fw.size) r.fail('EINVAL', `truncated fw: need ${hex(p.offset + p.filesz)} avail ${hex(fw.size)}`);
    const pa = r.daToPa(da, p.memsz);
    if (pa === undefined) r.fail('EINVAL', `bad phdr da ${hex(da)} mem ${hex(p.memsz)}`);
    r.phase('rproc_load_segments', { index: p.index, da, pa, size: p.memsz });
    if (p.filesz) r.hostMem.writeBytes(pa, fw.data.subarray(p.offset, p.offset + p.filesz));
    if (p.memsz > p.filesz) r.hostMem.fill(pa + p.filesz, p.memsz - p.filesz, 0);
  }
}

/** Host physical address of the loaded table, or undefined (then the host keeps its copy). */
export function findLoadedRscTable(r: Rproc, fw: Firmware): number | undefined {
  const s = findTable(r, fw);
  if (!s) return undefined;
  return r.daToPa(s.addr, s.size);
}
