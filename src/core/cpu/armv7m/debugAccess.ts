// A debugger's block reads and writes through a core's bus (its memory, peripherals and System
// Control Space as the core sees them), in the widest aligned accesses that tile the block: the
// registers of peripherals answer word accesses only.
import type { SystemBus } from './system/systemBus';

/** As much of [addr, addr+length) as can be read, from `addr` on (empty when nothing can). */
export function debugReadBlock(bus: SystemBus, addr: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const size = accessSize(addr, length);
  const view = new DataView(out.buffer);
  for (let o = 0; o < length; o += size) {
    const v = bus.debugRead(addr + o, size);
    if (v === undefined) return out.subarray(0, o);
    if (size === 4) view.setUint32(o, v, true);
    else if (size === 2) view.setUint16(o, v, true);
    else out[o] = v;
  }
  return out;
}

/** Writes all of `data` at `addr`, or returns false (some bytes may be written). */
export function debugWriteBlock(bus: SystemBus, addr: number, data: Uint8Array): boolean {
  const size = accessSize(addr, data.length);
  const view = new DataView(data.buffer, data.byteOffset, data.length);
  for (let o = 0; o < data.length; o += size) {
    const v = size === 4 ? view.getUint32(o, true) : size === 2 ? view.getUint16(o, true) : data[o];
    if (!bus.debugWrite(addr + o, size, v)) return false;
  }
  return true;
}

/** The widest access that tiles [addr, addr+length) aligned. */
function accessSize(addr: number, length: number): 1 | 2 | 4 {
  if ((addr & 3) === 0 && (length & 3) === 0) return 4;
  if ((addr & 1) === 0 && (length & 1) === 0) return 2;
  return 1;
}
