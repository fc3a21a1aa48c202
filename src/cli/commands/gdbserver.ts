// `ampw gdbserver --board B FILE`: FILE loaded as `ampw run` loads it, halted at its reset vector,
// and a GDB remote-protocol server for it on 127.0.0.1 (never another interface: the protocol can
// write any memory). One gdb per server, as gdbserver without --multi. The program's console
// (semihosting, the board's UARTs) goes to gdb as 'O' packets while gdb has it running, to stdout
// otherwise. gdb's `kill` or a closed connection ends the server; `detach` leaves the program
// running on as `ampw run` would, with its exit status.
import * as net from 'net';
import * as path from 'path';
import { UsageError } from '../args';
import { chooseBoard } from '../boardOption';
import { defineCommand, flagValue, type Command } from '../command';
import { readInput, type CliIO } from '../io';
import { printable } from '../terminalText';
import { DEFAULT_MAX_INSTRUCTIONS, reportStop, requireModelledCpu, RUN_STATUS } from './run';
import { BareProgramError, runBareProgram } from '../../core/cpu/bareProgram';
import { BareTarget } from '../../core/gdb/bareTarget';
import { GdbSession } from '../../core/gdb/session';
import { Firmware } from '../../core/remoteproc/firmware';

/** OpenOCD's port for the first core's gdb server, which Cortex-Debug users know. */
const DEFAULT_PORT = 3333;
/** The server could not listen (the port is taken, or not ours to take). */
const LISTEN_FAILED = 1;

export const gdbserverCommand: Command = defineCommand({
  name: 'gdbserver',
  summary: 'Serve a bare program on a core to gdb (GDB remote protocol on 127.0.0.1), halted at its reset vector',
  synopsis: '--board BOARD [--core CORE] [--port N] FILE',
  flags: {
    board: { value: true, meta: 'BOARD', help: 'board id (ampw boards) or board .json file' },
    core: { value: true, meta: 'CORE', help: "core id (default: the board's first); its CPU must be modelled (cortex-m4)" },
    port: { value: true, meta: 'N', help: `TCP port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one, printed on stderr)` },
  },
  details: `Waits for one gdb, then serves it until gdb kills the program or disconnects (status 0).
gdb's detach leaves the program running on as ampw run runs it, with ampw run's exit statuses.
The program's semihosting and UART output goes to gdb while gdb runs it, to stdout otherwise.
Breakpoints (break, hbreak) and watchpoints (watch, rwatch, awatch) cost no memory patching; a
watchpoint stops before the access, as gdb expects of Arm (and QEMU does). Ctrl-C interrupts.
Monitor commands: monitor reset (load FILE again, reset the core; then 'maint flush register-cache'
or step for gdb to see the new registers), monitor cycles, monitor help.
Status 1: the port cannot be listened on.

Example:
ampw gdbserver --board stm32mp157 --port 3333 build/firmware.elf &
gdb-multiarch -ex 'target remote :3333' build/firmware.elf
`,
  async run(a, io) {
    if (a.positional.length !== 1) throw new UsageError(a.positional.length === 0 ? 'no FILE given' : 'give exactly one FILE');
    const choice = await chooseBoard(io, flagValue(a, 'board'), flagValue(a, 'core'));
    if (!choice) throw new UsageError("option '--board' is required");
    const { board, core } = choice;
    requireModelledCpu(board, core, 'ampw gdbserver serves');
    const portText = flagValue(a, 'port') ?? String(DEFAULT_PORT);
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new UsageError(`option '--port' needs a port number 0-65535 (got '${portText}')`);
    const file = a.positional[0];
    const input = await readInput(io, 'gdbserver', file);
    if ('error' in input) return RUN_STATUS.usage;
    const decoder = new TextDecoder();
    let session: GdbSession | undefined;
    let target: BareTarget;
    try {
      target = new BareTarget(board, core, new Firmware(path.basename(file), input.bytes), {
        console: (b) => {
          if (!session?.consoleOutput(b)) io.stdout(decoder.decode(b, { stream: true }));
        },
        report: (line) => io.stderr(printable(`ampw gdbserver: ${line}`) + '\n'),
      });
    } catch (e) {
      if (!(e instanceof BareProgramError)) throw e;
      io.stderr(printable(`ampw gdbserver: ${file}: ${e.message}`) + '\n');
      return RUN_STATUS.usage;
    }
    const status = await serve(target, Number(portText), io, (s) => (session = s), `${board.id} ${core.id}`);
    if (status !== 'detach') {
      io.stdout(decoder.decode());
      return status;
    }
    // gdb removed its breakpoints before detaching; none of ours may hold the program now
    target.m4.setBreakpoints(new Set());
    target.m4.setWatchpoints([]);
    const exited = target.exitCode;
    const code = exited ?? reportStop(runBareProgram(target.program, DEFAULT_MAX_INSTRUCTIONS), target.m4, io, printable(`ampw gdbserver: ${file}`));
    io.stdout(decoder.decode());
    return code;
  },
});

/** Listens for one gdb and serves `target` to it; the status, or 'detach' when the program is to run on. */
function serve(target: BareTarget, port: number, io: CliIO, started: (s: GdbSession) => void, where: string): Promise<number | 'detach'> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.on('error', (e) => {
      io.stderr(printable(`ampw gdbserver: cannot listen on 127.0.0.1:${port}: ${e.message}`) + '\n');
      resolve(LISTEN_FAILED);
    });
    server.listen(port, '127.0.0.1', () => {
      const p = (server.address() as net.AddressInfo).port;
      io.stderr(`ampw gdbserver: ${where} halted at reset; listening on 127.0.0.1:${p} (gdb: target remote :${p})\n`);
    });
    server.once('connection', (socket) => {
      server.close();
      socket.setNoDelay(true);
      let ending: 'detach' | 'kill' | undefined;
      const session = new GdbSession({
        target,
        send: (bytes) => socket.write(bytes),
        ended: (how) => {
          ending = how;
          socket.end();
        },
      });
      started(session);
      // While the target runs, one slice per turn of the event loop, so gdb's Ctrl-C is read between slices.
      let scheduled = false;
      let closed = false;
      const pump = () => {
        if (scheduled || closed || !session.wantsSlices) return;
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          if (closed) return;
          session.runSlice();
          pump();
        });
      };
      socket.on('data', (d: Buffer) => {
        session.receive(new Uint8Array(d.buffer, d.byteOffset, d.length));
        pump();
      });
      socket.on('error', () => undefined); // 'close' follows
      // gdb gone while the program runs: it stops with the server
      socket.on('close', () => {
        closed = true;
        resolve(ending === 'detach' ? 'detach' : 0);
      });
    });
  });
}
