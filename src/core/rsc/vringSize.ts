// vring_size() of include/uapi/linux/virtio_ring.h with the kernel's integer widths: the sum is
// computed in size_t / unsigned long (the host's word) and returned as a 32-bit unsigned, so odd
// alignments and huge queue sizes come out exactly as the kernel computes them.

export const PAGE_SIZE = 4096;

export function vringSize(num: number, align: number, hostBits: 32 | 64): number {
  const n32 = num >>> 0;
  const a32 = align >>> 0;
  if (a32 && (a32 & (a32 - 1)) === 0) {
    // A power-of-two align only clears low bits: exact in doubles (all sums stay below 2^38).
    const word = hostBits === 64 ? 2 ** 64 : 2 ** 32;
    const head = Math.floor(((18 * n32 + 6 + a32 - 1) % word) / a32) * a32;
    return ((head + 6 + 8 * n32) % word) % 2 ** 32;
  }
  const mask = hostBits === 64 ? 0xffffffffffffffffn : 0xffffffffn;
  const n = BigInt(num >>> 0);
  const a = BigInt(align >>> 0);
  const head = (16n * n + 2n * (3n + n) + a - 1n) & mask;
  const size = ((head & (~(a - 1n) & mask)) + 6n + 8n * n) & mask;
  return Number(size & 0xffffffffn);
}

/** PAGE_ALIGN() of a size_t. */
export function pageAlign(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}
