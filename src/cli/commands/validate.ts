// `ampw validate`: checks firmware ELFs the way the kernel's remoteproc will, for a board's core.
import { validateFirmware } from '../../core/rsc/validate';
import { palette } from '../colour';
import { chooseBoard } from '../boardOption';
import { defineCommand, flagValue } from '../command';
import { UsageError } from '../args';
import { readInput } from '../io';
import { FileResult, exitStatus } from '../report/fileResult';
import { formatText } from '../report/text';
import { formatJson } from '../report/json';
import { formatSarif } from '../report/sarif';

export const validateCommand = defineCommand({
  name: 'validate',
  summary: 'Check firmware ELF files the way the Linux kernel remoteproc will load them.',
  synopsis: '[--board B] [--core C] [--format text|json|sarif] FILE...',
  flags: {
    board: { value: true, meta: 'B', help: 'builtin board id, a board id from .amp/boards/, or a board .json path' },
    core: { value: true, meta: 'C', help: "remote core id on the board (default: the board's first core)" },
    format: { value: true, meta: 'F', choices: ['text', 'json', 'sarif'], help: 'output format, default text' },
  },
  details: `Exit status:
  0  the kernel would boot every FILE (warnings and notes allowed)
  1  some finding is an error: the kernel would refuse to boot that file
  2  usage error, unknown board or core, or a FILE that cannot be read

Examples:
  ampw validate --board stm32mp157 build/rproc-m4-fw.elf
  ampw validate --board am64x --core r5f0_1 --format sarif fw.elf > ampw.sarif
`,
  async run(args, io) {
    if (args.positional.length === 0) throw new UsageError('no FILE given');
    const target = await chooseBoard(io, flagValue(args, 'board'), flagValue(args, 'core'));
    const files: FileResult[] = [];
    for (const file of args.positional) {
      const input = await readInput(io, 'validate', file);
      if ('error' in input) files.push({ file, readError: input.error });
      else files.push({ file, size: input.bytes.byteLength, validation: validateFirmware(input.bytes, target ?? {}) });
    }
    const report = { target, files };
    const format = flagValue(args, 'format') ?? 'text';
    if (format === 'json') io.stdout(formatJson(report));
    else if (format === 'sarif') io.stdout(formatSarif(report, io.cwd));
    else io.stdout(formatText(report, palette(io)));
    return exitStatus(report);
  },
});
