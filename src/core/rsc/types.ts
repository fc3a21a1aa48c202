// The resource table as the firmware lays it out in `.resource_table` (include/linux/rsc_table.h,
// pulled in by include/linux/remoteproc.h). Field names are the kernel's struct members.

export const RSC_CARVEOUT = 0;
export const RSC_DEVMEM = 1;
export const RSC_TRACE = 2;
export const RSC_VDEV = 3;
/** First type the kernel has no handler for; types from here below the vendor range are unsupported. */
export const RSC_LAST = 4;
export const RSC_VENDOR_START = 128;
export const RSC_VENDOR_END = 512;

/** `FW_RSC_ADDR_ANY` (-1) as the u32 it is in the table: "host, pick the address". */
export const FW_RSC_ADDR_ANY = 0xffffffff;

export const VIRTIO_ID_RPMSG = 7;
/** Feature bit of the rpmsg vdev: the remote announces its channels through the name service. */
export const VIRTIO_RPMSG_F_NS = 0;

/** sizeof(struct resource_table) without the offset array. */
export const RSC_TABLE_HDR_SIZE = 16;
/** sizeof(struct fw_rsc_hdr): the u32 type in front of every entry. */
export const RSC_HDR_SIZE = 4;
/** Sizes of the entry bodies after the type word, as the handlers compare them with `avail`. */
export const FW_RSC_CARVEOUT_SIZE = 52;
export const FW_RSC_DEVMEM_SIZE = 52;
export const FW_RSC_TRACE_SIZE = 44;
export const FW_RSC_VDEV_SIZE = 24;
export const FW_RSC_VDEV_VRING_SIZE = 20;
/** Length of the `name` member of carveout, devmem and trace entries. */
export const RSC_NAME_LEN = 32;
/** RVDEV_NUM_VRINGS: the kernel supports two vrings per vdev. */
export const RVDEV_NUM_VRINGS = 2;

interface EntryPlace {
  /** Position in the offset array. */
  readonly index: number;
  /** Byte offset of the entry's type word from the start of the table. */
  readonly offset: number;
  /** Bytes the entry occupies, type word included. */
  readonly size: number;
  readonly type: number;
}

export interface CarveoutEntry extends EntryPlace {
  readonly kind: 'carveout';
  readonly da: number;
  readonly pa: number;
  readonly len: number;
  readonly flags: number;
  readonly reserved: number;
  readonly name: string;
}

export interface DevmemEntry extends EntryPlace {
  readonly kind: 'devmem';
  readonly da: number;
  readonly pa: number;
  readonly len: number;
  readonly flags: number;
  readonly reserved: number;
  readonly name: string;
}

export interface TraceEntry extends EntryPlace {
  readonly kind: 'trace';
  readonly da: number;
  readonly len: number;
  readonly reserved: number;
  readonly name: string;
}

export interface VringDesc {
  readonly da: number;
  readonly align: number;
  readonly num: number;
  readonly notifyid: number;
  readonly pa: number;
}

export interface VdevEntry extends EntryPlace {
  readonly kind: 'vdev';
  readonly id: number;
  readonly notifyid: number;
  readonly dfeatures: number;
  readonly gfeatures: number;
  readonly config_len: number;
  readonly status: number;
  readonly num_of_vrings: number;
  readonly reserved: readonly [number, number];
  readonly vrings: readonly VringDesc[];
  /** The virtio config space, `config_len` bytes after the vrings. */
  readonly config: Uint8Array;
}

/** Vendor (128–512) and unknown types: the kernel does not know their length, so `raw` runs to the next entry or the table's end. */
export interface RawEntry extends EntryPlace {
  readonly kind: 'vendor' | 'unknown';
  /** The bytes after the type word. */
  readonly raw: Uint8Array;
}

export type RscEntry = CarveoutEntry | DevmemEntry | TraceEntry | VdevEntry | RawEntry;

export interface ResourceTable {
  readonly ver: number;
  readonly num: number;
  readonly reserved: readonly [number, number];
  readonly offsets: readonly number[];
  readonly entries: readonly RscEntry[];
  /** Size of the table buffer (the section's size): entries may use bytes up to here. */
  readonly size: number;
}

/** Part of a table read before a structural fault, so callers can still judge what came first. */
export interface PartialTable {
  readonly header?: { readonly ver: number; readonly num: number; readonly reserved: readonly [number, number] };
  readonly entries: readonly RscEntry[];
}

/** Why table bytes are malformed: where (offset from the table start) and why, in the kernel's words where it has them. */
export interface RscFault {
  readonly offset: number;
  readonly reason: string;
  readonly partial: PartialTable;
  /** The entry it is about (index in the offset array, and its type when it could be read). */
  readonly entry?: { readonly index: number; readonly type?: number };
}

/** A fault as a typed error, for callers that want decoding to throw. */
export class RscError extends Error implements RscFault {
  constructor(
    readonly offset: number,
    readonly reason: string,
    readonly partial: PartialTable = { entries: [] },
    readonly entry?: { readonly index: number; readonly type?: number },
  ) {
    super(`${reason} (at table offset 0x${offset.toString(16)})`);
    this.name = 'RscError';
  }
}

export function entryKindOf(type: number): RscEntry['kind'] {
  switch (type) {
    case RSC_CARVEOUT:
      return 'carveout';
    case RSC_DEVMEM:
      return 'devmem';
    case RSC_TRACE:
      return 'trace';
    case RSC_VDEV:
      return 'vdev';
    default:
      return type >= RSC_VENDOR_START && type <= RSC_VENDOR_END ? 'vendor' : 'unknown';
  }
}

/** struct_size(rsc, vring, n) + config_len: the bytes a vdev entry body needs. */
export function vdevBodySize(numOfVrings: number, configLen: number): number {
  return FW_RSC_VDEV_SIZE + FW_RSC_VDEV_VRING_SIZE * numOfVrings + configLen;
}
