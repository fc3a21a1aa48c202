// Cores inside the whole simulated system as gdb's target, a thread per core: the host boots their
// firmware through remoteproc (sysfs `start`), and each core's debugger (coreDebug.ts) halts it,
// and the whole system with it, whenever it stops: while gdb looks, virtual time stands still for
// the host too (haltSystem false: the host runs on, as beside cores a probe halted). gdb's
// all-stop mode: when one core stops, the others are paused with it. Resumed, the system runs in
// slices of SLICE_NS of virtual time, so whoever drives it reads its transport (Ctrl-C) between
// them. Monitor commands drive the host: boot, stop, reset, the kernel log, and any line of the
// host's shell.
import type { CortexM4 } from '../cpu/armv7m/cortexM4';
import type { CoreDebug, CoreStop, Watchpoint } from '../cpu/coreDebug';
import { KernelError, strerror } from '../kernel/errno';
import type { HostDisk } from '../shell/command';
import { Shell } from '../shell/shell';
import type { AmpSystem } from '../system';
import { M4Target, type DebugPointSink } from './m4Target';
import { m4MemoryMap } from './m4MemoryMap';
import { ASLEEP, type GdbTarget, type MemoryRegion, type MonitorCommand, type ThreadResumes, type TargetStop } from './target';

/** Virtual time the system runs for per slice: a few milliseconds of wall time on a busy core. */
const SLICE_NS = 2_000_000;
/** How long `monitor boot` lets the host take to release a core before giving up. */
const BOOT_WAIT_NS = 5e9;
/** Why a resumed target whose cores wait on another debugger runs nothing. */
const HELD = 'the whole system is held by another core halted for its debugger; it runs once that core is resumed';

const NO_DISK: HostDisk = {
  readFile: () => {
    throw new KernelError('ENOENT');
  },
};

const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

export interface SystemTargetOptions {
  /** Where the shell's `cp` reads this machine's files (none by default). */
  readonly disk?: HostDisk;
  /** A halted core holds the whole system (default); false: the host runs on while gdb looks. */
  readonly haltSystem?: boolean;
}

export class SystemTarget extends M4Target implements GdbTarget {
  readonly threads: readonly string[];
  readonly monitorCommands: readonly MonitorCommand[];
  readonly exitCode = undefined;
  /** Each served core's debugger, by thread. */
  readonly debugs: readonly CoreDebug[];
  private stopped: ((stop: TargetStop, thread: number) => void) | undefined;
  /** gdb's current thread, 0-based. */
  private current = 0;
  private readonly shell: Shell;
  private shellOut = '';
  private readonly unsubscribe: (() => void)[];
  private readonly haltSystemBefore: readonly boolean[];
  private readonly sink: DebugPointSink;

  constructor(
    readonly system: AmpSystem,
    /** The cores, each `remoteprocN`, its id or its name: one thread each. */
    cores: string | readonly string[],
    options: SystemTargetOptions = {},
  ) {
    super();
    const rprocs = (typeof cores === 'string' ? [cores] : cores).map((key) => system.rproc(key));
    if (!rprocs.length) throw new Error('a target needs a core');
    this.debugs = rprocs.map((r) => system.debug(r.core.id));
    this.haltSystemBefore = this.debugs.map((d) => d.haltSystem);
    for (const d of this.debugs) {
      d.attach();
      d.haltAtReset = true;
      if (options.haltSystem !== undefined) d.haltSystem = options.haltSystem;
    }
    this.unsubscribe = this.debugs.map((d, i) => d.stops.on((stop) => this.finish(i, stop)));
    this.sink = {
      setBreakpoints: (addrs) => this.debugs.forEach((d) => d.setBreakpoints(addrs)),
      setWatchpoints: (watchpoints: readonly Watchpoint[]) => this.debugs.forEach((d) => d.setWatchpoints(watchpoints)),
    };
    this.threads = rprocs.map((r) => `${r.core.id} (${r.core.cpu}, ${r.devName})`);
    const out = (t: string | Uint8Array) => (this.shellOut += typeof t === 'string' ? t : new TextDecoder('latin1').decode(t));
    this.shell = new Shell(system, options.disk ?? NO_DISK, { out, err: out });
    const ids = rprocs.map((r) => r.core.id);
    const which = ids.length > 1 ? ` [CORE] (every core served: ${ids.join(', ')}, or the one named)` : '';
    this.monitorCommands = [
      {
        name: 'boot',
        help: `the host boots the firmware (echo start > /sys/class/remoteproc/.../state); the core halts at its reset vector${which}`,
        run: (args) => this.forCores(args, (i) => this.bootCore(i)),
      },
      {
        name: 'stop',
        help: `the host shuts the core down (echo stop > .../state), the firmware running to answer it; the system halts after${which}`,
        run: (args) => this.forCores(args, (i) => this.hostStop(i)),
      },
      {
        name: 'reset',
        help: `the core alone is reset from its vector table, as by its watchdog; it stays halted there${which}`,
        run: (args) =>
          this.forCores(args, (i) => {
            const d = this.debugs[i];
            return system.resetCore(d.coreId) ? `${d.coreId}: reset, pc ${hex(d.core!.state.pc)}, sp ${hex(d.core!.state.r[13])}\n` : `${d.coreId} is held in reset: monitor boot starts it\n`;
          }),
      },
      { name: 'log', help: "the host's kernel log (dmesg)", run: () => system.dmesg() },
      {
        name: 'shell',
        help: "runs a line of the host's shell now, e.g. echo hi > /dev/ttyRPMSG0 (what it makes due runs once gdb continues)",
        run: (line) => this.shellLine(line),
      },
      {
        name: 'time',
        help: "the system's virtual time, and each core's cycles",
        run: () => {
          const cores = this.debugs.map((d) => `${d.coreId}: ${d.core ? `${d.core.state.cycles} cycles, ${d.core.state.instructions} instructions` : 'never released from reset'}`);
          return `system time ${system.now()} ns; ${cores.join('; ')}\n`;
        },
      },
    ];
  }

  /** The first (or only) core's debugger. */
  get debug(): CoreDebug {
    return this.debugs[0];
  }

  /** `f` for the core named in `args`, or for every core served; what each said. */
  private forCores(args: string, f: (index: number) => string): string {
    const name = args.trim();
    if (!name) return this.debugs.map((_, i) => f(i)).join('');
    const i = this.debugs.findIndex((d) => d.coreId === name);
    return i < 0 ? `no core ${name} here (cores: ${this.debugs.map((d) => d.coreId).join(', ')})\n` : f(i);
  }

  /**
   * Boots the firmware on every core served, as `monitor boot` does, each halting at its reset
   * vector: what gdb finds when it connects. Returns what the host said (the shell's errors).
   */
  boot(): string {
    return this.debugs.map((_, i) => this.bootCore(i)).join('');
  }

  /** True when every core served stands halted at its reset vector (a boot went well). */
  get atReset(): boolean {
    return this.debugs.every((d) => d.lastStop?.kind === 'reset');
  }

  /** The host boots one core while every other halted core, of this target or another, stays halted without holding it meanwhile. */
  private bootCore(index: number): string {
    const others = this.system.rprocs.map((r) => this.system.debug(r.core.id)).filter((d) => d !== this.debugs[index] && d.halted);
    for (const d of others) d.letSystemRun();
    try {
      return this.bootOne(index);
    } finally {
      for (const d of others) d.holdSystem();
    }
  }

  private bootOne(index: number): string {
    const debug = this.debugs[index];
    // the host must run to boot the core
    debug.resume();
    const statePath = this.statePath(index);
    const said = this.shellLine(`echo start > ${statePath}`);
    const end = this.system.now() + BOOT_WAIT_NS;
    const atReset = () => debug.lastStop?.kind === 'reset';
    if (this.shell.status === 0) while (!atReset() && this.system.now() < end) this.system.runUntil(Math.min(end, this.system.now() + SLICE_NS));
    if (atReset()) return said + `${debug.coreId}: out of reset, halted at its reset vector ${hex(debug.core!.state.pc)}\n`;
    debug.pause();
    return this.shell.status === 0 ? said + `${debug.coreId}: the host did not release the core (${this.system.rproc(debug.coreId).state}): see monitor log\n` : said;
  }

  private statePath(index: number): string {
    return `/sys/class/remoteproc/${this.system.rproc(this.debugs[index].coreId).devName}/state`;
  }

  private hostStop(index: number): string {
    const debug = this.debugs[index];
    debug.resume();
    const said = this.shellLine(`echo stop > ${this.statePath(index)}`);
    debug.pause();
    return said + `${debug.coreId}: ${this.system.rproc(debug.coreId).state}\n`;
  }

  private shellLine(line: string): string {
    this.shellOut = '';
    try {
      this.shell.run(line);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      this.shellOut += `sh: ${strerror(e.errno)}\n`;
    }
    return this.shellOut;
  }

  selectThread(thread: number): boolean {
    if (!Number.isInteger(thread) || thread < 1 || thread > this.debugs.length) return false;
    this.current = thread - 1;
    return true;
  }

  readMemory(addr: number, length: number): Uint8Array {
    return this.debugs[this.current].readMemory(addr, length);
  }

  writeMemory(addr: number, data: Uint8Array): boolean {
    return this.debugs[this.current].writeMemory(addr, data);
  }

  protected registerCore(): CortexM4 | undefined {
    return this.debugs[this.current].core;
  }

  /** gdb's breakpoints and watchpoints are every thread's: each core's debugger gets them all. */
  protected pointSink(): DebugPointSink {
    return this.sink;
  }

  /** The first core's map: gdb takes one for all its threads. */
  memoryMap(): readonly MemoryRegion[] {
    const core = this.system.coreDesc(this.debug.coreId);
    return m4MemoryMap(this.system.memory.remote(core.id), core);
  }

  /** gdb has the target running (and waits for a stop). */
  get resumed(): boolean {
    return this.stopped !== undefined;
  }

  get idle(): string | undefined {
    if (this.stopped === undefined) return undefined;
    // a core of ours that halts ends the resume: the system is held by another's
    if (this.system.halted) return HELD;
    return this.system.scheduler.nextTime() === undefined ? ASLEEP : undefined;
  }

  resume(how: ThreadResumes, stopped: (stop: TargetStop, thread: number) => void): void {
    this.stopped = stopped;
    // a core left halted does not hold the system: the others must be able to run
    this.debugs.forEach((d, i) => {
      if (!how[i]) d.letSystemRun();
    });
    for (let i = 0; i < this.debugs.length && this.stopped; i++) {
      const h = how[i];
      if (h && this.debugs[i].halted) this.debugs[i].resume(h);
    }
  }

  runSlice(): void {
    if (this.stopped && !this.system.halted) this.system.runUntil(this.system.now() + SLICE_NS);
  }

  interrupt(): void {
    if (!this.stopped) return;
    const running = this.debugs.find((d) => !d.halted);
    if (running) running.pause();
    // every core was halted already (left halted by vCont): the stop is the current one's
    else this.finish(this.current, { kind: 'interrupt' });
  }

  /** gdb leaves: the system runs on without its breakpoints, each core holding it again when it halts. */
  detach(): void {
    this.stopped = undefined;
    for (const off of this.unsubscribe) off();
    this.debugs.forEach((d, i) => {
      d.detach();
      d.haltSystem = this.haltSystemBefore[i];
    });
  }

  /** A core stopped: in all-stop mode the others halt with it, and gdb hears of this one. */
  private finish(index: number, stop: CoreStop): void {
    const stopped = this.stopped;
    if (!stopped) return;
    this.stopped = undefined;
    for (const d of this.debugs) {
      d.pause();
      // a core vCont left halted holds the system again
      d.holdSystem();
    }
    this.current = index;
    stopped(this.targetStop(index, stop), index + 1);
  }

  private targetStop(index: number, stop: CoreStop): TargetStop {
    const id = this.debugs[index].coreId;
    switch (stop.kind) {
      case 'breakpoint':
        return { kind: 'breakpoint', breakpoint: this.breakpointKind(stop.pc) ?? 'software' };
      case 'watch':
        return { kind: 'watch', access: stop.access, addr: stop.addr };
      case 'reset':
        return { kind: 'halt', message: `${id}: out of reset, halted at its reset vector` };
      case 'exit':
        return { kind: 'halt', message: `${id}: the firmware called SYS_EXIT with status ${stop.code}; the core is stopped` };
      default:
        return stop;
    }
  }
}
