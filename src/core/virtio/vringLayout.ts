// Where each part of a split virtqueue lives, as include/uapi/linux/virtio_ring.h lays it out:
// descriptor table (16 bytes each), available ring (flags, idx, ring[num], used_event), then at the
// next `align` boundary the used ring (flags, idx, ring[num] of {id, len}, avail_event).
import { VirtqueueError } from './virtqueueError';

export const VRING_DESC_F_NEXT = 1;
export const VRING_DESC_F_WRITE = 2;
export const VRING_DESC_F_INDIRECT = 4;
export const VRING_USED_F_NO_NOTIFY = 1;
export const VRING_AVAIL_F_NO_INTERRUPT = 1;
/** Feature bit: used_event / avail_event fields replace the flags for notification suppression. */
export const VIRTIO_RING_F_EVENT_IDX = 29;

/** Largest queue the split format can index (virtio spec: Queue Size ≤ 32768). */
export const VRING_MAX_NUM = 32768;

export interface VringLayout {
  readonly num: number;
  readonly align: number;
  readonly availOffset: number;
  readonly usedEventOffset: number;
  readonly usedOffset: number;
  readonly availEventOffset: number;
  /** Total bytes, as the kernel's vring_size(). */
  readonly size: number;
}

const isPowerOfTwo = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

export function vringLayout(num: number, align: number): VringLayout {
  if (!isPowerOfTwo(num) || num > VRING_MAX_NUM) {
    throw new VirtqueueError('bad-layout', 0, `vring num ${num} is not a power of two in 1..${VRING_MAX_NUM}`);
  }
  if (!isPowerOfTwo(align) || align > 0x10000000) {
    throw new VirtqueueError('bad-layout', 0, `vring align ${align} is not a power of two`);
  }
  const availOffset = 16 * num;
  const usedEventOffset = availOffset + 4 + 2 * num;
  const usedOffset = Math.ceil((usedEventOffset + 2) / align) * align;
  const availEventOffset = usedOffset + 4 + 8 * num;
  return { num, align, availOffset, usedEventOffset, usedOffset, availEventOffset, size: availEventOffset + 2 };
}

/** The kernel's vring_need_event(): has `eventIdx` been passed while the index moved old -> new? */
export function vringNeedEvent(eventIdx: number, newIdx: number, oldIdx: number): boolean {
  return ((newIdx - eventIdx - 1) & 0xffff) < ((newIdx - oldIdx) & 0xffff);
}
