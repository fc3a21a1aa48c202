// A small C expression on the firmware's variables and registers, for breakpoint conditions, log
// messages, hovers and watches: names (locals of the top frame, then globals, then registers as
// `r0`/`$r0`, `sp`, `pc`...), integers, `.` and `->` members, `[i]`, unary `* - !`, the
// arithmetic `* / % + -`, comparisons and `&& ||`. Values are read with their DWARF types, so a
// member or an element is found as the compiler laid it out.
import type { Die } from '../core/dwarf/debugInfo';
import { AT, ATE, TAG } from '../core/dwarf/constants';
import { readInt } from '../core/dwarf/types';
import type { RegisterFile } from './coreRegisters';
import type { ReadValue, VariableContext } from './codeVariables';

export class ExpressionError extends Error {}

/** A value: typed (with its bytes, and its address when in memory) or a plain number. */
export type ExprValue = { readonly kind: 'typed'; readonly value: ReadValue } | { readonly kind: 'number'; readonly value: number };

export interface ExpressionScope {
  readonly ctx: VariableContext | undefined;
  /** A variable by name, as the top frame sees it (locals first). */
  variable(name: string): ReadValue | undefined;
  readonly regs: RegisterFile;
}

const TOKEN = /\s*(0x[0-9a-fA-F]+|\d+|\$?[A-Za-z_]\w*|->|&&|\|\||==|!=|<=|>=|[-+*/%<>!.[\]()])/y;
const BINARY: readonly (readonly string[])[] = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];

export function evaluateExpression(text: string, scope: ExpressionScope): ExprValue {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) throw new ExpressionError(`cannot read '${text.slice(at).trim()}'`);
    tokens.push(m[1]);
    at = TOKEN.lastIndex;
  }
  let i = 0;
  const peek = () => tokens[i];
  const take = (t?: string) => {
    const tok = tokens[i];
    if (t !== undefined && tok !== t) throw new ExpressionError(tok === undefined ? `'${t}' expected at the end` : `'${t}' expected, not '${tok}'`);
    i++;
    return tok;
  };

  const binary = (level: number): ExprValue => {
    if (level === BINARY.length) return unary();
    let left = binary(level + 1);
    while (peek() !== undefined && BINARY[level].includes(peek())) {
      const op = take();
      const right = binary(level + 1);
      left = { kind: 'number', value: apply(op, toNumber(left, scope), toNumber(right, scope)) };
    }
    return left;
  };
  const unary = (): ExprValue => {
    const t = peek();
    if (t === '-') return take(), { kind: 'number', value: -toNumber(unary(), scope) };
    if (t === '!') return take(), { kind: 'number', value: toNumber(unary(), scope) ? 0 : 1 };
    if (t === '*') return take(), deref(unary(), 0, scope);
    return postfix(primary());
  };
  const primary = (): ExprValue => {
    const t = take();
    if (t === undefined) throw new ExpressionError('an expression is expected');
    if (t === '(') {
      const v = binary(0);
      take(')');
      return v;
    }
    if (/^(0x[0-9a-f]+|\d+)$/i.test(t)) return { kind: 'number', value: Number(t) };
    if (/^\$?[A-Za-z_]\w*$/.test(t)) return name(t, scope);
    throw new ExpressionError(`unexpected '${t}'`);
  };
  const postfix = (v: ExprValue): ExprValue => {
    for (;;) {
      const t = peek();
      if (t === '.' || t === '->') {
        take();
        const field = take();
        if (!field || !/^[A-Za-z_]\w*$/.test(field)) throw new ExpressionError(`a member name is expected after '${t}'`);
        v = member(t === '->' ? deref(v, 0, scope) : v, field, scope);
      } else if (t === '[') {
        take();
        const index = toNumber(binary(0), scope);
        take(']');
        v = element(v, index, scope);
      } else return v;
    }
  };
  const v = binary(0);
  if (i < tokens.length) throw new ExpressionError(`unexpected '${tokens[i]}'`);
  return v;
}

function apply(op: string, a: number, b: number): number {
  switch (op) {
    case '||':
      return a || b ? 1 : 0;
    case '&&':
      return a && b ? 1 : 0;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '<':
      return a < b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    default:
      if (b === 0) throw new ExpressionError('division by zero');
      return op === '/' ? Math.trunc(a / b) : a % b;
  }
}

function name(t: string, scope: ExpressionScope): ExprValue {
  const bare = t.replace(/^\$/, '');
  const v = t.startsWith('$') ? undefined : scope.variable(bare);
  if (v) return { kind: 'typed', value: v };
  const r = scope.regs.read(bare.toLowerCase());
  if (r !== undefined) return { kind: 'number', value: r };
  throw new ExpressionError(`no variable or register '${bare}' here`);
}

/** A typed value's number: an integer, an enum, a pointer (its address). */
export function toNumber(v: ExprValue, scope: ExpressionScope): number {
  if (v.kind === 'number') return v.value;
  const ctx = needTypes(scope);
  const t = ctx.debug.types.strip(v.value.type);
  const bytes = v.value.bytes;
  if (!bytes) throw new ExpressionError('the value is optimized out');
  if (!t || bytes.length > 8 || t.tag === TAG.structure_type || t.tag === TAG.union_type || t.tag === TAG.array_type) throw new ExpressionError(`a ${ctx.debug.types.name(v.value.type)} is not a number`);
  const enc = t.num(AT.encoding);
  if (t.tag === TAG.base_type && enc === ATE.float) throw new ExpressionError('floating-point values are not compared here');
  const signed = t.tag === TAG.base_type && (enc === ATE.signed || enc === ATE.signed_char);
  return readInt(bytes, 0, bytes.length, ctx.debug.sections.little, signed);
}

function needTypes(scope: ExpressionScope): VariableContext {
  if (!scope.ctx) throw new ExpressionError('the firmware has no debug information: only registers and numbers');
  return scope.ctx;
}

/** What a pointer (or an array) `v` points at, `index` elements on. */
function deref(v: ExprValue, index: number, scope: ExpressionScope): ExprValue {
  const ctx = needTypes(scope);
  if (v.kind === 'number') throw new ExpressionError('a number has no type to read through (casts are not supported)');
  const types = ctx.debug.types;
  const t = types.strip(v.value.type);
  if (t?.tag === TAG.array_type) return element(v, index, scope);
  if (t?.tag !== TAG.pointer_type) throw new ExpressionError(`a ${types.name(v.value.type)} is not a pointer`);
  const target = types.typeOf(t);
  const size = types.sizeOf(target);
  if (!size) throw new ExpressionError(`cannot read through a ${types.name(v.value.type)}`);
  const addr = (toNumber(v, scope) + index * size) >>> 0;
  return readAt(ctx, target, addr, size);
}

function readAt(ctx: VariableContext, type: Die | undefined, addr: number, size: number): ExprValue {
  const bytes = ctx.memory(addr, size);
  if (!bytes || bytes.length < size) throw new ExpressionError(`cannot read ${size} bytes at 0x${addr.toString(16)}`);
  return { kind: 'typed', value: { type, bytes: bytes.subarray(0, size), address: addr } };
}

function member(v: ExprValue, field: string, scope: ExpressionScope): ExprValue {
  const ctx = needTypes(scope);
  if (v.kind === 'number') throw new ExpressionError(`a number has no member '${field}'`);
  const types = ctx.debug.types;
  const c = types.children(v.value.type).find((x) => x.name === field);
  if (!c || types.strip(v.value.type)?.tag === TAG.array_type) throw new ExpressionError(`${types.name(v.value.type)} has no member '${field}'`);
  const size = types.sizeOf(c.type) ?? 0;
  const bytes = v.value.bytes?.subarray(c.offset, c.offset + size);
  if (c.bitSize !== undefined && bytes) {
    const word = readInt(bytes, 0, bytes.length, ctx.debug.sections.little, false);
    return { kind: 'number', value: Math.floor(word / 2 ** (c.bitOffset ?? 0)) % 2 ** c.bitSize };
  }
  return { kind: 'typed', value: { type: c.type, bytes, address: v.value.address === undefined ? undefined : v.value.address + c.offset } };
}

function element(v: ExprValue, index: number, scope: ExpressionScope): ExprValue {
  const ctx = needTypes(scope);
  if (v.kind === 'typed' && ctx.debug.types.strip(v.value.type)?.tag === TAG.pointer_type) return deref(v, index, scope);
  if (v.kind === 'number') throw new ExpressionError('a number cannot be indexed');
  const types = ctx.debug.types;
  const [c] = types.children(v.value.type, index, 1);
  if (!c || types.strip(v.value.type)?.tag !== TAG.array_type) throw new ExpressionError(`[${index}] is outside the ${types.name(v.value.type)}`);
  const size = types.sizeOf(c.type, c.inner) ?? 0;
  return { kind: 'typed', value: { type: c.inner ? v.value.type : c.type, bytes: v.value.bytes?.subarray(c.offset, c.offset + size), address: v.value.address === undefined ? undefined : v.value.address + c.offset } };
}
