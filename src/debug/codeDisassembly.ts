// The `disassemble` request over the core's memory: objdump's text for each instruction, the
// function it is in, and its C source line where the debug information has one (VS Code's
// Disassembly view interleaves the source from `location` and `line`). Thumb instructions are 2 or
// 4 bytes long, so instructions before an address are found by decoding forward from the start of
// the function they are in (or a little before), never by guessing backwards.
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'path';
import { disassemble, type DisasmLine } from '../core/cpu/armv7m/disasm/disassemble';
import type { DisasmSymbols } from '../core/cpu/armv7m/disasm/elfSymbols';
import type { FirmwareSource } from './firmwareSource';
import type { FirmwareSymbols } from './firmwareSymbols';

/** How far back a listing starts when no function symbol gives a place to decode from. */
const BACK_BYTES_PER_INSTRUCTION = 4;

export interface DisassemblyContext {
  readonly read: (addr: number, len: number) => Uint8Array;
  readonly names: DisasmSymbols;
  readonly symbols: FirmwareSymbols;
  readonly source: FirmwareSource;
}

const hex8 = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/** `count` instructions from `instructionOffset` instructions away from `base` (negative: before it). */
export function disassembleAt(ctx: DisassemblyContext, base: number, instructionOffset: number, count: number): DebugProtocol.DisassembledInstruction[] {
  const lines: (DisasmLine | undefined)[] = [];
  if (instructionOffset < 0) {
    const before = linesBefore(ctx, base, -instructionOffset);
    // Padding where nothing decodes before the first instruction of memory.
    for (let i = before.length; i < -instructionOffset; i++) lines.push(undefined);
    lines.push(...before);
  }
  const skip = Math.max(0, instructionOffset);
  const after = disassemble(ctx.read, base, skip + count - lines.length, ctx.names.name, ctx.names.map).slice(skip);
  lines.push(...after);
  while (lines.length < count) lines.push(undefined);
  return lines.slice(0, count).map((l, i) => {
    if (!l || l.size === 0) return { address: hex8(l?.address ?? Math.max(0, base - 2 * (count - i))), instruction: l?.text ?? '??', presentationHint: 'invalid' };
    const out: DebugProtocol.DisassembledInstruction = { address: hex8(l.address), instructionBytes: l.bytes, instruction: l.text.replace(/\t/g, ' ') };
    const fn = ctx.symbols.at(l.address);
    if (fn) out.symbol = fn.offset ? `${fn.fn.name}+${fn.offset}` : fn.fn.name;
    const src = ctx.source.lineAt(l.address);
    if (src) {
      // Every instruction of a line carries it; the view shows the source line once, above the first.
      out.location = { name: path.basename(src.path), path: src.path };
      out.line = src.line;
      out.column = src.column;
    }
    return out;
  });
}

/** Up to `n` instructions ending just before `base`, decoded from a place an instruction starts at. */
function linesBefore(ctx: DisassemblyContext, base: number, n: number): DisasmLine[] {
  const want = Math.max(0, base - n * BACK_BYTES_PER_INSTRUCTION);
  const fn = ctx.symbols.at(want);
  const start = fn ? fn.fn.addr : want & ~1;
  const out: DisasmLine[] = [];
  for (let pc = start; pc < base; ) {
    const [l] = disassemble(ctx.read, pc, 1, ctx.names.name, ctx.names.map);
    if (!l || l.size === 0) break;
    out.push(l);
    pc += l.size;
  }
  return out.slice(-n);
}
