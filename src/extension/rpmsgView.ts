// The rpmsg side of one remote processor for the tree and the terminal picker: core's rpmsg
// snapshot, narrowed to the buses on that core's vdevs. Read-only: nothing here acts.
import { rpmsgHostOf } from '../core/rpmsg/attachRpmsg';
import { rpmsgSnapshot, type RpmsgBusSnapshot, type RpmsgChannelSnapshot } from '../core/rpmsg/rpmsgSnapshot';
import type { AmpSystem } from '../core/system';

/** The rpmsg buses of `rproc`'s vdevs, keyed by virtio device name (`virtio0`). */
export function rpmsgView(system: AmpSystem, rproc: string): Map<string, RpmsgBusSnapshot> {
  const host = rpmsgHostOf(system);
  const names = new Set(system.rproc(rproc).vdevs.map((v) => v.virtioName));
  return new Map((host ? rpmsgSnapshot(host) : []).filter((b) => names.has(b.bus)).map((b) => [b.bus, b]));
}

export interface TerminalNode {
  readonly rproc: string;
  readonly bus: string;
  /** `/dev/ttyRPMSG0` or `/dev/rpmsg0`. */
  readonly node: string;
  readonly channel: RpmsgChannelSnapshot | undefined;
  /** The rpmsg device the node's endpoint belongs to (its channel, or the control device). */
  readonly device: string;
  readonly addr: number;
}

export const isTerminalNode = (node: string | undefined): boolean => !!node && /^\/dev\/(ttyRPMSG|rpmsg)\d+$/.test(node);

/** Every device node a terminal can open (ttys and endpoint devices), with its channel, by name. */
export function terminalNodes(system: AmpSystem): TerminalNode[] {
  const out: TerminalNode[] = [];
  for (const r of system.rprocs) {
    for (const view of rpmsgView(system, r.devName).values()) {
      for (const c of view.channels) {
        if (!isTerminalNode(c.node)) continue;
        const ept = view.endpoints.find((e) => e.device === c.device);
        out.push({ rproc: r.devName, bus: view.bus, node: c.node!, channel: c, device: c.device, addr: ept?.addr ?? c.src });
      }
      for (const e of view.endpoints) {
        if (!isTerminalNode(e.node) || out.some((t) => t.node === e.node)) continue;
        out.push({ rproc: r.devName, bus: view.bus, node: e.node!, channel: undefined, device: e.device, addr: e.addr });
      }
    }
  }
  return out.sort((a, b) => a.node.localeCompare(b.node, undefined, { numeric: true }));
}
