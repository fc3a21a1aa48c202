// Steps the platform drivers share: releasing the core from reset into the firmware's program,
// and registering the device tree's reserved memory as carveouts.
import { KernelError } from '../errno';
import type { Rproc } from '../rproc';

/** The core leaves reset at the ELF entry point and runs the program chosen for the image. */
export function releaseCore(r: Rproc): void {
  const fw = r.loadedFirmware;
  const elf = fw?.elf();
  if (!elf || elf instanceof Error) throw new KernelError('EINVAL');
  r.remote.release(elf, r.env.selectProgram(elf, r.core));
}

/** The reserved-memory node a `memory-region` phandle names. */
export function reservedRegion(r: Rproc, name: string) {
  return r.env.board.reservedMemory.find((m) => m.name === name);
}

/** rproc_of_resm_mem_entry_init(): a named pool with no kernel mapping (vdevNbuffer). */
export function addOfResm(r: Rproc, name: string, idx: number, pa: number, size: number): void {
  r.carveouts.push({ name, da: pa, dma: undefined, len: size, rscOffset: undefined, flags: 0, ofResmIdx: idx, alloc: 'none', mapped: false });
}

/** rproc_mem_entry_init() of a known region the driver maps at alloc time. */
export function addMapped(r: Rproc, name: string, da: number, pa: number, size: number): void {
  r.carveouts.push({ name, da, dma: pa, len: size, rscOffset: undefined, flags: 0, ofResmIdx: -1, alloc: 'map', mapped: false });
}

/** Where an early-booted remote published its table (boot loader / backup register / rsc data). */
export interface PublishedTable {
  readonly da: number;
  readonly size: number;
}
