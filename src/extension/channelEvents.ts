// The rpmsg channels of a simulated system coming and going, with why they went in the kernel's
// words (the life-cycle step its core was in): what a terminal on one of them tells its user.
import { rpmsgHostOf } from '../core/rpmsg/attachRpmsg';
import type { AmpSystem } from '../core/system';

/** The kernel steps that say why a core's channels go: the others (virtio status writes, ...) happen inside them. */
const LIFECYCLE_STEPS = new Set(['request_firmware', 'rproc_attach', 'rproc_stop', 'rproc_report_crash', 'rproc_trigger_recovery']);

export interface ChannelEvent {
  readonly rproc: string | undefined;
  /** rpmsg device name, `virtio0.rpmsg-tty.-1.1024`. */
  readonly device: string;
  readonly added: boolean;
  /** Why it went: `crashed`, `stopped`, `detached`, ... (the rproc's life-cycle step at the time). */
  readonly reason: string;
}

/** The rproc whose vdev carries the rpmsg bus `bus` (`virtio0`). */
export function rprocOfBus(system: AmpSystem, bus: string): string | undefined {
  return system.rprocs.find((r) => r.vdevs.some((v) => v.virtioName === bus))?.devName;
}

/** Calls `fire` for each rpmsg device added to or removed from `system`; returns the function that stops it. */
export function watchChannels(system: AmpSystem, fire: (e: ChannelEvent) => void): () => void {
  const lastPhase = new Map<string, string>();
  const offPhases = system.events.on((e) => {
    if (e.kind === 'phase' && LIFECYCLE_STEPS.has(e.phase.fn)) lastPhase.set(e.rproc, e.phase.fn);
  });
  const offDevices = rpmsgHostOf(system)?.events.on((e) => {
    if (e.kind !== 'device') return;
    const rproc = rprocOfBus(system, e.device.split('.')[0]);
    fire({ rproc, device: e.device, added: e.added, reason: reason(system, rproc, lastPhase.get(rproc ?? '')) });
  });
  return () => {
    offPhases();
    offDevices?.();
  };
}

function reason(system: AmpSystem, rproc: string | undefined, phase: string | undefined): string {
  if (!rproc) return 'its bus went away';
  const r = system.rproc(rproc);
  if (r.state === 'crashed' || phase === 'rproc_report_crash' || phase === 'rproc_trigger_recovery') return `${rproc} crashed`;
  if (phase === 'rproc_stop') return `${rproc} stopped`;
  return `${rproc} is ${r.state}`;
}
