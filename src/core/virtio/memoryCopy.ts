// Bulk copies between simulated memory and a caller's buffer, through the allocation-free
// accessors when the memory offers them (the message hot path), else through the plain ones.
import type { MemoryAccess } from '../soc/memoryAccess';

export function copyFromMemory(mem: MemoryAccess, addr: number, target: Uint8Array, offset: number, len: number): void {
  if (mem.readInto) mem.readInto(addr, target, offset, len);
  else target.set(mem.readBytes(addr, len), offset);
}

export function copyToMemory(mem: MemoryAccess, addr: number, source: Uint8Array, offset: number, len: number): void {
  if (mem.writeFrom) mem.writeFrom(addr, source, offset, len);
  else mem.writeBytes(addr, source.subarray(offset, offset + len));
}
