// `ampw disasm FILE`: a firmware's code as `arm-none-eabi-objdump -d` lists it, without a
// toolchain: the same disassembler the `amp` debugger shows, on the core's own decode tables.
import { UsageError } from '../args';
import { defineCommand, flagValue, type Command } from '../command';
import { readInput } from '../io';
import { printable } from '../terminalText';
import { listElf } from '../../core/cpu/armv7m/disasm/elfListing';
import { disasmSymbols } from '../../core/cpu/armv7m/disasm/elfSymbols';
import { EM_ARM } from '../../core/elf/constants';
import { ElfFile } from '../../core/elf/elfFile';
import { ElfError } from '../../core/elf/types';

function address(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const v = /^(0x)?[0-9a-f]+$/i.test(text) ? parseInt(text.replace(/^0x/i, ''), 16) : NaN;
  if (!Number.isSafeInteger(v) || v > 0xffffffff) throw new UsageError(`option '--${flag}' wants a hex address, not '${text}'`);
  return v;
}

export const disasmCommand: Command = defineCommand({
  name: 'disasm',
  summary: "Disassemble a firmware's Thumb code as arm-none-eabi-objdump -d does",
  synopsis: '[--start ADDR] [--stop ADDR] FILE',
  flags: {
    start: { value: true, meta: 'ADDR', help: 'list from this address (hex)' },
    stop: { value: true, meta: 'ADDR', help: 'list up to this address (hex, not included)' },
  },
  details: `Each executable section is listed as objdump -d lists it: the instruction lines (address,
bytes, mnemonic, operands and comments) are objdump's, literal pools and tables marked as data
($d) are .word/.short/.byte. A32 code ($a, Cortex-R) is named but not disassembled.

Exit status:
  0  the listing was printed
  1  FILE is not an ARM ELF
  2  usage error or FILE cannot be read
`,
  async run(a, io) {
    if (a.positional.length !== 1) throw new UsageError(a.positional.length === 0 ? 'no FILE given' : 'give exactly one FILE');
    const start = address(flagValue(a, 'start'), 'start') ?? 0;
    const stop = address(flagValue(a, 'stop'), 'stop') ?? 2 ** 32;
    const file = a.positional[0];
    const input = await readInput(io, 'disasm', file);
    if ('error' in input) return 2;
    let elf: ElfFile;
    try {
      elf = ElfFile.parse(input.bytes);
      if (elf.header.machine !== EM_ARM) throw new ElfError(0, 'not an ARM ELF');
    } catch (e) {
      if (!(e instanceof ElfError)) throw e;
      io.stderr(printable(`ampw disasm: ${file}: ${e.message}`) + '\n');
      return 1;
    }
    const { name } = disasmSymbols(elf);
    let section = '';
    for (const run of listElf(elf)) {
      if (run.end <= start || run.start >= stop) continue;
      if (run.section !== section) {
        section = run.section;
        io.stdout(printable(`\nDisassembly of section ${section}:\n`));
      }
      if (run.a32) {
        io.stdout(`${run.start.toString(16).padStart(8)}:\tA32 code up to ${run.end.toString(16)}: not disassembled\n`);
        continue;
      }
      for (const l of run.lines) {
        if (l.address < start || l.address >= stop) continue;
        // a label where a symbol starts, as objdump prints one
        const label = name(l.address);
        if (label !== undefined && !/[+-]0x[0-9a-f]+$/.test(label)) io.stdout(printable(`\n${l.address.toString(16).padStart(8, '0')} <${label}>:\n`));
        io.stdout(printable(`${l.address.toString(16).padStart(8)}:\t${l.bytes.padEnd(10)}\t${l.text}`) + '\n');
      }
    }
    return 0;
  },
});
