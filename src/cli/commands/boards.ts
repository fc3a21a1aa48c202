// `ampw boards`: the boards `--board` can name, their remote cores and each core's memory map.
import type { Board, CoreDesc, MemoryRegion } from '../../core/soc/board';
import { palette, type Palette } from '../colour';
import { defineCommand, flagValue } from '../command';
import { knownBoards } from '../boardOption';
import { UsageError } from '../args';
import { printable } from '../terminalText';

const hex8 = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

function size(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} B`;
}

// Workspace boards are the user's files: every string from one goes through printable().
function windowLine(m: MemoryRegion): string {
  return `      ${printable(m.name).padEnd(14)} da ${hex8(m.da)}  pa ${hex8(m.pa)}  ${size(m.size).padStart(8)}  ${m.kind} ${m.access}\n`;
}

function coreText(b: Board, c: CoreDesc, p: Palette): string {
  let s = `  ${p.bold(printable(c.id))}  ${printable(`${c.name}  ${c.cpu}  driver ${c.driver}  firmware ${c.defaultFirmware}`)}\n`;
  s += `      table ${c.tableRequired ? 'required' : 'optional'}, ${c.earlyBootCapable ? 'can attach to a running core' : 'boot only'}\n`;
  s += c.memories.map(windowLine).join('');
  const reserved = c.memoryRegions.map((n) => b.reservedMemory.find((r) => r.name === n)).filter((r) => r !== undefined);
  if (reserved.length) s += printable(`      memory-region: ${reserved.map((r) => `${r.nodeName ?? r.name}@${r.pa.toString(16)} (${size(r.size)})`).join(', ')}`) + '\n';
  if (c.mailbox.length) s += printable(`      mailbox: ${c.mailbox.map((m) => m.name).join(', ')}${c.mailbox[0].controller ? ` on ${c.mailbox[0].controller}` : ''}`) + '\n';
  return s;
}

function boardText(b: Board, p: Palette): string {
  return `${p.bold(printable(b.id))}  ${printable(b.description)}\n` + b.cores.map((c) => coreText(b, c, p)).join('');
}

export const boardsCommand = defineCommand({
  name: 'boards',
  summary: 'List the boards (builtin and .amp/boards/*.json), their remote cores and memory maps.',
  synopsis: '[--format text|json] [BOARD...]',
  flags: {
    format: { value: true, meta: 'F', choices: ['text', 'json'], help: 'output format, default text' },
  },
  details: `With BOARD ids, only those boards. JSON gives the boards as loaded (addresses as numbers).
Exit status: 0, or 2 for an unknown BOARD or a workspace board file that does not load.
`,
  async run(args, io) {
    const { boards, errors } = knownBoards(io);
    for (const e of errors) io.stderr(`ampw boards: ${printable(e.message)}\n`);
    for (const id of args.positional) if (!boards.some((b) => b.id === id)) throw new UsageError(`unknown board '${id}' (known: ${boards.map((b) => b.id).join(', ')})`);
    const shown = args.positional.length ? boards.filter((b) => args.positional.includes(b.id)) : boards;
    if (flagValue(args, 'format') === 'json') io.stdout(`${JSON.stringify(shown, null, 2)}\n`);
    else {
      const p = palette(io);
      io.stdout(shown.map((b) => boardText(b, p)).join('\n'));
    }
    return errors.length ? 2 : 0;
  },
});
