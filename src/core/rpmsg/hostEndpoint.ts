// A host rpmsg endpoint (struct rpmsg_endpoint): an address on one bus, the device it belongs to,
// and the callback that receives what arrives for that address.
import type { RpmsgDevice } from './rpmsgDevice';

export type RpmsgCallback = (data: Uint8Array, len: number, src: number) => void;

export class HostEndpoint {
  constructor(
    readonly addr: number,
    readonly rpdev: RpmsgDevice,
    public cb: RpmsgCallback | undefined,
  ) {}
}
