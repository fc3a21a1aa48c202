// One remote processor as remoteproc_core.c runs it: states, power count, boot in
// rproc_boot/rproc_fw_boot/rproc_start order and shutdown, each step with the kernel's messages
// and errnos, and the state the kernel leaves. Attach/detach (attach.ts), crash handling and
// recovery (crashRecovery.ts) and carveout allocation (carveouts.ts) work on this object.
import type { CoreDesc } from '../soc/board';
import type { CrashKind } from '../soc/remoteProgram';
import { kernelSanityCheck } from '../rsc/rules/kernelSanity';
import { KernelError, codeOf } from '../kernel/errno';
import { rprocAttach } from './attach';
import { allocRegisteredCarveouts, type RprocMem } from './carveouts';
import { Firmware } from './firmware';
import { findLoadedRscTable, loadSegments } from './elfLoader';
import type { DeviceLog } from '../kernel/kernelLog';
import { handleResources } from './resourceHandlers';
import type { RprocDriverOps } from './rprocDriver';
import type { RprocEnv, RprocPhase } from './rprocEnv';
import type { RprocVdev } from './rprocVdev';
import { type TableRef, cachedTable, loadedTable } from './tableRef';
import { DmaPool } from './dmaPool';
import { IdAllocator } from '../kernel/idAllocator';
import type { PublishedTable } from './drivers/common';

export type RprocState = 'offline' | 'suspended' | 'running' | 'crashed' | 'deleted' | 'attached' | 'detached';
export type CoredumpConf = 'disabled' | 'enabled' | 'inline';

export interface RprocTrace {
  readonly name: string;
  readonly da: number;
  readonly len: number;
  readonly remove: () => void;
}

export interface DumpSegment {
  readonly da: number;
  readonly size: number;
}

export class Rproc {
  readonly devName: string;
  readonly log: DeviceLog;
  readonly parentLog: DeviceLog;
  state: RprocState = 'offline';
  firmware: string;
  recoveryDisabled: boolean;
  dumpConf: CoredumpConf = 'disabled';
  power = 0;
  crashCount = 0;
  bootaddr = 0;
  carveouts: RprocMem[] = [];
  traces: RprocTrace[] = [];
  vdevs: RprocVdev[] = [];
  dumpSegments: DumpSegment[] = [];
  cachedTable: Uint8Array | undefined;
  cleanTable: Uint8Array | undefined;
  tablePtr: TableRef | undefined;
  tableSz = 0;
  maxNotifyId = -1;
  nbVdev = 0;
  /** The firmware of the current run, for recovery and the remote's program. */
  loadedFirmware: Firmware | undefined;
  /** The rproc parent's DMA pool (a `shared-dma-pool` memory-region), if the driver assigns one. */
  parentPool: DmaPool | undefined;
  /** Where an early-booted remote published its table (attach reads it from there). */
  publishedTable: PublishedTable | undefined;
  private readonly notifyIds = new IdAllocator();
  /** The crash handler's work item is queued (crashRecovery.ts). */
  crashPending = false;
  /** rproc->lock is held across a driver call that blocks (a mailbox message with tx_block). */
  private locked = false;
  /** Work items that take rproc->lock and came while it was held: they run once it is let go. */
  private waitingForLock: (() => void)[] = [];
  /** An inline core dump is being read: recovery waits for it, as rproc_coredump() does. */
  dumpWait: (() => void) | undefined;

  constructor(
    readonly index: number,
    readonly core: CoreDesc,
    readonly driver: RprocDriverOps,
    readonly env: RprocEnv,
  ) {
    this.devName = `remoteproc${index}`;
    this.log = env.log.device(`remoteproc ${this.devName}`);
    this.parentLog = env.log.device(`${driver.parentDriver} ${driver.parentDevice(core)}`);
    this.firmware = core.defaultFirmware;
    this.recoveryDisabled = driver.recoveryDisabled;
  }

  get name(): string {
    return this.core.name;
  }

  get remote() {
    return this.env.remoteCore(this.core.id);
  }

  get hostMem() {
    return this.env.memory.host;
  }

  setState(s: RprocState): void {
    if (this.state === s) return;
    this.state = s;
    this.env.notify({ kind: 'state', rproc: this.devName, state: s });
  }

  /** Announces the step about to run; observers must not change anything from here. */
  phase(fn: string, detail: Omit<RprocPhase, 'fn'> = {}): void {
    this.env.notify({ kind: 'phase', rproc: this.devName, phase: { fn, ...detail } });
  }

  /** Logs `msg` on the rproc device and throws -errno. */
  fail(errno: KernelError['errno'], msg?: string): never {
    if (msg) this.log.err(msg);
    throw new KernelError(errno);
  }

  // ---- rproc_boot -------------------------------------------------------------------------

  boot(): void {
    if (this.state === 'deleted') this.fail('ENODEV', `can't boot deleting rproc ${this.name}`);
    // Skip the boot or attach if the processor is already powered up.
    if (++this.power > 1) return;
    try {
      if (this.state === 'detached') {
        this.log.info(`attaching to ${this.name}`);
        this.phase('rproc_attach');
        rprocAttach(this);
      } else {
        this.log.info(`powering up ${this.name}`);
        this.phase('request_firmware');
        const fw = this.requestFirmware(this.firmware);
        this.fwBoot(fw);
      }
    } catch (e) {
      this.power--;
      throw e;
    }
  }

  /** request_firmware() from /lib/firmware, with the firmware loader's warning when absent. */
  requestFirmware(name: string): Firmware {
    const path = `/lib/firmware/${name}`;
    if (!this.env.files.exists(path) || this.env.files.isDir(path)) {
      this.log.warn(`Direct firmware load for ${name} failed with error -2`);
      this.log.err(`request_firmware failed: -2`);
      throw new KernelError('ENOENT');
    }
    return new Firmware(name, this.env.files.read(path));
  }

  private fwBoot(fw: Firmware): void {
    this.phase('rproc_fw_sanity_check');
    const bad = kernelSanityCheck(fw.data);
    if (bad) this.fail('EINVAL', bad.message);
    this.log.info(`Booting fw image ${fw.name}, size ${fw.size}`);
    try {
      this.driver.prepare(this);
    } catch (e) {
      this.log.err(`can't prepare rproc ${this.name}: ${codeOf(e)}`);
      throw e;
    }
    try {
      this.loadedFirmware = fw;
      const elf = fw.elf();
      if (elf instanceof Error) this.fail('EINVAL', elf.message);
      this.bootaddr = elf.header.entry;
      this.phase('rproc_parse_fw');
      this.driver.parseFw(this, fw);
    } catch (e) {
      this.releaseResources();
      this.driver.unprepare(this);
      throw e;
    }
    try {
      this.setUpResources();
      this.start(fw);
    } catch (e) {
      this.releaseResources();
      this.cachedTable = undefined;
      this.tablePtr = undefined;
      this.driver.unprepare(this);
      throw e;
    }
  }

  /** What rproc_fw_boot() and rproc_attach() both do with the table: handle every resource, then
   * allocate the registered carveouts. */
  setUpResources(): void {
    this.maxNotifyId = -1;
    this.nbVdev = 0;
    try {
      handleResources(this);
    } catch (e) {
      this.log.err(`Failed to process resources: ${codeOf(e)}`);
      throw e;
    }
    try {
      this.phase('rproc_alloc_registered_carveouts');
      allocRegisteredCarveouts(this);
    } catch (e) {
      this.log.err(`Failed to allocate associated carveouts: ${codeOf(e)}`);
      throw e;
    }
  }

  /** rproc_start(): load, install the table, power up, start the vdevs. */
  start(fw: Firmware): void {
    try {
      loadSegments(this, fw);
    } catch (e) {
      this.log.err(`Failed to load program segments: ${codeOf(e)}`);
      throw e;
    }
    const loaded = findLoadedRscTable(this, fw);
    if (loaded !== undefined && this.cachedTable) {
      this.hostMem.writeBytes(loaded, this.cachedTable.subarray(0, this.tableSz));
      this.tablePtr = loadedTable(this.hostMem, loaded, this.tableSz);
    }
    try {
      this.phase('rproc_start');
      this.driver.start(this);
    } catch (e) {
      this.log.err(`can't start rproc ${this.name}: ${codeOf(e)}`);
      this.resetTablePtr();
      throw e;
    }
    try {
      this.startSubdevices();
    } catch (e) {
      this.log.err(`failed to probe subdevices for ${this.name}: ${codeOf(e)}`);
      this.holdingLock(() => this.driver.stop(this));
      this.resetTablePtr();
      throw e;
    }
    this.setState('running');
    this.log.info(`remote processor ${this.name} is now up`);
  }

  private resetTablePtr(): void {
    this.tablePtr = this.cachedTable ? cachedTable(this.cachedTable) : undefined;
  }

  startSubdevices(): void {
    const started: RprocVdev[] = [];
    try {
      for (const v of this.vdevs) {
        this.phase('rproc_start_subdevices', { index: v.index });
        v.start();
        started.push(v);
      }
    } catch (e) {
      for (const v of started.reverse()) v.stop(true);
      throw e;
    }
  }

  stopSubdevices(crashed: boolean): void {
    for (const v of [...this.vdevs].reverse()) v.stop(crashed);
  }

  /** idr_alloc() on rproc->notifyids, bumping max_notifyid. */
  allocNotifyId(): number {
    const id = this.notifyIds.alloc();
    if (id > this.maxNotifyId) this.maxNotifyId = id;
    return id;
  }

  freeNotifyId(id: number): void {
    this.notifyIds.free(id);
  }

  findCarveout(name: string): RprocMem | undefined {
    return this.carveouts.find((c) => c.name === name);
  }

  /** rproc_da_to_va(): the driver's own translation first, then the allocated carveouts. */
  daToPa(da: number, len: number): number | undefined {
    const own = this.driver.daToPa(this, da, len);
    if (own !== undefined) return own;
    for (const c of this.carveouts) {
      if (!c.mapped || c.dma === undefined) continue;
      const off = (da - c.da) | 0;
      if (off < 0 || off + len > c.len) continue;
      return c.dma + off;
    }
    return undefined;
  }

  /** rproc_resource_cleanup(). */
  releaseResources(): void {
    for (const t of this.traces) t.remove();
    this.traces = [];
    for (const c of this.carveouts) if (c.alloc === 'dma' && c.mapped && c.dma !== undefined) this.parentPool?.free(c.dma, c.len);
    this.carveouts = [];
    for (const v of [...this.vdevs]) v.unregister();
    this.vdevs = [];
    this.dumpSegments = [];
    this.env.notify({ kind: 'resources', rproc: this.devName });
  }

  // ---- stop / shutdown -------------------------------------------------------------------

  shutdown(): void {
    if (this.state !== 'running' && this.state !== 'attached' && this.state !== 'crashed') throw new KernelError('EINVAL');
    const crashed = this.state === 'crashed';
    if (!this.powerDown(() => this.stop(crashed))) return;
    this.tableSz = 0;
    this.loadedFirmware = undefined;
  }

  /**
   * What rproc_shutdown() and rproc_detach() share: drop a power reference; the last one runs
   * `down` (rproc_stop, __rproc_detach) and frees what the run held. False while others hold it.
   */
  powerDown(down: () => void): boolean {
    if (--this.power > 0) return false;
    try {
      down();
    } catch (e) {
      this.power++;
      throw e;
    }
    this.releaseResources();
    this.driver.unprepare(this);
    this.cachedTable = undefined;
    this.tablePtr = undefined;
    return true;
  }

  /** rproc_stop(). */
  stop(crashed: boolean): void {
    this.phase('rproc_stop');
    this.stopSubdevices(crashed);
    // The installed table is no longer accessible: keep working on a copy.
    if (this.tablePtr) {
      if (!this.cachedTable) this.cachedTable = this.tablePtr.bytes();
      this.cleanTable = undefined;
      this.tablePtr = cachedTable(this.cachedTable);
    }
    this.holdingLock(() => this.driver.stop(this));
    this.setState('offline');
    this.log.info(`stopped remote processor ${this.name}`);
  }

  /**
   * Runs a driver call that may wait for the remote (virtual time goes on meanwhile) holding
   * rproc->lock: the crash handler and the vq work that come in the meantime wait for it, as in
   * the kernel, and then find the state the call left.
   */
  holdingLock(fn: () => void): void {
    this.locked = true;
    try {
      fn();
    } finally {
      this.locked = false;
      for (const work of this.waitingForLock.splice(0)) this.env.scheduler.after(0, work, `${this.devName} waited for rproc->lock`);
    }
  }

  /** A work item that takes rproc->lock: now, or once its holder lets go. */
  withLock(work: () => void): void {
    if (this.locked) this.waitingForLock.push(work);
    else work();
  }

  /** `%pad` as the host prints a dma_addr_t. */
  fmtDma(v: number): string {
    return `0x${(v >>> 0).toString(16).padStart(this.env.host64 ? 16 : 8, '0')}`;
  }

  /** The remote died: what this driver learns of it. */
  remoteCrashed(kind: CrashKind): void {
    this.driver.remoteCrashed(this, kind);
  }

  /** The mailbox rang the host: rproc_vq_interrupt for each notify id the driver derives. */
  hostInterrupt(channel: string, value: number): void {
    if (this.locked) {
      this.waitingForLock.push(() => this.hostInterrupt(channel, value));
      return;
    }
    if (this.state !== 'running' && this.state !== 'attached') return;
    for (const id of this.driver.interrupts(this, channel, value)) for (const v of this.vdevs) v.interrupt(id);
  }

  // ---- sysfs-facing setters ----------------------------------------------------------------

  /** rproc_set_firmware(). */
  setFirmware(buf: string): void {
    if (this.state !== 'offline') {
      this.parentLog.err("can't change firmware while running");
      throw new KernelError('EBUSY');
    }
    const name = buf.split('\n')[0];
    if (!name) {
      this.parentLog.err("can't provide empty string for firmware name");
      throw new KernelError('EINVAL');
    }
    this.firmware = name;
  }
}
