// What the Variables view shows at a stop, as a plain tree: the processor, the resource table
// the host holds (decoded, with what the host wrote back), memory regions, each vring's indices
// and descriptors read from memory, and the rpmsg channels. Built from a checkpoint's record.
import { readResourceTable } from '../core/rsc/decode';
import type { RscEntry, VdevEntry } from '../core/rsc/types';
import type { CoreDesc } from '../core/soc/board';
import type { VringSnapshot } from '../core/system';
import { vringLayout } from '../core/virtio/vringLayout';
import type { Capture } from './phaseRecorder';
import type { MemoryImage } from './memoryImage';

export interface VarNode {
  readonly name: string;
  readonly value: string;
  /** Host physical address the node's bytes start at (the memory view opens there). */
  readonly memoryReference?: string;
  readonly children?: () => VarNode[];
  /** Writable through a sysfs attribute of this name (the kernel lets a user change it). */
  readonly attribute?: 'recovery' | 'coredump' | 'firmware';
  /** The C type of a firmware variable. */
  readonly type?: string;
  /** A register of a code thread's core, by gdb name: writable through the debugger. */
  readonly register?: string;
}

export interface ScopeNode {
  readonly name: string;
  readonly children: () => VarNode[];
  readonly expensive?: boolean;
}

export const hex = (n: number | undefined): string => (n === undefined ? '—' : `0x${(n >>> 0).toString(16)}`);
export const memRef = (pa: number): string => hex(pa);

const leaf = (name: string, value: string | number, memoryReference?: string): VarNode => ({
  name,
  value: typeof value === 'number' ? String(value) : value,
  memoryReference,
});
const group = (name: string, value: string, children: () => VarNode[], memoryReference?: string): VarNode => ({ name, value, children, memoryReference });

const VIRTIO_STATUS: readonly [number, string][] = [
  [1, 'ACKNOWLEDGE'],
  [2, 'DRIVER'],
  [8, 'FEATURES_OK'],
  [4, 'DRIVER_OK'],
  [0x40, 'NEEDS_RESET'],
  [0x80, 'FAILED'],
];

function statusText(s: number): string {
  const names = VIRTIO_STATUS.filter(([bit]) => s & bit).map(([, n]) => n);
  return `${hex(s)}${names.length ? ` (${names.join(' | ')})` : ''}`;
}

export function scopes(c: Capture, core: CoreDesc): ScopeNode[] {
  return [
    { name: 'Processor', children: () => processor(c) },
    { name: 'Resource table', children: () => table(c) },
    { name: 'Memory regions', children: () => regions(c, core) },
    { name: 'Vrings', children: () => vrings(c) },
    { name: 'rpmsg', children: () => channels(c) },
  ];
}

function processor(c: Capture): VarNode[] {
  const p = c.core;
  return [
    leaf('rproc', `${p.rproc} (${p.name})`),
    leaf('state', p.state),
    { ...leaf('firmware', p.firmware), attribute: 'firmware' },
    { ...leaf('recovery', p.recovery), attribute: 'recovery' },
    { ...leaf('coredump', p.coredump), attribute: 'coredump' },
    leaf('crash count', p.crashCount),
    leaf('power', p.power),
    leaf('driver', p.driver),
    leaf('table', p.table ? `${p.table.where}${p.table.pa !== undefined ? ` at ${hex(p.table.pa)}` : ''}, ${p.table.size} bytes` : 'none', p.table?.pa !== undefined ? memRef(p.table.pa) : undefined),
    leaf('time', `${(c.timeNs / 1e6).toFixed(6)} ms`),
  ];
}

function table(c: Capture): VarNode[] {
  const t = c.table;
  if (!t) return [leaf('table', 'the host holds no resource table now')];
  const decoded = readResourceTable(t.bytes, 'little');
  const ref = t.pa !== undefined ? memRef(t.pa) : undefined;
  const head = [leaf('where', t.where === 'loaded' ? `loaded at ${hex(t.pa)} (the remote reads this copy)` : "the kernel's cached copy", ref)];
  if ('fault' in decoded) return [...head, leaf('error', `${decoded.fault.reason} (table offset ${hex(decoded.fault.offset)})`), ...decoded.fault.partial.entries.map((e) => entry(e, t.pa))];
  return [...head, leaf('ver', decoded.table.ver), leaf('num', decoded.table.num), ...decoded.table.entries.map((e) => entry(e, t.pa))];
}

function entry(e: RscEntry, tablePa: number | undefined): VarNode {
  const ref = tablePa !== undefined ? memRef(tablePa + e.offset) : undefined;
  const name = `[${e.index}] ${e.kind}`;
  switch (e.kind) {
    case 'carveout':
    case 'devmem':
      return group(name, e.name, () => [leaf('da', hex(e.da)), leaf('pa', hex(e.pa)), leaf('len', hex(e.len)), leaf('flags', hex(e.flags)), leaf('reserved', e.reserved), leaf('name', e.name)], ref);
    case 'trace':
      return group(name, e.name, () => [leaf('da', hex(e.da)), leaf('len', hex(e.len)), leaf('reserved', e.reserved), leaf('name', e.name)], ref);
    case 'vdev':
      return group(name, `id ${e.id}, status ${statusText(e.status)}`, () => vdevFields(e), ref);
    default:
      return group(name, `type ${e.type}`, () => [leaf('type', e.type), leaf('bytes', e.raw.length)], ref);
  }
}

function vdevFields(e: VdevEntry): VarNode[] {
  return [
    leaf('id', e.id),
    leaf('notifyid', e.notifyid),
    leaf('dfeatures', hex(e.dfeatures)),
    leaf('gfeatures', hex(e.gfeatures)),
    leaf('config_len', e.config_len),
    leaf('status', statusText(e.status)),
    leaf('num_of_vrings', e.num_of_vrings),
    ...e.vrings.map((v, i) =>
      group(`vring[${i}]`, `da ${hex(v.da)}, num ${v.num}, notifyid ${v.notifyid | 0}`, () => [
        leaf('da', hex(v.da)),
        leaf('align', v.align),
        leaf('num', v.num),
        leaf('notifyid', v.notifyid | 0),
        leaf('pa', hex(v.pa)),
      ]),
    ),
  ];
}

function regions(c: Capture, core: CoreDesc): VarNode[] {
  const windows = group(`${core.id} memory map`, `${core.memories.length} window(s) as the core sees them`, () =>
    core.memories.map((m) => leaf(m.name, `da ${hex(m.da)} → pa ${hex(m.pa)}, ${hex(m.size)} bytes, ${m.kind} ${m.access}`, memRef(m.pa))),
  );
  const carve = c.core.carveouts.map((m) =>
    group(m.name, `da ${hex(m.da)} → pa ${hex(m.pa)}, ${hex(m.len)} bytes${m.mapped ? '' : ' (not mapped)'}`, () => [leaf('da', hex(m.da)), leaf('pa', hex(m.pa)), leaf('len', hex(m.len)), leaf('mapped', String(m.mapped))], m.pa !== undefined ? memRef(m.pa) : undefined),
  );
  const traces = c.core.traces.map((t) => group(t.name, `trace buffer at da ${hex(t.da)}, ${t.len} bytes`, () => [leaf('da', hex(t.da)), leaf('len', t.len), leaf('text', JSON.stringify(t.text))]));
  return [...(carve.length ? carve : [leaf('carveouts', 'none allocated')]), ...traces, windows];
}

function vrings(c: Capture): VarNode[] {
  const out: VarNode[] = [];
  for (const v of c.core.vdevs) {
    for (const r of v.vrings) out.push(vring(c.memory, `vdev${v.index}vring${r.index}`, r));
  }
  return out.length ? out : [leaf('vrings', 'no vdev registered')];
}

function vring(mem: MemoryImage, name: string, r: VringSnapshot): VarNode {
  const summary = `da ${hex(r.da)}, pa ${hex(r.pa)}, num ${r.num}, notifyid ${r.notifyid}${r.active ? '' : ' (no virtqueue)'}`;
  const ref = r.pa !== undefined ? memRef(r.pa) : undefined;
  return group(name, summary, () => {
    const base = [leaf('da', hex(r.da)), leaf('pa', hex(r.pa), ref), leaf('num', r.num), leaf('align', r.align), leaf('notifyid', r.notifyid), leaf('active', String(r.active))];
    if (r.pa === undefined || !r.active) return base;
    let layout;
    try {
      layout = vringLayout(r.num, r.align);
    } catch (e) {
      return [...base, leaf('layout', (e as Error).message)];
    }
    const pa = r.pa;
    const avail = pa + layout.availOffset;
    const used = pa + layout.usedOffset;
    return [
      ...base,
      leaf('avail.flags', hex(mem.read16(avail)), memRef(avail)),
      leaf('avail.idx', mem.read16(avail + 2)),
      leaf('used.flags', hex(mem.read16(used)), memRef(used)),
      leaf('used.idx', mem.read16(used + 2)),
      group('desc', `${r.num} descriptors`, () =>
        Array.from({ length: r.num }, (_, i) => {
          const d = pa + 16 * i;
          const addr = mem.read32(d) + mem.read32(d + 4) * 2 ** 32;
          return leaf(`[${i}]`, `addr ${hex(addr)}, len ${mem.read32(d + 8)}, flags ${hex(mem.read16(d + 12))}, next ${mem.read16(d + 14)}`, memRef(d));
        }),
        memRef(pa),
      ),
      group('avail.ring', `${r.num} entries`, () => Array.from({ length: r.num }, (_, i) => leaf(`[${i}]`, mem.read16(avail + 4 + 2 * i)))),
      group('used.ring', `${r.num} entries`, () => Array.from({ length: r.num }, (_, i) => leaf(`[${i}]`, `id ${mem.read32(used + 4 + 8 * i)}, len ${mem.read32(used + 8 + 8 * i)}`))),
    ];
  }, ref);
}

function channels(c: Capture): VarNode[] {
  if (c.rpmsg.length === 0) return [leaf('buses', 'none (no rpmsg vdev is up)')];
  return c.rpmsg.map((b) =>
    group(b.bus, `${b.channels.length} channel(s), ${b.endpoints.length} endpoint(s)`, () => [
      leaf('buffers', `${b.numBufs} (${b.numBufs / 2} rx, ${b.numBufs / 2} tx)`),
      group('channels', b.channels.length ? b.channels.map((ch) => ch.name).join(', ') : 'none (no name-service announcement yet)', () =>
        b.channels.map((ch) => group(ch.name, `src ${hex(ch.src)} → dst ${hex(ch.dst)}${ch.node ? `, ${ch.node}` : ''}`, () => [leaf('device', ch.device), leaf('src', hex(ch.src)), leaf('dst', hex(ch.dst)), leaf('driver', ch.driver ?? 'none'), leaf('node', ch.node ?? 'none')])),
      ),
      group('endpoints', `${b.endpoints.length}`, () => b.endpoints.map((e) => leaf(`${hex(e.addr)}`, `${e.device}${e.node ? `, ${e.node}` : ''}`))),
      group('stats', '', () => Object.entries(b.stats).map(([k, v]) => leaf(k, String(v)))),
    ]),
  );
}
