// `ampw table`: the firmware's resource table as the kernel's debugfs `resource_table` file shows it.
import { formatResourceTable } from '../../core/rsc/debugfs';
import { validateFirmware } from '../../core/rsc/validate';
import { UsageError } from '../args';
import { defineCommand } from '../command';
import { readInput } from '../io';
import { printable } from '../terminalText';

export const tableCommand = defineCommand({
  name: 'table',
  summary: "Print a firmware's resource table, entry by entry, worded like the kernel's debugfs resource_table.",
  synopsis: 'FILE',
  flags: {},
  details: `Exit status:
  0  the table was printed, or the image has none ("No resource table found")
  1  the image or its table cannot be decoded (the reasons go to stderr)
  2  usage error or FILE cannot be read
`,
  async run(args, io) {
    if (args.positional.length !== 1) throw new UsageError(args.positional.length === 0 ? 'no FILE given' : 'give exactly one FILE');
    const file = args.positional[0];
    const input = await readInput(io, 'table', file);
    if ('error' in input) return 2;
    const v = validateFirmware(input.bytes);
    if (v.table || (v.elf && !v.tableSection)) {
      io.stdout(formatResourceTable(v.table).split('\n').map(printable).join('\n'));
      return 0;
    }
    // No table to show: the image or the table is malformed; say why in the kernel's words.
    const errors = v.findings.filter((x) => x.severity === 'error');
    for (const f of errors) io.stderr(printable(`ampw table: ${file}: ${f.message} [${f.rule}]`) + '\n');
    if (errors.length === 0) io.stderr(printable(`ampw table: ${file}: the resource table cannot be decoded`) + '\n');
    return 1;
  },
});
