// The debugger's runtime, free of any protocol: one simulated system, the life cycle of one of its
// remote cores as a source, a position in it, breakpoints, and stepping by entry, phase or whole
// boot. The debug session only translates DAP to and from this.
import { ElfFile } from '../core/elf/elfFile';
import { ElfError } from '../core/elf/types';
import type { Finding } from '../core/findings';
import { KernelError, strerror } from '../core/kernel/errno';
import type { Rproc } from '../core/remoteproc/rproc';
import { servicesInFirmware } from '../core/remote/remoteApps';
import { validateFirmware } from '../core/rsc/validate';
import { Shell } from '../core/shell/shell';
import { Emitter } from '../core/sim/emitter';
import type { Board } from '../core/soc/board';
import { AmpSystem, createSystem } from '../core/system';
import { remoteSystemOptions, type RemoteChoice } from '../common/remoteChoice';
import { simulatorLine } from '../common/simulatorNotice';
import { LaunchMode, LifecycleLine, LifecycleSource } from './lifecycleSource';
import { Checkpoint, ExceptionFilter, PhaseRecorder } from './phaseRecorder';
import { freshTrace } from './traceDelta';
import { SystemTarget } from '../core/gdb/systemTarget';
import { MODELLED_CPUS } from '../core/remote/selectRemoteProgram';
import { CodeThread, type CodeStepKind, type CodeStop } from './codeThread';

export class LaunchError extends Error {}

export interface RuntimeOptions {
  readonly mode: LaunchMode;
  /** What the user named (`program`), for messages. */
  readonly programName: string;
  readonly data: Uint8Array;
  readonly board: Board;
  /** Core id; the board's first when absent. */
  readonly core?: string;
  readonly seed?: number;
  /** What runs on the core (the firmware's code by default) and what unmodelled peripherals do. */
  readonly remote?: RemoteChoice;
  /** false: a core halted for its code thread halts alone, and the life cycle's runs run the host on (default true: the whole system halts). */
  readonly haltSystem?: boolean;
  /** Reads a file of this machine for the shell's `cp`. */
  readonly readHostFile: (path: string) => Uint8Array;
  /** Runs `fn` later, letting requests (pause) in between long runs. */
  readonly defer: (fn: () => void) => void;
  /**
   * Real milliseconds (performance.now in Node): a slice also ends after SLICE_MS of them, since a
   * firmware that polls instead of sleeping makes each event of the core costly. None: events alone.
   */
  readonly clock?: () => number;
}

export type StepKind = 'continue' | 'next' | 'stepIn' | 'stepOut';
export type StopReason = 'entry' | 'step' | 'breakpoint' | 'function breakpoint' | 'exception' | 'pause';
/** Which thread a run is for and stops on: the life cycle, or the core's code. */
export type ThreadKind = 'lifecycle' | 'code';

export type RuntimeEvent =
  | {
      readonly kind: 'stopped';
      readonly thread: ThreadKind;
      readonly reason: StopReason | CodeStop['reason'];
      readonly description: string;
      readonly text?: string;
      /** The life cycle's exception filter that stopped it. */
      readonly filter?: ExceptionFilter;
      /** The code thread's exception, by name (HardFault, BKPT...). */
      readonly label?: string;
    }
  | { readonly kind: 'output'; readonly category: 'stdout' | 'console' | 'stderr'; readonly text: string }
  | { readonly kind: 'state' }
  /** Virtual time passed, or the shell ran: readers of the system's device files look for what arrived. */
  | { readonly kind: 'ran' };

/** Scheduler events run before a long `continue` lets other requests in... */
const SLICE_EVENTS = 4000;
/** ...or real milliseconds, with a clock: the extension host's other work (a terminal's input) goes on between. */
const SLICE_MS = 20;
/** How long the host must have had nothing to do before a run stops with nothing left to run, in virtual ns. */
const HOST_SETTLE_NS = 100e6;

const VALIDATION_KEYS: Record<string, string> = {
  rproc_fw_sanity_check: 'sanity_check',
  find_table: 'parse_fw',
  rproc_parse_fw: 'parse_fw',
  rproc_elf_load_rsc_table: 'parse_fw',
  rproc_handle_resources: 'parse_fw',
  rproc_alloc_registered_carveouts: 'alloc_carveouts',
  rproc_load_segments: 'load',
  rproc_elf_load_segments: 'load',
  rproc_find_loaded_rsc_table: 'start',
};

const dec = new TextDecoder('latin1');

export class LifecycleRuntime {
  readonly events = new Emitter<RuntimeEvent>();
  readonly system: AmpSystem;
  readonly rproc: Rproc;
  readonly source: LifecycleSource;
  readonly elf: ElfFile;
  /** The core's code as a thread, where the firmware's code runs on a modelled CPU. */
  readonly code: CodeThread | undefined;
  private readonly codeRunning: () => boolean;
  private readonly codeTarget: SystemTarget | undefined;
  private readonly findings: readonly Finding[];
  private readonly recorder: PhaseRecorder;
  private readonly shell: Shell;
  private readonly queue: Checkpoint[] = [];
  private current: Checkpoint;
  /** The sysfs write the next step performs (`start` boots or attaches); none once done. */
  private pendingStart: boolean;
  private lineBreakpoints = new Set<number>();
  private functionBreakpoints = new Set<number>();
  private filters = new Set<ExceptionFilter>(['boot-failure', 'validation-error', 'crash', 'rpmsg-error']);
  private reported = new Set<Finding>();
  /** Output held until the position passes the checkpoint after which it happened. */
  private outbox: { tag: number; category: 'stdout' | 'console'; text: string }[] = [];
  /** -1 until the first checkpoint: what happened at probe comes out with the first stop. */
  private lastSeq = -1;
  private traceSeen = new Map<string, string>();
  /** Each core's console text after its last newline: the debug console gets whole lines. */
  private consoleLines = new Map<string, string>();
  private inRun = false;
  /** Virtual time the current run began at. */
  private runFromNs = 0;
  /** The code thread stopped and has not been resumed since. */
  private codeHalted = false;
  private pauseRequested = false;
  private pauseOn: ThreadKind = 'lifecycle';
  private disposed = false;
  private readonly off: () => void;
  private shellOut = '';

  constructor(private readonly opts: RuntimeOptions) {
    let elf: ElfFile;
    try {
      elf = ElfFile.parse(opts.data);
    } catch (e) {
      if (!(e instanceof ElfError)) throw e;
      throw new LaunchError(`${opts.programName} is not a firmware ELF the kernel can load: ${e.message}`);
    }
    this.elf = elf;
    const core = opts.core === undefined ? opts.board.cores[0] : opts.board.cores.find((c) => c.id === opts.core || c.name === opts.core);
    if (!core) throw new LaunchError(`board '${opts.board.id}' has no core '${opts.core}' (cores: ${opts.board.cores.map((c) => c.id).join(', ')})`);
    if (opts.mode === 'attach' && !core.earlyBootCapable) {
      throw new LaunchError(`core '${core.id}' of board '${opts.board.id}' cannot be started before Linux (the board does not mark it earlyBootCapable): use "request": "launch"`);
    }
    const validation = validateFirmware(opts.data, { board: opts.board, core });
    this.findings = validation.findings.filter((f) => f.severity === 'error');
    const name = opts.programName.split(/[\\/]/).pop() ?? opts.programName;
    this.source = new LifecycleSource({ mode: opts.mode, coreName: core.name, firmwareName: name, elf, table: validation.table, services: servicesInFirmware(elf) });

    const image = { name, data: opts.data, core: core.id };
    const remote = remoteSystemOptions(opts.remote ?? { app: undefined, unmodelled: 'ignore' });
    let off: (() => void) | undefined;
    this.system = createSystem({
      board: opts.board,
      seed: opts.seed,
      firmware: opts.mode === 'launch' ? image : undefined,
      earlyBoot: opts.mode === 'attach' ? [image] : undefined,
      unmodelled: remote.unmodelled,
      // Subscribed before the cores probe: what the kernel logged and the simulator said at probe
      // (an auto-attach, a stand-in's label) comes out with the first stop. Output is tagged before
      // the recorder sees the same event, so a line belongs to the step it led to.
      setup: (s) => {
        off = s.events.on((e) => {
          if (e.kind === 'log') this.outbox.push({ tag: this.lastSeq, category: 'stdout', text: `${e.text}\n` });
          else if (e.kind === 'trace') this.traceOutput(e.rproc, e.trace, e.text);
          else if (e.kind === 'console') this.consoleOutput(e.core, e.text);
          else if (e.kind === 'notice') this.noticeOutput(e.core, e.text);
        });
        remote.setup?.(s);
      },
    });
    this.off = off!;
    this.rproc = this.system.rproc(core.id);
    this.recorder = new PhaseRecorder(this.system, this.rproc, this.source, (c) => {
      this.lastSeq = c.seq;
      this.queue.push(c);
    });
    // The core's code is a thread where its instructions run: a modelled CPU, no stand-in chosen.
    if (MODELLED_CPUS.includes(core.cpu) && opts.remote?.app === undefined) {
      const target = new SystemTarget(this.system, core.id, { disk: { readFile: opts.readHostFile }, haltSystem: opts.haltSystem });
      // The boot runs on to the firmware's own breakpoints; gdb's halt at the reset vector is not wanted here.
      target.debug.haltAtReset = false;
      this.codeRunning = () => target.debug.running;
      this.codeTarget = target;
      this.code = new CodeThread(target, (text) => this.outbox.push({ tag: this.lastSeq, category: 'console', text: `${text}\n` }));
    } else this.codeRunning = () => false;
    this.shell = new Shell(this.system, { readFile: opts.readHostFile }, { out: (d) => (this.shellOut += typeof d === 'string' ? d : dec.decode(d)), err: (t) => (this.shellOut += t) });

    const s = this.rproc.state;
    if (opts.mode === 'attach' && s === 'attached') {
      // K3 attaches at probe, before anyone could stop it.
      this.current = this.recorder.checkpoint('attached', `${this.rproc.name} was attached at probe`, 'run');
      this.pendingStart = false;
    } else if (opts.mode === 'attach') {
      this.current = this.recorder.checkpoint('attach', `${this.rproc.name} is ${s}: attach on the next step`, 'attach');
      this.pendingStart = true;
    } else {
      this.current = this.recorder.checkpoint('request_firmware', `${this.rproc.name} is ${s}: boot on the next step`, 'boot');
      this.pendingStart = true;
    }
    this.lastSeq = this.current.seq;
    this.queue.length = 0;
  }

  /** The firmware ELF as the user named it, resolved. */
  get programPath(): string {
    return this.opts.programName;
  }

  dispose(): void {
    this.disposed = true;
    this.off();
    this.recorder.dispose();
  }

  get position(): Checkpoint {
    return this.current;
  }

  /** True when the position shows the system as it is now (not a record of a boot already past). */
  get live(): boolean {
    return this.queue.length === 0;
  }

  /** Sends the entry stop and any output so far. */
  entry(): void {
    this.flush(true);
    this.stop('entry', this.current.detail);
  }

  setLineBreakpoints(lines: readonly number[]): { line: number; verified: boolean; message?: string }[] {
    this.lineBreakpoints = new Set();
    return lines.map((line) => {
      const l = this.source.at(line);
      if (l) this.lineBreakpoints.add(line);
      return { line, verified: l !== undefined, message: l ? undefined : `line ${line} is past the life cycle's ${this.source.lines.length} lines` };
    });
  }

  setFunctionBreakpoints(names: readonly string[]): { name: string; lines: LifecycleLine[] }[] {
    this.functionBreakpoints = new Set();
    return names.map((name) => {
      const lines = this.source.matchFunction(name);
      for (const l of lines) this.functionBreakpoints.add(l.line);
      return { name, lines };
    });
  }

  setExceptionFilters(filters: readonly string[]): void {
    this.filters = new Set(filters.filter((f): f is ExceptionFilter => EXCEPTION_FILTERS.some((x) => x.filter === f)));
  }

  /** Stops a run at its next slice; the stop is reported on thread `on`. */
  pause(on: ThreadKind = 'lifecycle'): void {
    if (!this.inRun) return;
    this.pauseRequested = true;
    this.pauseOn = on;
  }

  /**
   * Runs until the step kind's stop, a breakpoint, an exception, a pause or nothing left to run.
   * A step of the code thread (`on` 'code') moves the core as `codeKind` says while the life cycle
   * runs on to its own breakpoints; a step of the life cycle lets the core run.
   */
  run(kind: StepKind, on: ThreadKind = 'lifecycle', codeKind: CodeStepKind = 'continue'): void {
    if (this.inRun) return;
    const code = this.code;
    if (on === 'code' && codeKind !== 'continue' && !this.codeRuns) {
      this.events.emit({ kind: 'stopped', thread: 'code', reason: 'step', description: this.codeState });
      return;
    }
    this.inRun = true;
    this.runFromNs = this.system.now();
    this.pauseRequested = false;
    // Resumed even before the boot: a watchpoint may catch the host's loader writing the firmware's memory.
    if (this.resumesCode(on)) {
      this.codeHalted = false;
      code?.resume(on === 'code' ? codeKind : 'continue');
    }
    this.slice(on === 'code' ? 'continue' : kind, this.current, on);
  }

  /**
   * A run on thread `on` resumes the core's code too; with haltSystem false a halted core stays
   * halted while the life cycle runs the host on, as beside a core a probe halted.
   */
  resumesCode(on: ThreadKind): boolean {
    return on === 'code' || !this.codeHalted || this.opts.haltSystem !== false;
  }

  /** A run is under way (continue, a step): the system runs in slices until it stops. */
  get running(): boolean {
    return this.inRun;
  }

  /** The firmware's code runs on the core now (out of reset, on a modelled CPU). */
  get codeRuns(): boolean {
    return this.code !== undefined && this.codeRunning();
  }

  /** Why the code thread has no code to show, in words. */
  get codeState(): string {
    const s = this.rproc.state;
    return s === 'offline' || s === 'crashed' || s === 'deleted' ? `${this.rproc.name} runs no code: it is ${s}` : `${this.rproc.name} runs no code yet: the host has not released it from reset`;
  }

  private slice(kind: StepKind, from: Checkpoint, on: ThreadKind): void {
    if (this.disposed) return;
    this.runSlice(kind, from, on);
    this.events.emit({ kind: 'ran' });
  }

  /** Runs until a stop, or until the slice's budget is spent and the rest is deferred. */
  private runSlice(kind: StepKind, from: Checkpoint, on: ThreadKind): void {
    let budget = SLICE_EVENTS;
    const clock = this.opts.clock;
    const deadline = clock ? clock() + SLICE_MS : Infinity;
    for (;;) {
      if (this.pauseRequested) return this.halt(this.pauseOn, 'pause', 'paused');
      const next = this.queue.shift();
      if (next) {
        this.current = next;
        this.flush(this.queue.length === 0);
        const why = this.stopReason(next, kind, from);
        if (why) return this.halt('lifecycle', why.reason, why.description, why.text, why.filter);
        continue;
      }
      if (this.pendingStart) {
        this.pendingStart = false;
        this.writeState('start');
        const c = this.codeStop();
        if (c) return this.haltCode(c);
        continue;
      }
      if (budget-- <= 0 || (clock && clock() >= deadline)) {
        this.flush(true);
        this.opts.defer(() => this.slice(kind, from, on));
        return;
      }
      // a core halted for its debugger holds the whole system: nothing runs until it is resumed
      if (this.system.halted) return this.halt(on, 'pause', 'the system is halted: a core stopped for its debugger');
      const sched = this.system.scheduler;
      if (this.queue.length === 0 && !this.code?.armed && !sched.hasHostWork() && this.system.now() - Math.max(sched.lastHostWorkNs, this.runFromNs) >= HOST_SETTLE_NS) {
        // A firmware's timers never let the system go idle: the life cycle is over when the host has
        // had nothing to do for a while, whatever the firmware goes on doing on its own. The while
        // counts from the run's start at the earliest: what was written while paused (a terminal's
        // line) reaches the remote, and its answer the host. Breakpoints in the firmware's code keep
        // it running for them.
        this.refresh();
        return this.halt(on, 'pause', `nothing left to run: ${this.rproc.name} is ${this.rproc.state} and no host event is pending (the firmware runs on by itself)`);
      }
      const ran = this.system.step();
      this.recorder.settle();
      const c = this.codeStop();
      if (c) return this.haltCode(c);
      if (!ran && this.queue.length === 0) {
        this.refresh();
        return this.halt(on, 'pause', `nothing left to run: ${this.rproc.name} is ${this.rproc.state} and no event is pending`);
      }
    }
  }

  /** The code thread's stop, if the core stopped for good in what just ran. */
  private codeStop(): CodeStop | undefined {
    return this.code?.check();
  }

  /** The core stopped: the life cycle's records of the same moment are shown with it, and the system holds. */
  private haltCode(stop: CodeStop): void {
    while (this.queue.length) this.current = this.queue.shift()!;
    this.codeHalted = true;
    const last = this.codeTarget?.debug.lastStop;
    if (last?.kind === 'watch') stop = { ...stop, description: `${stop.description} ${last.by === 'host' ? 'by the host' : `by the instruction at 0x${(this.code?.pc ?? 0).toString(16).padStart(8, '0')}`}` };
    this.inRun = false;
    this.pauseRequested = false;
    this.refresh();
    this.flush(true);
    this.events.emit({ kind: 'stopped', thread: 'code', reason: stop.reason, description: stop.description, text: stop.text, label: stop.label });
    this.events.emit({ kind: 'state' });
  }

  private halt(on: ThreadKind, reason: StopReason, description: string, text?: string, filter?: ExceptionFilter): void {
    this.inRun = false;
    this.pauseRequested = false;
    // Nothing runs the system until the next run: the core stands where it is, not held, so a
    // shell command that lets time pass (sleep) moves it as it moves the host.
    if (reason === 'pause' && this.live) this.refresh();
    this.flush(this.live);
    if (on === 'code') {
      this.events.emit({ kind: 'stopped', thread: 'code', reason: reason === 'pause' ? 'pause' : 'step', description, text });
      this.events.emit({ kind: 'state' });
      return;
    }
    this.stop(reason, description, text, filter);
  }

  private stop(reason: StopReason, description: string, text?: string, filter?: ExceptionFilter): void {
    this.events.emit({ kind: 'stopped', thread: 'lifecycle', reason, description, text, filter });
    this.events.emit({ kind: 'state' });
  }

  private stopReason(c: Checkpoint, kind: StepKind, from: Checkpoint): { reason: StopReason; description: string; text?: string; filter?: ExceptionFilter } | undefined {
    if (c.exception && this.filters.has(c.exception.filter)) return { reason: 'exception', description: c.detail, text: c.exception.text, filter: c.exception.filter };
    const invalid = this.validationAt(c);
    if (invalid) return invalid;
    if (this.lineBreakpoints.has(c.line.line)) return { reason: 'breakpoint', description: c.detail };
    if (this.functionBreakpoints.has(c.line.line)) return { reason: 'function breakpoint', description: `${c.line.functions[0]}: ${c.detail}` };
    const step = { reason: 'step' as const, description: c.detail };
    switch (kind) {
      case 'stepIn':
        return step;
      case 'next':
        return c.line.depth <= from.line.depth || c.frame !== from.frame ? step : undefined;
      case 'stepOut':
        if (from.line.depth === 1) return c.line.depth === 0 ? step : undefined;
        return c.frame !== from.frame || c.line.key === 'running' || c.line.key === 'attached' ? step : undefined;
      default:
        return undefined;
    }
  }

  /** The validator's errors stop a boot when it reaches the line the kernel would refuse at. */
  private validationAt(c: Checkpoint): { reason: StopReason; description: string; text: string; filter: ExceptionFilter } | undefined {
    if (!this.filters.has('validation-error') || (c.frame !== 'boot' && c.frame !== 'attach')) return undefined;
    const due = this.findings.filter((f) => !this.reported.has(f) && (this.lineOf(f)?.line ?? Infinity) <= c.line.line);
    if (due.length === 0) return undefined;
    for (const f of due) this.reported.add(f);
    return { reason: 'exception', filter: 'validation-error', description: `validation error: ${due[0].message}`, text: due.map((f) => `${f.rule}: ${f.message}${f.fix ? `\n  fix: ${f.fix}` : ''}`).join('\n') };
  }

  private lineOf(f: Finding): LifecycleLine | undefined {
    const fn = f.kernelFunction ?? '';
    if (f.entry !== undefined && (fn.startsWith('rproc_handle_') || fn === '' || fn === 'rproc_vdev_do_start')) return this.source.find(`rsc:${f.entry}`) ?? this.source.find('parse_fw');
    return this.source.find(VALIDATION_KEYS[fn] ?? 'parse_fw');
  }

  /** Output whose checkpoint the position has passed; everything when the position is live. */
  private flush(all: boolean): void {
    const keep: typeof this.outbox = [];
    for (const o of this.outbox) {
      if (all || o.tag < this.current.seq) this.events.emit({ kind: 'output', category: o.category, text: o.text });
      else keep.push(o);
    }
    this.outbox = keep;
  }

  private traceOutput(rproc: string, trace: string, text: string): void {
    const key = `${rproc}/${trace}`;
    const seen = this.traceSeen.get(key) ?? '';
    this.traceSeen.set(key, text);
    const fresh = freshTrace(seen, text);
    for (const line of fresh.split('\n').filter((l) => l.length)) this.outbox.push({ tag: this.lastSeq, category: 'console', text: `${rproc} ${trace}: ${line}\n` });
  }

  /** What the firmware printed, a whole line at a time, named by its core as the trace lines are. */
  private consoleOutput(core: string, text: string): void {
    const lines = ((this.consoleLines.get(core) ?? '') + text).split('\n');
    this.consoleLines.set(core, lines.pop()!);
    for (const line of lines) this.outbox.push({ tag: this.lastSeq, category: 'console', text: `${core} console: ${line}\n` });
  }

  /** The simulator's own line about a core (a stand-in runs, the core locked up): marked as the simulator's. */
  private noticeOutput(core: string, text: string): void {
    this.outbox.push({ tag: this.lastSeq, category: 'console', text: simulatorLine(text, core) });
  }

  /** A live position takes a fresh record of the present (after a shell command or a pause). */
  private refresh(): void {
    if (!this.live) return;
    this.current = this.recorder.recapture(this.current);
    this.lastSeq = this.current.seq;
  }

  private writeState(value: string): void {
    try {
      this.system.files.write(`/sys/class/remoteproc/${this.rproc.devName}/state`, `${value}\n`);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
    }
    this.system.runUntil(this.system.now());
    this.recorder.settle();
  }

  /** `evaluate` in the debug console: the same shell as `ampw shell`. */
  evaluate(line: string): { output: string; status: number } {
    this.shellOut = '';
    const status = this.shell.run(line);
    // Before the first step nothing was started: an offline core there is not a failed boot.
    if (!this.pendingStart) this.recorder.settle();
    this.refresh();
    this.flush(this.live);
    this.events.emit({ kind: 'state' });
    // The command let time pass (sleep, a write that waits for the remote): the core may have stopped.
    const c = this.codeStop();
    if (c) this.haltCode(c);
    this.events.emit({ kind: 'ran' });
    return { output: this.shellOut, status };
  }

  /** Debug-console completion of the word before `column` (0-based): a command first, then paths. */
  complete(text: string, column: number): { start: number; items: string[] } {
    const before = text.slice(0, column);
    const start = Math.max(before.lastIndexOf(' '), before.lastIndexOf('>'), before.lastIndexOf(';')) + 1;
    const word = before.slice(start);
    const head = before.slice(0, start);
    const atCommand = head.slice(Math.max(head.lastIndexOf(';'), head.lastIndexOf('&'), head.lastIndexOf('|')) + 1).trim() === '';
    if (atCommand) return { start, items: this.shell.commandNames.filter((c) => c.startsWith(word)) };
    const slash = word.lastIndexOf('/');
    const dir = slash <= 0 ? '/' : word.slice(0, slash);
    const files = this.system.files;
    if (!word.startsWith('/') || !files.isDir(dir)) return { start, items: [] };
    const prefix = word.slice(slash + 1);
    const base = slash <= 0 ? '' : dir;
    return { start, items: files.list(dir).filter((n) => n.startsWith(prefix)).map((n) => `${base}/${n}${files.isDir(`${base}/${n}`) ? '/' : ''}`) };
  }

  /** A sysfs attribute of the rproc, written as `echo VALUE > ...` would. */
  writeAttribute(attr: 'recovery' | 'coredump' | 'firmware', value: string): void {
    this.requireLive(`change ${attr}`);
    try {
      this.system.files.write(`/sys/class/remoteproc/${this.rproc.devName}/${attr}`, `${value}\n`);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      throw new Error(`echo ${value} > /sys/class/remoteproc/${this.rproc.devName}/${attr}: ${strerror(e.errno)}`);
    } finally {
      this.system.runUntil(this.system.now());
      this.recorder.settle();
      this.refresh();
      this.flush(this.live);
      this.events.emit({ kind: 'ran' });
    }
  }

  /** Host physical memory as it is at the position. */
  readMemory(pa: number, len: number): Uint8Array {
    return this.current.capture.memory.read(pa, len);
  }

  writeMemory(pa: number, data: Uint8Array): number {
    this.requireLive('write memory');
    const mem = this.current.capture.memory;
    const n = mem.read(pa, data.length).length;
    if (n === 0) throw new Error(`0x${pa.toString(16)} is not memory of ${this.system.board.id}`);
    this.system.memory.host.writeBytes(pa, data.subarray(0, n));
    this.refresh();
    return n;
  }

  private requireLive(what: string): void {
    if (this.inRun) throw new Error(`cannot ${what} while running: pause first`);
    if (!this.live) {
      const last = this.queue[this.queue.length - 1];
      throw new Error(`cannot ${what} here: the kernel already ran past this step (it ran the whole boot in one call); this stop shows a record. Continue to '${last.line.text}' (line ${last.line.line}) first`);
    }
  }
}

export const EXCEPTION_FILTERS: readonly { filter: ExceptionFilter; label: string; description: string }[] = [
  { filter: 'boot-failure', label: 'boot failure', description: 'A boot or attach the kernel gave up on (request_firmware, resources, loading, start)' },
  { filter: 'validation-error', label: 'validation error', description: "The validator's error findings, at the step the kernel would refuse" },
  { filter: 'crash', label: 'crash', description: 'The remote crashed (rproc_report_crash)' },
  { filter: 'rpmsg-error', label: 'rpmsg error', description: 'An error the rpmsg bus logs (virtio_rpmsg_bus, rpmsg_ns, rpmsg_char)' },
];

