// What an rpmsg driver is to the host's rpmsg bus (struct rpmsg_driver): the channel names it
// serves, whether it wants a default endpoint for its callback, and its probe.
import type { RpmsgDevice } from './rpmsgDevice';

/** A driver bound to one rpmsg device. */
export interface RpmsgBinding {
  /** The default endpoint's callback (rpdrv->callback); data is valid only during the call. */
  receive?(data: Uint8Array, len: number, src: number): void;
  remove(): void;
}

export interface RpmsgDriver {
  /** drv.name, the prefix of the device's log lines. */
  readonly name: string;
  /** rpmsg_device_id names matched against the channel name. */
  readonly idTable: readonly string[];
  /** True when the driver has a callback: the bus creates the default endpoint before probe. */
  readonly hasCallback: boolean;
  /** Throws KernelError when the probe fails. */
  probe(rpdev: RpmsgDevice): RpmsgBinding;
}
