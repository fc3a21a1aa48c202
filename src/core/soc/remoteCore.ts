// A remote core as the host drives it: held in reset until released, then it runs a
// RemoteProgram that only sees its own memory view, its peripherals, its mailbox and virtual time.
// A memory fault inside a stand-in program halts the core and is reported as the hardware would
// see it, never thrown.
import type { CoreDebug } from '../cpu/coreDebug';
import type { ElfFile } from '../elf/elfFile';
import type { Scheduler } from '../sim/scheduler';
import type { SeededRandom } from '../sim/random';
import type { CoreDesc } from './board';
import type { AddressSpace } from './addressSpace';
import type { Mailbox, MailboxController } from './mailbox';
import { MemoryFault } from './memoryAccess';
import type { CorePeripherals } from './peripherals/corePeripherals';
import type { CrashKind, RemoteContext, RemoteProgram } from './remoteProgram';

export type RemoteCrashListener = (kind: CrashKind, reason: string) => void;

/** What a core's programs reach beyond memory and the mailbox. */
export interface RemoteCoreWiring {
  readonly peripherals?: CorePeripherals;
  /** The host's driver of the core's mailbox device model (the IPCC), when the board has one. */
  readonly mailboxDevice?: MailboxController;
  readonly console: (bytes: Uint8Array) => void;
  readonly notice: (text: string) => void;
  /** The core's debugger (a modelled CPU's program binds it). */
  readonly debug?: CoreDebug;
}

export class RemoteCore {
  private program: RemoteProgram | undefined;
  private cancels = new Set<() => void>();
  private unsubscribe: (() => void)[] = [];
  /** Bumped at every release and halt, so callbacks of an earlier run are ignored. */
  private epoch = 0;
  private runningElf: ElfFile | undefined;
  private clock: (() => number) | undefined;

  constructor(
    readonly core: CoreDesc,
    readonly mem: AddressSpace,
    readonly mailbox: Mailbox,
    private readonly scheduler: Scheduler,
    private readonly random: SeededRandom,
    private readonly onCrash: RemoteCrashListener,
    readonly wiring: RemoteCoreWiring,
  ) {}

  get running(): boolean {
    return this.program !== undefined;
  }

  /** What the core runs while released. */
  get current(): RemoteProgram | undefined {
    return this.program;
  }

  /** The core's clock: ahead of the system's while its CPU is inside a slice. */
  nowNs(): number {
    return this.clock?.() ?? this.scheduler.now();
  }

  get elf(): ElfFile | undefined {
    return this.runningElf;
  }

  /** Leaves reset at the ELF entry point: the program starts after `delayNs`. */
  release(elf: ElfFile, program: RemoteProgram, delayNs = 0): void {
    this.halt();
    const epoch = ++this.epoch;
    this.program = program;
    this.runningElf = elf;
    const ctx = this.context(elf, epoch);
    this.track(this.scheduler.after(delayNs, () => this.guard(epoch, () => program.start(ctx)), `${this.core.id} reset release`));
  }

  /** Power cut / reset asserted: every scheduled action and handler of the program goes. */
  halt(): void {
    this.epoch++;
    for (const c of this.cancels) c();
    this.cancels.clear();
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    const p = this.program;
    this.program = undefined;
    this.runningElf = undefined;
    this.clock = undefined;
    p?.stop();
  }

  private track(cancel: () => void): () => void {
    this.cancels.add(cancel);
    return () => {
      cancel();
      this.cancels.delete(cancel);
    };
  }

  private guard(epoch: number, fn: () => void): void {
    if (epoch !== this.epoch) return;
    try {
      fn();
    } catch (e) {
      if (!(e instanceof MemoryFault)) throw e;
      this.die(epoch, 'mmu fault', e.message);
    }
  }

  private die(epoch: number, kind: CrashKind, reason: string): void {
    if (epoch !== this.epoch) return;
    this.halt();
    this.onCrash(kind, reason);
  }

  private context(elf: ElfFile, epoch: number): RemoteContext {
    const rsc = elf.section('.resource_table');
    const live = () => epoch === this.epoch;
    return {
      core: this.core,
      mem: this.mem,
      space: this.mem,
      peripherals: this.wiring.peripherals,
      debug: this.wiring.debug,
      elf,
      resourceTableDa: rsc ? rsc.addr : undefined,
      now: () => this.scheduler.now(),
      nextEventNs: () => this.scheduler.nextTime(),
      watchEventsBefore: (endNs, fn) => this.scheduler.watchBefore(endNs, fn),
      unwatchEvents: () => this.scheduler.watchBefore(Infinity, undefined),
      setClock: (nowNs) => {
        if (live()) this.clock = nowNs;
      },
      useMailboxDevice: () => {
        const device = this.wiring.mailboxDevice;
        if (live() && device) this.unsubscribe.push(this.mailbox.useController(device));
      },
      console: (bytes) => {
        if (live()) this.wiring.console(bytes);
      },
      notice: (text) => {
        if (live()) this.wiring.notice(text);
      },
      timer: (fn) => {
        let pending: (() => void) | undefined;
        const cancel = () => {
          pending?.();
          pending = undefined;
        };
        const run = () => {
          pending = undefined;
          this.guard(epoch, fn);
        };
        if (live()) this.cancels.add(cancel);
        return {
          set: (delayNs) => {
            cancel();
            if (live()) pending = this.scheduler.after(delayNs, run, `${this.core.id} program`, true);
          },
          cancel,
        };
      },
      schedule: (delayNs, fn) => {
        if (epoch !== this.epoch) return () => undefined;
        let cancel: () => void = () => undefined;
        cancel = this.track(this.scheduler.after(delayNs, () => {
          this.cancels.delete(cancel);
          this.guard(epoch, fn);
        }, `${this.core.id} program`, true));
        return cancel;
      },
      kick: (channel, value = 0) => {
        if (epoch === this.epoch) this.mailbox.sendToHost(channel, value);
      },
      onKick: (handler) => {
        if (epoch !== this.epoch) return;
        this.unsubscribe.push(this.mailbox.onRemote((ch, v) => this.guard(epoch, () => handler(ch, v))));
      },
      random: () => this.random.next(),
      crash: (kind, reason) => this.die(epoch, kind, reason),
    };
  }
}
