// rproc_add_virtio_dev() (remoteproc_virtio.c), run for every probed vdev when the core starts:
// it looks for a `vdev<N>buffer` carveout to allocate the vdev's buffers from. One the table
// declared (rather than a device-tree region the driver registered as a DMA pool) is already
// allocated and mapped by then; the kernel warns and declares a DMA pool over it anyway.

import { Finding } from '../../findings';
import { Carveout } from '../kernelModel';
import { Rule, report } from './report';

const bufferMapped: Rule = {
  rule: 'kernel/vdev_buffer_already_mapped',
  kernelFunction: 'rproc_add_virtio_dev',
  explanation:
    'A carveout named vdevNbuffer that the kernel allocated itself (declared in the table, not a reserved-memory region of the device tree) is turned into the vdev\'s DMA pool after the fact; the kernel warns and goes on.',
  fix: 'Describe the buffer pool as a vdevNbuffer reserved-memory region of the core\'s device-tree node instead of a table carveout.',
};

export function kernelStartVdevs(probed: readonly number[], carveouts: readonly Carveout[]): Finding[] {
  const out: Finding[] = [];
  for (const index of probed) {
    const mem = carveouts.find((c) => c.name === `vdev${index}buffer`);
    if (mem?.mapped) out.push(report(bufferMapped, 'warning', `vdev ${index} buffer already mapped`));
  }
  return out;
}
