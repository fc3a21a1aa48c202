// The carveouts of an rproc (rproc->carveouts): what each entry is, and how
// rproc_alloc_registered_carveouts() maps a known region or allocates from the parent's DMA pool.
import { KernelError, codeOf } from '../kernel/errno';
import { FW_RSC_ADDR_ANY } from '../rsc/types';
import type { Rproc } from './rproc';

/** struct rproc_mem_entry on rproc->carveouts. */
export interface RprocMem {
  readonly name: string;
  da: number;
  /** Physical address once allocated (or known from reserved memory). */
  dma: number | undefined;
  readonly len: number;
  rscOffset: number | undefined;
  flags: number;
  /** Index in `memory-region` for of_resm entries (vdevNbuffer); -1 otherwise. */
  readonly ofResmIdx: number;
  /** How alloc() gets memory: a known region mapped, a DMA allocation, or none (of_resm). */
  readonly alloc: 'map' | 'dma' | 'none';
  /** Has a kernel mapping (va) now. */
  mapped: boolean;
}

/** rproc_alloc_registered_carveouts(): map or allocate each, write da/pa/len back to the table. */
export function allocRegisteredCarveouts(r: Rproc): void {
  for (const m of r.carveouts) {
    if (m.alloc !== 'none') {
      try {
        allocCarveout(r, m);
      } catch (e) {
        r.log.err(`Unable to allocate carveout ${m.name}: ${codeOf(e)}`);
        throw new KernelError('ENOMEM');
      }
    }
    if (m.rscOffset !== undefined && r.tablePtr) {
      // struct fw_rsc_carveout: da @0, pa @4, len @8
      r.tablePtr.write32(m.rscOffset + 4, m.dma ?? 0);
      r.tablePtr.write32(m.rscOffset, m.da);
      r.tablePtr.write32(m.rscOffset + 8, m.len);
    }
  }
}

function allocCarveout(r: Rproc, m: RprocMem): void {
  if (m.alloc === 'map') {
    if (m.dma === undefined || !r.hostMem.isMapped(m.dma, m.len)) {
      r.parentLog.err(`Unable to map memory region: 0x${(m.dma ?? 0).toString(16).padStart(8, '0')}+0x${m.len.toString(16)}`);
      throw new KernelError('ENOMEM');
    }
    m.mapped = true;
    return;
  }
  // rproc_alloc_carveout(): dma_alloc_coherent() from the parent's pool.
  const pa = r.parentPool?.alloc(m.len);
  if (pa === undefined) {
    r.parentLog.err(`failed to allocate dma memory: len 0x${m.len.toString(16)}`);
    throw new KernelError('ENOMEM');
  }
  if (m.da !== FW_RSC_ADDR_ANY && m.da !== pa) r.parentLog.warn("Allocated carveout doesn't fit device address request");
  if (m.da === FW_RSC_ADDR_ANY) m.da = pa;
  m.dma = pa;
  m.mapped = true;
  r.hostMem.fill(pa, m.len, 0);
}
