// `ampw validate`: checks firmware ELFs the way the kernel's remoteproc will, for a board's core.
import { validateFirmware } from '../../core/rsc/validate';
import { palette } from '../colour';
import { chooseBoard, knownBoards } from '../boardOption';
import { defineCommand, flagValue } from '../command';
import { UsageError } from '../args';
import { readInput } from '../io';
import { printable } from '../terminalText';
import { describeInference, inferTarget } from '../targetInference';
import { FAIL_ON, FileResult, exitStatus } from '../report/fileResult';
import { formatText } from '../report/text';
import { formatJson } from '../report/json';
import { formatSarif } from '../report/sarif';

export const validateCommand = defineCommand({
  name: 'validate',
  summary: 'Check firmware ELF files the way the Linux kernel remoteproc will load them.',
  synopsis: '[--board B] [--core C] [--format text|json|sarif] [--fail-on error|warning|note] FILE...',
  flags: {
    board: { value: true, meta: 'B', help: 'builtin board id, a board id from .amp/boards/, or a board .json path (default: inferred per FILE)' },
    core: { value: true, meta: 'C', help: "remote core id on the board (default: the board's first core)" },
    format: { value: true, meta: 'F', choices: ['text', 'json', 'sarif'], help: 'output format, default text' },
    'fail-on': { value: true, meta: 'LEVEL', choices: Object.keys(FAIL_ON), help: 'least severe finding that makes the exit status 1, default error' },
  },
  details: `Without --board, each FILE is checked against the board and core whose memory holds
every loadable segment (builtin boards, then .amp/boards/); when several do, the first, and it
says which; when none does, the generic remoteproc checks only. Text output says this on stderr.

Exit status:
  0  no finding reaches --fail-on (by default: the kernel would boot every FILE)
  1  some finding reaches --fail-on (by default an error: the kernel would refuse that file)
  2  usage error, unknown board or core, or a FILE that cannot be read

Examples:
  ampw validate --board stm32mp157 build/rproc-m4-fw.elf
  ampw validate --fail-on warning build/rproc-m4-fw.elf
  ampw validate --board am64x --core r5f0_1 --format sarif fw.elf > ampw.sarif
`,
  async run(args, io) {
    if (args.positional.length === 0) throw new UsageError('no FILE given');
    const target = await chooseBoard(io, flagValue(args, 'board'), flagValue(args, 'core'));
    const format = flagValue(args, 'format') ?? 'text';
    const candidates = target ? { boards: [], errors: [] } : knownBoards(io);
    for (const e of candidates.errors) io.stderr(`ampw validate: bad board file, left out of the inference:\n${printable(e.message)}\n`);
    const files: FileResult[] = [];
    for (const file of args.positional) {
      const input = await readInput(io, 'validate', file);
      if ('error' in input) {
        files.push({ file, readError: input.error });
        continue;
      }
      const inference = target ? undefined : inferTarget(input.bytes, candidates.boards);
      if (inference && format === 'text') io.stderr(`ampw validate: ${printable(file)}: no --board: ${printable(describeInference(inference))}\n`);
      const used = target ?? inference?.fits[0];
      files.push({ file, size: input.bytes.byteLength, target: used, inference, validation: validateFirmware(input.bytes, used ?? {}) });
    }
    const report = { target, failOn: FAIL_ON[flagValue(args, 'fail-on') ?? 'error'], files };
    if (format === 'json') io.stdout(formatJson(report));
    else if (format === 'sarif') io.stdout(formatSarif(report, io.cwd));
    else io.stdout(formatText(report, palette(io)));
    return exitStatus(report);
  },
});
