// How code that lives on one side (host or remote) reaches memory: little-endian accessors on
// addresses of its own view. Implementations translate to the backing regions; an access outside
// every mapping throws MemoryFault, which the simulation turns into a fault, never a crash.

/** Single loads and stores of 1, 2 and 4 bytes: what a memory view and a CPU's bus both offer. */
export interface WordAccess {
  read8(addr: number): number;
  read16(addr: number): number;
  read32(addr: number): number;
  write8(addr: number, value: number): void;
  write16(addr: number, value: number): void;
  write32(addr: number, value: number): void;
}

export interface MemoryAccess extends WordAccess {
  /** A copy of `len` bytes. */
  readBytes(addr: number, len: number): Uint8Array;
  writeBytes(addr: number, data: Uint8Array): void;
  fill(addr: number, len: number, value: number): void;
  /** Optional copy of `len` bytes at `addr` into `target[offset..]` without allocating (hot paths). */
  readInto?(addr: number, target: Uint8Array, offset: number, len: number): void;
  /** Optional write of `source[offset..offset+len)` at `addr` without allocating (hot paths). */
  writeFrom?(addr: number, source: Uint8Array, offset: number, len: number): void;
}

export class MemoryFault extends Error {
  constructor(
    readonly addr: number,
    readonly length: number,
    readonly access: 'read' | 'write',
    reason: string,
  ) {
    super(`${access} of ${length} byte(s) at 0x${addr.toString(16)}: ${reason}`);
    this.name = 'MemoryFault';
  }
}
