// The board file schema, checked by hand: every problem is reported with the JSON path of the
// field (`cores[0].memories[2].size`) and the file, so a user's own board is fixed in one go.
import type { Board, CoreDesc, HostMemory, MailboxChannel, MemoryKind, MemoryRegion, ReservedMemory, RprocDriver } from './board';

export interface SchemaIssue {
  readonly path: string;
  readonly reason: string;
}

export class BoardSchemaError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly SchemaIssue[],
  ) {
    super(issues.map((i) => `${source}: ${i.path ? `${i.path}: ` : ''}${i.reason}`).join('\n'));
    this.name = 'BoardSchemaError';
  }
}

const KINDS: readonly MemoryKind[] = ['sram', 'tcm', 'ddr', 'retram', 'ocram', 'mmio'];
const ACCESS: readonly MemoryRegion['access'][] = ['rwx', 'rw', 'rx', 'r'];
const DRIVERS: readonly RprocDriver[] = ['stm32_rproc', 'k3_r5_rproc', 'zynqmp_r5_remoteproc'];
const ENDIAN: readonly CoreDesc['endian'][] = ['little', 'big'];

/** Remote cores are 32-bit; host addresses are kept within what a JS number holds exactly. */
const DA_LIMIT = 2 ** 32;
const PA_LIMIT = Number.MAX_SAFE_INTEGER + 1;

type Obj = Record<string, unknown>;

/** Reads one JSON value into a typed field, recording an issue (and returning a placeholder) on a mismatch. */
class Reader {
  readonly issues: SchemaIssue[] = [];

  fail(path: string, reason: string): void {
    this.issues.push({ path, reason });
  }

  object(v: unknown, path: string, fields: readonly string[]): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.fail(path, `expected an object, got ${describe(v)}`);
      return {};
    }
    for (const k of Object.keys(v)) if (!fields.includes(k)) this.fail(join(path, k), `unknown field (expected one of ${fields.join(', ')})`);
    return v as Obj;
  }

  array<T>(o: Obj, key: string, path: string, item: (v: unknown, p: string) => T, optional = false): T[] {
    const v = o[key];
    const p = join(path, key);
    if (v === undefined && optional) return [];
    if (!Array.isArray(v)) {
      this.fail(p, `expected an array, got ${describe(v)}`);
      return [];
    }
    return v.map((x, i) => item(x, `${p}[${i}]`));
  }

  string(o: Obj, key: string, path: string): string {
    const v = o[key];
    if (typeof v === 'string' && v.length > 0) return v;
    this.fail(join(path, key), `expected a non-empty string, got ${describe(v)}`);
    return '';
  }

  optionalString(o: Obj, key: string, path: string): string | undefined {
    return o[key] === undefined ? undefined : this.string(o, key, path);
  }

  boolean(o: Obj, key: string, path: string): boolean {
    const v = o[key];
    if (typeof v === 'boolean') return v;
    this.fail(join(path, key), `expected true or false, got ${describe(v)}`);
    return false;
  }

  oneOf<T extends string>(o: Obj, key: string, path: string, allowed: readonly T[]): T {
    const v = o[key];
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    this.fail(join(path, key), `expected one of ${allowed.join(', ')}, got ${describe(v)}`);
    return allowed[0];
  }

  /** A JSON number or a string of hex (`0x38000000`) or decimal digits: a non-negative exact integer. */
  number(o: Obj, key: string, path: string): number {
    const v = o[key];
    const p = join(path, key);
    let n: bigint | undefined;
    if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
    else if (typeof v === 'string' && /^(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(v)) n = BigInt(v);
    if (n === undefined) {
      this.fail(p, `expected a number (or a "0x..." string), got ${describe(v)}`);
      return 0;
    }
    if (n < 0n || n >= BigInt(PA_LIMIT)) {
      this.fail(p, `${v} is outside 0..2^53`);
      return 0;
    }
    return Number(n);
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

function memoryRegion(r: Reader, v: unknown, path: string): MemoryRegion {
  const o = r.object(v, path, ['name', 'da', 'pa', 'size', 'kind', 'access']);
  return {
    name: r.string(o, 'name', path),
    da: r.number(o, 'da', path),
    pa: r.number(o, 'pa', path),
    size: r.number(o, 'size', path),
    kind: r.oneOf(o, 'kind', path, KINDS),
    access: r.oneOf(o, 'access', path, ACCESS),
  };
}

function reservedMemory(r: Reader, v: unknown, path: string): ReservedMemory {
  const o = r.object(v, path, ['name', 'nodeName', 'pa', 'size', 'noMap', 'compatible']);
  const compatible = r.optionalString(o, 'compatible', path);
  const nodeName = r.optionalString(o, 'nodeName', path);
  return {
    name: r.string(o, 'name', path),
    ...(nodeName !== undefined ? { nodeName } : {}),
    pa: r.number(o, 'pa', path),
    size: r.number(o, 'size', path),
    noMap: r.boolean(o, 'noMap', path),
    ...(compatible !== undefined ? { compatible } : {}),
  };
}

function mailboxChannel(r: Reader, v: unknown, path: string): MailboxChannel {
  const o = r.object(v, path, ['name', 'latencyNs', 'controller']);
  const controller = r.optionalString(o, 'controller', path);
  return { name: r.string(o, 'name', path), latencyNs: r.number(o, 'latencyNs', path), ...(controller !== undefined ? { controller } : {}) };
}

function hostMemory(r: Reader, v: unknown, path: string): HostMemory {
  const o = r.object(v, path, ['name', 'pa', 'size']);
  return { name: r.string(o, 'name', path), pa: r.number(o, 'pa', path), size: r.number(o, 'size', path) };
}

function core(r: Reader, v: unknown, path: string): CoreDesc {
  const o = r.object(v, path, ['id', 'name', 'cpu', 'endian', 'driver', 'defaultFirmware', 'memories', 'memoryRegions', 'mailbox', 'tableRequired', 'earlyBootCapable']);
  return {
    id: r.string(o, 'id', path),
    name: r.string(o, 'name', path),
    cpu: r.string(o, 'cpu', path),
    endian: r.oneOf(o, 'endian', path, ENDIAN),
    driver: r.oneOf(o, 'driver', path, DRIVERS),
    defaultFirmware: r.string(o, 'defaultFirmware', path),
    memories: r.array(o, 'memories', path, (x, p) => memoryRegion(r, x, p)),
    memoryRegions: r.array(o, 'memoryRegions', path, (x, p) => {
      if (typeof x === 'string' && x) return x;
      r.fail(p, `expected a reserved-memory name, got ${describe(x)}`);
      return '';
    }),
    mailbox: r.array(o, 'mailbox', path, (x, p) => mailboxChannel(r, x, p)),
    tableRequired: r.boolean(o, 'tableRequired', path),
    earlyBootCapable: r.boolean(o, 'earlyBootCapable', path),
  };
}

function strings(r: Reader, o: Obj, key: string, path: string, optional: boolean): string[] {
  return r.array(
    o,
    key,
    path,
    (x, p) => {
      if (typeof x === 'string') return x;
      r.fail(p, `expected a string, got ${describe(x)}`);
      return '';
    },
    optional,
  );
}

interface Span {
  readonly path: string;
  readonly name: string;
  readonly start: number;
  readonly size: number;
}

/** Rules across fields: positive sizes, ranges inside their address space, no overlaps, names that resolve. */
function checkConsistency(r: Reader, b: Board): void {
  const sized = (path: string, size: number) => size > 0 || r.fail(`${path}.size`, 'must be greater than 0');
  const within = (path: string, field: string, start: number, size: number, limit: number, bits: string) =>
    start + size <= limit || r.fail(`${path}.${field}`, `${hex(start)} + size ${hex(size)} ends beyond the ${bits} address space`);
  const overlaps = (spans: Span[], what: string) => {
    const sorted = [...spans].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1];
      const cur = sorted[i];
      if (cur.start < prev.start + prev.size) {
        r.fail(cur.path, `${what} ${cur.name} [${hex(cur.start)}..${hex(cur.start + cur.size)}) overlaps ${prev.name} [${hex(prev.start)}..${hex(prev.start + prev.size)})`);
      }
    }
  };
  const unique = (names: { path: string; name: string }[], what: string) => {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n.name)) r.fail(n.path, `duplicate ${what} ${JSON.stringify(n.name)}`);
      seen.add(n.name);
    }
  };

  if (b.cores.length === 0) r.fail('cores', 'a board needs at least one remote core');
  (b.host.memory ?? []).forEach((m, i) => {
    sized(`host.memory[${i}]`, m.size);
    within(`host.memory[${i}]`, 'pa', m.pa, m.size, PA_LIMIT, '53-bit');
  });
  b.reservedMemory.forEach((m, i) => {
    sized(`reservedMemory[${i}]`, m.size);
    within(`reservedMemory[${i}]`, 'pa', m.pa, m.size, PA_LIMIT, '53-bit');
  });
  unique(b.reservedMemory.map((m, i) => ({ path: `reservedMemory[${i}].name`, name: m.name })), 'reserved-memory name');
  overlaps(b.reservedMemory.map((m, i) => ({ path: `reservedMemory[${i}]`, name: m.name, start: m.pa, size: m.size })), 'reserved memory');
  unique(b.cores.map((c, i) => ({ path: `cores[${i}].id`, name: c.id })), 'core id');

  const reserved = new Set(b.reservedMemory.map((m) => m.name));
  b.cores.forEach((c, ci) => {
    const cp = `cores[${ci}]`;
    c.memories.forEach((m, mi) => {
      const mp = `${cp}.memories[${mi}]`;
      sized(mp, m.size);
      within(mp, 'da', m.da, m.size, DA_LIMIT, '32-bit');
      within(mp, 'pa', m.pa, m.size, PA_LIMIT, '53-bit');
    });
    unique(c.memories.map((m, mi) => ({ path: `${cp}.memories[${mi}].name`, name: m.name })), 'memory window name');
    overlaps(c.memories.map((m, mi) => ({ path: `${cp}.memories[${mi}]`, name: m.name, start: m.da, size: m.size })), 'window');
    c.memoryRegions.forEach((name, i) => {
      if (name && !reserved.has(name)) r.fail(`${cp}.memoryRegions[${i}]`, `no reservedMemory entry named ${JSON.stringify(name)}`);
    });
    unique(c.mailbox.map((m, mi) => ({ path: `${cp}.mailbox[${mi}].name`, name: m.name })), 'mailbox channel');
  });
}

/** Checks `json` against the board schema and returns the board, or throws a BoardSchemaError naming every problem. */
export function parseBoard(json: unknown, source: string): Board {
  const r = new Reader();
  const o = r.object(json, '', ['$schema', 'id', 'name', 'description', 'sources', 'notes', 'host', 'reservedMemory', 'cores']);
  const host = r.object(o.host, 'host', ['cpu', 'cores', 'memory']);
  const notes = o.notes === undefined ? undefined : strings(r, o, 'notes', '', false);
  const board: Board = {
    id: r.string(o, 'id', ''),
    name: r.string(o, 'name', ''),
    description: r.string(o, 'description', ''),
    sources: strings(r, o, 'sources', '', false),
    ...(notes ? { notes } : {}),
    host: {
      cpu: r.string(host, 'cpu', 'host'),
      cores: r.number(host, 'cores', 'host'),
      ...(host.memory !== undefined ? { memory: r.array(host, 'memory', 'host', (x, p) => hostMemory(r, x, p)) } : {}),
    },
    reservedMemory: r.array(o, 'reservedMemory', '', (x, p) => reservedMemory(r, x, p)),
    cores: r.array(o, 'cores', '', (x, p) => core(r, x, p)),
  };
  // Cross-field rules only make sense on a structurally sound board.
  if (r.issues.length === 0) checkConsistency(r, board);
  if (r.issues.length > 0) throw new BoardSchemaError(source, r.issues);
  return board;
}
