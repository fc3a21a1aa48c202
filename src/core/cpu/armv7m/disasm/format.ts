// What every class of the disassembler shares: an encoding with its text, the context an
// instruction is printed in (its address, the condition an IT block gives it, how addresses are
// named), and the operand spellings of GNU objdump (register names, immediates with their hex
// comment, shifts, register lists).
import { parsePattern, type Fields, type Pattern } from '../isa/encoding';

export const REG = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'sl', 'fp', 'ip', 'sp', 'lr', 'pc'];
/** Condition names; 14 and 15 as objdump names them in an IT block (a B<c> never has them). */
export const COND = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', '<und>'];
const SHIFT = ['lsl', 'lsr', 'asr', 'ror'];

export interface Ctx {
  /** The instruction's address. */
  readonly addr: number;
  /** The condition suffix an IT block gives it ('' outside one). */
  readonly cond: string;
  readonly inIt: boolean;
  /** It is the last instruction of its IT block. */
  readonly lastInIt: boolean;
  /** An address as objdump prints a target: "8000154 <main+0x1c>" (hex, then the symbol if any). */
  target(addr: number): string;
}

/** The text for the fields, or undefined when this encoding does not take them. */
export type Format = (f: Fields, c: Ctx) => string | undefined;

export interface Form extends Pattern {
  format: Format;
}

export function form(pattern: string, format: Format): Form {
  return { ...parsePattern(pattern), format };
}

/** Mnemonic, operands and an optional comment, tab-separated as objdump prints them. */
export function ins(mnemonic: string, operands = '', comment?: string): string {
  const text = operands === '' ? mnemonic : `${mnemonic}\t${operands}`;
  return comment === undefined ? text : `${text}\t@ ${comment}`;
}

/** A mnemonic with the IT block's condition, and ".w" for a 32-bit form that has a 16-bit twin. */
export function mn(base: string, c: Ctx, wide = false): string {
  return base + c.cond + (wide ? '.w' : '');
}

/** An instruction an IT block may not hold, as objdump flags it there. */
export function outsideIt(text: string, c: Ctx): string {
  return c.inIt ? `${text}\t@ unpredictable <IT:${c.cond}>` : text;
}

/** A branch an IT block may hold only as its last instruction, flagged by objdump elsewhere in one. */
export function lastInIt(text: string, c: Ctx): string {
  return c.inIt && !c.lastInIt ? `${text}\t@ unpredictable branch in IT block` : text;
}

/** A 16-bit form that sets the flags outside an IT block: "adds", or "addeq" inside one. */
export function mnS16(base: string, c: Ctx): string {
  return base + (c.inIt ? c.cond : 's');
}

export function hex(v: number): string {
  return `0x${(v >>> 0).toString(16)}`;
}

/** objdump's "@ 0x..." comment on an immediate: values past the range it reads at a glance. */
export function immComment(v: number): string | undefined {
  return v > 32 || v < -16 ? hex(v) : undefined;
}

/** Operands ending in an immediate, with its comment: ins(m, ...immOps('r0, ', 100)). */
export function withImm(m: string, before: string, v: number, after = ''): string {
  return ins(m, `${before}#${v}${after}`, immComment(v));
}

/** ", lsl #2", ", asr #32", ", rrx" or '' for the shift of DecodeImmShift(type, imm5). */
export function shiftText(type: number, imm5: number): string {
  if (type === 0) return imm5 === 0 ? '' : `, lsl #${imm5}`;
  if (type === 3 && imm5 === 0) return ', rrx';
  return `, ${SHIFT[type]} #${imm5 === 0 ? 32 : imm5}`;
}

/** "{r4, r5, lr}" for a register list bit mask. */
export function regList(mask: number): string {
  const names: string[] = [];
  for (let r = 0; r < 16; r++) if ((mask >>> r) & 1) names.push(REG[r]);
  return `{${names.join(', ')}}`;
}
