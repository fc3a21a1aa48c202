// The host's driver of the STM32MP1 IPCC, as Linux 6.12's drivers/mailbox/stm32-ipcc.c under the
// mailbox framework (drivers/mailbox/mailbox.c): a message sets the host's channel flag (C1SCR.CHnS)
// and is done when the M4 clears it (the TX-free interrupt: txdone); a message sent while the channel
// is busy waits in the channel's queue. When the M4 sets its own flag, the host's RX-occupied
// interrupt hands it to the client (stm32_rproc_mb_callback) and clears it (C1SCR.CHnC) at once.
// Channel numbers are the device tree's `mboxes = <&ipcc 0>, <&ipcc 1>, ...` in mbox-names order,
// which is the order of the board's mailbox list.
import type { DeviceLog } from '../kernel/kernelLog';
import type { Scheduler } from '../sim/scheduler';
import type { Mailbox, MailboxController } from '../soc/mailbox';
import type { Ipcc } from '../soc/peripherals/ipcc';

/** MBOX_TX_QUEUE_LEN of include/linux/mailbox_controller.h. */
const MBOX_TX_QUEUE_LEN = 20;

interface Channel {
  readonly name: string;
  /** A message is in the hardware (the flag is set and no txdone yet). */
  busy: boolean;
  /** Messages waiting for the channel. */
  queued: number;
  /** Messages sent and messages done, to tell a blocking sender when its own is taken. */
  sent: number;
  done: number;
}

export class Stm32IpccHost implements MailboxController {
  private readonly channels: Channel[];

  constructor(
    private readonly ipcc: Ipcc,
    private readonly mailbox: Mailbox,
    private readonly scheduler: Scheduler,
    private readonly log: DeviceLog,
    /** How far the M4's clock is ahead of the host's when it touches the IPCC mid-slice. */
    private readonly remoteAheadNs: () => number,
  ) {
    this.channels = mailbox.channels.map((name) => ({ name, busy: false, queued: 0, sent: 0, done: 0 }));
    ipcc.onRemoteSet = (ch) => this.received(ch);
    ipcc.onRemoteClear = (ch) => this.txFree(ch);
  }

  send(name: string): void {
    const ch = this.channel(name);
    if (ch.busy) {
      if (ch.queued === MBOX_TX_QUEUE_LEN) {
        this.log.err('Try increasing MBOX_TX_QUEUE_LEN');
        return;
      }
      ch.queued++;
    } else this.submit(ch);
    ch.sent++;
  }

  sendAndWait(name: string, timeoutNs: number): boolean {
    const ch = this.channel(name);
    this.send(name);
    const mine = ch.sent;
    return !this.scheduler.runWhile(() => ch.done < mine, this.scheduler.now() + timeoutNs);
  }

  private submit(ch: Channel): void {
    ch.busy = true;
    this.ipcc.hostSet(this.channels.indexOf(ch));
  }

  /** The M4 set its flag `index`: the host's RX-occupied interrupt comes after the channel's latency. */
  private received(index: number): void {
    const ch = this.channels[index];
    if (!ch) return; // a channel the device tree gives the host no client for: its flag stays set
    this.at(ch, () => {
      if (!this.ipcc.occupied(2, index)) return;
      this.ipcc.hostClear(index);
      this.mailbox.deliverToHost(ch.name);
    });
  }

  /** The M4 cleared the host's flag `index`: txdone, then the next queued message goes out. */
  private txFree(index: number): void {
    const ch = this.channels[index];
    if (!ch) return;
    this.at(ch, () => {
      if (!ch.busy) return;
      ch.busy = false;
      ch.done++;
      if (ch.queued > 0) {
        ch.queued--;
        this.submit(ch);
      }
    });
  }

  private at(ch: Channel, fn: () => void): void {
    this.scheduler.after(this.mailbox.latencyOf(ch.name) + this.remoteAheadNs(), fn, `ipcc ${ch.name}`);
  }

  private channel(name: string): Channel {
    const ch = this.channels.find((c) => c.name === name);
    if (!ch) throw new Error(`no IPCC channel for mailbox ${name}`);
    return ch;
  }
}
