// One simulated system: a board's memory and remote cores, the host's remoteproc for each core,
// the host's files and kernel log, and virtual time. Faces (CLI, VS Code tree and panel, the
// debugger) drive it with runUntil/step and subscribe to its typed events; snapshot() is the
// plain data they render from.
import { kernelModel } from './rsc/kernelModel';
import { KernelError } from './kernel/errno';
import { driverFor } from './remoteproc/drivers';
import { DmaPool } from './remoteproc/dmaPool';
import { IdAllocator } from './kernel/idAllocator';
import { KernelLog, LogLine, formatLogLine } from './kernel/kernelLog';
import { Rproc, RprocState, type RprocTrace } from './remoteproc/rproc';
import type { ProgramSelector, RprocEnv, RprocNotification, RprocPhase } from './remoteproc/rprocEnv';
import type { VirtioDriver } from './virtio/virtioDriver';
import { createRprocFiles } from './remoteproc/rprocFiles';
import { FileTree } from './shell/fileTree';
import { Emitter } from './sim/emitter';
import { SeededRandom } from './sim/random';
import { Scheduler } from './sim/scheduler';
import type { Board, CoreDesc } from './soc/board';
import { Mailbox } from './soc/mailbox';
import { RemoteCore } from './soc/remoteCore';
import { SocMemory } from './soc/socMemory';
import type { MemoryBank } from './soc/physicalMemory';
import { MemoryFault } from './soc/memoryAccess';
import { vringLayout } from './virtio/vringLayout';
import { VirtqueueError } from './virtio/virtqueueError';
import { createPeripherals, type CorePeripherals } from './soc/peripherals/corePeripherals';
import type { UnmodelledPolicy } from './soc/peripherals/unmodelled';
import type { PeripheralClock } from './soc/peripherals/peripheralClock';
import { EXTI_WWDG1_RESET } from './soc/peripherals/exti';
import { Stm32IpccHost } from './mailbox/stm32Ipcc';
import { selectRemoteProgram } from './remote/selectRemoteProgram';
import { Firmware } from './remoteproc/firmware';
import { loadEarlyBoot } from './remoteproc/earlyBoot';
import { rmemName } from './remoteproc/drivers/common';
import { attachRpmsg } from './rpmsg/attachRpmsg';
import type { RpmsgHost } from './rpmsg/rpmsgHost';
import { CoreDebug } from './cpu/coreDebug';

export interface SystemOptions {
  readonly board: Board;
  readonly seed?: number;
  /** A firmware image put in /lib/firmware and named in the core's `firmware` attribute. */
  readonly firmware?: { readonly name: string; readonly data: Uint8Array; readonly core?: string };
  /** Cores a boot loader started before Linux with this image (they probe as `detached`). */
  readonly earlyBoot?: readonly EarlyImage[];
  /**
   * Model rproc_trigger_auto_boot() at probe for offline cores whose driver sets rproc->auto_boot
   * (K3 R5F always; stm32 when the device tree has `st,auto-boot`, taken as set here; never
   * ZynqMP, whose driver clears it): the kernel requests the firmware and boots it as Linux comes
   * up. Off by default, so a system starts with every core offline and the user decides.
   */
  readonly autoBoot?: boolean;
  /**
   * Wiring that must exist before the cores probe (virtio drivers, the program selector): a core
   * the boot loader started is attached at probe, with whatever drivers are registered by then.
   */
  readonly setup?: (system: AmpSystem) => void;
  /** What the firmware's access to a peripheral no model serves does: read as zero (default) or BusFault. */
  readonly unmodelled?: UnmodelledPolicy;
}

export interface EarlyImage {
  readonly core: string;
  readonly name: string;
  readonly data: Uint8Array;
}

export type SystemEvent =
  | { readonly kind: 'state'; readonly rproc: string; readonly state: RprocState; readonly timeNs: number }
  | { readonly kind: 'log'; readonly line: LogLine; readonly text: string }
  | { readonly kind: 'trace'; readonly rproc: string; readonly trace: string; readonly text: string }
  | { readonly kind: 'resources'; readonly rproc: string }
  | { readonly kind: 'phase'; readonly rproc: string; readonly phase: RprocPhase; readonly timeNs: number }
  /** What the firmware printed (UART, semihosting) since the last such event. */
  | { readonly kind: 'console'; readonly rproc: string; readonly core: string; readonly text: string }
  /** A line from the simulator about a remote (a stand-in runs, a lockup, an unmodelled access), never the kernel's. */
  | { readonly kind: 'notice'; readonly rproc: string; readonly core: string; readonly text: string };

/** How a released core runs: its firmware's code, or the labelled stand-in. */
export interface ExecutionSnapshot {
  readonly runsFirmware: boolean;
  /** The stand-in's label ("modelled remote: ..."), or how the firmware's core stopped ("locked up in HardFault at ..."). */
  readonly note: string | undefined;
}

export interface VringSnapshot {
  readonly index: number;
  readonly num: number;
  readonly align: number;
  readonly notifyid: number;
  readonly da: number;
  readonly pa: number | undefined;
  readonly active: boolean;
  /** avail->idx and used->idx in simulated memory while the vring is active (vring_init layout). */
  readonly availIdx?: number;
  readonly usedIdx?: number;
}

export interface VdevSnapshot {
  readonly index: number;
  readonly id: number;
  readonly platformDevice: string;
  readonly virtio: string | undefined;
  readonly status: number | undefined;
  readonly dfeatures: number | undefined;
  readonly gfeatures: number | undefined;
  readonly vrings: readonly VringSnapshot[];
}

export interface CoreSnapshot {
  readonly rproc: string;
  readonly name: string;
  readonly core: string;
  readonly driver: string;
  readonly state: RprocState;
  readonly firmware: string;
  readonly recovery: 'enabled' | 'disabled';
  readonly coredump: string;
  readonly crashCount: number;
  readonly power: number;
  readonly table: { readonly where: 'cached' | 'loaded'; readonly pa: number | undefined; readonly size: number } | undefined;
  readonly carveouts: readonly { readonly name: string; readonly da: number; readonly pa: number | undefined; readonly len: number; readonly mapped: boolean }[];
  readonly traces: readonly { readonly name: string; readonly da: number; readonly len: number; readonly text: string }[];
  readonly vdevs: readonly VdevSnapshot[];
  /** Undefined while the core is held in reset. */
  readonly execution: ExecutionSnapshot | undefined;
}

export interface SystemSnapshot {
  readonly timeNs: number;
  readonly board: string;
  readonly cores: readonly CoreSnapshot[];
}

const dec = new TextDecoder('latin1');

/** One trace buffer followed for 'trace' events: re-read only when its bank saw a write to it. */
interface TraceWatch {
  readonly rproc: Rproc;
  readonly trace: RprocTrace;
  readonly pa: number | undefined;
  readonly bank: MemoryBank | undefined;
  /** The bank's watchGen when last read; undefined: never read. */
  gen: number | undefined;
  text: string | undefined;
}
/** devcoredump frees a dump nobody read after five minutes (DEVCD_TIMEOUT). */
const DEVCD_TIMEOUT_NS = 300e9;
/** How much of each core's console is kept (the oldest goes first). */
const CONSOLE_KEEP = 64 * 1024;
/** CONFIG_CMA_SIZE_MBYTES of Debian's arm64/armhf kernels. */
const CMA_SIZE = 64 << 20;

export class AmpSystem {
  readonly board: Board;
  readonly scheduler = new Scheduler();
  readonly memory: SocMemory;
  readonly files = new FileTree();
  readonly log: KernelLog;
  readonly rprocs: Rproc[] = [];
  readonly events = new Emitter<SystemEvent>();
  /**
   * The host's rpmsg bus driver, once attachRpmsg() wired it. Kept on the system, not in a table of
   * that module: the VS Code extension reads systems its debug adapter made, and the two are
   * separate bundles, each with its own copy of every module.
   */
  rpmsgHost: RpmsgHost | undefined;
  private readonly random: SeededRandom;
  private readonly remotes = new Map<string, RemoteCore>();
  private readonly debuggers = new Map<string, CoreDebug>();
  private readonly virtioDrivers = new Map<number, VirtioDriver>();
  private selector: ProgramSelector = (elf, core) => selectRemoteProgram(elf, core);
  private readonly peripherals = new Map<string, CorePeripherals>();
  private readonly consoles = new Map<string, { text: string; pending: string }>();
  /** The trace buffers being followed, by trace object (a new run registers new ones). */
  private traceWatches = new Map<RprocTrace, TraceWatch>();
  /** Each rproc's trace list when the watches were built: a different list means rebuild. */
  private readonly watchedTraceLists = new Map<Rproc, { list: readonly RprocTrace[]; length: number }>();
  private tracesStale = true;
  private devcdCount = 0;
  private readonly pools = new Map<string, DmaPool>();
  private env!: RprocEnv;
  /** The kernel's default CMA area: where dma_alloc_coherent() goes for a device without a pool. */
  private readonly cma: DmaPool | undefined;
  private readonly pointerSalt: number;

  constructor(opts: SystemOptions) {
    this.board = opts.board;
    this.random = new SeededRandom(opts.seed ?? 1);
    this.pointerSalt = this.random.nextU32();
    this.memory = new SocMemory(opts.board);
    this.log = new KernelLog(() => this.scheduler.now());
    this.log.onLine.on((line) => this.events.emit({ kind: 'log', line, text: formatLogLine(line) }));
    for (const d of ['/sys/class/remoteproc', '/sys/kernel/debug/remoteproc', '/sys/class/devcoredump', '/dev', '/sys/bus']) this.files.mkdir(d);
    this.files.mkdir('/lib/firmware', true);
    this.files.mkdir('/tmp', true);

    this.cma = cmaArea(opts.board);
    const host64 = kernelModel(opts.board).hostBits === 64;
    const env: RprocEnv = (this.env = {
      board: opts.board,
      scheduler: this.scheduler,
      memory: this.memory,
      files: this.files,
      log: this.log,
      platformIds: new IdAllocator(),
      virtioIds: new IdAllocator(),
      virtioDriver: (id) => this.virtioDrivers.get(id),
      selectProgram: (elf, core) => this.selector(elf, core),
      remoteCore: (id) => this.remotes.get(id)!,
      reservedPool: (rm) => {
        let pool = this.pools.get(rm.name);
        if (!pool) this.pools.set(rm.name, (pool = new DmaPool(rmemName(rm), rm.pa, rm.size)));
        return pool;
      },
      hashPointer: (v) => this.hashPointer(v, host64),
      host64,
      devcoredump: (device, data, onDone) => this.devcoredump(device, data, onDone),
      notify: (n) => this.onNotify(n),
    });

    opts.setup?.(this);
    const early = new Map((opts.earlyBoot ?? []).map((e) => [e.core, e]));
    opts.board.cores.forEach((core, index) => {
      const mailbox = new Mailbox(this.scheduler, core);
      const r = new Rproc(index, core, driverFor(core, early.has(core.id)), env);
      // The models count time from the core's clock, which runs ahead of the system's inside a slice.
      const coreNow = () => this.remotes.get(core.id)?.nowNs() ?? this.scheduler.now();
      const clock: PeripheralClock = {
        nowNs: coreNow,
        after: (delayNs, fn) => this.scheduler.after(delayNs + coreNow() - this.scheduler.now(), fn, `${core.id} peripheral`, true),
      };
      const peripherals = core.peripherals?.length
        ? createPeripherals(core.peripherals, { console: (bytes) => this.consoleWrite(r, bytes), report: (line) => this.notice(r, line), unmodelled: opts.unmodelled, clock })
        : undefined;
      if (peripherals) {
        this.peripherals.set(core.id, peripherals);
        this.wireWatchdog(r, peripherals);
      }
      const ipcc = peripherals?.ipcc;
      const mailboxDevice: Stm32IpccHost | undefined = ipcc && core.mailbox[0]?.controller === 'ipcc'
        ? new Stm32IpccHost(ipcc, mailbox, this.scheduler, this.log.device(`stm32-ipcc ${ipccDevice(core)}`), () => coreNow() - this.scheduler.now())
        : undefined;
      const debug = new CoreDebug(core.id, this.scheduler, this.memory.remote(core.id), this.memory.host);
      this.debuggers.set(core.id, debug);
      const remote = new RemoteCore(core, this.memory.remote(core.id), mailbox, this.scheduler, this.random.fork(), (kind) => r.remoteCrashed(kind), {
        peripherals,
        mailboxDevice,
        debug,
        console: (bytes) => this.consoleWrite(r, bytes),
        notice: (text) => this.notice(r, text),
      });
      this.remotes.set(core.id, remote);
      this.files.addFile(consolePath(core.id), { mode: 0o444, read: () => this.consoleText(core.id) });
      mailbox.onHost((ch, v) => r.hostInterrupt(ch, v));
      this.probe(r, early.get(core.id), opts.autoBoot === true);
      this.rprocs.push(r);
    });

    if (opts.firmware) {
      const r = opts.firmware.core ? this.rproc(opts.firmware.core) : this.rprocs[0];
      this.files.write(`/lib/firmware/${opts.firmware.name}`, opts.firmware.data);
      if (r.state === 'offline') r.firmware = opts.firmware.name;
    }
  }

  /**
   * WWDG1's reset restarts the M4 alone, and its EXTI event is the host's watchdog interrupt
   * (`interrupts = <68 1>` of the m4 node, stm32_rproc_wdg()): the kernel reports the crash.
   */
  private wireWatchdog(r: Rproc, p: CorePeripherals): void {
    if (!p.wwdg) return;
    p.wwdg.onReset = (cause) => {
      this.notice(r, `WWDG1 reset the core: ${cause}`);
      this.resetCore(r.core.id);
    };
    const watchdog = r.driver.watchdogInterrupt;
    if (!p.exti || !watchdog) return;
    p.exti.hostEnable(EXTI_WWDG1_RESET, { rising: true, falling: false });
    p.exti.onHostInterrupt = (event, high) => {
      if (event !== EXTI_WWDG1_RESET || !high) return;
      p.exti!.hostAck(EXTI_WWDG1_RESET);
      watchdog.call(r.driver, r);
    };
  }

  /** The driver's probe and rproc_add(): pools, files, `... is available`, auto attach. */
  private probe(r: Rproc, early: EarlyImage | undefined, autoBoot: boolean): void {
    r.parentPool = this.cma;
    if (r.core.driver === 'k3_r5_rproc') {
      // k3_r5_reserved_mem_init(): memory-region #0 is the core's DMA pool.
      const rm = this.board.reservedMemory.find((m) => m.name === r.core.memoryRegions[0]);
      if (rm?.compatible === 'shared-dma-pool') {
        r.parentPool = this.env.reservedPool(rm);
        r.parentLog.info(`assigned reserved memory node ${r.parentPool.name}`);
      }
    }
    if (early) {
      r.publishedTable = loadEarlyBoot(this.memory, r.core, new Firmware(early.name, early.data), (elf) => this.selector(elf, r.core), this.remotes.get(r.core.id)!);
      r.firmware = early.name;
      r.setState('detached');
    }
    createRprocFiles(r);
    r.log.info(`${r.name} is available`);
    // rproc_trigger_auto_boot() when rproc->auto_boot: K3 attaches to a running core at probe;
    // stm32 only with `st,auto-boot` (autoBoot), which the supported device trees do not set;
    // ZynqMP never, its core stays detached until `start`.
    const driverAutoBoot = r.driver.autoBoot ?? autoBoot;
    if (early && driverAutoBoot) this.autoBoot(r);
    else if (!early && autoBoot && driverAutoBoot) {
      // request_firmware_nowait(): its callback calls rproc_boot() whether or not the file was found.
      this.scheduler.after(0, () => {
        if (!this.files.exists(`/lib/firmware/${r.firmware}`)) r.log.warn(`Direct firmware load for ${r.firmware} failed with error -2`);
        this.autoBoot(r);
      }, `${r.devName} auto boot`);
    }
  }

  /** rproc_boot() from a work item: a failure is only in the log. */
  private autoBoot(r: Rproc): void {
    try {
      r.boot();
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
    }
  }

  /** A registered host virtio driver is probed with every vdev of its id (virtio_rpmsg_bus: 7). */
  registerVirtioDriver(id: number, driver: VirtioDriver): void {
    this.virtioDrivers.set(id, driver);
  }

  /** Chooses what runs on a remote core for an image (default: the firmware's code where the CPU is modelled). */
  setProgramSelector(selector: ProgramSelector): void {
    this.selector = selector;
  }

  /** By `remoteprocN`, core id (`m4`) or rproc name. */
  rproc(key: string): Rproc {
    const r = this.rprocs.find((x) => x.devName === key || x.core.id === key || x.name === key);
    if (!r) throw new Error(`no remote processor ${key} on ${this.board.id} (cores: ${this.board.cores.map((c) => c.id).join(', ')})`);
    return r;
  }

  coreDesc(key: string): CoreDesc {
    return this.rproc(key).core;
  }

  now(): number {
    return this.scheduler.now();
  }

  /** Resets a released core alone from its vector table, as its watchdog's reset does (the host is not told); false when it cannot be. */
  resetCore(key: string): boolean {
    const program = this.remotes.get(this.rproc(key).core.id)?.current;
    if (!program?.reset) return false;
    program.reset();
    return true;
  }

  /** The debugger of a core (`remoteprocN`, core id or rproc name), for as long as the system lives. */
  debug(key: string): CoreDebug {
    return this.debuggers.get(this.rproc(key).core.id)!;
  }

  /**
   * A core halted for its debugger holds the whole system: step, runUntil and runUntilIdle run
   * nothing and time stands still until it is resumed. Every loop that runs the system looks here.
   */
  get halted(): boolean {
    return this.scheduler.halted;
  }

  step(): boolean {
    const ran = this.scheduler.step();
    this.afterRun();
    return ran;
  }

  runUntil(timeNs: number): number {
    const n = this.scheduler.runUntil(timeNs);
    this.afterRun();
    return n;
  }

  runFor(durationNs: number): number {
    return this.runUntil(this.now() + durationNs);
  }

  runUntilIdle(maxEvents?: number): number {
    const n = this.scheduler.runUntilIdle(maxEvents);
    this.afterRun();
    return n;
  }

  /** The register-level models of a core's peripherals, when its board map has any. */
  corePeripherals(key: string): CorePeripherals | undefined {
    return this.peripherals.get(this.rproc(key).core.id);
  }

  /** What the core's firmware printed, the last CONSOLE_KEEP characters. */
  consoleText(key: string): string {
    const c = this.consoles.get(this.rproc(key).core.id);
    return c ? c.text + c.pending : '';
  }

  private consoleWrite(r: Rproc, bytes: Uint8Array): void {
    let c = this.consoles.get(r.core.id);
    if (!c) this.consoles.set(r.core.id, (c = { text: '', pending: '' }));
    c.pending += dec.decode(bytes);
  }

  /** Console text written since the last look goes out as one event per core. */
  private flushConsoles(): void {
    for (const [core, c] of this.consoles) {
      if (!c.pending) continue;
      const text = c.pending;
      c.text = (c.text + text).slice(-CONSOLE_KEEP);
      c.pending = '';
      const r = this.rproc(core);
      this.events.emit({ kind: 'console', rproc: r.devName, core, text });
    }
  }

  private notice(r: Rproc, text: string): void {
    // What the firmware printed before the notice goes out before it, so a console reads in order.
    this.flushConsoles();
    this.events.emit({ kind: 'notice', rproc: r.devName, core: r.core.id, text });
  }

  /** `dmesg`. */
  dmesg(): string {
    return this.log.text();
  }

  snapshot(): SystemSnapshot {
    // what the views show is read through the host's memory, but the host does not read it
    return this.memory.host.unobserved(() => ({ timeNs: this.now(), board: this.board.id, cores: this.rprocs.map((r) => this.coreSnapshot(r)) }));
  }

  private coreSnapshot(r: Rproc): CoreSnapshot {
    const t = r.tablePtr;
    return {
      rproc: r.devName,
      name: r.name,
      core: r.core.id,
      driver: r.core.driver,
      state: r.state,
      firmware: r.firmware,
      recovery: r.recoveryDisabled ? 'disabled' : 'enabled',
      coredump: r.dumpConf,
      crashCount: r.crashCount,
      power: r.power,
      table: t ? { where: t.where, pa: t.pa, size: t.size } : undefined,
      carveouts: r.carveouts.map((c) => ({ name: c.name, da: c.da, pa: c.dma, len: c.len, mapped: c.mapped })),
      traces: r.traces.map((tr) => ({ name: tr.name, da: tr.da, len: tr.len, text: this.traceText(r, tr.name) })),
      execution: this.execution(r),
      vdevs: r.vdevs.map((v) => {
        const base = v.rscOffset;
        return {
          index: v.index,
          id: v.id,
          platformDevice: v.pdevName,
          virtio: v.virtioName,
          status: t?.read8(base + 20),
          dfeatures: t?.read32(base + 8),
          gfeatures: t?.read32(base + 12),
          vrings: v.vrings.map((vr) => {
            const mem = r.findCarveout(`vdev${v.index}vring${vr.index}`);
            const idx = vr.active && mem?.dma !== undefined ? this.ringIndices(mem.dma, vr.num, vr.align) : undefined;
            return { index: vr.index, num: vr.num, align: vr.align, notifyid: vr.notifyid, da: t ? t.read32(base + 24 + 20 * vr.index) : 0, pa: mem?.dma, active: vr.active, ...idx };
          }),
        };
      }),
    };
  }

  private execution(r: Rproc): ExecutionSnapshot | undefined {
    const program = this.remotes.get(r.core.id)?.current;
    if (!program) return undefined;
    return { runsFirmware: program.runsFirmware, note: program.status?.() };
  }

  /** The ring's avail and used idx, or nothing when the ring cannot be laid out or read. */
  private ringIndices(pa: number, num: number, align: number): { availIdx: number; usedIdx: number } | undefined {
    try {
      const l = vringLayout(num, align);
      return { availIdx: this.memory.host.read16(pa + l.availOffset + 2), usedIdx: this.memory.host.read16(pa + l.usedOffset + 2) };
    } catch (e) {
      if (e instanceof MemoryFault || e instanceof VirtqueueError) return undefined;
      throw e;
    }
  }

  private afterRun(): void {
    this.checkTraces();
    this.flushConsoles();
  }

  private traceText(r: Rproc, name: string): string {
    const path = `/sys/kernel/debug/remoteproc/${r.devName}/${name}`;
    return this.files.exists(path) ? dec.decode(this.files.read(path)) : '';
  }

  /**
   * Emits 'trace' for every trace buffer whose text changed since the last look. Runs after every
   * step, so it must be cheap: a buffer is only re-read when a write touched it (its bank's watch
   * generation moved) or when the traces themselves changed (boot, stop, crash, new mappings).
   */
  private checkTraces(): void {
    if (!this.tracesStale) {
      for (const r of this.rprocs) {
        const seen = this.watchedTraceLists.get(r);
        if (seen?.list !== r.traces || seen.length !== r.traces.length) this.tracesStale = true;
      }
    }
    if (this.tracesStale) this.watchTraces();
    for (const w of this.traceWatches.values()) {
      const gen = w.bank?.watchGen;
      if (w.bank && w.gen === gen) continue;
      w.gen = gen;
      const text = this.memory.host.unobserved(() => this.traceText(w.rproc, w.trace.name));
      if (w.text === text) continue;
      w.text = text;
      this.events.emit({ kind: 'trace', rproc: w.rproc.devName, trace: w.trace.name, text });
    }
  }

  /** (Re)builds the watches from the traces the rprocs have now; gone traces are forgotten. */
  private watchTraces(): void {
    this.tracesStale = false;
    for (const b of this.memory.physical.banks) b.unwatchAll();
    const next = new Map<RprocTrace, TraceWatch>();
    for (const r of this.rprocs) {
      this.watchedTraceLists.set(r, { list: r.traces, length: r.traces.length });
      for (const t of r.traces) {
        const pa = r.daToPa(t.da, t.len);
        const bank = pa === undefined ? undefined : this.memory.physical.bankAt(pa, t.len);
        if (bank && pa !== undefined) bank.watch(pa - bank.base, t.len);
        const old = this.traceWatches.get(t);
        // a watch whose mapping changed is read again; its text decides whether an event goes out
        next.set(t, { rproc: r, trace: t, pa, bank, gen: old?.pa === pa ? old?.gen : undefined, text: old?.text });
      }
    }
    this.traceWatches = next;
  }

  private onNotify(n: RprocNotification): void {
    if (n.kind !== 'phase') this.tracesStale = true;
    if (n.kind === 'state') this.events.emit({ kind: 'state', rproc: n.rproc, state: n.state as RprocState, timeNs: this.now() });
    else if (n.kind === 'phase') this.events.emit({ kind: 'phase', rproc: n.rproc, phase: n.phase, timeNs: this.now() });
    else this.events.emit({ kind: 'resources', rproc: n.rproc });
  }

  private hashPointer(v: number, host64: boolean): string {
    if (v === 0) return host64 ? '0000000000000000' : '00000000';
    let h = (v ^ this.pointerSalt) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    const s = h.toString(16).padStart(8, '0');
    return host64 ? `00000000${s}` : s;
  }

  /** devcoredump: /sys/class/devcoredump/devcdN/data; writing to it (or the timeout) frees it. */
  private devcoredump(device: string, data: Uint8Array | (() => Uint8Array), onDone?: () => void): void {
    const dir = `/sys/class/devcoredump/devcd${++this.devcdCount}`;
    let gone = false;
    const free = () => {
      if (gone) return;
      gone = true;
      cancel();
      this.files.remove(dir);
      onDone?.();
    };
    const cancel = this.scheduler.after(DEVCD_TIMEOUT_NS, free, `${dir} timeout`);
    this.files.addFile(`${dir}/data`, { mode: 0o600, read: () => (typeof data === 'function' ? data() : data), write: () => free() });
    this.files.addFile(`${dir}/failing_device`, { mode: 0o444, read: () => `/sys/class/remoteproc/${device}\n` });
  }
}

/**
 * Where a core's console reads in the simulated host's files. Not a device of the board's kernel (the
 * firmware's UART reaches a person through a cable there): a name of this simulator's own.
 */
export function consolePath(core: string): string {
  return `/dev/ttyAMP-console-${core}`;
}

/** The IPCC's device name as the host's kernel prints it (`4c001000.mailbox`). */
function ipccDevice(core: CoreDesc): string {
  const p = core.peripherals?.find((x) => x.model === 'stm32-ipcc');
  return `${(p?.base ?? 0).toString(16)}.mailbox`;
}

/** 64 MiB at the top of the first host RAM bank, below any reserved memory that would overlap it. */
function cmaArea(board: Board): DmaPool | undefined {
  const bank = board.host.memory?.[0];
  if (!bank) return undefined;
  const size = Math.min(CMA_SIZE, bank.size);
  let top = bank.pa + bank.size;
  for (;;) {
    const base = top - size;
    const clash = board.reservedMemory.find((m) => m.pa < top && m.pa + m.size > base);
    if (!clash) return base >= bank.pa ? new DmaPool('cma', base, size) : undefined;
    top = clash.pa;
  }
}

/**
 * A whole system, with the host's rpmsg stack and the OpenAMP-style remote wired in before the
 * cores probe (so an early-booted core attaches with its channels); `opts.setup` runs after that
 * wiring, e.g. to pick the remote application.
 */
export function createSystem(opts: SystemOptions): AmpSystem {
  return new AmpSystem({
    ...opts,
    setup: (system) => {
      attachRpmsg(system);
      opts.setup?.(system);
    },
  });
}
