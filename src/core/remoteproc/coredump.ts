// rproc_coredump(): an ELF32 core (ET_CORE) with one PT_LOAD per dump segment, read from the
// remote's memory, as remoteproc_coredump.c writes it, and its hand-over to devcoredump.
import type { DumpSegment, Rproc } from './rproc';

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

/** rproc_coredump(): an ELF core of the dump segments, handed to devcoredump. */
export function rprocCoredump(r: Rproc, then: () => void): void {
  if (r.dumpSegments.length === 0 || r.dumpConf === 'disabled') return then();
  if (r.driver.coredumpMachine === undefined) {
    r.log.err('ELF class is not set');
    return then();
  }
  const read = (da: number, size: number): Uint8Array => {
    const pa = r.daToPa(da, size);
    if (pa === undefined) {
      r.log.err(`invalid copy request for segment ${r.fmtDma(da)} with offset 0 and size ${size})`);
      return new Uint8Array(size).fill(0xff);
    }
    return r.hostMem.readBytes(pa, size);
  };
  const build = () => buildCoreDump(r.dumpSegments, r.driver.coredumpMachine!, r.bootaddr, read);
  if (r.dumpConf === 'enabled') {
    r.env.devcoredump(r.devName, build());
    return then();
  }
  // Inline: segments are read from device memory when the dump is read; recovery waits.
  r.dumpWait = then;
  const readInline = () => {
    const data = build();
    r.log.info(`Ramdump done, ${data.length} bytes read`);
    return data;
  };
  r.env.devcoredump(r.devName, readInline, () => {
    const cont = r.dumpWait;
    r.dumpWait = undefined;
    cont?.();
  });
}
