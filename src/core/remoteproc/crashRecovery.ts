// rproc_report_crash(), the crash handler and rproc_trigger_recovery(): a crash is logged at
// once, handled from a work item, and, unless recovery is disabled, the core is stopped, its
// dump taken and the same firmware started again.
import { rprocCoredump } from './coredump';
import type { Rproc } from './rproc';

/** enum rproc_crash_type, in the kernel's order (debugfs `crash` takes the number). */
export const CRASH_TYPES = ['mmufault', 'watchdog', 'fatal error'] as const;

/** rproc_report_crash(): logs now, handles the crash from a work queue (next event). */
export function reportCrash(r: Rproc, type: number): void {
  if (r.state === 'deleted') return;
  r.phase('rproc_report_crash', { type });
  r.log.err(`crash detected in ${r.name}: type ${CRASH_TYPES[type] ?? 'unknown'}`);
  if (r.crashPending) return; // queue_work() on pending work does nothing
  r.crashPending = true;
  r.env.scheduler.after(0, () => r.withLock(() => {
    r.crashPending = false;
    crashHandler(r);
  }), `${r.devName} crash handler`);
}

function crashHandler(r: Rproc): void {
  if (r.state === 'crashed' || r.state === 'offline' || r.state === 'deleted') return;
  r.setState('crashed');
  r.crashCount++;
  r.log.err(`handling crash #${r.crashCount} in ${r.name}`);
  if (!r.recoveryDisabled) triggerRecovery(r);
}

/** rproc_trigger_recovery(): only from the crashed state. */
export function triggerRecovery(r: Rproc): void {
  if (r.state !== 'crashed' || r.dumpWait) return;
  r.phase('rproc_trigger_recovery');
  r.log.err(`recovering ${r.name}`);
  try {
    r.stop(true);
  } catch {
    return;
  }
  // An inline dump holds the recovery until it has been read (or devcoredump times out).
  rprocCoredump(r, () => finishBootRecovery(r));
}

function finishBootRecovery(r: Rproc): void {
  try {
    r.start(r.requestFirmware(r.firmware));
  } catch {
    // rproc_boot_recovery() returns the error to nobody: the rproc stays offline, powered.
  }
}
