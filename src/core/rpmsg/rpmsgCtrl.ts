// rpmsg_ctrl: /dev/rpmsg_ctrlN for each bus, whose RPMSG_CREATE_EPT_IOCTL makes an endpoint
// device /dev/rpmsgN for a name and a pair of addresses without any channel announcement.
import { KernelError } from '../kernel/errno';
import type { RpmsgDevice } from './rpmsgDevice';
import type { RpmsgDriver } from './rpmsgDriver';
import type { RpmsgHost } from './rpmsgHost';
import { createEptdev, destroyEptdev, type RpmsgChannelInfo, type RpmsgEptdev } from './rpmsgChar';
import { RPMSG_NAME_SIZE } from './rpmsgWire';

/** RPMSG_CREATE_EPT_IOCTL on a control device; returns the new endpoint device. */
export function createEndpointIoctl(host: RpmsgHost, ctrlDev: string, info: RpmsgChannelInfo): RpmsgEptdev {
  const ctrl = host.ctrls.get(ctrlDev);
  if (!ctrl) throw new KernelError('ENOENT');
  // the ioctl copies a fixed char[32] and terminates it
  const name = new TextDecoder().decode(new TextEncoder().encode(info.name).subarray(0, RPMSG_NAME_SIZE - 1));
  return createEptdev(host, ctrl, { name, src: info.src >>> 0, dst: info.dst >>> 0 });
}

/** RPMSG_DESTROY_EPT_IOCTL on an endpoint device made by a control device. */
export function destroyEndpointIoctl(host: RpmsgHost, eptDev: string): void {
  const dev = host.eptdevs.get(eptDev);
  if (!dev) throw new KernelError('ENOENT');
  destroyEptdev(host, dev, dev.rpdev.ept !== dev.ept);
}

export function rpmsgCtrlDriver(host: RpmsgHost): RpmsgDriver {
  return {
    name: 'rpmsg_ctrl',
    idTable: [],
    hasCallback: false,
    probe(rpdev: RpmsgDevice) {
      const index = host.ctrlIds.alloc();
      const devName = `rpmsg_ctrl${index}`;
      host.files.addFile(`/dev/${devName}`, { mode: 0o600 });
      host.files.mkdir(`/sys/class/rpmsg/${devName}`);
      host.ctrls.set(devName, rpdev);
      return {
        remove: () => {
          for (const d of [...host.eptdevs.values()]) if (d.rpdev === rpdev) destroyEptdev(host, d, true);
          host.ctrls.delete(devName);
          host.files.remove(`/dev/${devName}`);
          host.files.remove(`/sys/class/rpmsg/${devName}`);
          host.ctrlIds.free(index);
        },
      };
    },
  };
}
