// Writes a resource table back to bytes: the inverse of decodeResourceTable. Header fields and
// the offset array are written as given, each entry at its own `offset`, so tests build
// tables the kernel would refuse as easily as good ones.

import {
  FW_RSC_VDEV_SIZE,
  FW_RSC_VDEV_VRING_SIZE,
  RSC_HDR_SIZE,
  RSC_NAME_LEN,
  RSC_TABLE_HDR_SIZE,
  ResourceTable,
  RscEntry,
  RscError,
  vdevBodySize,
  FW_RSC_CARVEOUT_SIZE,
  FW_RSC_TRACE_SIZE,
} from '../../../src/core/rsc/types';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An entry before it has a place in a table. */
export type RscEntrySpec = DistributiveOmit<RscEntry, 'index' | 'offset' | 'size'>;

function bodySize(e: RscEntrySpec): number {
  switch (e.kind) {
    case 'carveout':
    case 'devmem':
      return FW_RSC_CARVEOUT_SIZE;
    case 'trace':
      return FW_RSC_TRACE_SIZE;
    case 'vdev':
      return FW_RSC_VDEV_SIZE + FW_RSC_VDEV_VRING_SIZE * e.vrings.length + e.config.length;
    default:
      return e.raw.length;
  }
}

/**
 * Places entries one after another behind the offset array, packed as a C struct would be
 * (OpenAMP's tables are `__packed`), and returns the table the encoder writes.
 */
export function layoutResourceTable(
  specs: readonly RscEntrySpec[],
  opts: { ver?: number; reserved?: readonly [number, number]; padding?: number } = {},
): ResourceTable {
  let offset = RSC_TABLE_HDR_SIZE + 4 * specs.length;
  const entries: RscEntry[] = specs.map((spec, index) => {
    const size = RSC_HDR_SIZE + bodySize(spec);
    const entry = { ...spec, index, offset, size } as RscEntry;
    offset += size;
    return entry;
  });
  return {
    ver: opts.ver ?? 1,
    num: specs.length,
    reserved: opts.reserved ?? [0, 0],
    offsets: entries.map((e) => e.offset),
    entries,
    size: offset + (opts.padding ?? 0),
  };
}

export function encodeResourceTable(t: ResourceTable, endian: 'little' | 'big'): Uint8Array {
  const little = endian === 'little';
  const out = new Uint8Array(t.size);
  const view = new DataView(out.buffer);
  const need = (off: number, len: number, what: string, index?: number): void => {
    if (off < 0 || off + len > t.size) {
      throw new RscError(off, `${what} does not fit in a table of ${t.size} bytes`, { entries: [] }, index === undefined ? undefined : { index });
    }
  };
  const u32 = (off: number, v: number): void => view.setUint32(off, v >>> 0, little);

  need(0, RSC_TABLE_HDR_SIZE + 4 * t.offsets.length, 'header and offset array');
  u32(0, t.ver);
  u32(4, t.num);
  u32(8, t.reserved[0]);
  u32(12, t.reserved[1]);
  t.offsets.forEach((o, i) => u32(RSC_TABLE_HDR_SIZE + 4 * i, o));

  for (const e of t.entries) {
    const o = e.offset;
    const body = o + RSC_HDR_SIZE;
    need(o, e.kind === 'vdev' ? RSC_HDR_SIZE + bodySize(e) : e.size, `entry ${e.index}`, e.index);
    u32(o, e.type);
    switch (e.kind) {
      case 'carveout':
      case 'devmem':
        u32(body, e.da);
        u32(body + 4, e.pa);
        u32(body + 8, e.len);
        u32(body + 12, e.flags);
        u32(body + 16, e.reserved);
        writeName(out, body + 20, e.name);
        break;
      case 'trace':
        u32(body, e.da);
        u32(body + 4, e.len);
        u32(body + 8, e.reserved);
        writeName(out, body + 12, e.name);
        break;
      case 'vdev': {
        u32(body, e.id);
        u32(body + 4, e.notifyid);
        u32(body + 8, e.dfeatures);
        u32(body + 12, e.gfeatures);
        u32(body + 16, e.config_len);
        out[body + 20] = e.status;
        out[body + 21] = e.num_of_vrings;
        out[body + 22] = e.reserved[0];
        out[body + 23] = e.reserved[1];
        e.vrings.forEach((v, j) => {
          const r = body + FW_RSC_VDEV_SIZE + FW_RSC_VDEV_VRING_SIZE * j;
          u32(r, v.da);
          u32(r + 4, v.align);
          u32(r + 8, v.num);
          u32(r + 12, v.notifyid);
          u32(r + 16, v.pa);
        });
        out.set(e.config, body + vdevBodySize(e.vrings.length, 0));
        break;
      }
      default:
        out.set(e.raw, body);
    }
  }
  return out;
}

function writeName(out: Uint8Array, off: number, name: string): void {
  for (let i = 0; i < RSC_NAME_LEN && i < name.length; i++) out[off + i] = name.charCodeAt(i) & 0xff;
}
