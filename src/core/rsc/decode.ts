// Structural decoding of a resource table, bounded the way the kernel bounds it: the header and
// offset array by find_table(), every entry offset by rsc_table_for_each_entry() and every body by
// its handler's `avail` check. The same conditions give the kernel's own sentence. Field values
// (version, reserved words, vring counts) are reported as found: judging them is validate's job.
// Nothing is allocated from a count in the table before that count is checked against the size.

import {
  FW_RSC_CARVEOUT_SIZE,
  FW_RSC_DEVMEM_SIZE,
  FW_RSC_TRACE_SIZE,
  FW_RSC_VDEV_SIZE,
  FW_RSC_VDEV_VRING_SIZE,
  RSC_HDR_SIZE,
  RSC_NAME_LEN,
  RSC_TABLE_HDR_SIZE,
  RawEntry,
  ResourceTable,
  RscEntry,
  RscError,
  RscFault,
  VringDesc,
  entryKindOf,
  vdevBodySize,
} from './types';
import { lastAtOrBefore } from '../sortedSearch';

/** Config space of a vdev that has none: shared, it cannot be written to. */
const NO_BYTES = new Uint8Array(0);

/** A C `char name[32]`: up to the first NUL, one character per byte. */
function cName(bytes: Uint8Array, off: number): string {
  let s = '';
  for (let i = 0; i < RSC_NAME_LEN; i++) {
    const c = bytes[off + i];
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

export function decodeResourceTable(bytes: Uint8Array, endian: 'little' | 'big'): ResourceTable {
  const r = readResourceTable(bytes, endian);
  if ('fault' in r) throw new RscError(r.fault.offset, r.fault.reason, r.fault.partial, r.fault.entry);
  return r.table;
}

/** The same decoding without throwing: a broken table is an expected input for the validator. */
export function readResourceTable(bytes: Uint8Array, endian: 'little' | 'big'): { table: ResourceTable } | { fault: RscFault } {
  const little = endian === 'little';
  const size = bytes.byteLength;
  const view = new DataView(bytes.buffer, bytes.byteOffset, size);
  const u32 = (off: number): number => view.getUint32(off, little);

  if (size < RSC_TABLE_HDR_SIZE) return { fault: { offset: 0, reason: 'header-less resource table', partial: { entries: [] } } };
  const ver = u32(0);
  const num = u32(4);
  const reserved: [number, number] = [u32(8), u32(12)];
  const header = { ver, num, reserved };
  if (RSC_TABLE_HDR_SIZE + 4 * num > size) return { fault: { offset: 4, reason: 'resource table incomplete', partial: { header, entries: [] } } };

  const offsets: number[] = new Array<number>(num);
  for (let i = 0; i < num; i++) offsets[i] = u32(RSC_TABLE_HDR_SIZE + 4 * i);

  const entries: RscEntry[] = [];
  let ends: number[] | undefined;
  const rawEnd = (offset: number): number => {
    // Vendor and unknown entries carry no length: they end where the next entry starts.
    ends ??= [...new Set(offsets)].sort((a, b) => a - b);
    const next = lastAtOrBefore(ends, (e) => e, offset) + 1;
    return next < ends.length ? Math.min(ends[next], size) : size;
  };

  for (let index = 0; index < num; index++) {
    const offset = offsets[index];
    if (offset < RSC_TABLE_HDR_SIZE || offset >= size || size - offset < RSC_HDR_SIZE) {
      return { fault: { offset: RSC_TABLE_HDR_SIZE + 4 * index, reason: 'rsc table is truncated', partial: { header, entries }, entry: { index } } };
    }
    const type = u32(offset);
    const body = offset + RSC_HDR_SIZE;
    const avail = size - body;
    const kind = entryKindOf(type);
    switch (kind) {
      case 'carveout':
      case 'devmem': {
        if ((kind === 'carveout' ? FW_RSC_CARVEOUT_SIZE : FW_RSC_DEVMEM_SIZE) > avail) return truncated(kind);
        entries.push({
          kind,
          index,
          offset,
          type,
          size: RSC_HDR_SIZE + FW_RSC_CARVEOUT_SIZE,
          da: u32(body),
          pa: u32(body + 4),
          len: u32(body + 8),
          flags: u32(body + 12),
          reserved: u32(body + 16),
          name: cName(bytes, body + 20),
        });
        break;
      }
      case 'trace': {
        if (FW_RSC_TRACE_SIZE > avail) return truncated('trace');
        entries.push({
          kind,
          index,
          offset,
          type,
          size: RSC_HDR_SIZE + FW_RSC_TRACE_SIZE,
          da: u32(body),
          len: u32(body + 4),
          reserved: u32(body + 8),
          name: cName(bytes, body + 12),
        });
        break;
      }
      case 'vdev': {
        // The count and config length are read before the kernel's size check, as it does;
        // a short body leaves them unread and fails the check all the same.
        const numOfVrings = avail >= FW_RSC_VDEV_SIZE ? bytes[body + 21] : 0;
        const configLen = avail >= FW_RSC_VDEV_SIZE ? u32(body + 16) : 0;
        if (avail < FW_RSC_VDEV_SIZE || vdevBodySize(numOfVrings, configLen) > avail) return truncated('vdev');
        const vrings: VringDesc[] = [];
        for (let j = 0; j < numOfVrings; j++) {
          const v = body + FW_RSC_VDEV_SIZE + FW_RSC_VDEV_VRING_SIZE * j;
          vrings.push({ da: u32(v), align: u32(v + 4), num: u32(v + 8), notifyid: u32(v + 12), pa: u32(v + 16) });
        }
        const configOff = body + FW_RSC_VDEV_SIZE + FW_RSC_VDEV_VRING_SIZE * numOfVrings;
        entries.push({
          kind,
          index,
          offset,
          type,
          size: RSC_HDR_SIZE + vdevBodySize(numOfVrings, configLen),
          id: u32(body),
          notifyid: u32(body + 4),
          dfeatures: u32(body + 8),
          gfeatures: u32(body + 12),
          config_len: configLen,
          status: bytes[body + 20],
          num_of_vrings: numOfVrings,
          reserved: [bytes[body + 22], bytes[body + 23]],
          vrings,
          config: configLen ? bytes.slice(configOff, configOff + configLen) : NO_BYTES,
        });
        break;
      }
      default: {
        const raw = bytes.slice(body, Math.max(body, rawEnd(offset)));
        const entry: RawEntry = { kind, index, offset, type, size: RSC_HDR_SIZE + raw.length, raw };
        entries.push(entry);
      }
    }
  }
  return { table: { ver, num, reserved, offsets, entries, size } };

  function truncated(what: string): { fault: RscFault } {
    const offset = offsets[entries.length];
    return { fault: { offset, reason: `${what} rsc is truncated`, partial: { header, entries }, entry: { index: entries.length, type: u32(offset) } } };
  }
}

