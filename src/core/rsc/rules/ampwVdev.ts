// Our virtio checks: what the kernel accepts in a vdev entry but virtio_ring.c, virtio_rpmsg_bus.c
// or the remote's OpenAMP stack then trip over.

import { Finding } from '../../findings';
import { FW_RSC_ADDR_ANY, RVDEV_NUM_VRINGS, VIRTIO_ID_RPMSG, VIRTIO_RPMSG_F_NS, VdevEntry } from '../types';
import { PAGE_SIZE, vringSize } from '../vringSize';
import { AmpwContext, entryPlace, overlaps } from './ampwContext';
import { Rule, hex, report } from './report';

/** include/uapi/linux/virtio_ids.h: the device ids a Linux virtio driver can bind to. */
const VIRTIO_IDS = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41]);
/** virtio_rpmsg_bus.c: MAX_RPMSG_NUM_BUFS and MAX_RPMSG_BUF_SIZE. */
const MAX_RPMSG_NUM_BUFS = 512;
const RPMSG_BUF_SIZE = 512;

const isPow2 = (n: number): boolean => n > 0 && (n & (n - 1)) === 0 && n <= 0x80000000;

const vringCount: Rule = {
  rule: 'ampw/rpmsg-vring-count',
  kernelFunction: 'rproc_handle_vdev',
  explanation: 'virtio_rpmsg_bus asks for two virtqueues (input and output); with fewer, find_vqs fails and no rpmsg channel appears.',
  fix: 'Declare exactly two vrings in the rpmsg vdev entry.',
};
const numPow2: Rule = {
  rule: 'ampw/vring-num-not-power-of-two',
  kernelFunction: 'rproc_parse_vring',
  explanation: 'A split virtqueue indexes its rings with `idx & (num - 1)`: Linux and OpenAMP both assume num is a power of two, and any other size corrupts the rings.',
  fix: 'Use a power of two for num (OpenAMP samples use 256; 8–256 are common).',
};
const alignPow2: Rule = {
  rule: 'ampw/vring-align',
  kernelFunction: 'rproc_parse_vring',
  explanation: 'The used ring starts at the next multiple of align after the available ring; vring_size() rounds with `& ~(align - 1)`, which only works for powers of two.',
  fix: 'Use align 4096 (Linux and OpenAMP default) or another power of two that the remote uses too.',
};
const alignNot4096: Rule = {
  rule: 'ampw/vring-align-not-page',
  kernelFunction: 'rproc_parse_vring',
  explanation: 'Linux lays the ring out with the align the table gives, so it works when the remote uses the same value; 4096 is what Linux and OpenAMP expect by default, 16 is what some RTOS ports use.',
  fix: 'Check the remote lays the ring out with the same align (VRING_ALIGNMENT in OpenAMP ports).',
};
const vringOverlap: Rule = {
  rule: 'ampw/vring-overlap',
  kernelFunction: 'rproc_alloc_vring',
  explanation: 'Two vrings at fixed device addresses overlap (each takes vring_size(num, align) bytes): the rings overwrite each other.',
  fix: 'Space the vring addresses at least PAGE_ALIGN(vring_size(num, align)) apart.',
};
const vringDa: Rule = {
  rule: 'ampw/vring-da-mismatch',
  kernelFunction: 'rp_find_vq',
  explanation: 'The driver registered a vdevNvringM carveout from the device tree, and the kernel puts the ring at that carveout\'s start, not at the vring\'s da: host and remote look at different addresses.',
  fix: 'Use the reserved-memory region\'s device address (or FW_RSC_ADDR_ANY) as the vring da.',
};
const vringUnbacked: Rule = {
  rule: 'ampw/vring-da-unbacked',
  kernelFunction: 'rproc_alloc_carveout',
  explanation: 'No vdevNvringM reserved-memory region backs this fixed vring address: the kernel allocates the ring anywhere in its DMA pool ("Allocated carveout doesn\'t fit device address request") while the remote uses the da it was built with.',
  fix: 'Add vdevNvringM reserved-memory regions to the core\'s device tree node at these addresses, or use FW_RSC_ADDR_ANY and let the remote read the address from the table.',
};
const bufferPool: Rule = {
  rule: 'ampw/buffer-pool-too-small',
  kernelFunction: 'rpmsg_probe',
  explanation: 'virtio_rpmsg_bus allocates min(2 × num, 512) buffers of 512 bytes in one block from the vdev\'s DMA pool (the vdevNbuffer region, else the core\'s first memory-region); a smaller pool makes that allocation fail and rpmsg never starts.',
  fix: 'Enlarge the vdevNbuffer reserved-memory region (or add one) or lower the vring num.',
};
const dupNotify: Rule = {
  rule: 'ampw/duplicate-notifyid',
  kernelFunction: 'rproc_alloc_vring',
  explanation: 'Two vrings carry the same notify id. Linux assigns its own ids and writes them back into the table, but a remote that kicks with the ids it was built with cannot tell the queues apart.',
  fix: 'Number the vrings 0, 1, 2... across the table, or read the notify ids back from the table after the host has filled it in.',
};
const unknownId: Rule = {
  rule: 'ampw/unknown-vdev-id',
  kernelFunction: 'rproc_add_virtio_dev',
  explanation: 'No Linux virtio driver binds to this device id (include/uapi/linux/virtio_ids.h), so the vdev stays unused.',
  fix: 'Use VIRTIO_ID_RPMSG (7) for rpmsg.',
};
const noNs: Rule = {
  rule: 'ampw/rpmsg-no-name-service',
  kernelFunction: 'rpmsg_probe',
  explanation: 'Without VIRTIO_RPMSG_F_NS in dfeatures, Linux does not create the name-service endpoint (address 53), so channels the remote announces never appear.',
  fix: 'Set dfeatures to 1 << VIRTIO_RPMSG_F_NS unless the channels are created by hand.',
};

export function ampwVdev(c: AmpwContext): Finding[] {
  const out: Finding[] = [];
  const vdevs = (c.table?.entries ?? []).filter((e): e is VdevEntry => e.kind === 'vdev');
  const rings: { e: VdevEntry; j: number; da: number; size: number }[] = [];
  const notify = new Set<number>();
  const registered = c.k.registered;
  const reserved = (name: string) => c.k.regions.find((r) => r.name === name);
  const vringAt = (e: VdevEntry, j: number) => entryPlace(c, e, 28 + 20 * j, 20);

  vdevs.forEach((e, index) => {
    const rpmsg = e.id === VIRTIO_ID_RPMSG;
    if (!VIRTIO_IDS.has(e.id)) out.push(report(unknownId, 'warning', `vdev id ${e.id} is not a virtio device id Linux knows`, entryPlace(c, e, 4, 4)));
    if (rpmsg && e.num_of_vrings !== 2 && e.num_of_vrings <= RVDEV_NUM_VRINGS) out.push(report(vringCount, 'error', `rpmsg vdev has ${e.num_of_vrings} vring(s), needs 2`, entryPlace(c, e, 25, 1)));
    if (rpmsg && !(e.dfeatures & (1 << VIRTIO_RPMSG_F_NS))) out.push(report(noNs, 'info', 'rpmsg vdev does not offer VIRTIO_RPMSG_F_NS', entryPlace(c, e, 12, 4)));

    e.vrings.forEach((v, j) => {
      if (v.num && !isPow2(v.num)) out.push(report(numPow2, 'error', `vring${j} num ${v.num} is not a power of two`, vringAt(e, j)));
      if (v.align && !isPow2(v.align)) out.push(report(alignPow2, 'error', `vring${j} align ${v.align} is not a power of two`, vringAt(e, j)));
      else if (v.align && v.align !== PAGE_SIZE) out.push(report(alignNot4096, 'info', `vring${j} align ${v.align} is not ${PAGE_SIZE}`, vringAt(e, j)));
      if (v.notifyid !== FW_RSC_ADDR_ANY) {
        if (notify.has(v.notifyid)) out.push(report(dupNotify, 'warning', `vring${j} notifyid ${v.notifyid} is already used`, vringAt(e, j)));
        else notify.add(v.notifyid);
      }
      if (v.da === FW_RSC_ADDR_ANY || !v.num || !v.align) return;
      rings.push({ e, j, da: v.da, size: vringSize(v.num, v.align, c.k.hostBits) });
      if (!c.k.core) return;
      const mem = registered.find((m) => m.name === `vdev${index}vring${j}`);
      if (mem && mem.da !== v.da) out.push(report(vringDa, 'error', `vring${j} da 0x${hex(v.da)} is not the start of carveout ${mem.name} (da 0x${hex(mem.da)})`, vringAt(e, j)));
      if (!mem && c.k.driver !== 'k3_r5_rproc') out.push(report(vringUnbacked, 'warning', `vring${j} da 0x${hex(v.da)} has no vdev${index}vring${j} reserved-memory region`, vringAt(e, j)));
    });

    // rproc_add_virtio_dev(): the vdevNbuffer region, else the core's first memory-region when it is a DMA pool.
    const first = c.k.regions[0];
    const pool = reserved(`vdev${index}buffer`) ?? (first?.compatible === 'shared-dma-pool' ? first : undefined);
    const rx = e.vrings[0];
    if (rpmsg && pool && rx?.num) {
      const need = Math.min(2 * rx.num, MAX_RPMSG_NUM_BUFS) * RPMSG_BUF_SIZE;
      if (pool.size < need) out.push(report(bufferPool, 'error', `${pool.name} is 0x${hex(pool.size)} bytes, rpmsg needs 0x${hex(need)} for num ${rx.num}`, entryPlace(c, e)));
    }
  });

  rings.forEach((a, i) => {
    for (const b of rings.slice(i + 1)) {
      if (overlaps(a.da, a.size, b.da, b.size)) out.push(report(vringOverlap, 'error', `vring${a.j} of vdev entry ${a.e.index} and vring${b.j} of vdev entry ${b.e.index} overlap at da 0x${hex(Math.max(a.da, b.da))}`, vringAt(b.e, b.j)));
    }
  });
  return out;
}
