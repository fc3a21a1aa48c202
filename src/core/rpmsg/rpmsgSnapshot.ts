// Plain data of the host's rpmsg state for the faces (tree view, terminal picker): per bus, its
// devices with their driver and /dev node, its endpoints, and what crossed it.
import type { RpmsgHost } from './rpmsgHost';
import type { RpmsgBusStats } from './virtioRpmsgBus';

export interface RpmsgChannelSnapshot {
  /** `virtio0.rpmsg-tty.-1.1024`. */
  readonly device: string;
  readonly name: string;
  /** As the sysfs src/dst attributes. */
  readonly src: number;
  readonly dst: number;
  readonly driver: string | undefined;
  /** `/dev/ttyRPMSG0`, `/dev/rpmsg0`, `/dev/rpmsg_ctrl0`. */
  readonly node: string | undefined;
}

export interface RpmsgEndpointSnapshot {
  readonly addr: number;
  /** The device that owns it. */
  readonly device: string;
  /** `/dev/rpmsgN` for an endpoint device. */
  readonly node: string | undefined;
}

export interface RpmsgBusSnapshot {
  /** `virtio0`. */
  readonly bus: string;
  readonly numBufs: number;
  readonly channels: readonly RpmsgChannelSnapshot[];
  readonly endpoints: readonly RpmsgEndpointSnapshot[];
  readonly stats: RpmsgBusStats;
}

export function rpmsgSnapshot(host: RpmsgHost): readonly RpmsgBusSnapshot[] {
  const nodeOf = new Map<object, string>();
  for (const [name, port] of host.ttys) nodeOf.set(port.rpdev, `/dev/${name}`);
  for (const [name, rpdev] of host.ctrls) nodeOf.set(rpdev, `/dev/${name}`);
  for (const [name, dev] of host.eptdevs) {
    if (dev.ept) nodeOf.set(dev.ept, `/dev/${name}`);
    if (dev.ept && dev.ept === dev.rpdev.ept) nodeOf.set(dev.rpdev, `/dev/${name}`);
  }
  return host.buses.map((bus) => ({
    bus: bus.name,
    numBufs: bus.numBufs,
    channels: bus.devices.map((d) => ({ device: d.devName, name: d.name, src: d.src, dst: d.dst, driver: d.driverName, node: nodeOf.get(d) })),
    endpoints: [...bus.endpoints.values()].map((e) => ({ addr: e.addr, device: e.rpdev.devName, node: nodeOf.get(e) })),
    stats: { ...bus.stats },
  }));
}
