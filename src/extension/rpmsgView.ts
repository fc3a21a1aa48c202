// The rpmsg side of one remote processor as plain data for the tree and the terminal picker:
// the channels of the virtio_rpmsg_bus on each of its vdevs, their endpoints, and the /dev node
// a driver made for each (ttyRPMSGn, rpmsgN, rpmsg_ctrlN). Read-only: nothing here acts.
import { rpmsgHostOf } from '../core/rpmsg/attachRpmsg';
import type { AmpSystem } from '../core/system';

export interface ChannelView {
  /** `virtio0.rpmsg-tty.-1.1024`, unique on the system. */
  readonly device: string;
  readonly name: string;
  readonly src: number;
  readonly dst: number;
  readonly driver: string | undefined;
  /** `/dev/ttyRPMSG0`, `/dev/rpmsg0`, `/dev/rpmsg_ctrl0`, when the driver made one. */
  readonly node: string | undefined;
}

export interface EndpointView {
  readonly addr: number;
  /** The rpmsg device the endpoint belongs to. */
  readonly device: string;
  readonly node: string | undefined;
}

export interface BusView {
  readonly bus: string;
  readonly channels: readonly ChannelView[];
  readonly endpoints: readonly EndpointView[];
}

/** The rpmsg buses of `rproc`'s vdevs, keyed by virtio device name (`virtio0`). */
export function rpmsgView(system: AmpSystem, rproc: string): Map<string, BusView> {
  const host = rpmsgHostOf(system);
  const out = new Map<string, BusView>();
  if (!host) return out;
  const names = new Set(system.rproc(rproc).vdevs.map((v) => v.virtioName));
  for (const bus of host.buses) {
    if (!names.has(bus.name)) continue;
    const nodeOf = (device: unknown): string | undefined => {
      for (const [name, port] of host.ttys) if (port.rpdev === device) return `/dev/${name}`;
      for (const [name, ept] of host.eptdevs) if (ept.rpdev === device && ept.ept === ept.rpdev.ept) return `/dev/${name}`;
      for (const [name, ctrl] of host.ctrls) if (ctrl === device) return `/dev/${name}`;
      return undefined;
    };
    const channels = bus.devices.map((d) => ({ device: d.devName, name: d.name, src: d.src, dst: d.dst, driver: d.driverName, node: nodeOf(d) }));
    const endpoints = [...bus.endpoints.values()].map((e) => {
      let node: string | undefined;
      for (const [name, dev] of host.eptdevs) if (dev.ept === e) node = `/dev/${name}`;
      if (!node && e.rpdev.ept === e) node = nodeOf(e.rpdev);
      return { addr: e.addr, device: e.rpdev.devName, node };
    });
    out.set(bus.name, { bus: bus.name, channels, endpoints });
  }
  return out;
}

/** Every terminal-capable device node of the system: ttys and endpoint devices, with their channel. */
export function terminalNodes(system: AmpSystem): { rproc: string; bus: string; node: string; channel: ChannelView | undefined; addr: number }[] {
  const out = [];
  for (const r of system.rprocs) {
    for (const view of rpmsgView(system, r.devName).values()) {
      for (const e of view.endpoints) {
        if (!e.node || !/^\/dev\/(ttyRPMSG|rpmsg)\d+$/.test(e.node)) continue;
        out.push({ rproc: r.devName, bus: view.bus, node: e.node, channel: view.channels.find((c) => c.device === e.device), addr: e.addr });
      }
    }
  }
  return out.sort((a, b) => a.node.localeCompare(b.node, undefined, { numeric: true }));
}
