// Steps the platform drivers share: releasing the core from reset into the firmware's program,
// and registering the device tree's reserved memory as carveouts.
import type { ReservedMemory } from '../../soc/board';
import { KernelError } from '../../kernel/errno';
import type { Rproc } from '../rproc';

/** The core leaves reset at the ELF entry point and runs the program chosen for the image. */
export function releaseCore(r: Rproc): void {
  const fw = r.loadedFirmware;
  const elf = fw?.elf();
  if (!elf || elf instanceof Error) throw new KernelError('EINVAL');
  r.remote.release(elf, r.env.selectProgram(elf, r.core));
}

/** The reserved-memory node a `memory-region` phandle names (by the board's key for it). */
export function reservedRegion(r: Rproc, key: string): ReservedMemory | undefined {
  return r.env.board.reservedMemory.find((m) => m.name === key);
}

/** `node->name`: the node's name without its unit address; carveouts are looked up by it. */
export function nodeName(rm: ReservedMemory): string {
  return rm.nodeName ?? rm.name;
}

/** `rmem->name`: the full node name as the kernel prints it (`vdev0buffer@10042000`). */
export function rmemName(rm: ReservedMemory): string {
  return `${nodeName(rm)}@${rm.pa.toString(16)}`;
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
