// Disassembly of generated code by GNU objdump (Thumb, Cortex-M4 with FPv4-SP), for reports and
// for checking that every generated encoding is one the architecture defines.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** objdump's lines for the halfwords, one instruction a line ("addr: hex  mnemonic operands"). */
export function disassemble(halfwords: readonly number[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ampw-oracle-'));
  try {
    const file = path.join(dir, 'code.bin');
    const bytes = new Uint8Array(halfwords.length * 2);
    halfwords.forEach((hw, i) => new DataView(bytes.buffer).setUint16(i * 2, hw, true));
    fs.writeFileSync(file, bytes);
    const text = execFileSync('arm-none-eabi-objdump', ['-D', '-b', 'binary', '-marm', '-Mforce-thumb', `--disassembler-options=force-thumb`, file], { encoding: 'utf8' });
    return text.split('\n').filter((l) => /^\s+[0-9a-f]+:\t/.test(l)).map((l) => l.trim().replace(/\t/g, ' '));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Lines objdump calls undefined or UNPREDICTABLE. */
export function invalidLines(lines: readonly string[]): string[] {
  return lines.filter((l) => /undefined|UNPREDICTABLE|\.word|\.short|\.inst/i.test(l));
}
