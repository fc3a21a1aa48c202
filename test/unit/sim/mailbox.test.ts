import assert from 'assert';
import { Mailbox } from '../../../src/core/soc/mailbox';
import { Scheduler } from '../../../src/core/sim/scheduler';
import { findBoard } from '../../../src/core/soc/boardLoader';

describe('soc/Mailbox', () => {
  const core = findBoard('stm32mp157')!.cores[0];

  it("delivers after the channel's latency, in order, to the other side only", () => {
    const s = new Scheduler();
    const mb = new Mailbox(s, core);
    const remote: string[] = [];
    const host: string[] = [];
    mb.onRemote((ch, v) => remote.push(`${ch}:${v}@${s.now()}`));
    mb.onHost((ch, v) => host.push(`${ch}:${v}@${s.now()}`));
    mb.sendToRemote('vq0', 0);
    mb.sendToRemote('vq1', 1);
    mb.sendToHost('vq1', 7);
    s.runUntilIdle();
    const lat = core.mailbox.find((c) => c.name === 'vq0')!.latencyNs;
    assert.deepStrictEqual(remote, [`vq0:0@${lat}`, `vq1:1@${lat}`]);
    assert.deepStrictEqual(host, [`vq1:7@${lat}`]);
  });

  it('refuses a channel the board does not have, naming the ones it has', () => {
    const mb = new Mailbox(new Scheduler(), core);
    assert.throws(() => mb.sendToRemote('vq7'), /no mailbox channel vq7 \(has vq0, vq1, shutdown, detach\)/);
  });

  it('a handler removed before delivery gets nothing', () => {
    const s = new Scheduler();
    const mb = new Mailbox(s, core);
    let n = 0;
    const off = mb.onRemote(() => n++);
    mb.sendToRemote('vq0');
    off();
    s.runUntilIdle();
    assert.strictEqual(n, 0);
  });
});
