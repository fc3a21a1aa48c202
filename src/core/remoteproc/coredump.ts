// rproc_coredump(): an ELF32 core (ET_CORE) with one PT_LOAD per dump segment, read from the
// remote's memory, as remoteproc_coredump.c writes it for devcoredump.
import type { DumpSegment } from './rproc';

const EHDR = 52;
const PHDR = 32;
const ET_CORE = 4;
const PT_LOAD = 1;
const PF_RWX = 7;

export function buildCoreDump(
  segments: readonly DumpSegment[],
  machine: number,
  entry: number,
  read: (da: number, size: number) => Uint8Array,
): Uint8Array {
  const dataSize = segments.reduce((n, s) => n + s.size, 0);
  const out = new Uint8Array(EHDR + PHDR * segments.length + dataSize);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1 /* ELFCLASS32 */, 1 /* ELFDATA2LSB */, 1 /* EV_CURRENT */, 0 /* ELFOSABI_NONE */]);
  v.setUint16(16, ET_CORE, true);
  v.setUint16(18, machine, true);
  v.setUint32(20, 1, true);
  v.setUint32(24, entry >>> 0, true);
  v.setUint32(28, EHDR, true); // e_phoff
  v.setUint16(40, EHDR, true); // e_ehsize
  v.setUint16(42, PHDR, true); // e_phentsize
  v.setUint16(44, segments.length, true);
  let off = EHDR + PHDR * segments.length;
  segments.forEach((s, i) => {
    const p = EHDR + PHDR * i;
    v.setUint32(p, PT_LOAD, true);
    v.setUint32(p + 4, off, true);
    v.setUint32(p + 8, s.da >>> 0, true);
    v.setUint32(p + 12, s.da >>> 0, true);
    v.setUint32(p + 16, s.size, true);
    v.setUint32(p + 20, s.size, true);
    v.setUint32(p + 24, PF_RWX, true);
    out.set(read(s.da, s.size), off);
    off += s.size;
  });
  return out;
}
