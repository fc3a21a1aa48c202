// Mailbox / IPI between the host and one remote core (STM32 IPCC channels, TI mailbox, ZynqMP IPI
// as one mechanism): a message on a channel arrives on the other side after the channel's latency.
import type { CoreDesc } from './board';
import type { Scheduler } from '../sim/scheduler';

export type MailboxHandler = (channel: string, value: number) => void;

export class Mailbox {
  private toRemote: MailboxHandler[] = [];
  private toHost: MailboxHandler[] = [];
  private readonly latency = new Map<string, number>();

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

  /** Host rings the remote. */
  sendToRemote(channel: string, value = 0): void {
    this.deliver(channel, value, () => this.toRemote);
  }

  /**
   * Host rings the remote and waits until the remote has taken the message (a mailbox client
   * with tx_block): the remote's handlers run now, before the host goes on (e.g. to reset it).
   */
  sendToRemoteAndWait(channel: string, value = 0): void {
    if (!this.latency.has(channel)) throw new Error(`${this.core.id} has no mailbox channel ${channel} (has ${this.channels.join(', ')})`);
    for (const h of this.toRemote) h(channel, value);
  }

  /** Remote rings the host. */
  sendToHost(channel: string, value = 0): void {
    this.deliver(channel, value, () => this.toHost);
  }

  onRemote(h: MailboxHandler): () => void {
    this.toRemote.push(h);
    return () => (this.toRemote = this.toRemote.filter((x) => x !== h));
  }

  onHost(h: MailboxHandler): () => void {
    this.toHost.push(h);
    return () => (this.toHost = this.toHost.filter((x) => x !== h));
  }

  private deliver(channel: string, value: number, handlers: () => MailboxHandler[]): void {
    const lat = this.latency.get(channel);
    if (lat === undefined) throw new Error(`${this.core.id} has no mailbox channel ${channel} (has ${this.channels.join(', ')})`);
    // Handlers are read at delivery time: a side that went away in the meantime gets nothing.
    this.scheduler.after(lat, () => {
      for (const h of handlers()) h(channel, value);
    }, `mbox ${this.core.id}:${channel}`);
  }
}
