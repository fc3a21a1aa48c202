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

/**
 * Any `num` from 1 to VRING_MAX_NUM and any `align` the table gives: both the kernel and OpenAMP
 * index rings with `& (num - 1)` and place the used ring with `& ~(align - 1)`, so a num or an align
 * that is not a power of two still gives a (strange) ring; we compute it the same way. Bounds
 * beyond those are refused, since ring state is sized by num.
 */
export function vringLayout(num: number, align: number): VringLayout {
  if (!Number.isInteger(num) || num < 1 || num > VRING_MAX_NUM) {
    throw new VirtqueueError('bad-layout', 0, `vring num ${num} is outside 1..${VRING_MAX_NUM}`);
  }
  if (!Number.isInteger(align) || align < 1 || align > 0x10000000) {
    throw new VirtqueueError('bad-layout', 0, `vring align ${align} is outside 1..0x10000000`);
  }
  const availOffset = 16 * num;
  const usedEventOffset = availOffset + 4 + 2 * num;
  // vring_init(): (end of avail + align - 1) & ~(align - 1), in 32-bit arithmetic
  const usedOffset = ((usedEventOffset + 2 + align - 1) & ~(align - 1)) >>> 0;
  const availEventOffset = usedOffset + 4 + 8 * num;
  return { num, align, availOffset, usedEventOffset, usedOffset, availEventOffset, size: availEventOffset + 2 };
}

/** The kernel's vring_need_event(): has `eventIdx` been passed while the index moved old -> new? */
export function vringNeedEvent(eventIdx: number, newIdx: number, oldIdx: number): boolean {
  return ((newIdx - eventIdx - 1) & 0xffff) < ((newIdx - oldIdx) & 0xffff);
}
