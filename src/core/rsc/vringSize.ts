// vring_size() of include/uapi/linux/virtio_ring.h with the kernel's integer widths: the sum is
// computed in size_t / unsigned long (the host's word) and returned as a 32-bit unsigned, so odd
// alignments and huge queue sizes come out exactly as the kernel computes them.

export const PAGE_SIZE = 4096;

export function vringSize(num: number, align: number, hostBits: 32 | 64): number {
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
