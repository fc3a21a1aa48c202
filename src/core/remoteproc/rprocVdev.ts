// One rproc vdev as remoteproc_virtio.c makes it: the `rproc-virtio.N.auto` platform device
// (vrings parsed, carved out and given notify ids at resource-handling time), and at start the
// virtio device (`virtioN`) whose config ops read and write the vdev entry of the table the host
// holds, so the remote sees features, status and vring addresses in its own memory.
import { FW_RSC_VDEV_SIZE, FW_RSC_VDEV_VRING_SIZE } from '../rsc/types';
import { pageAlign, vringSize } from '../rsc/vringSize';
import type { HostVirtioDevice, HostVring } from '../virtio/hostVirtioDevice';
import { VIRTIO_CONFIG_S_ACKNOWLEDGE, VIRTIO_CONFIG_S_FAILED } from '../virtio/virtioStatus';
import { DmaPool } from './dmaPool';
import { reservedRegion } from './drivers/common';
import { KernelError, codeOf } from '../kernel/errno';
import type { DeviceLog } from '../kernel/kernelLog';
import { checkCarveoutDa } from './resourceHandlers';
import type { Rproc } from './rproc';
import type { VirtioDriverBinding } from '../virtio/virtioDriver';


export interface RprocVring {
  readonly index: number;
  readonly num: number;
  readonly align: number;
  notifyid: number;
  /** A virtqueue exists on it (find_vqs ran). */
  active: boolean;
}

export class RprocVdev {
  readonly vrings: RprocVring[] = [];
  /** `virtioN` while registered. */
  virtioName: string | undefined;
  private virtioIndex: number | undefined;
  private binding: VirtioDriverBinding | undefined;
  private pool: DmaPool | undefined;
  /** Buffers the driver took; freed when the virtio device goes (rpmsg_remove's dma_free_coherent). */
  private dmaBlocks: { pa: number; size: number }[] = [];
  private irqHandlers: ((notifyid: number) => void)[] = [];
  readonly log: DeviceLog;

  private constructor(
    readonly rproc: Rproc,
    readonly id: number,
    readonly index: number,
    readonly rscOffset: number,
    readonly pdevId: number,
  ) {
    this.log = rproc.env.log.device(`rproc-virtio ${this.pdevName}`);
  }

  get pdevName(): string {
    return `rproc-virtio.${this.pdevId}.auto`;
  }

  /** platform_device_register_data() + rproc_virtio_probe(). A failed probe only logs. */
  static register(r: Rproc, id: number, index: number, rscOffset: number): void {
    const v = new RprocVdev(r, id, index, rscOffset, r.env.platformIds.alloc());
    try {
      v.probe();
      r.vdevs.push(v);
    } catch (e) {
      v.log.err(`probe with driver rproc-virtio failed with error ${codeOf(e)}`);
    }
  }

  private get table() {
    const t = this.rproc.tablePtr;
    if (!t) throw new KernelError('ENODEV'); // the vdev only exists while the rproc has a table
    return t;
  }

  private vringOff(i: number): number {
    return this.rscOffset + FW_RSC_VDEV_SIZE + FW_RSC_VDEV_VRING_SIZE * i;
  }

  private get hostBits(): 32 | 64 {
    return this.rproc.env.host64 ? 64 : 32;
  }

  private probe(): void {
    const r = this.rproc;
    const t = this.table;
    const n = t.read8(this.rscOffset + 21);
    for (let i = 0; i < n; i++) {
      const o = this.vringOff(i);
      const num = t.read32(o + 8);
      const align = t.read32(o + 4);
      if (!num || !align) r.fail('EINVAL', `invalid qsz (${num | 0}) or alignment (${align | 0})`);
      this.vrings.push({ index: i, num, align, notifyid: -1, active: false });
    }
    const allocated: RprocVring[] = [];
    try {
      for (const vr of this.vrings) {
        this.allocVring(vr);
        allocated.push(vr);
      }
    } catch (e) {
      for (const vr of allocated) this.freeVring(vr);
      throw e;
    }
  }

  /** rproc_alloc_vring(): a carveout named vdevNvringI and an rproc-wide notify id. */
  private allocVring(vr: RprocVring): void {
    const r = this.rproc;
    const o = this.vringOff(vr.index);
    const size = pageAlign(vringSize(vr.num, vr.align, this.hostBits));
    const name = `vdev${this.index}vring${vr.index}`;
    const da = this.table.read32(o);
    const mem = r.findCarveout(name);
    if (mem) {
      if (!checkCarveoutDa(r, mem, da, size)) throw new KernelError('ENOMEM');
    } else {
      r.carveouts.push({ name, da, dma: undefined, len: size, rscOffset: undefined, flags: 0, ofResmIdx: -1, alloc: 'dma', mapped: false });
    }
    vr.notifyid = r.allocNotifyId();
    this.table.write32(o + 12, vr.notifyid);
  }

  /** rproc_free_vring(): the cached table forgets the vring. */
  private freeVring(vr: RprocVring): void {
    this.rproc.freeNotifyId(vr.notifyid);
    const t = this.rproc.tablePtr;
    if (t) {
      t.write32(this.vringOff(vr.index), 0);
      t.write32(this.vringOff(vr.index) + 12, 0xffffffff);
    }
  }

  /** platform_device_unregister() at resource cleanup. */
  unregister(): void {
    for (const vr of this.vrings) this.freeVring(vr);
    this.rproc.env.platformIds.free(this.pdevId);
  }

  /** rproc_vdev_do_start() → rproc_add_virtio_dev(). */
  start(): void {
    const r = this.rproc;
    this.pool = this.bufferPool();
    const index = r.env.virtioIds.alloc();
    this.virtioIndex = index;
    this.virtioName = `virtio${index}`;
    // register_virtio_device(): reset, then ACKNOWLEDGE; the driver's probe does the rest.
    this.table.write8(this.rscOffset + 20, 0);
    this.table.write8(this.rscOffset + 20, VIRTIO_CONFIG_S_ACKNOWLEDGE);
    const driver = r.env.virtioDriver(this.id);
    if (driver) {
      try {
        this.binding = driver.probe(this.hostDevice());
      } catch (e) {
        // The driver core only sees an errno: anything else a simulated driver throws is that
        // driver refusing the device, never a reason to abandon the remote's boot.
        const code = e instanceof KernelError ? e.code : -22;
        // virtio_dev_probe(): a failed probe leaves FAILED in the device status.
        this.table.write8(this.rscOffset + 20, this.table.read8(this.rscOffset + 20) | VIRTIO_CONFIG_S_FAILED);
        r.env.log.device(`${driver.name} ${this.virtioName}`).err(`probe with driver ${driver.name} failed with error ${code}`);
      }
    }
    this.log.info(`registered ${this.virtioName} (type ${this.id})`);
    r.env.notify({ kind: 'resources', rproc: r.devName });
  }

  /** rproc_vdev_do_stop(): the virtio device goes, its driver is removed, status reset. */
  stop(_crashed: boolean): void {
    if (this.virtioIndex === undefined) return;
    const b = this.binding;
    this.binding = undefined;
    b?.remove();
    for (const vr of this.vrings) vr.active = false;
    this.irqHandlers = [];
    if (this.rproc.tablePtr) this.rproc.tablePtr.write8(this.rscOffset + 20, 0);
    this.rproc.env.virtioIds.free(this.virtioIndex);
    this.virtioIndex = undefined;
    this.virtioName = undefined;
    for (const b of this.dmaBlocks) this.pool?.free(b.pa, b.size);
    this.dmaBlocks = [];
    this.pool = undefined;
    this.rproc.env.notify({ kind: 'resources', rproc: this.rproc.devName });
  }

  /** rproc_vq_interrupt(). */
  interrupt(notifyid: number): void {
    if (!this.vrings.some((v) => v.notifyid === notifyid && v.active)) return;
    for (const h of this.irqHandlers) h(notifyid);
  }

  /** The vdevNbuffer pool, else memory-region 0 (of_reserved_mem_device_init_by_idx), else the parent's. */
  private bufferPool(): DmaPool | undefined {
    const r = this.rproc;
    const mem = r.findCarveout(`vdev${this.index}buffer`);
    if (mem) {
      if (mem.ofResmIdx !== -1) {
        const pool = this.assignReserved(mem.ofResmIdx);
        if (!pool) {
          this.log.err("Can't associate reserved memory");
          throw new KernelError('EINVAL');
        }
        return pool;
      }
      if (mem.mapped) this.log.warn(`vdev ${this.index} buffer already mapped`);
      if (mem.dma === undefined) {
        this.log.err('Failed to associate buffer');
        throw new KernelError('EINVAL');
      }
      return new DmaPool(mem.name, mem.dma, mem.len);
    }
    return this.assignReserved(0) ?? r.parentPool;
  }

  private assignReserved(idx: number): DmaPool | undefined {
    const r = this.rproc;
    const rm = reservedRegion(r, r.core.memoryRegions[idx] ?? '');
    if (!rm || rm.compatible !== 'shared-dma-pool') return undefined;
    const pool = r.env.reservedPool(rm);
    this.log.info(`assigned reserved memory node ${pool.name}`);
    return pool;
  }

  private hostDevice(): HostVirtioDevice {
    const r = this.rproc;
    const base = this.rscOffset;
    const cfgOff = () => this.vringOff(this.table.read8(base + 21));
    const name = this.virtioName!;
    const virtioLog = r.env.log.device(`virtio_rpmsg_bus ${name}`);
    return {
      name,
      id: this.id,
      mem: r.hostMem,
      deviceFeatures: () => this.table.read32(base + 8),
      finalizeFeatures: (f) => this.table.write32(base + 12, f),
      getStatus: () => this.table.read8(base + 20),
      setStatus: (s) => {
        this.table.write8(base + 20, s);
        r.phase('rproc_virtio_set_status', { index: this.index, value: s });
      },
      readConfig: (offset, len) => {
        const out = new Uint8Array(len);
        if (offset + len > this.table.read32(base + 16)) {
          virtioLog.err('rproc_virtio_get: access out of bounds');
          return out;
        }
        for (let i = 0; i < len; i++) out[i] = this.table.read8(cfgOff() + offset + i);
        return out;
      },
      findVqs: (count) => this.findVqs(count),
      allocDma: (size) => {
        const pa = this.pool?.alloc(size);
        if (pa === undefined) throw new KernelError('ENOMEM');
        this.dmaBlocks.push({ pa, size });
        return { pa, da: r.env.memory.paToDa(r.core, pa, size) ?? pa };
      },
      kick: (vring) => r.driver.kick(r, vring.notifyid),
      onInterrupt: (h) => {
        this.irqHandlers.push(h);
      },
    };
  }

  /** rproc_virtio_find_vqs() → rp_find_vq() for each queue. */
  private findVqs(count: number): HostVring[] {
    const r = this.rproc;
    const out: HostVring[] = [];
    for (let id = 0; id < count; id++) {
      if (id >= this.vrings.length) throw new KernelError('EINVAL');
      const mem = r.findCarveout(`vdev${this.index}vring${id}`);
      if (!mem || !mem.mapped || mem.dma === undefined) throw new KernelError('ENOMEM');
      const vr = this.vrings[id];
      r.hostMem.fill(mem.dma, vringSize(vr.num, vr.align, this.hostBits), 0);
      vr.active = true;
      this.table.write32(this.vringOff(id), mem.da);
      out.push({ index: id, pa: mem.dma, da: mem.da, num: vr.num, align: vr.align, notifyid: vr.notifyid });
    }
    return out;
  }
}
