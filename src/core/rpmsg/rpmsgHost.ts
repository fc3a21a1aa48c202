// The rpmsg part of the simulated host kernel: the virtio_rpmsg_bus driver that remoteproc
// probes for every rpmsg vdev, the rpmsg drivers it binds channels to (rpmsg_ns, rpmsg_ctrl,
// rpmsg_char, rpmsg_tty, rpmsg_client_sample), and the ids those drivers share across every
// bus of the system (ttyRPMSGn, rpmsg_ctrlN, rpmsgN are global, as in the kernel).
import { KernelError, errnoName } from '../kernel/errno';
import type { KernelLog } from '../kernel/kernelLog';
import { IdAllocator } from '../kernel/idAllocator';
import type { VirtioDriver } from '../virtio/virtioDriver';
import type { FileTree } from '../shell/fileTree';
import { Emitter } from '../sim/emitter';
import type { Scheduler } from '../sim/scheduler';
import type { HostVirtioDevice } from '../virtio/hostVirtioDevice';
import type { RpmsgDevice } from './rpmsgDevice';
import type { RpmsgDriver } from './rpmsgDriver';
import { RPMSG_NS_CREATE, RPMSG_NS_DESTROY } from './rpmsgWire';
import { rpmsgNsDriver } from './rpmsgNs';
import { rpmsgCtrlDriver } from './rpmsgCtrl';
import { rpmsgCharDriver, type RpmsgEptdev } from './rpmsgChar';
import { rpmsgTtyDriver, type RpmsgTtyPort } from './rpmsgTty';
import { rpmsgClientSampleDriver } from './rpmsgClientSample';
import { VirtioRpmsgBus } from './virtioRpmsgBus';

export interface RpmsgHostDeps {
  readonly scheduler: Scheduler;
  readonly files: FileTree;
  readonly log: KernelLog;
}

export type RpmsgHostEvent =
  | { readonly kind: 'bus'; readonly bus: string; readonly up: boolean }
  | { readonly kind: 'device'; readonly device: string; readonly added: boolean };

export class RpmsgHost {
  readonly buses: VirtioRpmsgBus[] = [];
  readonly ttyIds = new IdAllocator();
  readonly ctrlIds = new IdAllocator();
  readonly eptdevIds = new IdAllocator();
  /** Live ports and endpoint devices by their /dev name, for the faces and tests. */
  readonly ttys = new Map<string, RpmsgTtyPort>();
  readonly eptdevs = new Map<string, RpmsgEptdev>();
  /** /dev/rpmsg_ctrlN -> its control device. */
  readonly ctrls = new Map<string, RpmsgDevice>();
  readonly events = new Emitter<RpmsgHostEvent>();
  readonly drivers: readonly RpmsgDriver[];
  readonly files: FileTree;
  readonly log: KernelLog;
  private readonly scheduler: Scheduler;

  constructor(deps: RpmsgHostDeps) {
    this.files = deps.files;
    this.log = deps.log;
    this.scheduler = deps.scheduler;
    this.drivers = [rpmsgNsDriver(), rpmsgCtrlDriver(this), rpmsgCharDriver(this), rpmsgTtyDriver(this), rpmsgClientSampleDriver(this)];
    // the bus, its drivers and the class exist from boot, before any remote comes up
    this.files.mkdir('/sys/bus/rpmsg/devices');
    for (const d of this.drivers) this.files.mkdir(`/sys/bus/rpmsg/drivers/${d.name}`);
    this.files.mkdir('/sys/class/rpmsg');
  }

  /** The virtio driver remoteproc binds to every vdev of id 7. */
  virtioDriver(): VirtioDriver {
    return { name: 'virtio_rpmsg_bus', probe: (dev) => this.probe(dev) };
  }

  probe(dev: HostVirtioDevice): { remove(): void; bus: VirtioRpmsgBus } {
    const bus = new VirtioRpmsgBus(this, dev);
    this.buses.push(bus);
    this.events.emit({ kind: 'bus', bus: bus.name, up: true });
    return {
      bus,
      remove: () => {
        bus.remove();
        this.buses.splice(this.buses.indexOf(bus), 1);
        this.events.emit({ kind: 'bus', bus: bus.name, up: false });
      },
    };
  }

  schedule(delayNs: number, fn: () => void): () => void {
    return this.scheduler.after(delayNs, fn, 'rpmsg');
  }

  /** rpmsg_dev_probe(): default endpoint for drivers with a callback, probe, announce. */
  bindDriver(rpdev: RpmsgDevice): void {
    const drv = rpdev.driverOverride
      ? this.drivers.find((d) => d.name === rpdev.driverOverride)
      : this.drivers.find((d) => d.idTable.includes(rpdev.name));
    if (!drv) return;
    rpdev.driverName = drv.name;
    const log = this.log.device(rpdev.logName);
    if (drv.hasCallback) {
      const ept = rpdev.bus.createEndpoint(rpdev, (data, len, src) => rpdev.binding?.receive?.(data, len, src), rpdev.src);
      if (!ept) {
        log.err('failed to create endpoint');
        this.probeFailed(rpdev, drv, -12);
        return;
      }
      rpdev.ept = ept;
      rpdev.src = ept.addr;
    }
    try {
      rpdev.binding = drv.probe(rpdev);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      log.err(`rpmsg_dev_probe: failed: ${e.code}`);
      if (rpdev.ept) rpdev.bus.destroyEndpoint(rpdev.ept);
      rpdev.ept = undefined;
      this.probeFailed(rpdev, drv, e.code);
      return;
    }
    rpdev.bus.announce(rpdev, RPMSG_NS_CREATE);
  }

  private probeFailed(rpdev: RpmsgDevice, drv: RpmsgDriver, code: number): void {
    this.log.device(rpdev.logName).err(`probe with driver ${drv.name} failed with error ${code}`);
    rpdev.driverName = undefined;
  }

  /** rpmsg_dev_remove(). */
  unbindDriver(rpdev: RpmsgDevice): void {
    if (!rpdev.driverName) return;
    rpdev.bus.announce(rpdev, RPMSG_NS_DESTROY);
    const b = rpdev.binding;
    rpdev.binding = undefined;
    b?.remove();
    if (rpdev.ept) rpdev.bus.destroyEndpoint(rpdev.ept);
    rpdev.ept = undefined;
    rpdev.driverName = undefined;
  }

  /** The rpmsg core's device attributes under /sys/bus/rpmsg/devices. */
  addDeviceFiles(rpdev: RpmsgDevice): void {
    const dir = `/sys/bus/rpmsg/devices/${rpdev.devName}`;
    const ro = (read: () => string) => ({ mode: 0o444, read });
    this.files.addFile(`${dir}/name`, ro(() => `${rpdev.name}\n`));
    this.files.addFile(`${dir}/src`, ro(() => `0x${rpdev.src.toString(16)}\n`));
    this.files.addFile(`${dir}/dst`, ro(() => `0x${rpdev.dst.toString(16)}\n`));
    this.files.addFile(`${dir}/announce`, ro(() => `${rpdev.announce ? 'true' : 'false'}\n`));
    this.files.addFile(`${dir}/modalias`, ro(() => `rpmsg:${rpdev.name}\n`));
    this.events.emit({ kind: 'device', device: rpdev.devName, added: true });
  }

  removeDeviceFiles(rpdev: RpmsgDevice): void {
    this.files.remove(`/sys/bus/rpmsg/devices/${rpdev.devName}`);
    this.events.emit({ kind: 'device', device: rpdev.devName, added: false });
  }
}

/** A negative errno from a send, as the KernelError a file write raises. */
export function sendError(rc: number): KernelError {
  return new KernelError(errnoName(rc) ?? 'EIO');
}
