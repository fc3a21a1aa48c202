// Byte and halfword accesses to 32-bit peripheral registers: the AHB/APB lanes of the word.

/** The `size` bytes at `offset` (any alignment within the word) of the register value `word`. */
export function laneOf(word: number, offset: number, size: number): number {
  const v = (word >>> (8 * (offset & 3))) >>> 0;
  return size === 4 ? v : v & ((1 << (8 * size)) - 1);
}

/** `word` with the `size` bytes at `offset` replaced by `value`'s low bytes. */
export function withLane(word: number, offset: number, size: number, value: number): number {
  if (size === 4) return value >>> 0;
  const shift = 8 * (offset & 3);
  const mask = ((1 << (8 * size)) - 1) << shift;
  return ((word & ~mask) | ((value << shift) & mask)) >>> 0;
}
