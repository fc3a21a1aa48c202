// Mailbox / IPI between the host and one remote core (STM32 IPCC channels, TI mailbox, ZynqMP IPI
// as one mechanism): a message on a channel arrives on the other side after the channel's latency.
// While the remote's own firmware runs, the host's messages go through the mailbox hardware's
// model instead (a controller: the host's driver of that model), as on the board.
import type { CoreDesc } from './board';
import type { Scheduler } from '../sim/scheduler';

export type MailboxHandler = (channel: string, value: number) => void;

/** The host's driver of a modelled mailbox device (drivers/mailbox/ in Linux). */
export interface MailboxController {
  send(channel: string): void;
  /** mbox_send_message() with tx_block: true once the remote took the message within `timeoutNs`. */
  sendAndWait(channel: string, timeoutNs: number): boolean;
}

export class Mailbox {
  private toRemote: MailboxHandler[] = [];
  private toHost: MailboxHandler[] = [];
  private readonly latency = new Map<string, number>();
  private controller: MailboxController | undefined;

  constructor(
    private readonly scheduler: Scheduler,
    readonly core: CoreDesc,
  ) {
    for (const ch of core.mailbox) this.latency.set(ch.name, ch.latencyNs);
  }

  get channels(): string[] {
    return [...this.latency.keys()];
  }

  has(channel: string): boolean {
    return this.latency.has(channel);
  }

  /** The host's messages go through `controller` until the returned function is called. */
  useController(controller: MailboxController): () => void {
    this.controller = controller;
    return () => {
      if (this.controller === controller) this.controller = undefined;
    };
  }

  /** Host rings the remote. */
  sendToRemote(channel: string, value = 0): void {
    this.check(channel);
    if (this.controller) this.controller.send(channel);
    else this.deliver(channel, value, () => this.toRemote);
  }

  /**
   * Host rings the remote and waits until the remote has taken the message (a mailbox client
   * with tx_block, waiting at most `timeoutNs`); false when it was not taken in time. Without a
   * controller the remote's handlers run now, before the host goes on (e.g. to reset it).
   */
  sendToRemoteAndWait(channel: string, timeoutNs: number): boolean {
    this.check(channel);
    if (this.controller) return this.controller.sendAndWait(channel, timeoutNs);
    for (const h of this.toRemote) h(channel, 0);
    return true;
  }

  /** Remote rings the host. */
  sendToHost(channel: string, value = 0): void {
    this.check(channel);
    this.deliver(channel, value, () => this.toHost);
  }

  /** A controller hands the host a message from the remote now (its own interrupt timing applied). */
  deliverToHost(channel: string): void {
    for (const h of this.toHost) h(channel, 0);
  }

  onRemote(h: MailboxHandler): () => void {
    this.toRemote.push(h);
    return () => (this.toRemote = this.toRemote.filter((x) => x !== h));
  }

  onHost(h: MailboxHandler): () => void {
    this.toHost.push(h);
    return () => (this.toHost = this.toHost.filter((x) => x !== h));
  }

  /** The channel's latency in nanoseconds. */
  latencyOf(channel: string): number {
    this.check(channel);
    return this.latency.get(channel)!;
  }

  private check(channel: string): void {
    if (!this.latency.has(channel)) throw new Error(`${this.core.id} has no mailbox channel ${channel} (has ${this.channels.join(', ')})`);
  }

  private deliver(channel: string, value: number, handlers: () => MailboxHandler[]): void {
    // Handlers are read at delivery time: a side that went away in the meantime gets nothing.
    this.scheduler.after(this.latency.get(channel)!, () => {
      for (const h of handlers()) h(channel, value);
    }, `mbox ${this.core.id}:${channel}`);
  }
}
