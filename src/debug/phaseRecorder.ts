// Turns what one rproc does on the simulated system into life-cycle checkpoints: the phase marks
// remoteproc emits before each kernel function, its state changes, and the kernel's log lines
// for what has no mark (`creating channel rpmsg-tty addr 0x400`, error lines).
// Each checkpoint carries a record of the state at that moment, because the kernel runs a boot
// to its end in one call and the debugger shows its steps afterwards.
import type { LogLine } from '../core/kernel/kernelLog';
import { rpmsgHostOf } from '../core/rpmsg/attachRpmsg';
import { rpmsgSnapshot, type RpmsgBusSnapshot } from '../core/rpmsg/rpmsgSnapshot';
import type { Rproc } from '../core/remoteproc/rproc';
import { CRASH_TYPES } from '../core/remoteproc/crashRecovery';
import type { RprocPhase } from '../core/remoteproc/rprocEnv';
import type { AmpSystem, CoreSnapshot, SystemEvent } from '../core/system';
import { VIRTIO_CONFIG_S_DRIVER_OK } from '../core/virtio/virtioStatus';
import type { LifecycleLine, LifecycleSource } from './lifecycleSource';
import { MemoryImage } from './memoryImage';

export type ExceptionFilter = 'boot-failure' | 'validation-error' | 'crash' | 'rpmsg-error';

/** Which part of the life the checkpoint is in (the middle frame of the stack). */
export type Frame = 'boot' | 'attach' | 'recovery' | 'run' | 'crash' | 'stop';

/** The state at a checkpoint, as variables and memory reads show it. */
export interface Capture {
  readonly core: CoreSnapshot;
  /** The resource table the host holds (cached copy or the loaded one), as bytes. */
  readonly table: { readonly bytes: Uint8Array; readonly where: 'cached' | 'loaded'; readonly pa: number | undefined } | undefined;
  readonly memory: MemoryImage;
  /** The rpmsg buses on this core's vdevs: channels, endpoints, counters. */
  readonly rpmsg: readonly RpmsgBusSnapshot[];
  readonly timeNs: number;
}

export interface Checkpoint {
  readonly seq: number;
  readonly line: LifecycleLine;
  readonly frame: Frame;
  /** What happened, for the stop's description. */
  readonly detail: string;
  readonly exception?: { readonly filter: ExceptionFilter; readonly text: string };
  readonly capture: Capture;
}

const PHASE_KEYS: Record<string, (m: RprocPhase) => string | undefined> = {
  request_firmware: () => 'request_firmware',
  rproc_fw_sanity_check: () => 'sanity_check',
  rproc_parse_fw: () => 'parse_fw',
  rproc_handle_resources: (m) => `rsc:${m.index ?? 0}`,
  rproc_alloc_registered_carveouts: () => 'alloc_carveouts',
  rproc_load_segments: (m) => `load:${m.index ?? 0}`,
  rproc_start: () => 'start',
  rproc_virtio_set_status: (m) => ((m.value ?? 0) & VIRTIO_CONFIG_S_DRIVER_OK ? `vdev:${m.index ?? 0}` : undefined),
  rproc_attach: () => 'attach',
  rproc_stop: () => 'stop',
  rproc_report_crash: () => 'crash',
  rproc_trigger_recovery: () => 'recovery',
};

const BOOT_FRAMES: ReadonlySet<Frame> = new Set(['boot', 'attach', 'recovery']);

export class PhaseRecorder {
  private seq = 0;
  private frame: Frame = 'stop';
  private lastKey: string | undefined;
  private lastLine: LifecycleLine;
  private lastImage: MemoryImage | undefined;
  /** Error lines logged during the current boot: the failure's words if it does not reach running. */
  private bootErrors: LogLine[] = [];
  /** A channel announced in the work now running. */
  private channel: { key: string; detail: string } | undefined;
  private readonly off: () => void;

  constructor(
    private readonly system: AmpSystem,
    private readonly rproc: Rproc,
    private readonly source: LifecycleSource,
    private readonly emit: (c: Checkpoint) => void,
  ) {
    this.lastLine = source.lines[0];
    this.off = system.events.on((e) => this.onEvent(e));
  }

  dispose(): void {
    this.off();
  }

  /** A checkpoint of the present state at `key`'s line (the entry stop, attach's starting point). */
  checkpoint(key: string, detail: string, frame: Frame): Checkpoint {
    this.frame = frame;
    const line = this.source.find(key) ?? this.lastLine;
    this.lastKey = key;
    this.lastLine = line;
    return { seq: this.seq++, line, frame, detail, capture: this.capture() };
  }

  /** The same stop with a fresh record of the present (after a shell command, a pause). */
  recapture(c: Checkpoint): Checkpoint {
    return { ...c, seq: this.seq++, capture: this.capture() };
  }

  /** After each action on the system: an announced channel exists; a boot that ended without running failed. */
  settle(): void {
    this.takeChannel();
    if (!BOOT_FRAMES.has(this.frame)) return;
    const s = this.rproc.state;
    if (s === 'running' || s === 'attached') return;
    // Recovery waiting for an inline core dump to be read has not failed yet.
    if (this.frame === 'recovery' && this.bootErrors.length === 0) return;
    const first = this.bootErrors[0];
    const text = this.bootErrors.map((e) => `${e.device}: ${e.message}`).join('\n') || `${this.rproc.name} is ${s}`;
    this.bootErrors = [];
    const frame = this.frame;
    this.frame = 'stop';
    // The first error says why; the ones after it are the callers giving up.
    this.push(this.lastLine, frame, `boot failed in ${this.lastLine.functions[0]}: ${first?.message ?? `${this.rproc.name} is ${s}`}`, { filter: 'boot-failure', text });
  }

  private onEvent(e: SystemEvent): void {
    switch (e.kind) {
      case 'phase':
        if (e.rproc === this.rproc.devName) this.onPhase(e.phase);
        break;
      case 'log':
        this.onLog(e.line);
        break;
      case 'state':
        if (e.rproc !== this.rproc.devName) break;
        if (e.state === 'running') this.reach('running', `${this.rproc.name} is running`);
        else if (e.state === 'attached') this.reach('attached', `${this.rproc.name} is attached`);
        else if (e.state === 'detached' && this.frame === 'run') this.reach('detach', `${this.rproc.name} is detached`);
        break;
    }
  }

  private onPhase(m: RprocPhase): void {
    const key = PHASE_KEYS[m.fn]?.(m);
    if (!key) return;
    // rproc_stop() also runs inside a recovery: that is part of the recovery, not a stop.
    if (key === 'stop' && this.frame === 'recovery') return;
    if (key.startsWith('load:') && !this.lastKey?.startsWith('load')) this.reach('load', 'loading segments');
    // The kernel's own words for a crash (the line rproc_report_crash logs next).
    const detail = key === 'crash' ? `crash detected in ${this.rproc.name}: type ${CRASH_TYPES[m.type ?? -1] ?? 'unknown'}` : (this.source.find(key)?.text ?? m.fn);
    this.reach(key, detail);
  }

  private onLog(l: LogLine): void {
    const rpmsg = this.isMyBus(l.device);
    if (!rpmsg && !this.isMine(l.device)) return;
    const m = l.message;
    // rpmsg_ns_cb() logs `creating channel rpmsg-tty addr 0x400`, then creates it: the stop comes
    // once the work that logged it is done, so the channel is there to see.
    if (/^creating channel \S+ addr /.test(m)) {
      this.takeChannel();
      this.channel = { key: `channel:${m.split(' ')[2]}`, detail: m };
      return;
    }
    if (l.level !== 'err') return;
    if (BOOT_FRAMES.has(this.frame)) this.bootErrors.push(l);
    else if (rpmsg) {
      const detail = `${l.device}: ${m}`;
      this.push(this.lastLine, this.frame, detail, { filter: 'rpmsg-error', text: detail });
    }
  }

  private takeChannel(): void {
    const c = this.channel;
    this.channel = undefined;
    if (c) this.reach(c.key, c.detail);
  }

  /** Moves to `key`'s line unless already there (a phase mark and its log line name the same step). */
  private reach(key: string, detail: string): void {
    if (!key.startsWith('channel:')) this.takeChannel();
    if (key === this.lastKey) return;
    const line = this.source.find(key);
    if (!line) return;
    const frame = this.frameFor(key);
    this.lastKey = key;
    this.lastLine = line;
    this.push(line, frame, detail, key === 'crash' ? { filter: 'crash', text: detail } : undefined);
  }

  private frameFor(key: string): Frame {
    if (key === 'request_firmware') this.enterBoot('boot');
    else if (key === 'attach') this.enterBoot('attach');
    else if (key === 'recovery') this.enterBoot('recovery');
    else if (key === 'crash') this.frame = 'crash';
    else if (key === 'stop' || key === 'detach') this.frame = 'stop';
    else if (key.startsWith('channel:') && !BOOT_FRAMES.has(this.frame)) this.frame = 'run';
    const frame = this.frame;
    if (key === 'running' || key === 'attached') {
      this.bootErrors = [];
      this.frame = 'run';
    }
    return frame;
  }

  private enterBoot(frame: Frame): void {
    this.frame = frame;
    this.bootErrors = [];
  }

  private push(line: LifecycleLine, frame: Frame, detail: string, exception?: Checkpoint['exception']): void {
    this.emit({ seq: this.seq++, line, frame, detail, exception, capture: this.capture() });
  }

  private isMine(device: string): boolean {
    const r = this.rproc;
    return device === r.log.name || device === r.parentLog.name || r.vdevs.some((v) => device === v.log.name);
  }

  /** `virtio_rpmsg_bus virtio0` or an rpmsg device on it (`rpmsg_ctrl virtio0.rpmsg_ctrl.0.0`). */
  private isMyBus(device: string): boolean {
    const name = device.slice(device.indexOf(' ') + 1);
    return this.rproc.vdevs.some((v) => v.virtioName !== undefined && (name === v.virtioName || name.startsWith(`${v.virtioName}.`)));
  }

  private capture(): Capture {
    const r = this.rproc;
    const core = this.system.snapshot().cores[r.index];
    const t = r.tablePtr;
    this.lastImage = MemoryImage.capture(this.system.memory.physical, this.lastImage);
    return {
      core,
      table: t ? { bytes: t.bytes(), where: t.where, pa: t.pa } : undefined,
      memory: this.lastImage,
      rpmsg: this.rpmsg(),
      timeNs: this.system.now(),
    };
  }

  private rpmsg(): RpmsgBusSnapshot[] {
    const host = rpmsgHostOf(this.system);
    const mine = new Set(this.rproc.vdevs.map((v) => v.virtioName));
    return host ? rpmsgSnapshot(host).filter((b) => mine.has(b.bus)) : [];
  }
}
