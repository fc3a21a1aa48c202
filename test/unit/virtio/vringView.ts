// A split vring as plain data, read from memory the way the layout documents it, so ring tests
// can compare what the driver and device wrote with the layout's own offsets.
// Reads only; the size is bounded by vringLayout's limits.
import type { MemoryAccess } from '../../../src/core/soc/memoryAccess';
import { vringLayout } from '../../../src/core/virtio/vringLayout';

export interface VringDescView {
  readonly addr: number;
  readonly len: number;
  readonly flags: number;
  readonly next: number;
}

export interface VringView {
  readonly base: number;
  readonly num: number;
  readonly align: number;
  readonly desc: readonly VringDescView[];
  readonly avail: { readonly flags: number; readonly idx: number; readonly ring: readonly number[]; readonly usedEvent: number };
  readonly used: {
    readonly flags: number;
    readonly idx: number;
    readonly ring: readonly { readonly id: number; readonly len: number }[];
    readonly availEvent: number;
  };
}

/** Throws VirtqueueError for an impossible num/align, MemoryFault when the ring is not all in memory. */
export function readVring(mem: MemoryAccess, base: number, num: number, align: number): VringView {
  const l = vringLayout(num, align);
  const desc: VringDescView[] = [];
  const availRing: number[] = [];
  const usedRing: { id: number; len: number }[] = [];
  for (let i = 0; i < num; i++) {
    const at = base + 16 * i;
    desc.push({ addr: mem.read32(at) + mem.read32(at + 4) * 0x1_0000_0000, len: mem.read32(at + 8), flags: mem.read16(at + 12), next: mem.read16(at + 14) });
    availRing.push(mem.read16(base + l.availOffset + 4 + 2 * i));
    usedRing.push({ id: mem.read32(base + l.usedOffset + 4 + 8 * i), len: mem.read32(base + l.usedOffset + 8 + 8 * i) });
  }
  return {
    base,
    num,
    align,
    desc,
    avail: { flags: mem.read16(base + l.availOffset), idx: mem.read16(base + l.availOffset + 2), ring: availRing, usedEvent: mem.read16(base + l.usedEventOffset) },
    used: { flags: mem.read16(base + l.usedOffset), idx: mem.read16(base + l.usedOffset + 2), ring: usedRing, availEvent: mem.read16(base + l.availEventOffset) },
  };
}
