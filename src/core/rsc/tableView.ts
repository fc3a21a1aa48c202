// The resource table as the faces show it: one plain-data snapshot (JSON-safe, no classes, no
// typed arrays) of what validateFirmware found, with every entry's fields named and placed in the
// table's bytes, the findings placed there too, and the memory map of the board's core.
// The resource-table panel renders it; the tree can render from the same type.

import { PT_LOAD, SHT_NOBITS } from '../elf/constants';
import { Finding, Severity } from '../findings';
import { Board, CoreDesc } from '../soc/board';
import { kernelModel } from './kernelModel';
import { mechanicalFix, MechanicalFix } from './mechanicalFix';
import { FW_RSC_ADDR_ANY, RSC_HDR_SIZE, RSC_TABLE_HDR_SIZE, RscEntry, FW_RSC_VDEV_SIZE, FW_RSC_VDEV_VRING_SIZE } from './types';
import { validateFirmware } from './validate';
import { vringSize } from './vringSize';

/** Most table bytes the hex view carries: far above any real table, keeps a hostile size from flooding the panel. */
export const MAX_HEX_BYTES = 64 * 1024;

export interface FieldView {
  readonly name: string;
  /** As the kernel's debugfs prints it (hex for addresses and sizes, the text for names). */
  readonly value: string;
  /** Byte range inside the table. */
  readonly offset: number;
  readonly size: number;
}

export interface EntryView {
  readonly index: number;
  /** `carveout`, `devmem`, `trace`, `vdev`, `vendor`, `unknown`. */
  readonly kind: RscEntry['kind'];
  /** `RSC_CARVEOUT`, ..., or the number for vendor and unknown types. */
  readonly typeName: string;
  /** Offset of the entry's type word inside the table, and its size. */
  readonly offset: number;
  readonly size: number;
  /** The name the firmware gave it (carveout, devmem, trace), as text. */
  readonly name?: string;
  readonly fields: readonly FieldView[];
  /** A vdev's vrings, each with its own fields. */
  readonly vrings: readonly (readonly FieldView[])[];
  /** Worst severity among the findings about this entry. */
  readonly severity?: Severity;
}

export interface FindingView extends Finding {
  /** Position in the snapshot's finding list: what a face sends back to reveal it. */
  readonly id: number;
  /** The finding's bytes inside the table, when they are there (for the hex view). */
  readonly tableRange?: { readonly offset: number; readonly length: number };
  /** An edit that fixes it without judgement (e.g. the board's carveout address for a wrong `da`). */
  readonly mechanical?: MechanicalFix;
}

export type MapItemKind = 'segment' | 'carveout' | 'devmem' | 'vring' | 'trace' | 'table' | 'reserved';

export interface MapItem {
  readonly kind: MapItemKind;
  readonly label: string;
  readonly da: number;
  readonly size: number;
  /** The table entry it comes from. */
  readonly entry?: number;
  /** A finding of severity error is about it. */
  readonly error: boolean;
}

export interface MapWindow {
  readonly name: string;
  readonly kind: string;
  readonly da: number;
  readonly size: number;
}

export interface MapOverlap {
  readonly da: number;
  readonly size: number;
  readonly between: readonly [string, string];
}

export interface MemoryMapView {
  /** The core's memories as it sees them (device addresses); empty without a board. */
  readonly windows: readonly MapWindow[];
  readonly items: readonly MapItem[];
  /** Items that must not share addresses but do (segments, carveouts, vrings). */
  readonly overlaps: readonly MapOverlap[];
}

export interface SectionView {
  readonly index: number;
  readonly name: string;
  readonly addr: number;
  readonly offset: number;
  readonly size: number;
  readonly alloc: boolean;
}

export interface TableView {
  readonly file: string;
  readonly fileSize: number;
  readonly elf?: { readonly class: 32 | 64; readonly endian: 'little' | 'big'; readonly machine: number; readonly entry: number };
  readonly board?: { readonly id: string; readonly name: string; readonly core: string; readonly coreName: string };
  readonly ok: boolean;
  readonly counts: Readonly<Record<Severity, number>>;
  /** `.resource_table`: where it is and its bytes (at most MAX_HEX_BYTES of them). */
  readonly section?: { readonly name: string; readonly addr: number; readonly offset: number; readonly size: number; readonly bytes: readonly number[]; readonly bytesCut: boolean };
  readonly header?: { readonly ver: number; readonly num: number; readonly reserved: readonly [number, number]; readonly fields: readonly FieldView[] };
  readonly entries: readonly EntryView[];
  readonly findings: readonly FindingView[];
  readonly memoryMap: MemoryMapView;
  readonly sections: readonly SectionView[];
}

export interface TableViewOptions {
  readonly board?: Board;
  readonly core?: CoreDesc;
}

/** sh_flags bit: the section occupies memory at run time. */
const SHF_ALLOC = 2;
/** Overlaps listed at most: a hostile table of thousands of entries must not make millions. */
const MAX_OVERLAPS = 256;
const TYPE_NAMES = ['RSC_CARVEOUT', 'RSC_DEVMEM', 'RSC_TRACE', 'RSC_VDEV'];
const hex = (n: number): string => `0x${n.toString(16)}`;
const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export function tableView(file: string, bytes: Uint8Array, opts: TableViewOptions = {}): TableView {
  const v = validateFirmware(bytes, opts);
  const k = kernelModel(opts.board, opts.core);
  const s = v.tableSection;
  const inFile = s !== undefined && s.offset + s.size <= bytes.byteLength && s.type !== SHT_NOBITS;
  const table = v.table;
  // A table that did not decode still has a header worth showing when its first 16 bytes are there.
  const headerBytes = inFile && s.size >= RSC_TABLE_HDR_SIZE ? new DataView(bytes.buffer, bytes.byteOffset + s.offset, RSC_TABLE_HDR_SIZE) : undefined;
  const little = (v.elf?.header.endian ?? 'little') === 'little';

  const worst = new Map<number, Severity>();
  for (const f of v.findings) {
    if (f.entry === undefined) continue;
    const w = worst.get(f.entry);
    if (!w || SEVERITY_RANK[f.severity] > SEVERITY_RANK[w]) worst.set(f.entry, f.severity);
  }
  const entries: EntryView[] = (table?.entries ?? []).map((e) => entryView(e));
  const findings: FindingView[] = v.findings.map((f, id) => {
    const out: { -readonly [K in keyof FindingView]: FindingView[K] } = { ...f, id };
    if (s && f.offset !== undefined && f.offset >= s.offset && f.offset < s.offset + s.size) {
      out.tableRange = { offset: f.offset - s.offset, length: Math.min(f.length ?? 1, s.offset + s.size - f.offset) };
    } else if (f.entry !== undefined && entries[f.entry]) {
      out.tableRange = { offset: entries[f.entry].offset, length: entries[f.entry].size };
    }
    const m = table && opts.core ? mechanicalFix(f, table, k, out.tableRange?.offset) : undefined;
    if (m) out.mechanical = m;
    return out;
  });
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;

  let header: TableView['header'];
  if (headerBytes) {
    const u32 = (o: number): number => headerBytes.getUint32(o, little);
    header = {
      ver: u32(0),
      num: u32(4),
      reserved: [u32(8), u32(12)],
      fields: [field('ver', u32(0), 0, 4, String), field('num', u32(4), 4, 4, String), field('reserved[0]', u32(8), 8, 4), field('reserved[1]', u32(12), 12, 4)],
    };
  }

  const sections: SectionView[] = [];
  try {
    for (const sh of v.elf?.sections ?? []) {
      if (sh.index === 0) continue;
      sections.push({ index: sh.index, name: sh.name, addr: sh.addr, offset: sh.offset, size: sh.size, alloc: (sh.flags & SHF_ALLOC) !== 0 });
    }
  } catch {
    // A section table the validator already reported as malformed: the panel shows what it has.
  }

  const errorEntries = new Set(findings.filter((f) => f.severity === 'error' && f.entry !== undefined).map((f) => f.entry));
  const items: MapItem[] = [];
  const errorSegments = new Set(findings.filter((f) => f.severity === 'error' && f.rule.startsWith('ampw/segment')).map((f) => f.offset));
  for (const p of v.elf?.programs ?? []) {
    if (p.type !== PT_LOAD || p.memsz === 0) continue;
    items.push({ kind: 'segment', label: `segment ${p.index}`, da: p.paddr, size: p.memsz, error: errorSegments.has(p.headerOffset) });
  }
  for (const c of k.registered) items.push({ kind: 'reserved', label: c.name, da: c.da, size: c.len, error: false });
  for (const e of table?.entries ?? []) {
    const error = errorEntries.has(e.index);
    if ((e.kind === 'carveout' || e.kind === 'devmem') && e.da !== FW_RSC_ADDR_ANY) items.push({ kind: e.kind, label: e.name, da: e.da, size: e.len, entry: e.index, error });
    if (e.kind === 'trace') items.push({ kind: 'trace', label: e.name, da: e.da, size: e.len, entry: e.index, error });
    if (e.kind === 'vdev') {
      e.vrings.forEach((r, i) => {
        if (r.da !== FW_RSC_ADDR_ANY) items.push({ kind: 'vring', label: `vdev${e.index} vring${i}`, da: r.da, size: vringSize(r.num, r.align, k.hostBits), entry: e.index, error });
      });
    }
  }
  if (s && s.addr) items.push({ kind: 'table', label: s.name, da: s.addr, size: s.size, error: findings.some((f) => f.severity === 'error' && f.rule === 'ampw/table-not-loaded') });

  return {
    file,
    fileSize: bytes.byteLength,
    ...(v.elf ? { elf: { class: v.elf.header.class, endian: v.elf.header.endian, machine: v.elf.header.machine, entry: v.elf.header.entry } } : {}),
    ...(opts.board && opts.core ? { board: { id: opts.board.id, name: opts.board.name, core: opts.core.id, coreName: opts.core.name } } : {}),
    ok: v.ok,
    counts,
    ...(s && inFile
      ? { section: { name: s.name, addr: s.addr, offset: s.offset, size: s.size, bytes: Array.from(bytes.subarray(s.offset, s.offset + Math.min(s.size, MAX_HEX_BYTES))), bytesCut: s.size > MAX_HEX_BYTES } }
      : {}),
    ...(header ? { header } : {}),
    entries,
    findings,
    memoryMap: { windows: (opts.core?.memories ?? []).map((m) => ({ name: m.name, kind: m.kind, da: m.da, size: m.size })), items, overlaps: overlapsOf(items) },
    sections,
  };

  function entryView(e: RscEntry): EntryView {
    const at = e.offset + RSC_HDR_SIZE;
    const fields: FieldView[] = [field('type', e.type, e.offset, 4, String)];
    const vrings: FieldView[][] = [];
    let name: string | undefined;
    switch (e.kind) {
      case 'carveout':
      case 'devmem':
        fields.push(field('da', e.da, at, 4), field('pa', e.pa, at + 4, 4), field('len', e.len, at + 8, 4), field('flags', e.flags, at + 12, 4), field('reserved', e.reserved, at + 16, 4), { name: 'name', value: e.name, offset: at + 20, size: 32 });
        name = e.name;
        break;
      case 'trace':
        fields.push(field('da', e.da, at, 4), field('len', e.len, at + 4, 4), field('reserved', e.reserved, at + 8, 4), { name: 'name', value: e.name, offset: at + 12, size: 32 });
        name = e.name;
        break;
      case 'vdev': {
        fields.push(
          field('id', e.id, at, 4, String), field('notifyid', e.notifyid, at + 4, 4, String), field('dfeatures', e.dfeatures, at + 8, 4), field('gfeatures', e.gfeatures, at + 12, 4),
          field('config_len', e.config_len, at + 16, 4, String), field('status', e.status, at + 20, 1), field('num_of_vrings', e.num_of_vrings, at + 21, 1, String),
          field('reserved[0]', e.reserved[0], at + 22, 1), field('reserved[1]', e.reserved[1], at + 23, 1),
        );
        e.vrings.forEach((r, i) => {
          const ro = at + FW_RSC_VDEV_SIZE + FW_RSC_VDEV_VRING_SIZE * i;
          vrings.push([field('da', r.da, ro, 4), field('align', r.align, ro + 4, 4, String), field('num', r.num, ro + 8, 4, String), field('notifyid', r.notifyid, ro + 12, 4, String), field('pa', r.pa, ro + 16, 4)]);
        });
        if (e.config_len) {
          const co = at + FW_RSC_VDEV_SIZE + FW_RSC_VDEV_VRING_SIZE * e.num_of_vrings;
          fields.push({ name: 'config', value: Array.from(e.config.subarray(0, 64), (b) => b.toString(16).padStart(2, '0')).join(' ') + (e.config.length > 64 ? ' …' : ''), offset: co, size: e.config_len });
        }
        break;
      }
      default:
        if (e.raw.length) fields.push({ name: 'data', value: `${e.raw.length} bytes`, offset: at, size: e.raw.length });
    }
    const view: { -readonly [K in keyof EntryView]: EntryView[K] } = { index: e.index, kind: e.kind, typeName: TYPE_NAMES[e.type] ?? String(e.type), offset: e.offset, size: e.size, fields, vrings };
    if (name !== undefined) view.name = name;
    const w = worst.get(e.index);
    if (w) view.severity = w;
    return view;
  }
}

function field(name: string, n: number, offset: number, size: number, fmt: (n: number) => string = hex): FieldView {
  return { name, value: fmt(n), offset, size };
}

// Which kinds must not share addresses: code and data segments with each other and with the
// rings; carveouts with each other; rings with each other and with the trace buffer.
const EXCLUSIVE: Partial<Record<MapItemKind, readonly MapItemKind[]>> = {
  segment: ['segment', 'vring'],
  carveout: ['carveout', 'devmem'],
  devmem: ['devmem'],
  vring: ['vring', 'trace'],
};

export function overlapsOf(items: readonly MapItem[]): MapOverlap[] {
  const out: MapOverlap[] = [];
  const sorted = [...items].sort((a, b) => a.da - b.da);
  for (let i = 0; i < sorted.length && out.length < MAX_OVERLAPS; i++) {
    const a = sorted[i];
    for (let j = i + 1; j < sorted.length && sorted[j].da < a.da + a.size && out.length < MAX_OVERLAPS; j++) {
      const b = sorted[j];
      if (!(EXCLUSIVE[a.kind]?.includes(b.kind) || EXCLUSIVE[b.kind]?.includes(a.kind))) continue;
      const hi = Math.min(a.da + a.size, b.da + b.size);
      if (b.da < hi) out.push({ da: b.da, size: hi - b.da, between: [a.label, b.label] });
    }
  }
  return out;
}
