// Helper for remoteproc: which program a released core runs. The firmware's own service names
// decide, unless the user picked an application.
import type { ElfFile } from '../elf/elfFile';
import type { RemoteProgram } from '../soc/remoteProgram';
import { OpenampProgram } from './openampProgram';
import { REMOTE_APPS, servicesInFirmware, type RemoteAppName } from './remoteApps';

export function selectRemoteProgram(elf: ElfFile, app?: RemoteAppName): RemoteProgram {
  return new OpenampProgram(app ? [REMOTE_APPS[app]] : servicesInFirmware(elf));
}
