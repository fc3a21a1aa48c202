// The labelled stand-in remote, for cores whose CPU is not modelled or when the user picks it: an
// OpenAMP-style runtime in TypeScript that brings up rpmsg over the vdev in the firmware's resource
// table once the host sets DRIVER_OK, then runs an echo service for each service name it was given.
// Without a table or an rpmsg vdev it just boots; without known names it announces nothing. It
// writes nothing into the firmware's trace buffer (those lines would be invented); what it has to
// say goes out as the simulator's notices.
import type { RemoteContext, RemoteProgram } from '../soc/remoteProgram';
import { readRemoteTable } from './remoteResourceTable';
import { RemoteRpmsg } from './remoteRpmsg';
import { startEchoService } from './remoteApps';

export class OpenampProgram implements RemoteProgram {
  readonly runsFirmware = false;
  rpmsg: RemoteRpmsg | undefined;

  constructor(
    readonly services: readonly string[],
    /** What every surface shows while it runs ("modelled remote: ..."). */
    readonly label: string,
  ) {}

  status(): string {
    return this.label;
  }

  start(ctx: RemoteContext): void {
    ctx.notice(this.label);
    const table = ctx.resourceTableDa === undefined ? undefined : readRemoteTable(ctx.mem, ctx.resourceTableDa);
    if (!table?.vdev) return;
    const channels = table.vdev.vrings.map((v) => kickChannel(ctx, v.notifyid));
    const rpmsg = new RemoteRpmsg(ctx, table.vdev, (vring, notifyid) => ctx.kick(channels[vring], notifyid));
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
