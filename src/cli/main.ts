// `ampw`: the AMP Workbench core on the command line. Bundled to dist/cli.js with a shebang.
import { UsageError } from './args';
import type { Command } from './command';
import { boardsCommand } from './commands/boards';
import { bootCommand } from './commands/boot';
import { dapCommand } from './commands/dap';
import { disasmCommand } from './commands/disasm';
import { gdbserverCommand } from './commands/gdbserver';
import { runCommand } from './commands/run';
import { shellCommand } from './commands/shell';
import { tableCommand } from './commands/table';
import { validateCommand } from './commands/validate';
import { processIO, type CliIO } from './io';
import { BoardSchemaError } from '../core/soc/boardSchema';
import { printable } from './terminalText';
import { TOOL_VERSION } from './version';

/** Every subcommand, in the order `ampw --help` lists them. */
export const COMMANDS: readonly Command[] = [validateCommand, tableCommand, boardsCommand, bootCommand, runCommand, shellCommand, dapCommand, gdbserverCommand, disasmCommand];

function mainUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return (
    'Usage: ampw <command> [options]\n\n' +
    'AMP Workbench: check and run remote-core firmware (remoteproc, virtio, rpmsg) without a board.\n\n' +
    'Commands:\n' +
    COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}\n`).join('') +
    '\nOptions:\n  -h, --help     show this help (also: ampw <command> --help)\n  --version      print the version\n'
  );
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(mainUsage());
    return 2;
  }
  if (first === '-h' || first === '--help') {
    io.stdout(mainUsage());
    return 0;
  }
  if (first === '--version') {
    io.stdout(`ampw ${TOOL_VERSION}\n`);
    return 0;
  }
  const helpFor = first === 'help' ? rest[0] : undefined;
  if (first === 'help' && helpFor === undefined) {
    io.stdout(mainUsage());
    return 0;
  }
  const name = helpFor ?? first;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`ampw: unknown command '${name}'\n\n${mainUsage()}`);
    return 2;
  }
  try {
    return await command.run(helpFor ? ['--help'] : rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`ampw ${command.name}: ${e.message}\n${command.usage.split('\n')[0]}\nTry 'ampw ${command.name} --help'.\n`);
      return 2;
    }
    if (e instanceof BoardSchemaError) {
      io.stderr(`ampw ${command.name}: bad board file:\n${printable(e.message)}\n`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), processIO()).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`ampw: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
