// What runs on a released remote core and what its unmodelled peripheral accesses do, as the
// settings amp.remoteApp / amp.unmodelledAccess and the `amp` launch attributes remoteApp /
// unmodelledAccess name them. One reading for the session (src/extension) and the debugger
// (src/debug), so both accept and refuse the same values in the same words.
import { REMOTE_APPS, type RemoteAppName } from '../core/remote/remoteApps';
import { selectRemoteProgram } from '../core/remote/selectRemoteProgram';
import type { UnmodelledPolicy } from '../core/soc/peripherals/unmodelled';
import type { SystemOptions } from '../core/system';

/** "firmware": the firmware's own code where the core's CPU is modelled; the others: a stand-in application. */
export const REMOTE_APP_CHOICES: readonly string[] = ['firmware', ...Object.keys(REMOTE_APPS)];
export const UNMODELLED_CHOICES: readonly UnmodelledPolicy[] = ['ignore', 'fault'];

export interface RemoteChoice {
  /** The stand-in application the user picked; undefined: the firmware's code (or the stand-in where no CPU is modelled). */
  readonly app: RemoteAppName | undefined;
  readonly unmodelled: UnmodelledPolicy;
}

/**
 * Checks both values (undefined takes the default) and says which one is wrong, by the name the
 * user wrote it under (`amp.remoteApp` or `"remoteApp"`).
 */
export function readRemoteChoice(app: unknown, unmodelled: unknown, names: { readonly app: string; readonly unmodelled: string }): RemoteChoice | { readonly error: string } {
  const appValue = app ?? 'firmware';
  if (typeof appValue !== 'string' || !REMOTE_APP_CHOICES.includes(appValue)) {
    return { error: `${names.app} must be one of ${REMOTE_APP_CHOICES.join(', ')} (got ${JSON.stringify(app)})` };
  }
  const policy = unmodelled ?? 'ignore';
  if (typeof policy !== 'string' || !(UNMODELLED_CHOICES as readonly string[]).includes(policy)) {
    return { error: `${names.unmodelled} must be one of ${UNMODELLED_CHOICES.join(', ')} (got ${JSON.stringify(unmodelled)})` };
  }
  return { app: appValue === 'firmware' ? undefined : (appValue as RemoteAppName), unmodelled: policy as UnmodelledPolicy };
}

/** The system options of a choice; a stand-in is selected in `setup`, before the cores probe (an early-booted core runs it too). */
export function remoteSystemOptions(choice: RemoteChoice): Pick<SystemOptions, 'unmodelled' | 'setup'> {
  const { app } = choice;
  return {
    unmodelled: choice.unmodelled,
    setup: app ? (s) => s.setProgramSelector((elf, core) => selectRemoteProgram(elf, core, app)) : undefined,
  };
}
