// The Locals and Globals scopes of a code frame, from DWARF: each variable with its C type and
// value as gdb prints it, structs and arrays expanding into members and elements, a pointer into
// what it points at, and a memory reference in the core's own view where the value is in memory.
// Optimised code keeps many locals in registers for part of a function only: outside that part
// DWARF gives no location, and the value shows as <optimized out>.
import type { Die } from '../core/dwarf/debugInfo';
import type { FirmwareDebugInfo } from '../core/dwarf/firmwareDebugInfo';
import type { MemoryReader, StackFrame } from '../core/dwarf/unwind';
import type { Variable } from '../core/dwarf/variables';
import { TAG } from '../core/dwarf/constants';
import type { VarNode } from './variables';

/** Children shown per expansion of a big array. */
const PAGE = 100;

export interface VariableContext {
  readonly debug: FirmwareDebugInfo;
  readonly memory: MemoryReader;
  /** A memory reference in the core's own view ("m4:0x20000000"). */
  readonly reference: (addr: number) => string;
}

/** A variable's bytes, type and address in `frame` (undefined frame: a global). */
export interface ReadValue {
  readonly type: Die | undefined;
  readonly bytes: Uint8Array | undefined;
  readonly address: number | undefined;
}

export function readVariable(ctx: VariableContext, v: Variable, frame: StackFrame | undefined, exact: boolean): ReadValue {
  const d = ctx.debug;
  const size = d.types.sizeOf(v.type) ?? 0;
  const pc = frame ? (exact ? frame.pc : frame.pc - 1) : 0;
  const fc = frame ? d.frameContext(frame, ctx.memory) : { register: () => undefined, readMemory: ctx.memory };
  const { location, bytes } = d.variables.read(v, pc, size, fc);
  return { type: v.type, bytes, address: location.kind === 'memory' ? location.address : undefined };
}

export function variableNodes(ctx: VariableContext, vars: readonly Variable[], frame: StackFrame | undefined, exact: boolean): VarNode[] {
  return vars.map((v) => {
    const view = ctx.debug.view(v, frame, exact, ctx.memory);
    const r = readVariable(ctx, v, frame, exact);
    return valueNode(ctx, v.name, view.type, view.value, r);
  });
}

/** A value as a node: its children are its members, elements or (a pointer) what it points at. */
export function valueNode(ctx: VariableContext, name: string, typeName: string, value: string, r: ReadValue): VarNode {
  const children = r.bytes ? childrenOf(ctx, r) : undefined;
  return {
    name,
    value,
    type: typeName,
    memoryReference: r.address !== undefined ? ctx.reference(r.address) : undefined,
    children,
  };
}

function childrenOf(ctx: VariableContext, r: ReadValue): (() => VarNode[]) | undefined {
  const types = ctx.debug.types;
  const t = types.strip(r.type);
  if (!t || !r.bytes) return undefined;
  if (t.tag === TAG.pointer_type) {
    const target = types.typeOf(t);
    const size = types.sizeOf(target);
    const addr = readU32(r.bytes);
    if (!size || addr === 0 || !types.strip(target)) return undefined;
    return () => {
      const bytes = ctx.memory(addr, size);
      const ok = bytes && bytes.length >= size ? bytes.subarray(0, size) : undefined;
      const value = ok ? types.format(target, ok, ctx.debug.sections.little, ctx.memory) : `<cannot read ${size} bytes at 0x${addr.toString(16)}>`;
      return [valueNode(ctx, '*', types.name(target), value, { type: target, bytes: ok, address: addr })];
    };
  }
  const count = types.childCount(r.type);
  if (count === 0) return undefined;
  const bytes = r.bytes;
  const page = (from: number): VarNode[] => {
    const views = ctx.debug.childViews(r.type, bytes, r.address, ctx.memory, from, PAGE);
    const kids = types.children(r.type, from, PAGE);
    const nodes = views.map((v, i) => {
      const c = kids[i];
      const size = types.sizeOf(c.type, c.inner) ?? 0;
      const own = c.bitSize === undefined ? bytes.subarray(c.offset, c.offset + size) : undefined;
      return valueNode(ctx, v.name, v.type, v.value, { type: c.inner ? r.type : c.type, bytes: c.inner ? undefined : own, address: v.address });
    });
    if (from + PAGE < count) nodes.push({ name: `[${from + PAGE}..]`, value: `${count - from - PAGE} more`, children: () => page(from + PAGE) });
    return nodes;
  };
  return () => page(0);
}

function readU32(b: Uint8Array): number {
  return b.length >= 4 ? new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true) : 0;
}
