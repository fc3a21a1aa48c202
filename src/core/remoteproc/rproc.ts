// One remote processor as remoteproc_core.c runs it: states, power count, boot in
// rproc_boot/rproc_fw_boot/rproc_start order, shutdown, attach/detach, crash handling and
// recovery, each step with the kernel's messages and errnos, and the state the kernel leaves.
import type { CoreDesc } from '../soc/board';
import type { CrashKind } from '../soc/remoteProgram';
import { kernelSanityCheck } from '../rsc/rules/kernelSanity';
import { FW_RSC_ADDR_ANY } from '../rsc/types';
import { buildCoreDump } from './coredump';
import { KernelError } from '../kernel/errno';
import { Firmware } from './firmware';
import { findLoadedRscTable, loadSegments } from './elfLoader';
import type { DeviceLog } from '../kernel/kernelLog';
import { handleResources } from './resourceHandlers';
import type { RprocDriverOps } from './rprocDriver';
import type { RprocEnv, RprocPhase } from './rprocEnv';
import type { RprocVdev } from './rprocVdev';
import { TableRef, cachedTable, loadedTable } from './tableRef';
import { DmaPool } from './dmaPool';
import { IdAllocator } from '../kernel/idAllocator';
import type { PublishedTable } from './drivers/common';

export type RprocState = 'offline' | 'suspended' | 'running' | 'crashed' | 'deleted' | 'attached' | 'detached';
export type CoredumpConf = 'disabled' | 'enabled' | 'inline';

/** enum rproc_crash_type, in the kernel's order (debugfs `crash` takes the number). */
export const CRASH_TYPES = ['mmufault', 'watchdog', 'fatal error'] as const;

/** struct rproc_mem_entry on rproc->carveouts. */
export interface RprocMem {
  readonly name: string;
  da: number;
  /** Physical address once allocated (or known from reserved memory). */
  dma: number | undefined;
  readonly len: number;
  rscOffset: number | undefined;
  flags: number;
  /** Index in `memory-region` for of_resm entries (vdevNbuffer); -1 otherwise. */
  readonly ofResmIdx: number;
  /** How alloc() gets memory: a known region mapped, a DMA allocation, or none (of_resm). */
  readonly alloc: 'map' | 'dma' | 'none';
  /** Has a kernel mapping (va) now. */
  mapped: boolean;
}

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
  private crashPending = false;
  /** An inline core dump is being read: recovery waits for it, as rproc_coredump() does. */
  private dumpWait: (() => void) | undefined;

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
        this.attach();
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
  private setUpResources(): void {
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
      this.allocRegisteredCarveouts();
    } catch (e) {
      this.log.err(`Failed to allocate associated carveouts: ${codeOf(e)}`);
      throw e;
    }
  }

  /** rproc_start(): load, install the table, power up, start the vdevs. */
  private start(fw: Firmware): void {
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
      this.driver.stop(this);
      this.resetTablePtr();
      throw e;
    }
    this.setState('running');
    this.log.info(`remote processor ${this.name} is now up`);
  }

  private resetTablePtr(): void {
    this.tablePtr = this.cachedTable ? cachedTable(this.cachedTable) : undefined;
  }

  private startSubdevices(): void {
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

  private stopSubdevices(crashed: boolean): void {
    for (const v of [...this.vdevs].reverse()) v.stop(crashed);
  }

  /** rproc_alloc_registered_carveouts(): map or allocate each, write da/pa/len back to the table. */
  private allocRegisteredCarveouts(): void {
    for (const m of this.carveouts) {
      if (m.alloc !== 'none') {
        try {
          this.allocCarveout(m);
        } catch (e) {
          this.log.err(`Unable to allocate carveout ${m.name}: ${codeOf(e)}`);
          throw new KernelError('ENOMEM');
        }
      }
      if (m.rscOffset !== undefined && this.tablePtr) {
        // struct fw_rsc_carveout: da @0, pa @4, len @8
        this.tablePtr.write32(m.rscOffset + 4, m.dma ?? 0);
        this.tablePtr.write32(m.rscOffset, m.da);
        this.tablePtr.write32(m.rscOffset + 8, m.len);
      }
    }
  }

  private allocCarveout(m: RprocMem): void {
    if (m.alloc === 'map') {
      if (m.dma === undefined || !this.hostMem.isMapped(m.dma, m.len)) {
        this.parentLog.err(`Unable to map memory region: 0x${(m.dma ?? 0).toString(16).padStart(8, '0')}+0x${m.len.toString(16)}`);
        throw new KernelError('ENOMEM');
      }
      m.mapped = true;
      return;
    }
    // rproc_alloc_carveout(): dma_alloc_coherent() from the parent's pool.
    const pa = this.parentPool?.alloc(m.len);
    if (pa === undefined) {
      this.parentLog.err(`failed to allocate dma memory: len 0x${m.len.toString(16)}`);
      throw new KernelError('ENOMEM');
    }
    if (m.da !== FW_RSC_ADDR_ANY && m.da !== pa) this.parentLog.warn("Allocated carveout doesn't fit device address request");
    if (m.da === FW_RSC_ADDR_ANY) m.da = pa;
    m.dma = pa;
    m.mapped = true;
    this.hostMem.fill(pa, m.len, 0);
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
    if (--this.power > 0) return;
    try {
      this.stop(crashed);
    } catch (e) {
      this.power++;
      throw e;
    }
    this.releaseResources();
    this.driver.unprepare(this);
    this.cachedTable = undefined;
    this.tablePtr = undefined;
    this.tableSz = 0;
    this.loadedFirmware = undefined;
  }

  /** rproc_stop(). */
  private stop(crashed: boolean): void {
    this.phase('rproc_stop');
    this.stopSubdevices(crashed);
    // The installed table is no longer accessible: keep working on a copy.
    if (this.tablePtr) {
      if (!this.cachedTable) this.cachedTable = this.tablePtr.bytes();
      this.cleanTable = undefined;
      this.tablePtr = cachedTable(this.cachedTable);
    }
    this.driver.stop(this);
    this.setState('offline');
    this.log.info(`stopped remote processor ${this.name}`);
  }

  // ---- attach / detach ---------------------------------------------------------------------

  /** rproc_attach(): take over a core someone else started; its table is read from memory. */
  private attach(): void {
    this.driver.prepare(this);
    try {
      let loc;
      try {
        loc = this.driver.loadedTable(this);
      } catch (e) {
        this.log.err(`can't load resource table: ${codeOf(e)}`);
        throw e;
      }
      if (loc) {
        if (this.driver.canDetach) this.cleanTable = this.hostMem.readBytes(loc.pa, loc.size);
        this.cachedTable = undefined;
        this.tablePtr = loadedTable(this.hostMem, loc.pa, loc.size);
        this.tableSz = loc.size;
      }
      this.setUpResources();
      try {
        this.driver.attach(this);
      } catch (e) {
        this.log.err(`can't attach to rproc ${this.name}: ${codeOf(e)}`);
        throw e;
      }
      try {
        this.startSubdevices();
      } catch (e) {
        this.log.err(`failed to probe subdevices for ${this.name}: ${codeOf(e)}`);
        throw e;
      }
    } catch (e) {
      this.releaseResources();
      this.driver.unprepare(this);
      this.cleanTable = undefined;
      throw e;
    }
    this.setState('attached');
    this.log.info(`remote processor ${this.name} is now attached`);
  }

  detach(): void {
    if (this.state !== 'attached') throw new KernelError('EINVAL');
    if (--this.power > 0) return;
    try {
      this.detachDevice();
    } catch (e) {
      this.power++;
      throw e;
    }
    this.releaseResources();
    this.driver.unprepare(this);
    this.cachedTable = undefined;
    this.tablePtr = undefined;
  }

  /** __rproc_detach(). */
  private detachDevice(): void {
    if (!this.driver.canDetach) throw new KernelError('EINVAL');
    this.stopSubdevices(false);
    // rproc_reset_rsc_table_on_detach(): keep what the host wrote, give the remote a clean table.
    if (this.tablePtr) {
      if (!this.cleanTable) throw new KernelError('EINVAL');
      const installed = this.tablePtr;
      this.cachedTable = installed.bytes();
      this.tablePtr = cachedTable(this.cachedTable);
      if (installed.pa !== undefined) this.hostMem.writeBytes(installed.pa, this.cleanTable);
      this.cleanTable = undefined;
    }
    this.driver.detach(this);
    this.setState('detached');
    this.log.info(`detached remote processor ${this.name}`);
  }

  // ---- crash and recovery ----------------------------------------------------------------

  /** rproc_report_crash(): logs now, handles the crash from a work queue (next event). */
  reportCrash(type: number): void {
    if (this.state === 'deleted') return;
    this.phase('rproc_report_crash', { type });
    this.log.err(`crash detected in ${this.name}: type ${CRASH_TYPES[type] ?? 'unknown'}`);
    if (this.crashPending) return; // queue_work() on pending work does nothing
    this.crashPending = true;
    this.env.scheduler.after(0, () => {
      this.crashPending = false;
      this.crashHandler();
    }, `${this.devName} crash handler`);
  }

  private crashHandler(): void {
    if (this.state === 'crashed' || this.state === 'offline' || this.state === 'deleted') return;
    this.setState('crashed');
    this.crashCount++;
    this.log.err(`handling crash #${this.crashCount} in ${this.name}`);
    if (!this.recoveryDisabled) this.triggerRecovery();
  }

  /** rproc_trigger_recovery(): only from the crashed state. */
  triggerRecovery(): void {
    if (this.state !== 'crashed' || this.dumpWait) return;
    this.phase('rproc_trigger_recovery');
    this.log.err(`recovering ${this.name}`);
    try {
      this.stop(true);
    } catch {
      return;
    }
    // An inline dump holds the recovery until it has been read (or devcoredump times out).
    this.coredump(() => this.finishBootRecovery());
  }

  private finishBootRecovery(): void {
    try {
      this.start(this.requestFirmware(this.firmware));
    } catch {
      // rproc_boot_recovery() returns the error to nobody: the rproc stays offline, powered.
    }
  }

  /** rproc_coredump(): an ELF core of the dump segments, handed to devcoredump. */
  private coredump(then: () => void): void {
    if (this.dumpSegments.length === 0 || this.dumpConf === 'disabled') return then();
    if (this.driver.coredumpMachine === undefined) {
      this.log.err('ELF class is not set');
      return then();
    }
    const read = (da: number, size: number): Uint8Array => {
      const pa = this.daToPa(da, size);
      if (pa === undefined) {
        this.log.err(`invalid copy request for segment ${this.fmtDma(da)} with offset 0 and size ${size})`);
        return new Uint8Array(size).fill(0xff);
      }
      return this.hostMem.readBytes(pa, size);
    };
    const build = () => buildCoreDump(this.dumpSegments, this.driver.coredumpMachine!, this.bootaddr, read);
    if (this.dumpConf === 'enabled') {
      this.env.devcoredump(this.devName, build());
      return then();
    }
    // Inline: segments are read from device memory when the dump is read; recovery waits.
    this.dumpWait = then;
    const readInline = () => {
      const data = build();
      this.log.info(`Ramdump done, ${data.length} bytes read`);
      return data;
    };
    this.env.devcoredump(this.devName, readInline, () => {
      const cont = this.dumpWait;
      this.dumpWait = undefined;
      cont?.();
    });
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

/** The negative errno of a failure, as the kernel prints `%d`. */
export function codeOf(e: unknown): number {
  if (e instanceof KernelError) return e.code;
  throw e;
}
