// What the remote firmware knows of its own resource table, read from its memory view where the
// host installed it: the rpmsg vdev (status, features, vrings as the host filled them in) and
// the trace buffer. Bounds come from the table's own header and are checked before every read.
import type { MemoryAccess } from '../soc/memoryAccess';
import { VIRTIO_ID_RPMSG } from '../rpmsg/rpmsgWire';

const RSC_TRACE = 2;
const RSC_VDEV = 3;
/** Entries a sane table holds; more means the header is garbage. */
const MAX_ENTRIES = 256;

export interface RemoteVring {
  /** Address of the vring's `da` field in the table (the host writes it). */
  readonly daField: number;
  readonly align: number;
  readonly num: number;
  readonly notifyid: number;
}

export interface RemoteVdev {
  readonly dfeatures: number;
  readonly gfeaturesField: number;
  readonly statusField: number;
  readonly vrings: readonly RemoteVring[];
}

export interface RemoteTrace {
  readonly da: number;
  readonly len: number;
}

export interface RemoteTable {
  readonly vdev: RemoteVdev | undefined;
  readonly trace: RemoteTrace | undefined;
}

export function readRemoteTable(mem: MemoryAccess, tableDa: number): RemoteTable {
  const ver = mem.read32(tableDa);
  const num = mem.read32(tableDa + 4);
  if (ver !== 1 || num > MAX_ENTRIES) return { vdev: undefined, trace: undefined };
  let vdev: RemoteVdev | undefined;
  let trace: RemoteTrace | undefined;
  for (let i = 0; i < num; i++) {
    const at = tableDa + mem.read32(tableDa + 16 + 4 * i);
    const type = mem.read32(at);
    if (type === RSC_VDEV && !vdev && mem.read32(at + 4) === VIRTIO_ID_RPMSG) {
      const count = mem.read8(at + 25);
      const vrings: RemoteVring[] = [];
      for (let v = 0; v < count; v++) {
        const vr = at + 28 + 20 * v;
        vrings.push({ daField: vr, align: mem.read32(vr + 4), num: mem.read32(vr + 8), notifyid: mem.read32(vr + 12) });
      }
      vdev = { dfeatures: mem.read32(at + 12), gfeaturesField: at + 16, statusField: at + 24, vrings };
    } else if (type === RSC_TRACE && !trace) {
      trace = { da: mem.read32(at + 4), len: mem.read32(at + 8) };
    }
  }
  return { vdev, trace };
}
