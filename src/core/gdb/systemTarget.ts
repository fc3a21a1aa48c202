// A core inside the whole simulated system as gdb's target: the host boots its firmware through
// remoteproc (sysfs `start`), and the core's debugger (coreDebug.ts) halts it, and the whole system
// with it, whenever it stops: while gdb looks, virtual time stands still for the host too. Resumed,
// the system runs in slices of SLICE_NS of virtual time, so whoever drives it reads its transport
// (Ctrl-C) between them. Monitor commands drive the host: boot, stop, reset, the kernel log, and
// any line of the host's shell.
import type { CortexM4 } from '../cpu/armv7m/cortexM4';
import type { CoreDebug, CoreStop } from '../cpu/coreDebug';
import { KernelError, strerror } from '../kernel/errno';
import type { HostDisk } from '../shell/command';
import { Shell } from '../shell/shell';
import type { AmpSystem } from '../system';
import { M4Target, type DebugPointSink } from './m4Target';
import { m4MemoryMap } from './m4MemoryMap';
import type { GdbTarget, MemoryRegion, MonitorCommand, Resume, TargetStop } from './target';

/** Virtual time the system runs for per slice: a few milliseconds of wall time on a busy core. */
const SLICE_NS = 2_000_000;
/** How long `monitor boot` lets the host take to release the core before giving up. */
const BOOT_WAIT_NS = 5e9;

const NO_DISK: HostDisk = {
  readFile: () => {
    throw new KernelError('ENOENT');
  },
};

const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

export class SystemTarget extends M4Target implements GdbTarget {
  readonly threads: readonly string[];
  readonly monitorCommands: readonly MonitorCommand[];
  readonly exitCode = undefined;
  readonly debug: CoreDebug;
  private stopped: ((stop: TargetStop) => void) | undefined;
  private readonly shell: Shell;
  private shellOut = '';
  private readonly statePath: string;
  private readonly unsubscribe: () => void;

  constructor(
    readonly system: AmpSystem,
    /** The core: `remoteprocN`, its id or its name. */
    coreKey: string,
    /** Where the shell's `cp` reads this machine's files (none by default). */
    disk: HostDisk = NO_DISK,
  ) {
    super();
    const r = system.rproc(coreKey);
    this.statePath = `/sys/class/remoteproc/${r.devName}/state`;
    this.debug = system.debug(coreKey);
    this.debug.attach();
    this.debug.haltAtReset = true;
    this.unsubscribe = this.debug.stops.on((stop) => this.finish(stop));
    this.threads = [`${r.core.id} (${r.core.cpu}, ${r.devName})`];
    const out = (t: string | Uint8Array) => (this.shellOut += typeof t === 'string' ? t : new TextDecoder('latin1').decode(t));
    this.shell = new Shell(system, disk, { out, err: out });
    const id = r.core.id;
    this.monitorCommands = [
      { name: 'boot', help: `the host boots the firmware (echo start > ${this.statePath}); the core halts at its reset vector`, run: () => this.boot() },
      {
        name: 'stop',
        help: `the host shuts the core down (echo stop > ${this.statePath}), the firmware running to answer it; the system halts after`,
        run: () => this.hostStop(),
      },
      {
        name: 'reset',
        help: 'the core alone is reset from its vector table, as by its watchdog; it stays halted there',
        run: () => (system.resetCore(id) ? `${id}: reset, pc ${hex(this.debug.core!.state.pc)}, sp ${hex(this.debug.core!.state.r[13])}\n` : `${id} is held in reset: monitor boot starts it\n`),
      },
      { name: 'log', help: "the host's kernel log (dmesg)", run: () => system.dmesg() },
      {
        name: 'shell',
        help: "runs a line of the host's shell now, e.g. echo hi > /dev/ttyRPMSG0 (what it makes due runs once gdb continues)",
        run: (line) => this.shellLine(line),
      },
      {
        name: 'time',
        help: "the system's virtual time, and the core's cycles",
        run: () => {
          const m4 = this.debug.core;
          return `system time ${system.now()} ns; ${id}: ${m4 ? `${m4.state.cycles} cycles, ${m4.state.instructions} instructions` : 'never released from reset'}\n`;
        },
      },
    ];
  }

  /**
   * Boots the firmware as `monitor boot` does and runs the system until the core halts at its reset
   * vector: what gdb finds when it connects. Returns what the host said (the shell's errors).
   */
  boot(): string {
    // the host must run to boot the core
    this.debug.resume();
    const said = this.shellLine(`echo start > ${this.statePath}`);
    const end = this.system.now() + BOOT_WAIT_NS;
    if (this.shell.status === 0) while (!this.system.halted && this.system.now() < end) this.system.runUntil(Math.min(end, this.system.now() + SLICE_NS));
    if (this.system.halted && this.debug.lastStop?.kind === 'reset') return said + `${this.debug.coreId}: out of reset, halted at its reset vector ${hex(this.debug.core!.state.pc)}\n`;
    this.debug.pause();
    return this.shell.status === 0 ? said + `${this.debug.coreId}: the host did not release the core (${this.system.rproc(this.debug.coreId).state}): see monitor log\n` : said;
  }

  private hostStop(): string {
    this.debug.resume();
    const said = this.shellLine(`echo stop > ${this.statePath}`);
    this.debug.pause();
    return said + `${this.debug.coreId}: ${this.system.rproc(this.debug.coreId).state}\n`;
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

  readMemory(addr: number, length: number): Uint8Array {
    return this.debug.readMemory(addr, length);
  }

  writeMemory(addr: number, data: Uint8Array): boolean {
    return this.debug.writeMemory(addr, data);
  }

  protected registerCore(): CortexM4 | undefined {
    return this.debug.core;
  }

  protected pointSink(): DebugPointSink {
    return this.debug;
  }

  memoryMap(): readonly MemoryRegion[] {
    const core = this.system.coreDesc(this.debug.coreId);
    return m4MemoryMap(this.system.memory.remote(core.id), core);
  }

  get idle(): boolean {
    return this.stopped !== undefined && this.system.scheduler.nextTime() === undefined;
  }

  resume(how: Resume, stopped: (stop: TargetStop) => void): void {
    this.stopped = stopped;
    if (this.debug.halted) this.debug.resume(how);
  }

  runSlice(): void {
    if (this.stopped && !this.system.halted) this.system.runUntil(this.system.now() + SLICE_NS);
  }

  interrupt(): void {
    if (this.stopped) this.debug.pause();
  }

  /** gdb leaves: the system runs on without its breakpoints. */
  detach(): void {
    this.stopped = undefined;
    this.unsubscribe();
    this.debug.detach();
  }

  private finish(stop: CoreStop): void {
    const stopped = this.stopped;
    this.stopped = undefined;
    stopped?.(this.targetStop(stop));
  }

  private targetStop(stop: CoreStop): TargetStop {
    switch (stop.kind) {
      case 'breakpoint':
        return { kind: 'breakpoint', breakpoint: this.breakpointKind(stop.pc) ?? 'software' };
      case 'watch':
        return { kind: 'watch', access: stop.access, addr: stop.addr };
      case 'reset':
        return { kind: 'halt', message: `${this.debug.coreId}: out of reset, halted at its reset vector` };
      case 'exit':
        return { kind: 'halt', message: `${this.debug.coreId}: the firmware called SYS_EXIT with status ${stop.code}; the core is stopped` };
      default:
        return stop;
    }
  }
}
