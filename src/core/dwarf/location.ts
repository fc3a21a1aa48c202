// DWARF location expressions and location lists: where a variable lives at a pc, given the frame's
// registers, its CFA and the target's memory. The answer is in memory at an address, in a register,
// a value the expression computed, pieces of those, or optimized out. Evaluation is bounded in
// steps and stack depth, so a looping or exploding expression ends with a DwarfError.
import { LLE, OP } from './constants';
import type { Die, Unit } from './debugInfo';
import { DwarfReader } from './dwarfReader';
import { addrx } from './forms';
import { listOffset, MAX_LIST_ENTRIES } from './ranges';
import type { DwarfSections } from './sections';

export type Location =
  | { readonly kind: 'memory'; readonly address: number }
  | { readonly kind: 'register'; readonly register: number }
  | { readonly kind: 'value'; readonly bytes: Uint8Array }
  | { readonly kind: 'pieces'; readonly pieces: readonly Piece[] }
  | { readonly kind: 'optimized-out' };

export interface Piece {
  /** Bytes of the value this piece holds. */
  readonly size: number;
  readonly location: Location;
}

/** What an expression can read: the frame's registers (DWARF numbers; undefined when not known), its CFA, the frame base, memory. */
export interface FrameContext {
  register(n: number): number | undefined;
  readonly cfa?: number;
  /** DW_AT_frame_base of the function, evaluated; needed by DW_OP_fbreg. */
  readonly frameBase?: number;
  /** `size` bytes at `address`, or undefined when they cannot be read. */
  readMemory(address: number, size: number): Uint8Array | undefined;
  /** The value register `n` had when the function was entered (DW_OP_entry_value), from the caller's call site. */
  entryValue?(n: number): number | undefined;
}

/** A value an expression needed and the frame does not have (a register the unwinder lost, unreadable memory). */
export class Unavailable extends Error {}

const MAX_STEPS = 10000;
const MAX_STACK = 1000;

/** The location of a DW_AT_location (or DW_AT_frame_base) value at `pc`: a block, or a location list. */
export function locationAt(sections: DwarfSections, die: Die, attr: number, pc: number, frame: FrameContext): Location {
  const v = die.attr(attr);
  if (!v) return { kind: 'optimized-out' };
  let expr: Uint8Array | undefined;
  if (v.kind === 'block') expr = v.value;
  else if (v.kind === 'offset' || v.kind === 'loclistx' || (v.kind === 'const' && die.unit.version < 4)) {
    expr = locationListEntry(sections, die.unit, v.kind === 'loclistx' ? { index: v.value } : { offset: v.value }, pc);
  }
  if (!expr || expr.length === 0) return { kind: 'optimized-out' };
  return evaluateLocation(sections, die.unit, expr, frame);
}

/** The expression of the entry of a location list that covers `pc`, or undefined. */
export function locationListEntry(sections: DwarfSections, unit: Unit, list: { offset: number } | { index: number }, pc: number): Uint8Array | undefined {
  if (unit.version < 5) return debugLocEntry(sections, unit, 'offset' in list ? list.offset : 0, pc);
  const offset = 'offset' in list ? list.offset : listOffset(sections.reader('.debug_loclists'), unit.loclistsBase, list.index);
  const r = sections.reader('.debug_loclists', offset);
  const size = unit.addressSize;
  let base = unit.baseAddress;
  const expr = () => r.block(r.uleb());
  const hit = (start: number, end: number, e: Uint8Array) => (pc >= start && pc < end ? e : undefined);
  for (let n = 0; n < MAX_LIST_ENTRIES; n++) {
    const at = r.offset;
    const kind = r.u8();
    let found: Uint8Array | undefined;
    switch (kind) {
      case LLE.end_of_list:
        return undefined;
      case LLE.base_addressx:
        base = addrx(r.uleb(), unit.ctx);
        break;
      case LLE.startx_endx: {
        const s = addrx(r.uleb(), unit.ctx);
        const e = addrx(r.uleb(), unit.ctx);
        found = hit(s, e, expr());
        break;
      }
      case LLE.startx_length: {
        const s = addrx(r.uleb(), unit.ctx);
        const e = s + r.uleb();
        found = hit(s, e, expr());
        break;
      }
      case LLE.offset_pair: {
        const s = base + r.uleb();
        const e = base + r.uleb();
        found = hit(s, e, expr());
        break;
      }
      case LLE.default_location:
        found = expr();
        break;
      case LLE.base_address:
        base = r.unsigned(size);
        break;
      case LLE.start_end: {
        const s = r.unsigned(size);
        const e = r.unsigned(size);
        found = hit(s, e, expr());
        break;
      }
      case LLE.start_length: {
        const s = r.unsigned(size);
        const e = s + r.uleb();
        found = hit(s, e, expr());
        break;
      }
      case LLE.GNU_view_pair:
        r.uleb();
        r.uleb();
        break;
      default:
        throw r.error(at, `unknown location list entry 0x${kind.toString(16)}`);
    }
    if (found) return found;
  }
  throw r.error(offset, `location list has more than ${MAX_LIST_ENTRIES} entries`);
}

function debugLocEntry(sections: DwarfSections, unit: Unit, offset: number, pc: number): Uint8Array | undefined {
  const r = sections.reader('.debug_loc', offset);
  const size = unit.addressSize;
  const all = size === 4 ? 0xffffffff : Number.MAX_SAFE_INTEGER;
  let base = unit.baseAddress;
  for (let n = 0; n < MAX_LIST_ENTRIES; n++) {
    const s = r.unsigned(size);
    const e = r.unsigned(size);
    if (s === 0 && e === 0) return undefined;
    if (s >= all) {
      base = e;
      continue;
    }
    const expr = r.block(r.u16());
    if (pc >= base + s && pc < base + e) return expr;
  }
  throw r.error(offset, `location list has more than ${MAX_LIST_ENTRIES} entries`);
}

/** Runs a location expression. A register it needs and the frame lacks makes the value optimized out. */
export function evaluateLocation(sections: DwarfSections, unit: Unit, expr: Uint8Array, frame: FrameContext): Location {
  try {
    return run(sections, unit, expr, frame);
  } catch (e) {
    if (e instanceof Unavailable) return { kind: 'optimized-out' };
    throw e;
  }
}

/** Runs a DWARF expression whose result is a value (DW_CFA_expression, DW_AT_frame_base): the top of the stack. */
export function evaluateValue(sections: DwarfSections, unit: Unit | undefined, expr: Uint8Array, frame: FrameContext, initial: number[] = []): number {
  const loc = run(sections, unit, expr, frame, initial);
  if (loc.kind === 'memory') return loc.address;
  if (loc.kind === 'register') {
    const v = frame.register(loc.register);
    if (v === undefined) throw new Unavailable(`register ${loc.register} is not known in this frame`);
    return v;
  }
  if (loc.kind === 'value' && loc.bytes.length >= 4) return new DataView(loc.bytes.buffer, loc.bytes.byteOffset, loc.bytes.byteLength).getUint32(0, sections.little);
  throw new Unavailable('the expression gives no address');
}

function run(sections: DwarfSections, unit: Unit | undefined, expr: Uint8Array, frame: FrameContext, initial: number[] = []): Location {
  const little = sections.little;
  const size = unit?.addressSize ?? sections.addressSize;
  const mask = (v: number) => (size === 4 ? v >>> 0 : v);
  const r = new DwarfReader('location expression', expr, little);
  const stack: number[] = [...initial];
  const pieces: Piece[] = [];
  let pending: Location | undefined;
  const push = (v: number) => {
    if (stack.length >= MAX_STACK) throw r.error(r.offset, `stack deeper than ${MAX_STACK}`);
    stack.push(mask(v));
  };
  const pop = (): number => {
    const v = stack.pop();
    if (v === undefined) throw r.error(r.offset, 'stack underflow');
    return v;
  };
  const reg = (n: number): number => {
    const v = frame.register(n);
    if (v === undefined) throw new Unavailable(`register ${n} is not known in this frame`);
    return v;
  };
  const load = (address: number, n: number): number => {
    const bytes = frame.readMemory(address, n);
    if (!bytes || bytes.length < n) throw new Unavailable(`memory at 0x${address.toString(16)} cannot be read`);
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + bytes[little ? n - 1 - i : i];
    return v;
  };
  const signed = (v: number) => (size === 4 ? v | 0 : v);
  for (let steps = 0; !r.atEnd; steps++) {
    if (steps >= MAX_STEPS) throw r.error(r.offset, `expression runs more than ${MAX_STEPS} steps`);
    const at = r.offset;
    const op = r.u8();
    if (op >= OP.lit0 && op <= OP.lit31) {
      push(op - OP.lit0);
      continue;
    }
    if (op >= OP.reg0 && op <= OP.reg31) {
      pending = { kind: 'register', register: op - OP.reg0 };
      continue;
    }
    if (op >= OP.breg0 && op <= OP.breg31) {
      push(reg(op - OP.breg0) + r.sleb());
      continue;
    }
    switch (op) {
      case OP.addr:
        push(r.unsigned(size));
        break;
      case OP.addrx:
      case OP.constx:
        if (!unit) throw r.error(at, 'DW_OP_addrx outside a unit');
        push(addrx(r.uleb(), unit.ctx));
        break;
      case OP.deref:
        push(load(pop(), size));
        break;
      case OP.deref_size:
        push(load(pop(), r.u8()));
        break;
      case OP.const1u:
        push(r.u8());
        break;
      case OP.const1s:
        push(r.i8());
        break;
      case OP.const2u:
        push(r.u16());
        break;
      case OP.const2s:
        push(r.i16());
        break;
      case OP.const4u:
        push(r.u32());
        break;
      case OP.const4s:
        push(r.i32());
        break;
      case OP.const8u:
        push(r.u64());
        break;
      case OP.const8s:
        push(r.i64());
        break;
      case OP.constu:
        push(r.uleb());
        break;
      case OP.consts:
        push(r.sleb());
        break;
      case OP.dup:
        push(peek(stack, 0, r));
        break;
      case OP.drop:
        pop();
        break;
      case OP.over:
        push(peek(stack, 1, r));
        break;
      case OP.pick:
        push(peek(stack, r.u8(), r));
        break;
      case OP.swap: {
        const a = pop();
        const b = pop();
        push(a);
        push(b);
        break;
      }
      case OP.rot: {
        const a = pop();
        const b = pop();
        const c = pop();
        push(a);
        push(c);
        push(b);
        break;
      }
      case OP.abs:
        push(Math.abs(signed(pop())));
        break;
      case OP.neg:
        push(-signed(pop()));
        break;
      case OP.not:
        push(~pop());
        break;
      case OP.plus_uconst:
        push(pop() + r.uleb());
        break;
      case OP.and:
      case OP.div:
      case OP.minus:
      case OP.mod:
      case OP.mul:
      case OP.or:
      case OP.plus:
      case OP.shl:
      case OP.shr:
      case OP.shra:
      case OP.xor:
      case OP.eq:
      case OP.ge:
      case OP.gt:
      case OP.le:
      case OP.lt:
      case OP.ne: {
        const b = pop();
        const a = pop();
        push(binary(op, a, b, signed, r, at));
        break;
      }
      case OP.skip: {
        const d = r.i16();
        jump(r, r.offset + d, at);
        break;
      }
      case OP.bra: {
        const d = r.i16();
        if (pop() !== 0) jump(r, r.offset + d, at);
        break;
      }
      case OP.regx:
        pending = { kind: 'register', register: r.uleb() };
        break;
      case OP.bregx: {
        const n = r.uleb();
        push(reg(n) + r.sleb());
        break;
      }
      case OP.fbreg: {
        if (frame.frameBase === undefined) throw new Unavailable('no frame base');
        push(frame.frameBase + r.sleb());
        break;
      }
      case OP.call_frame_cfa:
        if (frame.cfa === undefined) throw new Unavailable('no CFA for this frame');
        push(frame.cfa);
        break;
      case OP.nop:
        break;
      case OP.stack_value: {
        const v = pop();
        const bytes = new Uint8Array(size);
        for (let i = 0, x = v; i < size; i++, x = Math.floor(x / 256)) bytes[little ? i : size - 1 - i] = x & 0xff;
        pending = { kind: 'value', bytes };
        break;
      }
      case OP.implicit_value:
        pending = { kind: 'value', bytes: r.block(r.uleb()) };
        break;
      case OP.piece: {
        const n = r.uleb();
        const location: Location = pending ?? (stack.length ? { kind: 'memory', address: pop() } : { kind: 'optimized-out' });
        pieces.push({ size: n, location });
        pending = undefined;
        break;
      }
      case OP.entry_value:
      case OP.GNU_entry_value: {
        // The value a register had on entry: the caller's call site may say (DW_AT_call_value).
        const inner = r.block(r.uleb());
        const register = inner.length === 1 && inner[0] >= OP.reg0 && inner[0] <= OP.reg31 ? inner[0] - OP.reg0 : undefined;
        const v = register === undefined ? undefined : frame.entryValue?.(register);
        if (v === undefined) throw new Unavailable('entry value');
        push(v);
        break;
      }
      case OP.implicit_pointer:
      case OP.GNU_implicit_pointer:
        throw new Unavailable('implicit pointer');
      default:
        throw r.error(at, `unsupported DWARF operation 0x${op.toString(16)}`);
    }
  }
  if (pieces.length) return { kind: 'pieces', pieces };
  if (pending) return pending;
  if (stack.length) return { kind: 'memory', address: stack[stack.length - 1] };
  return { kind: 'optimized-out' };
}

function peek(stack: number[], depth: number, r: DwarfReader): number {
  if (depth >= stack.length) throw r.error(r.offset, 'stack underflow');
  return stack[stack.length - 1 - depth];
}

function jump(r: DwarfReader, to: number, at: number): void {
  if (to < 0 || to > r.end) throw r.error(at, `branch to ${to} leaves the expression`);
  r.offset = to;
}

function binary(op: number, a: number, b: number, signed: (v: number) => number, r: DwarfReader, at: number): number {
  switch (op) {
    case OP.and:
      return Number(BigInt(a) & BigInt(b));
    case OP.or:
      return Number(BigInt(a) | BigInt(b));
    case OP.xor:
      return Number(BigInt(a) ^ BigInt(b));
    case OP.div:
      if (b === 0) throw r.error(at, 'division by zero');
      return Math.trunc(signed(a) / signed(b));
    case OP.mod:
      if (b === 0) throw r.error(at, 'division by zero');
      return a % b;
    case OP.minus:
      return a - b;
    case OP.mul:
      return Number((BigInt(a) * BigInt(b)) & 0xffffffffffffffffn);
    case OP.plus:
      return a + b;
    case OP.shl:
      return b >= 64 ? 0 : Number((BigInt(a) << BigInt(b)) & 0xffffffffffffffffn);
    case OP.shr:
      return b >= 64 ? 0 : Math.floor(a / 2 ** b);
    case OP.shra:
      return Math.floor(signed(a) / 2 ** Math.min(b, 64));
    case OP.eq:
      return a === b ? 1 : 0;
    case OP.ne:
      return a !== b ? 1 : 0;
    case OP.ge:
      return signed(a) >= signed(b) ? 1 : 0;
    case OP.gt:
      return signed(a) > signed(b) ? 1 : 0;
    case OP.le:
      return signed(a) <= signed(b) ? 1 : 0;
    default:
      return signed(a) < signed(b) ? 1 : 0;
  }
}

/** How gdb's `info address` would put it, short: "in memory at 0x…", "in register r4", "optimized out". */
export function describeLocation(loc: Location): string {
  switch (loc.kind) {
    case 'memory':
      return `in memory at 0x${loc.address.toString(16)}`;
    case 'register':
      return `in register ${registerName(loc.register)}`;
    case 'value':
      return 'a computed value';
    case 'pieces':
      return `in pieces: ${loc.pieces.map((p) => `${p.size} bytes ${describeLocation(p.location)}`).join(', ')}`;
    default:
      return 'optimized out';
  }
}

/** The Arm name of a DWARF register number (AAPCS DWARF numbering). */
export function registerName(n: number): string {
  if (n <= 12) return `r${n}`;
  if (n === 13) return 'sp';
  if (n === 14) return 'lr';
  if (n === 15) return 'pc';
  if (n >= 64 && n <= 95) return `s${n - 64}`;
  if (n >= 256 && n <= 287) return `d${n - 256}`;
  return `register ${n}`;
}

