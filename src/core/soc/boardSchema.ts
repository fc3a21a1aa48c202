// Board files are checked against board.schema.json, the same schema VS Code gives a user writing
// `.amp/boards/*.json` (package.json jsonValidation), then against the rules across fields that a
// schema cannot say. Every problem is reported with the JSON path of the field
// (`cores[0].memories[2].size`) and the file, so a user's own board is fixed in one go.
import type { Board, BootRegister, CoreDesc, HostMemory, MailboxChannel, MemoryRegion, Peripheral, PeripheralIrq, ReservedMemory } from './board';
import boardSchemaJson from './board.schema.json';
import { checkJson, type JsonSchema, type SchemaIssue } from './jsonSchema';

export type { SchemaIssue } from './jsonSchema';

/** The schema of a board file (src/core/soc/board.schema.json). */
export const BOARD_SCHEMA: JsonSchema = boardSchemaJson;

export class BoardSchemaError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly SchemaIssue[],
  ) {
    super(issues.map((i) => `${source}: ${i.path ? `${i.path}: ` : ''}${i.reason}`).join('\n'));
    this.name = 'BoardSchemaError';
  }
}

/** Remote cores are 32-bit; host addresses are kept within what a JS number holds exactly (the schema's bound). */
const DA_LIMIT = 2 ** 32;
const PA_LIMIT = Number.MAX_SAFE_INTEGER + 1;

/** A number as the schema allows it: a JSON integer or a string of hex or decimal digits below 2^53. */
type JsonNumber = number | string;
type Json<T> = { [K in keyof T]: T[K] extends number ? JsonNumber : T[K] extends readonly (infer E)[] ? readonly Json<E>[] : T[K] extends object ? Json<T[K]> : T[K] };

const num = (v: JsonNumber): number => Number(v);
const hex = (n: number): string => `0x${n.toString(16)}`;

/** A board from JSON the schema accepted: the numbers made numbers, everything else as written. */
function toBoard(j: Json<Board>): Board {
  const hostMemory = (m: Json<HostMemory>): HostMemory => ({ ...m, pa: num(m.pa), size: num(m.size) });
  const reserved = (m: Json<ReservedMemory>): ReservedMemory => ({ ...m, pa: num(m.pa), size: num(m.size) });
  const window = (m: Json<MemoryRegion>): MemoryRegion => ({ ...m, da: num(m.da), pa: num(m.pa), size: num(m.size) });
  const channel = (m: Json<MailboxChannel>): MailboxChannel => ({ ...m, latencyNs: num(m.latencyNs) });
  const irq = (q: Json<PeripheralIrq>): PeripheralIrq => ({ ...q, line: num(q.line) });
  const bootRegister = (r: Json<BootRegister>): BootRegister => ({ ...r, offset: num(r.offset), value: num(r.value) });
  const peripheral = (p: Json<Peripheral>): Peripheral => ({
    ...p,
    base: num(p.base),
    size: num(p.size),
    ...(p.irqs ? { irqs: p.irqs.map(irq) } : {}),
    ...(p.bootState ? { bootState: p.bootState.map(bootRegister) } : {}),
  });
  const core = (c: Json<CoreDesc>): CoreDesc => ({
    ...c,
    memories: c.memories.map(window),
    mailbox: c.mailbox.map(channel),
    ...(c.peripherals ? { peripherals: c.peripherals.map(peripheral) } : {}),
  });
  return {
    id: j.id,
    name: j.name,
    description: j.description,
    sources: j.sources,
    ...(j.notes ? { notes: j.notes } : {}),
    host: { ...j.host, cores: num(j.host.cores), ...(j.host.memory ? { memory: j.host.memory.map(hostMemory) } : {}) },
    reservedMemory: j.reservedMemory.map(reserved),
    cores: j.cores.map(core),
  };
}

interface Span {
  readonly path: string;
  readonly name: string;
  readonly start: number;
  readonly size: number;
}

/** Rules across fields: positive sizes, ranges inside their address space, no overlaps, names that resolve. */
function consistencyIssues(b: Board): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const fail = (path: string, reason: string) => issues.push({ path, reason });
  const sized = (path: string, size: number) => size > 0 || fail(`${path}.size`, 'must be greater than 0');
  const within = (path: string, field: string, start: number, size: number, limit: number, bits: string) =>
    start + size <= limit || fail(`${path}.${field}`, `${hex(start)} + size ${hex(size)} ends beyond the ${bits} address space`);
  const overlaps = (spans: Span[], what: string) => {
    const sorted = [...spans].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1];
      const cur = sorted[i];
      if (cur.start < prev.start + prev.size) {
        fail(cur.path, `${what} ${cur.name} [${hex(cur.start)}..${hex(cur.start + cur.size)}) overlaps ${prev.name} [${hex(prev.start)}..${hex(prev.start + prev.size)})`);
      }
    }
  };
  const unique = (names: { path: string; name: string }[], what: string) => {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n.name)) fail(n.path, `duplicate ${what} ${JSON.stringify(n.name)}`);
      seen.add(n.name);
    }
  };

  if (b.cores.length === 0) fail('cores', 'a board needs at least one remote core');
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
      if (name && !reserved.has(name)) fail(`${cp}.memoryRegions[${i}]`, `no reservedMemory entry named ${JSON.stringify(name)}`);
    });
    unique(c.mailbox.map((m, mi) => ({ path: `${cp}.mailbox[${mi}].name`, name: m.name })), 'mailbox channel');
    const peripherals = c.peripherals ?? [];
    peripherals.forEach((p, pi) => {
      sized(`${cp}.peripherals[${pi}]`, p.size);
      within(`${cp}.peripherals[${pi}]`, 'base', p.base, p.size, DA_LIMIT, '32-bit');
      if (p.bootState && !p.model) fail(`${cp}.peripherals[${pi}].bootState`, 'needs a model to hold the values');
      p.bootState?.forEach((r, ri) => {
        const rp = `${cp}.peripherals[${pi}].bootState[${ri}]`;
        if (r.offset % 4 !== 0 || r.offset + 4 > p.size) fail(`${rp}.offset`, `${hex(r.offset)} is not a word inside the ${hex(p.size)}-byte window`);
        if (r.value > 0xffffffff) fail(`${rp}.value`, `${hex(r.value)} does not fit 32 bits`);
      });
    });
    unique(peripherals.map((p, pi) => ({ path: `${cp}.peripherals[${pi}].name`, name: p.name })), 'peripheral name');
    overlaps(peripherals.map((p, pi) => ({ path: `${cp}.peripherals[${pi}]`, name: p.name, start: p.base, size: p.size })), 'peripheral');
  });
  return issues;
}

/** Checks `json` against the board schema and returns the board, or throws a BoardSchemaError naming every problem. */
export function parseBoard(json: unknown, source: string): Board {
  const issues = checkJson(BOARD_SCHEMA, json);
  if (issues.length > 0) throw new BoardSchemaError(source, issues);
  // Rules across fields only make sense on a structurally sound board.
  const board = toBoard(json as Json<Board>);
  const cross = consistencyIssues(board);
  if (cross.length > 0) throw new BoardSchemaError(source, cross);
  return board;
}
