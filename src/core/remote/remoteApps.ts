// The remote applications users run, by the rpmsg service each announces: OpenAMP's echo demo,
// the tty echo (current and older channel name), and the peer of the kernel's
// rpmsg-client-sample. Each echoes every message back to its sender, blocking on a full ring.
// Which ones a firmware runs is read from the service names in its read-only data.
import type { ElfFile } from '../elf/elfFile';
import { ElfError } from '../elf/types';
import { RPMSG_NAME_SIZE } from '../rpmsg/rpmsgWire';
import type { RemoteEndpoint } from './remoteEndpoint';
import type { RemoteRpmsg } from './remoteRpmsg';

export const REMOTE_APPS = {
  echo: 'rpmsg-openamp-demo-channel',
  tty: 'rpmsg-tty',
  'tty-channel': 'rpmsg-tty-channel',
  'client-sample': 'rpmsg-client-sample',
} as const;

export type RemoteAppName = keyof typeof REMOTE_APPS;

const SHF_WRITE = 1;
const SHF_ALLOC = 2;
const SHT_NOBITS = 8;
const PT_LOAD = 1;
const PF_W = 2;

/** An echo service on a new endpoint announced as `service`. */
export function startEchoService(rpmsg: RemoteRpmsg, service: string): RemoteEndpoint | undefined {
  const ept: RemoteEndpoint | undefined = rpmsg.createEndpoint(service, (data, len) => {
    rpmsg.send(ept!, data, 0, len, true);
  });
  return ept;
}

/** Known service names present as whole NUL-terminated strings in the firmware's read-only data, in file order. */
export function servicesInFirmware(elf: ElfFile): string[] {
  const blobs: Uint8Array[] = [];
  // a section header table the kernel never reads may be garbage: then the segments are looked in
  const sections = sectionsOf(elf);
  if (sections.length > 1) {
    for (const s of sections) {
      if (!(s.flags & SHF_ALLOC) || s.flags & SHF_WRITE || s.type === SHT_NOBITS) continue;
      // a section whose bytes lie outside the file names no service (the kernel loads by segment)
      const data = readable(() => elf.sectionData(s));
      if (data) blobs.push(data);
    }
  } else {
    for (const p of elf.programs) {
      const data = p.type === PT_LOAD && !(p.flags & PF_W) ? readable(() => elf.programData(p)) : undefined;
      if (data) blobs.push(data);
    }
  }
  const found: { at: number; name: string }[] = [];
  let base = 0;
  for (const b of blobs) {
    for (const name of Object.values(REMOTE_APPS)) {
      const at = findCString(b, name);
      if (at >= 0 && !found.some((f) => f.name === name)) found.push({ at: base + at, name });
    }
    base += b.length;
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.name);
}

function sectionsOf(elf: ElfFile): ElfFile['sections'] {
  try {
    return elf.sections;
  } catch (e) {
    if (e instanceof ElfError) return [];
    throw e;
  }
}

function readable(read: () => Uint8Array): Uint8Array | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof ElfError) return undefined;
    throw e;
  }
}

function findCString(hay: Uint8Array, s: string): number {
  const needle = new TextEncoder().encode(s);
  if (needle.length >= RPMSG_NAME_SIZE) return -1;
  outer: for (let i = 0; i + needle.length < hay.length; i++) {
    if (i > 0 && hay[i - 1] !== 0) continue;
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    if (hay[i + needle.length] === 0) return i;
  }
  return -1;
}
