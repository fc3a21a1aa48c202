// rpmsg_char: endpoint devices /dev/rpmsgN, one message per write, messages queued for read.
// Made for a `rpmsg-raw` / `rpmsg_chrdev` channel on the channel's own endpoint, or by
// RPMSG_CREATE_EPT_IOCTL on /dev/rpmsg_ctrlN. The simulated file is held open from creation,
// so its endpoint lives until RPMSG_DESTROY_EPT_IOCTL or until the bus goes away.
import { KernelError } from '../kernel/errno';
import type { HostEndpoint } from './hostEndpoint';
import type { RpmsgDevice } from './rpmsgDevice';
import type { RpmsgDriver } from './rpmsgDriver';
import { sendError, type RpmsgHost } from './rpmsgHost';

export interface RpmsgChannelInfo {
  readonly name: string;
  readonly src: number;
  readonly dst: number;
}

export class RpmsgEptdev {
  private queue: Uint8Array[] = [];
  ept: HostEndpoint | undefined;

  constructor(
    readonly index: number,
    readonly rpdev: RpmsgDevice,
    readonly chinfo: RpmsgChannelInfo,
  ) {}

  get devName(): string {
    return `rpmsg${this.index}`;
  }

  receive(data: Uint8Array, len: number): void {
    this.queue.push(data.slice(0, len));
  }

  /** Queued messages, oldest first, removed from the queue. */
  take(): Uint8Array[] {
    const q = this.queue;
    this.queue = [];
    return q;
  }

  /** rpmsg_sendto(): blocking, so a full ring waits (virtual time) instead of failing. */
  write(data: Uint8Array): void {
    if (!this.ept) throw new KernelError('EPIPE');
    const rc = this.rpdev.bus.send(this.rpdev, this.ept.addr, this.chinfo.dst, data, 0, data.length, true);
    if (rc < 0) throw sendError(rc);
  }
}

/** rpmsg_chrdev_eptdev_create(): /dev/rpmsgN and its class attributes. */
export function createEptdev(host: RpmsgHost, rpdev: RpmsgDevice, chinfo: RpmsgChannelInfo, ept?: HostEndpoint): RpmsgEptdev {
  const index = host.eptdevIds.alloc();
  const dev = new RpmsgEptdev(index, rpdev, chinfo);
  dev.ept = ept ?? rpdev.bus.createEndpoint(rpdev, (d, l) => dev.receive(d, l), chinfo.src);
  if (!dev.ept) {
    host.eptdevIds.free(index);
    host.log.device(`rpmsg ${dev.devName}`).err(`failed to open ${chinfo.name}`);
    throw new KernelError('EINVAL');
  }
  const cls = `/sys/class/rpmsg/${dev.devName}`;
  host.files.addFile(`/dev/${dev.devName}`, {
    mode: 0o600,
    read: () => {
      const msgs = dev.take();
      const out = new Uint8Array(msgs.reduce((n, m) => n + m.length, 0));
      let at = 0;
      for (const m of msgs) {
        out.set(m, at);
        at += m.length;
      }
      return out;
    },
    write: (d) => dev.write(d),
  });
  host.files.addFile(`${cls}/name`, { mode: 0o444, read: () => `${chinfo.name}\n` });
  host.files.addFile(`${cls}/src`, { mode: 0o444, read: () => `${chinfo.src | 0}\n` });
  host.files.addFile(`${cls}/dst`, { mode: 0o444, read: () => `${chinfo.dst | 0}\n` });
  host.eptdevs.set(dev.devName, dev);
  return dev;
}

/** rpmsg_chrdev_eptdev_destroy(). */
export function destroyEptdev(host: RpmsgHost, dev: RpmsgEptdev, ownsEndpoint: boolean): void {
  if (!host.eptdevs.delete(dev.devName)) return;
  if (ownsEndpoint && dev.ept) dev.rpdev.bus.destroyEndpoint(dev.ept);
  dev.ept = undefined;
  host.files.remove(`/dev/${dev.devName}`);
  host.files.remove(`/sys/class/rpmsg/${dev.devName}`);
  host.eptdevIds.free(dev.index);
}

export function rpmsgCharDriver(host: RpmsgHost): RpmsgDriver {
  return {
    name: 'rpmsg_chrdev',
    idTable: ['rpmsg-raw', 'rpmsg_chrdev'],
    hasCallback: true,
    probe(rpdev) {
      const dev = createEptdev(host, rpdev, { name: rpdev.name, src: rpdev.src, dst: rpdev.dst }, rpdev.ept);
      return {
        receive: (data, len) => dev.receive(data, len),
        remove: () => destroyEptdev(host, dev, false),
      };
    },
  };
}
