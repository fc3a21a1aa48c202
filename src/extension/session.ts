// The one simulated system behind the extension's faces: made lazily from the settings (amp.board,
// amp.core, amp.seed, amp.firmware, amp.recovery, amp.earlyBoot, amp.remoteApp, amp.unmodelledAccess),
// driven in virtual time from a timer (core never schedules on its own), and turned into VS Code
// events. Actions are what a user types on the board (writes to sysfs/debugfs files), so refusals
// come back as the kernel's errno.
import * as vscode from 'vscode';
import { KernelError, strerror } from '../core/kernel/errno';
import type { LogLine } from '../core/kernel/kernelLog';
import { rpmsgHostOf } from '../core/rpmsg/attachRpmsg';
import type { Board, CoreDesc } from '../core/soc/board';
import { builtinBoards } from '../core/soc/boardLoader';
import { Shell } from '../core/shell/shell';
import { createSystem, type AmpSystem } from '../core/system';
import { readRemoteChoice, remoteSystemOptions } from '../common/remoteChoice';
import { boardFromSettings } from './boardSetting';
import { rprocOfBus, watchChannels, type ChannelEvent } from './channelEvents';

/** Real milliseconds between two time slices. */
const TICK_MS = 25;
/** At most this much virtual time per slice, so a busy extension host does not jump ahead. */
const MAX_SLICE_NS = 100e6;
/**
 * At most this much real time per slice on the simulation. A firmware that never sleeps (a main
 * loop that polls, as STM32CubeMP1's OpenAMP examples do) costs more than real time to simulate:
 * its virtual time then runs slower than the clock, and the extension host stays responsive.
 */
const SLICE_BUDGET_MS = 10;
/** Virtual time run between two looks at the clock. */
const STEP_NS = 1e6;

export type SessionChange = { readonly kind: 'reset' } | { readonly kind: 'cores'; readonly rprocs: ReadonlySet<string> };

/** What a remote core printed (`console`: its UART, semihosting) or what the simulator says about it (`notice`). */
export interface RemoteOutput {
  readonly kind: 'console' | 'notice';
  readonly rproc: string;
  /** Core id of the board (`m4`). */
  readonly core: string;
  readonly text: string;
}

/** The outcome of one action, in the kernel's words. */
export interface ActionResult {
  readonly rproc: string;
  readonly state: string;
  /** strerror() of the failed write, with the kernel's own log lines of that write. */
  readonly error?: string;
}

export class SessionError extends Error {}

interface Live {
  readonly system: AmpSystem;
  readonly board: Board;
  readonly core: CoreDesc;
  readonly dispose: () => void;
}

export class AmpSession implements vscode.Disposable {
  private live: Live | undefined;
  private creating: Promise<Live> | undefined;
  private generation = 0;
  private readonly dirty = new Set<string>();
  private readonly changeEmitter = new vscode.EventEmitter<SessionChange>();
  private readonly logEmitter = new vscode.EventEmitter<LogLine & { readonly text: string }>();
  private readonly traceEmitter = new vscode.EventEmitter<{ readonly rproc: string; readonly trace: string; readonly text: string }>();
  private readonly channelEmitter = new vscode.EventEmitter<ChannelEvent>();
  private readonly remoteEmitter = new vscode.EventEmitter<RemoteOutput>();
  private readonly runEmitter = new vscode.EventEmitter<void>();
  private readonly configWatch: vscode.Disposable;
  private readonly boardWatch: vscode.FileSystemWatcher;

  /** A core's state or resources changed, or the whole system was replaced. */
  readonly onDidChange = this.changeEmitter.event;
  readonly onDidLog = this.logEmitter.event;
  readonly onDidTrace = this.traceEmitter.event;
  readonly onDidChangeChannel = this.channelEmitter.event;
  /** A remote's console text and the simulator's notices about it, never the kernel's log. */
  readonly onDidRemoteOutput = this.remoteEmitter.event;
  /** After each slice of virtual time: readers of device files look for what arrived. */
  readonly onDidRun = this.runEmitter.event;

  constructor() {
    this.configWatch = vscode.workspace.onDidChangeConfiguration((e) => {
      if (['amp.board', 'amp.core', 'amp.seed', 'amp.earlyBoot', 'amp.remoteApp', 'amp.unmodelledAccess'].some((s) => e.affectsConfiguration(s))) this.reset();
      else if (e.affectsConfiguration('amp.firmware') && this.setting('earlyBoot', false)) this.reset();
      else if (e.affectsConfiguration('amp.recovery') && this.live) this.applyRecovery(this.live);
    });
    // An edited `.amp/boards` file is a new board, as a changed amp.board setting is.
    this.boardWatch = vscode.workspace.createFileSystemWatcher('**/.amp/boards/*.json');
    const boardChanged = () => this.live && !builtinBoards().includes(this.live.board) && this.reset();
    this.boardWatch.onDidChange(boardChanged);
    this.boardWatch.onDidCreate(boardChanged);
    this.boardWatch.onDidDelete(boardChanged);
  }

  /** The system, if one was made (nothing is made before a face needs it). */
  get current(): AmpSystem | undefined {
    return this.live?.system;
  }

  /** The board and core of the settings the current system runs. */
  get target(): { board: Board; core: CoreDesc } | undefined {
    return this.live && { board: this.live.board, core: this.live.core };
  }

  async system(): Promise<AmpSystem> {
    return (await this.ensure()).system;
  }

  /** `remoteprocN` of the configured core. */
  async rproc(): Promise<string> {
    const live = await this.ensure();
    return live.system.rproc(live.core.id).devName;
  }

  /** Drops the system; the next use makes a new one from the settings. */
  reset(): void {
    this.generation++;
    this.creating = undefined;
    if (!this.live) return;
    this.live.dispose();
    this.live = undefined;
    this.dirty.clear();
    this.changeEmitter.fire({ kind: 'reset' });
  }

  private ensure(): Promise<Live> {
    if (this.live) return Promise.resolve(this.live);
    if (!this.creating) {
      const gen = this.generation;
      this.creating = this.create().then((live) => {
        if (gen !== this.generation) {
          live.dispose();
          return this.ensure();
        }
        this.live = live;
        this.creating = undefined;
        this.changeEmitter.fire({ kind: 'reset' });
        return live;
      }, (e) => {
        this.creating = undefined;
        throw e;
      });
    }
    return this.creating;
  }

  private async create(): Promise<Live> {
    const choice = boardFromSettings();
    if ('error' in choice) throw new SessionError(choice.error);
    const { board, core } = choice;
    const remote = readRemoteChoice(this.setting('remoteApp', undefined), this.setting('unmodelledAccess', undefined), { app: 'amp.remoteApp', unmodelled: 'amp.unmodelledAccess' });
    if ('error' in remote) throw new SessionError(remote.error);
    const seed = this.setting('seed', 1);
    let earlyBoot;
    if (this.setting('earlyBoot', false)) {
      const fw = await this.readFirmware();
      earlyBoot = [{ core: core.id, name: fw.name, data: fw.data }];
    }
    const { unmodelled, setup } = remoteSystemOptions(remote);
    const subs: (() => void)[] = [];
    let system: AmpSystem;
    try {
      system = createSystem({
        board,
        seed,
        earlyBoot,
        unmodelled,
        // Before the cores probe: a stand-in started at probe (early boot) says so at once.
        setup: (s) => {
          subs.push(s.events.on((e) => {
            if (e.kind !== 'console' && e.kind !== 'notice') return;
            // A notice may change how the core runs (a lockup, a stand-in): the tree re-reads it.
            if (e.kind === 'notice') this.dirty.add(e.rproc);
            this.remoteEmitter.fire({ kind: e.kind, rproc: e.rproc, core: e.core, text: e.text });
          }));
          setup?.(s);
        },
      });
    } catch (e) {
      for (const off of subs) off();
      // An early-boot image the boot loader could not have started (not an ELF, no memory for it).
      throw new SessionError(`cannot simulate ${board.id}${earlyBoot ? ` with ${earlyBoot[0].name} started by the boot loader` : ''}: ${e instanceof Error ? e.message : String(e)}`);
    }
    subs.push(
      system.events.on((e) => {
        if (e.kind === 'console' || e.kind === 'notice') return;
        if (e.kind === 'log') this.logEmitter.fire({ ...e.line, text: e.text });
        else if (e.kind === 'trace') {
          this.dirty.add(e.rproc);
          this.traceEmitter.fire({ rproc: e.rproc, trace: e.trace, text: e.text });
        } else this.dirty.add(e.rproc);
      }),
      watchChannels(system, (e) => this.channelEmitter.fire(e)),
    );
    const host = rpmsgHostOf(system);
    if (host) {
      subs.push(host.events.on((e) => {
        const r = rprocOfBus(system, e.kind === 'bus' ? e.bus : e.device.split('.')[0]);
        if (r) this.dirty.add(r);
        else for (const x of system.rprocs) this.dirty.add(x.devName);
      }));
    }
    let last = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      const slice = Math.min(MAX_SLICE_NS, (now - last) * 1e6);
      last = now;
      this.run(() => {
        // Messages moved ring indices and counters, which raise no event of their own: a slice in
        // which the host did something refreshes the cores that have rings (a firmware's own
        // timers alone move no ring, and would otherwise redraw the tree at every tick).
        const hostWork = system.scheduler.lastHostWorkNs;
        for (let done = 0; done < slice && Date.now() - now < SLICE_BUDGET_MS; done += STEP_NS) system.runFor(Math.min(STEP_NS, slice - done));
        if (system.scheduler.lastHostWorkNs !== hostWork) for (const r of system.rprocs) if (r.vdevs.length) this.dirty.add(r.devName);
      });
    }, TICK_MS);
    const live: Live = {
      system,
      board,
      core,
      dispose: () => {
        clearInterval(timer);
        for (const off of subs) off();
      },
    };
    this.applyRecovery(live);
    return live;
  }

  private applyRecovery(live: Live): void {
    const value = this.setting<'enabled' | 'disabled'>('recovery', 'enabled');
    for (const r of live.system.rprocs) this.write(live.system, `/sys/class/remoteproc/${r.devName}/recovery`, `${value}\n`);
  }

  /** The ELF of amp.firmware, read now (a rebuilt image is picked up at each boot). */
  async readFirmware(): Promise<{ name: string; uri: vscode.Uri; data: Uint8Array }> {
    const uri = firmwareUri();
    if (!uri) throw new SessionError('no firmware chosen: run "AMP: Select Firmware" or set amp.firmware');
    try {
      const data = await vscode.workspace.fs.readFile(uri);
      return { name: uri.path.split('/').pop() ?? 'firmware.elf', uri, data };
    } catch (e) {
      throw new SessionError(`cannot read ${vscode.workspace.asRelativePath(uri)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Runs `fn` on the simulation, then tells the faces what changed. */
  run<T>(fn: () => T): T {
    try {
      return fn();
    } finally {
      this.flush();
    }
  }

  /**
   * `echo text > path` on the simulated host. Undefined when it worked; else the shell's
   * strerror with the error lines the kernel logged during the write.
   */
  write(system: AmpSystem, path: string, text: string): string | undefined {
    const before = system.log.lines.length;
    return this.run(() => {
      try {
        system.files.write(path, text);
        return undefined;
      } catch (e) {
        if (!(e instanceof KernelError)) throw e;
        const said = system.log.lines.slice(before).filter((l) => l.level === 'err').map((l) => `${l.device}: ${l.message}`);
        return [`echo ${text.trim()} > ${path}: ${strerror(e.errno)}`, ...said].join('; ');
      }
    });
  }

  /** Writes `text` to a core's attribute (`state`, `recovery`, or debugfs `crash`). */
  async act(file: 'state' | 'recovery' | 'crash' | 'firmware', text: string, rproc: string): Promise<ActionResult> {
    const system = await this.system();
    const dir = file === 'crash' ? '/sys/kernel/debug/remoteproc' : '/sys/class/remoteproc';
    const error = this.write(system, `${dir}/${rproc}/${file}`, `${text}\n`);
    return { rproc, state: system.rproc(rproc).state, ...(error ? { error } : {}) };
  }

  /**
   * One line of the simulated host's shell (`echo`, `cat`, `ls`, `dmesg`, `sleep`, `rpmsg_export_ept`),
   * as on the board's console. The host's own disk is not reachable from it.
   */
  async shell(line: string): Promise<{ status: number; out: string; err: string }> {
    const system = await this.system();
    let out = '';
    let err = '';
    const io = {
      out: (d: string | Uint8Array) => (out += typeof d === 'string' ? d : new TextDecoder('latin1').decode(d)),
      err: (t: string) => (err += t),
    };
    const noDisk = { readFile: (): Uint8Array => { throw new KernelError('ENOENT'); } };
    // The shell runs the kernel's queued work as it starts: that is simulation too.
    const status = this.run(() => new Shell(system, noDisk, io).run(line));
    return { status, out, err };
  }

  /** Lets `ns` of virtual time pass now (the timer keeps going afterwards). */
  async runFor(ns: number): Promise<void> {
    const system = await this.system();
    this.run(() => system.runFor(ns));
  }

  private flush(): void {
    if (this.dirty.size) {
      const rprocs = new Set(this.dirty);
      this.dirty.clear();
      this.changeEmitter.fire({ kind: 'cores', rprocs });
    }
    this.runEmitter.fire();
  }

  private setting<T>(key: string, fallback: T): T {
    return vscode.workspace.getConfiguration('amp').get<T>(key, fallback);
  }

  dispose(): void {
    this.reset();
    this.configWatch.dispose();
    this.boardWatch.dispose();
    for (const e of [this.changeEmitter, this.logEmitter, this.traceEmitter, this.channelEmitter, this.remoteEmitter, this.runEmitter]) e.dispose();
  }
}

/** amp.firmware as a URI: absolute, or relative to the first workspace folder. */
export function firmwareUri(): vscode.Uri | undefined {
  const value = vscode.workspace.getConfiguration('amp').get<string>('firmware', '');
  if (!value) return undefined;
  if (value.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(value)) return vscode.Uri.file(value);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, value) : vscode.Uri.file(value);
}
