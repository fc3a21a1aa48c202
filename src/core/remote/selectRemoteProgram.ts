// Which program a released core runs: the firmware's own code where its CPU is modelled (the
// Cortex-M4), unless the user picked a stand-in application; elsewhere the labelled stand-in, with
// the services the firmware's read-only data names.
import type { ElfFile } from '../elf/elfFile';
import type { CoreDesc } from '../soc/board';
import type { RemoteProgram } from '../soc/remoteProgram';
import { FirmwareProgram } from '../cpu/firmwareProgram';
import { OpenampProgram } from './openampProgram';
import { REMOTE_APPS, servicesInFirmware, type RemoteAppName } from './remoteApps';

/** The CPUs whose instructions the simulator executes. */
export const MODELLED_CPUS: readonly string[] = ['cortex-m4'];

export function selectRemoteProgram(elf: ElfFile, core: CoreDesc, app?: RemoteAppName): RemoteProgram {
  if (app) return new OpenampProgram([REMOTE_APPS[app]], `modelled remote (${app}, chosen by the user): the firmware's code does not run`);
  if (MODELLED_CPUS.includes(core.cpu)) return new FirmwareProgram();
  return new OpenampProgram(servicesInFirmware(elf), `modelled remote: the firmware's code does not run on ${core.cpu} cores yet`);
}
