// The files remoteproc gives each rproc: /sys/class/remoteproc/remoteprocN (remoteproc_sysfs.c)
// and /sys/kernel/debug/remoteproc/remoteprocN (remoteproc_debugfs.c), with their store rules.
import { decodeResourceTable } from '../rsc/decode';
import { formatResourceTable } from '../rsc/debugfs';
import { RscError } from '../rsc/types';
import type { ResourceTable } from '../rsc/types';
import { KernelError } from '../kernel/errno';
import type { CoredumpConf, Rproc } from './rproc';
import { rprocDetach } from './attach';
import { reportCrash, triggerRecovery } from './crashRecovery';

const dec = new TextDecoder('latin1');

/** sysfs_streq(): equal, ignoring one trailing newline on either side. */
function sysfsStreq(buf: string, word: string): boolean {
  return buf.replace(/\n$/, '') === word;
}

export function sysfsDir(r: Rproc): string {
  return `/sys/class/remoteproc/${r.devName}`;
}

export function debugfsDir(r: Rproc): string {
  return `/sys/kernel/debug/remoteproc/${r.devName}`;
}

const COREDUMP: readonly CoredumpConf[] = ['disabled', 'enabled', 'inline'];

export function createRprocFiles(r: Rproc): void {
  const fs = r.env.files;
  const sys = sysfsDir(r);
  const dbg = debugfsDir(r);
  fs.addFile(`${sys}/name`, { mode: 0o444, read: () => `${r.name}\n` });
  fs.addFile(`${sys}/state`, {
    mode: 0o644,
    read: () => `${r.state}\n`,
    write: (d) => stateStore(r, dec.decode(d)),
  });
  fs.addFile(`${sys}/firmware`, {
    mode: 0o644,
    // An rproc started by someone else runs an image the kernel does not know.
    read: () => `${r.state === 'attached' ? 'unknown' : r.firmware}\n`,
    write: (d) => r.setFirmware(dec.decode(d)),
  });
  fs.addFile(`${sys}/recovery`, {
    mode: 0o644,
    read: () => (r.recoveryDisabled ? 'disabled\n' : 'enabled\n'),
    write: (d) => recoveryStore(r, dec.decode(d), sysfsStreq),
  });
  fs.addFile(`${sys}/coredump`, {
    mode: 0o644,
    read: () => `${r.dumpConf}\n`,
    write: (d) => coredumpStore(r, dec.decode(d), sysfsStreq),
  });

  fs.addFile(`${dbg}/name`, { mode: 0o400, read: () => `${r.name.slice(0, 98)}\n` });
  fs.addFile(`${dbg}/recovery`, {
    mode: 0o600,
    read: () => (r.recoveryDisabled ? 'disabled\n' : 'enabled\n'),
    write: (d) => {
      // rproc_recovery_write(): at most 10 bytes, a trailing newline dropped, strncmp over count.
      if (d.length < 1 || d.length > 10) throw new KernelError('EINVAL');
      recoveryStore(r, dec.decode(d), debugfsMatch(d.length));
    },
  });
  fs.addFile(`${dbg}/crash`, {
    mode: 0o200,
    write: (d) => {
      const type = kstrtouint(dec.decode(d));
      reportCrash(r, type);
    },
  });
  fs.addFile(`${dbg}/resource_table`, { mode: 0o400, read: () => formatResourceTable(currentTable(r)) });
  fs.addFile(`${dbg}/carveout_memories`, { mode: 0o400, read: () => carveoutMemories(r) });
  fs.addFile(`${dbg}/coredump`, {
    mode: 0o600,
    read: () => `${r.dumpConf}\n`,
    write: (d) => {
      if (d.length < 1 || d.length > 20) throw new KernelError('EINVAL');
      coredumpStore(r, dec.decode(d), debugfsMatch(d.length));
    },
  });
}

/** strncmp(buf, word, count) after the trailing newline became a NUL, as the debugfs writers do. */
function debugfsMatch(count: number): (buf: string, word: string) => boolean {
  return (buf, word) => {
    const b = buf.endsWith('\n') ? buf.slice(0, -1) + '\0' : buf;
    const w = word + '\0';
    for (let i = 0; i < count; i++) {
      const bc = i < b.length ? b[i] : '\0';
      const wc = i < w.length ? w[i] : '\0';
      if (bc !== wc) return false;
      if (bc === '\0') return true;
    }
    return true;
  };
}

/** state_store(). */
function stateStore(r: Rproc, buf: string): void {
  if (sysfsStreq(buf, 'start')) {
    try {
      r.boot();
    } catch (e) {
      if (e instanceof KernelError) r.log.err(`Boot failed: ${e.code}`);
      throw e;
    }
  } else if (sysfsStreq(buf, 'stop')) r.shutdown();
  else if (sysfsStreq(buf, 'detach')) rprocDetach(r);
  else {
    r.log.err(`Unrecognised option: ${buf.replace(/\n$/, '')}`);
    throw new KernelError('EINVAL');
  }
}

function recoveryStore(r: Rproc, buf: string, eq: (b: string, w: string) => boolean): void {
  if (eq(buf, 'enabled')) {
    r.recoveryDisabled = false;
    triggerRecovery(r);
  } else if (eq(buf, 'disabled')) r.recoveryDisabled = true;
  else if (eq(buf, 'recover')) triggerRecovery(r);
  else throw new KernelError('EINVAL');
}

function coredumpStore(r: Rproc, buf: string, eq: (b: string, w: string) => boolean): void {
  if (r.state === 'crashed') {
    r.log.err("can't change coredump configuration");
    throw new KernelError('EBUSY');
  }
  const conf = COREDUMP.find((c) => eq(buf, c));
  if (!conf) {
    r.log.err('Invalid coredump configuration');
    throw new KernelError('EINVAL');
  }
  r.dumpConf = conf;
}

/** kstrtouint(s, 0): decimal, 0x hex or 0 octal, one trailing newline allowed. */
function kstrtouint(s: string): number {
  const t = s.replace(/\n$/, '');
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^0[0-7]*$/.test(t)) v = parseInt(t, 8);
  else if (/^[1-9][0-9]*$/.test(t)) v = parseInt(t, 10);
  else throw new KernelError('EINVAL');
  if (v > 0xffffffff) throw new KernelError('ERANGE');
  return v;
}

/** The table the host holds now (loaded table in memory once the image is in). */
function currentTable(r: Rproc): ResourceTable | undefined {
  const t = r.tablePtr;
  if (!t) return undefined;
  const bytes = t.bytes();
  try {
    return decodeResourceTable(bytes, 'little');
  } catch (e) {
    if (!(e instanceof RscError) || !e.partial.header) throw e;
    const h = e.partial.header;
    return { ver: h.ver, num: h.num, reserved: h.reserved, offsets: [], entries: e.partial.entries, size: bytes.length };
  }
}

function carveoutMemories(r: Rproc): string {
  return r.carveouts
    .map(
      (c) =>
        'Carveout memory entry:\n' +
        `\tName: ${c.name}\n` +
        `\tVirtual address: ${c.mapped && c.dma !== undefined ? r.env.hashPointer(c.dma) : r.env.hashPointer(0)}\n` +
        `\tDMA address: ${r.fmtDma(c.dma ?? 0)}\n` +
        `\tDevice address: 0x${(c.da >>> 0).toString(16)}\n` +
        `\tLength: 0x${c.len.toString(16)} Bytes\n\n`,
    )
    .join('');
}

/** debugfs traceN: the buffer up to its first NUL, read through da_to_va at read time. */
export function traceFile(r: Rproc, name: string, da: number, len: number): () => void {
  return r.env.files.addFile(`${debugfsDir(r)}/${name}`, {
    mode: 0o400,
    read: () => {
      const pa = r.daToPa(da, len);
      // trace->trace_mem.name is never set: the kernel prints an empty name here.
      if (pa === undefined) return 'Trace  not available\n';
      const bytes = r.hostMem.readBytes(pa, len);
      const end = bytes.indexOf(0);
      return end < 0 ? bytes : bytes.subarray(0, end);
    },
  });
}
