// One rpmsg device on the host (struct rpmsg_device): a channel announced by the remote, or the
// bus's own name-service and control devices. Named as rpmsg_register_device() names it,
// `virtio0.rpmsg-tty.-1.1024`, and shown under /sys/bus/rpmsg/devices with the core's attributes.
import type { HostEndpoint } from './hostEndpoint';
import type { RpmsgBinding } from './rpmsgDriver';
import type { VirtioRpmsgBus } from './virtioRpmsgBus';

export class RpmsgDevice {
  /** Set when registered. */
  devName = '';
  driverName: string | undefined;
  binding: RpmsgBinding | undefined;
  /** The driver's default endpoint (rpdev->ept). */
  ept: HostEndpoint | undefined;

  constructor(
    readonly bus: VirtioRpmsgBus,
    readonly name: string,
    public src: number,
    readonly dst: number,
    /** Server channels with a fixed local address announce themselves to the remote. */
    readonly announce: boolean,
    /** driver_override: bind only to this driver (rpmsg_ns, rpmsg_ctrl). */
    readonly driverOverride?: string,
  ) {}

  /** How dev_err() prefixes this device's lines: bound driver (or bus) then device name. */
  get logName(): string {
    return `${this.driverName ?? 'rpmsg'} ${this.devName}`;
  }

  /** rpmsg_device_match(): name, and addresses unless the query leaves them RPMSG_ADDR_ANY. */
  matches(name: string, src: number, dst: number): boolean {
    return this.name === name && (src === 0xffffffff || src === this.src) && (dst === 0xffffffff || dst === this.dst);
  }
}
