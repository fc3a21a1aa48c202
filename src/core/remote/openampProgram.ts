// What the simulated remote core runs: an OpenAMP-style firmware that logs to its trace buffer,
// brings up rpmsg over the vdev in its resource table once the host sets DRIVER_OK, then runs an
// echo service for each service name it was built with. Without a table or an rpmsg vdev it
// just boots; without known names it comes up and announces nothing.
import type { RemoteContext, RemoteProgram } from '../soc/remoteProgram';
import { readRemoteTable } from './remoteResourceTable';
import { RemoteRpmsg } from './remoteRpmsg';
import { startEchoService } from './remoteApps';
import { TraceWriter } from './traceWriter';

export class OpenampProgram implements RemoteProgram {
  rpmsg: RemoteRpmsg | undefined;

  constructor(readonly services: readonly string[]) {}

  start(ctx: RemoteContext): void {
    const table = ctx.resourceTableDa === undefined ? undefined : readRemoteTable(ctx.mem, ctx.resourceTableDa);
    const trace = table?.trace ? new TraceWriter(ctx.mem, table.trace.da, table.trace.len) : undefined;
    trace?.puts(`${ctx.core.name} remote firmware: booting\n`);
    for (const s of this.services) trace?.puts(`rpmsg service: ${s}\n`);
    if (!table?.vdev) return;
    const channels = table.vdev.vrings.map((v) => kickChannel(ctx, v.notifyid));
    const rpmsg = new RemoteRpmsg(ctx, table.vdev, trace, (vring, notifyid) => ctx.kick(channels[vring], notifyid));
    this.rpmsg = rpmsg;
    ctx.onKick(() => rpmsg.kicked());
    rpmsg.onReady(() => {
      for (const s of this.services) startEchoService(rpmsg, s);
    });
    rpmsg.start();
  }

  stop(): void {
    this.rpmsg?.stop();
    this.rpmsg = undefined;
  }
}

/** The board's channel for a vring's notify id: `vqN` where it exists (IPCC), else the core's remote-to-host one. */
function kickChannel(ctx: RemoteContext, notifyid: number): string {
  const mb = ctx.core.mailbox;
  const named = `vq${notifyid}`;
  if (mb.some((c) => c.name === named)) return named;
  return mb.length ? mb[mb.length - 1].name : named;
}
