// A driver of the host's virtio bus (struct virtio_driver): what remoteproc's vdevs probe and
// the rpmsg bus provides, so neither subsystem imports the other.
import type { HostVirtioDevice } from './hostVirtioDevice';

/** A bound virtio driver (virtio_rpmsg_bus...): removed when the vdev goes away. */
export interface VirtioDriverBinding {
  remove(): void;
}

/** Probes a virtio device of the driver's id; throws KernelError when the probe fails. */
export type VirtioProbe = (dev: HostVirtioDevice) => VirtioDriverBinding;

/** The driver's name (`virtio_rpmsg_bus`) and its probe. */
export interface VirtioDriver {
  readonly name: string;
  readonly probe: VirtioProbe;
}
