// The host's view of one remoteproc vdev, as remoteproc_virtio.c gives it to a virtio driver
// (virtio_rpmsg_bus): features and status live in the loaded resource table in simulated memory,
// vrings are allocated by remoteproc and written back into the table, kicks go through the mailbox.
import type { MemoryAccess } from '../soc/memoryAccess';

export interface HostVring {
  readonly index: number;
  /** Physical address (host view) of the ring's descriptor table. */
  readonly pa: number;
  /** Device address written back into the table for the remote. */
  readonly da: number;
  readonly num: number;
  readonly align: number;
  readonly notifyid: number;
}

export interface HostVirtioDevice {
  /** `virtio0`, ... as the kernel names the virtio device. */
  readonly name: string;
  /** virtio device id from the table (7 = rpmsg). */
  readonly id: number;
  /** Host physical memory. */
  readonly mem: MemoryAccess;
  /** Device features offered by the firmware (dfeatures). */
  deviceFeatures(): number;
  /** Writes the accepted features back (gfeatures), as rproc_virtio_finalize_features does. */
  finalizeFeatures(features: number): void;
  getStatus(): number;
  /** Writes the status byte into the loaded table (the remote polls it for DRIVER_OK). */
  setStatus(status: number): void;
  readConfig(offset: number, len: number): Uint8Array;
  /** Allocates the vrings from the vdev's carveouts and writes their addresses into the table. */
  findVqs(count: number): HostVring[];
  /** Dedicated DMA pool for buffers (the `vdevNbuffer` region), else the vdev's carveout. */
  allocDma(size: number, align: number): { pa: number; da: number };
  /** Host -> remote notification for a vring (rproc_virtio_notify). */
  kick(vring: HostVring): void;
  /** Remote -> host notification for a vring (rproc_vq_interrupt). */
  onInterrupt(handler: (notifyid: number) => void): void;
}
