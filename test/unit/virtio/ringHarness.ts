// A driver/device virtqueue pair over one flat memory, as host and remote would share it.
import { DeviceVirtqueue } from '../../../src/core/virtio/deviceVirtqueue';
import { DriverVirtqueue } from '../../../src/core/virtio/driverVirtqueue';
import { FlatMemory } from './flatMemory';
import { vringLayout } from '../../../src/core/virtio/vringLayout';

export const RING_BASE = 0x10040000;
export const BUF_BASE = 0x10100000;

export interface RingPair {
  mem: FlatMemory;
  driver: DriverVirtqueue;
  device: DeviceVirtqueue;
  kicks: number;
}

export function ringPair(num: number, align: number, eventIdx = false): RingPair {
  const size = BUF_BASE - RING_BASE + 0x40000;
  const mem = new FlatMemory(RING_BASE, size);
  if (vringLayout(num, align).size > BUF_BASE - RING_BASE) throw new Error('ring too big for the test memory');
  const pair: RingPair = { mem, kicks: 0 } as RingPair;
  pair.driver = new DriverVirtqueue('output', mem, RING_BASE, num, align, eventIdx, () => pair.kicks++);
  pair.device = new DeviceVirtqueue('vq1', mem, RING_BASE, num, align, eventIdx, (addr, len) =>
    addr >= RING_BASE && addr + len <= RING_BASE + size ? addr : -1,
  );
  return pair;
}
