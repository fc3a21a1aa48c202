// The memory map gdb is given for a Cortex-M4: the core's memory windows, its peripheral region
// when the board maps peripherals for it, and the System Control Space.
import { SCS_BASE, SCS_SIZE } from '../cpu/armv7m/system/systemControlSpace';
import type { AddressSpace } from '../soc/addressSpace';
import type { CoreDesc } from '../soc/board';
import type { MemoryRegion } from './target';

/** The ARMv7-M peripheral region (B3.1), where the board's peripherals are mapped. */
const PERIPHERAL_BASE = 0x40000000;
const PERIPHERAL_SIZE = 0x20000000;

export function m4MemoryMap(space: AddressSpace, core: CoreDesc): readonly MemoryRegion[] {
  const regions: MemoryRegion[] = space.windows.map((w) => ({ type: w.writable ? 'ram' : 'rom', start: w.start, length: w.size }));
  if (core.peripherals?.length) regions.push({ type: 'ram', start: PERIPHERAL_BASE, length: PERIPHERAL_SIZE });
  regions.push({ type: 'ram', start: SCS_BASE, length: SCS_SIZE });
  return regions.sort((a, b) => a.start - b.start);
}
