// Both sides of the objdump comparison: `arm-none-eabi-objdump -d` run on an ELF (or on words
// assembled into one with arm-none-eabi-as) and parsed into lines, and our disassembler run over
// the same bytes with the ELF's symbols.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { DisasmLine } from '../../../src/core/cpu/armv7m/disasm/disassemble';
import { listElf } from '../../../src/core/cpu/armv7m/disasm/elfListing';
import { ElfFile } from '../../../src/core/elf/elfFile';

export interface ListingLine {
  address: number;
  bytes: string;
  text: string;
}

/** The instruction lines of `objdump -d` ("addr:\tbytes\ttext"): headers, labels and "..." left out. */
export function objdumpListing(file: string): ListingLine[] {
  const out = execFileSync('arm-none-eabi-objdump', ['-d', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const lines: ListingLine[] = [];
  for (const l of out.split('\n')) {
    const m = /^ *([0-9a-f]+):\t(.*)$/.exec(l);
    if (m === null) continue;
    const rest = m[2];
    const tab = rest.indexOf('\t');
    const bytes = tab < 0 ? '' : rest.slice(0, tab).trim();
    const text = (tab < 0 ? rest : rest.slice(tab + 1)).trimEnd();
    lines.push({ address: parseInt(m[1], 16), bytes, text });
  }
  return lines;
}

/** Our listing of a linked ELF's executable sections (listElf), by address. */
export function ourListing(bytes: Uint8Array): Map<number, DisasmLine> {
  return new Map(listElf(ElfFile.parse(bytes)).flatMap((r) => r.lines.map((l) => [l.address, l] as const)));
}

/** Thumb words (32-bit ones as hw1 << 16 | hw2) as the bytes of a little-endian image. */
export function wordBytes(words: readonly number[]): Uint8Array {
  const out: number[] = [];
  for (const w of words) {
    if (w > 0xffff) out.push((w >>> 16) & 0xff, w >>> 24, w & 0xff, (w >>> 8) & 0xff);
    else out.push(w & 0xff, w >>> 8);
  }
  return new Uint8Array(out);
}

/** objdump's listing of the words assembled at 0 for a Cortex-M4 with FPv4-SP, as one function `f`. */
export function objdumpOfWords(words: readonly number[]): ListingLine[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ampw-disasm-'));
  try {
    const lines = ['.syntax unified', '.cpu cortex-m4', '.fpu fpv4-sp-d16', '.thumb', '.text', 'f:'];
    for (const w of words) lines.push(w > 0xffff ? `.inst.w 0x${w.toString(16)}` : `.inst.n 0x${w.toString(16)}`);
    fs.writeFileSync(path.join(dir, 'w.s'), `${lines.join('\n')}\n`);
    execFileSync('arm-none-eabi-as', [path.join(dir, 'w.s'), '-o', path.join(dir, 'w.o')]);
    return objdumpListing(path.join(dir, 'w.o'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
