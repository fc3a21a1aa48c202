// `ampw dap`: the `type: amp` debug adapter over stdin/stdout, for any DAP client (VS Code runs
// the same adapter inline).
import { defineCommand } from '../command';
import { UsageError } from '../args';
import { AmpDebugSession } from '../../debug/ampDebugSession';

export const dapCommand = defineCommand({
  name: 'dap',
  summary: 'Run the life-cycle debug adapter (Debug Adapter Protocol) on stdin/stdout',
  synopsis: '[-h]',
  details:
    'Speaks DAP on stdin/stdout until the client disconnects. Launch attributes: program (firmware ELF),\n' +
    'board, core, stopOnEntry, seed, cwd; "request": "attach" for a core the board can start before Linux.\n' +
    'The boot starts at configurationDone; launch is answered then, or after 1 s for a client that\n' +
    'waits for that answer before it configures.\n\n' +
    'Example (any DAP client: the adapter is the command `ampw dap`):\n' +
    '  { "type": "amp", "request": "launch", "program": "examples/stm32mp157/rproc-m4-fw.elf",\n' +
    '    "board": "stm32mp157", "stopOnEntry": true }\n',
  flags: {},
  run(a, io) {
    if (a.positional.length) throw new UsageError(`unexpected argument '${a.positional[0]}'`);
    const session = new AmpDebugSession({ cwd: io.cwd });
    return new Promise<number>((resolve) => {
      process.stdin.on('end', () => resolve(0));
      session.start(process.stdin, process.stdout);
    });
  },
});
