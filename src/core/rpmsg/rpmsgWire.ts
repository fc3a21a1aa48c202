// rpmsg on the wire (virtio_rpmsg_bus.c, rpmsg_ns.h): a 16-byte little-endian header
// {u32 src; u32 dst; u32 reserved; u16 len; u16 flags} before the payload in fixed 512-byte
// buffers, and the name-service message {char name[32]; u32 addr; u32 flags} sent to address 53.
import type { MemoryAccess } from '../soc/memoryAccess';

export const RPMSG_HDR_SIZE = 16;
export const RPMSG_BUF_SIZE = 512;
export const RPMSG_MAX_PAYLOAD = RPMSG_BUF_SIZE - RPMSG_HDR_SIZE;
/** The kernel's MAX_RPMSG_NUM_BUFS: rx + tx buffers for rings of 256 entries or more. */
export const MAX_RPMSG_NUM_BUFS = 512;
export const RPMSG_NS_ADDR = 53;
export const RPMSG_ADDR_ANY = 0xffffffff;
export const RPMSG_RESERVED_ADDRESSES = 1024;
export const RPMSG_NAME_SIZE = 32;
export const RPMSG_NS_MSG_SIZE = RPMSG_NAME_SIZE + 8;
export const RPMSG_NS_CREATE = 0;
export const RPMSG_NS_DESTROY = 1;
/** virtio feature bit: the remote announces its services. */
export const VIRTIO_RPMSG_F_NS = 0;
export const VIRTIO_ID_RPMSG = 7;

/** Buffers for a ring of `num` entries, as rpmsg_probe computes them (half rx, half tx). */
export function rpmsgBufferCount(num: number): number {
  return num < MAX_RPMSG_NUM_BUFS / 2 ? num * 2 : MAX_RPMSG_NUM_BUFS;
}

export function writeRpmsgHeader(mem: MemoryAccess, at: number, src: number, dst: number, len: number): void {
  mem.write32(at, src);
  mem.write32(at + 4, dst);
  mem.write32(at + 8, 0);
  mem.write32(at + 12, len); // u16 len, u16 flags = 0
}

export const rpmsgSrc = (mem: MemoryAccess, at: number): number => mem.read32(at);
export const rpmsgDst = (mem: MemoryAccess, at: number): number => mem.read32(at + 4);
export const rpmsgLen = (mem: MemoryAccess, at: number): number => mem.read16(at + 12);

const enc = new TextEncoder();
const dec = new TextDecoder();

export interface NsMessage {
  readonly name: string;
  readonly addr: number;
  readonly flags: number;
}

export function encodeNsMessage(name: string, addr: number, flags: number): Uint8Array {
  const out = new Uint8Array(RPMSG_NS_MSG_SIZE);
  out.set(enc.encode(name).subarray(0, RPMSG_NAME_SIZE - 1));
  const v = new DataView(out.buffer);
  v.setUint32(RPMSG_NAME_SIZE, addr >>> 0, true);
  v.setUint32(RPMSG_NAME_SIZE + 4, flags >>> 0, true);
  return out;
}

/** The kernel does not trust the remote to terminate the name: the 32nd byte is forced to NUL. */
export function decodeNsMessage(data: Uint8Array): NsMessage {
  let end = 0;
  while (end < RPMSG_NAME_SIZE - 1 && data[end] !== 0) end++;
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { name: dec.decode(data.subarray(0, end)), addr: v.getUint32(RPMSG_NAME_SIZE, true), flags: v.getUint32(RPMSG_NAME_SIZE + 4, true) };
}
