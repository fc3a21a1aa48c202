// Wires rpmsg into a simulated system: the host's virtio_rpmsg_bus for every rpmsg vdev and the
// `rpmsg_export_ept` shell tool.
import { KernelError, strerror } from '../kernel/errno';
import type { Command } from '../shell/command';
import type { AmpSystem } from '../system';
import { createEndpointIoctl } from './rpmsgCtrl';
import { RpmsgHost } from './rpmsgHost';
import { RPMSG_ADDR_ANY, VIRTIO_ID_RPMSG } from './rpmsgWire';

/** Idempotent: a system has one rpmsg host. */
export function attachRpmsg(system: AmpSystem): RpmsgHost {
  if (system.rpmsgHost) return system.rpmsgHost;
  const host = new RpmsgHost({ scheduler: system.scheduler, files: system.files, log: system.log });
  system.registerVirtioDriver(VIRTIO_ID_RPMSG, host.virtioDriver());
  system.rpmsgHost = host;
  return host;
}

/** The rpmsg host of a system that attachRpmsg() wired. */
export function rpmsgHostOf(system: AmpSystem): RpmsgHost | undefined {
  return system.rpmsgHost;
}

const USAGE = 'usage: rpmsg_export_ept <rpmsg_ctrl device> <name> [<src> [<dst>]]\n';

function address(word: string | undefined): number | undefined {
  if (word === undefined) return RPMSG_ADDR_ANY;
  if (!/^(0x[0-9a-f]+|\d+|-1)$/i.test(word)) return undefined;
  return word === '-1' ? RPMSG_ADDR_ANY : Number(word) >>> 0;
}

/**
 * `rpmsg_export_ept /dev/rpmsg_ctrl0 NAME [SRC [DST]]`, as the rpmsgexport tool: one
 * RPMSG_CREATE_EPT_IOCTL on the control device, which makes /dev/rpmsgN. Addresses default to
 * RPMSG_ADDR_ANY (-1).
 */
export const rpmsgExportEpt: Command = (args, ctx) => {
  const host = rpmsgHostOf(ctx.system);
  const [ctrl, name, srcWord, dstWord] = args;
  const src = address(srcWord);
  const dst = address(dstWord);
  if (!ctrl || !name || args.length > 4 || src === undefined || dst === undefined) {
    ctx.err(USAGE);
    return 1;
  }
  const path = ctx.path(ctrl);
  if (!host || !ctx.files.exists(path)) {
    ctx.err(`failed to open ${ctrl}: ${strerror('ENOENT')}\n`);
    return 1;
  }
  try {
    createEndpointIoctl(host, path.replace(/^\/dev\//, ''), { name, src, dst });
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    ctx.err(`failed to create endpoint: ${strerror(e.errno)}\n`);
    return 1;
  }
  return 0;
};
