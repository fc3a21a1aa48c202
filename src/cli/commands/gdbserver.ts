// `ampw gdbserver --board B FILE`: FILE loaded as `ampw run` loads it, halted at its reset vector,
// and a GDB remote-protocol server for it on 127.0.0.1 (never another interface: the protocol can
// write any memory). One gdb per server, as gdbserver without --multi. The program's console
// (semihosting, the board's UARTs) goes to gdb as 'O' packets while gdb has it running, to stdout
// otherwise. gdb's `kill` or a closed connection ends the server; `detach` leaves the program
// running on as `ampw run` would, with its exit status.
// `ampw gdbserver --board B --firmware FILE`: the whole system instead, the host booting FILE
// through remoteproc at once; the core halts at its reset vector, and the whole system halts
// whenever the core stops for gdb (systemTarget.ts).
import * as path from 'path';
import { UsageError, type ParsedArgs } from '../args';
import { chooseBoard } from '../boardOption';
import { defineCommand, flagValue, type Command } from '../command';
import { readInput, type CliIO } from '../io';
import { printable } from '../terminalText';
import { DEFAULT_MAX_INSTRUCTIONS, reportStop, requireModelledCpu, RUN_STATUS } from './run';
import { BareProgramError, runBareProgram } from '../../core/cpu/bareProgram';
import { BareTarget } from '../../core/gdb/bareTarget';
import type { GdbSession } from '../../core/gdb/session';
import { SystemTarget } from '../../core/gdb/systemTarget';
import type { GdbTarget } from '../../core/gdb/target';
import { Firmware } from '../../core/remoteproc/firmware';
import { serveGdb } from '../../common/gdbTcpServer';
import { buildSystem, FirmwareReadError } from './boot';
import { hostDisk } from './shell';

/** OpenOCD's port for the first core's gdb server, which Cortex-Debug users know. */
const DEFAULT_PORT = 3333;
/** The server could not listen (the port is taken, or not ours to take), or the host could not boot the firmware. */
const LISTEN_FAILED = 1;
const BOOT_FAILED = 1;

export const gdbserverCommand: Command = defineCommand({
  name: 'gdbserver',
  summary: 'Serve a core to gdb (GDB remote protocol on 127.0.0.1): a bare program, or the firmware inside the whole system',
  synopsis: '--board BOARD [--core CORE] [--port N] FILE | --board BOARD [--core CORE] --firmware FILE [--port N] [--seed N]',
  flags: {
    board: { value: true, meta: 'BOARD', help: 'board id (ampw boards) or board .json file' },
    core: { value: true, meta: 'CORE', help: "core id (default: the board's first); its CPU must be modelled (cortex-m4)" },
    port: { value: true, meta: 'N', help: `TCP port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one, printed on stderr)` },
    firmware: { value: true, meta: 'FILE', help: 'the whole system: the host boots FILE on the core through remoteproc, and the system halts whenever the core does' },
    seed: { value: true, meta: 'N', help: 'seed of the simulation, with --firmware (same seed, same run)' },
  },
  details: `Waits for one gdb, then serves it until gdb kills the program or disconnects (status 0).
gdb's detach leaves the program running on as ampw run runs it, with ampw run's exit statuses.
The program's semihosting and UART output goes to gdb while gdb runs it, to stdout otherwise.
Breakpoints (break, hbreak) and watchpoints (watch, rwatch, awatch) cost no memory patching; a
watchpoint stops before the access, as gdb expects of Arm (and QEMU does). Ctrl-C interrupts.
Monitor commands: monitor reset (load FILE again, reset the core; then 'maint flush register-cache'
or step for gdb to see the new registers), monitor cycles, monitor help.
Status 1: the port cannot be listened on.

With --firmware FILE the core runs inside the whole simulated system: the host boots FILE through
remoteproc (echo start > .../state) before gdb connects, and the core halts at its reset vector.
Whenever the core stops for gdb (breakpoint, watchpoint, step, Ctrl-C, a fault with no handler),
the WHOLE system halts: virtual time stands still and the host runs nothing, so no host timeout
runs out behind your back. A watchpoint also fires when the host writes or reads the watched
memory (a vring), after the host's access. Monitor commands: monitor boot, monitor stop (remoteproc start and
stop through sysfs), monitor reset (the core alone, as its watchdog does), monitor log (dmesg),
monitor shell LINE (a line of the host's shell, e.g. echo hi > /dev/ttyRPMSG0), monitor time.
gdb's detach or kill, or a closed connection, ends the server (status 0).

Example:
ampw gdbserver --board stm32mp157 --port 3333 build/firmware.elf &
gdb-multiarch -ex 'target remote :3333' build/firmware.elf
ampw gdbserver --board stm32mp157 --firmware examples/stm32mp157/rproc-m4-fw.elf &
`,
  async run(a, io) {
    const firmwareFile = flagValue(a, 'firmware');
    if (firmwareFile !== undefined) return serveSystem(a, io, firmwareFile);
    if (a.positional.length !== 1) throw new UsageError(a.positional.length === 0 ? 'no FILE given' : 'give exactly one FILE');
    const choice = await chooseBoard(io, flagValue(a, 'board'), flagValue(a, 'core'));
    if (!choice) throw new UsageError("option '--board' is required");
    const { board, core } = choice;
    requireModelledCpu(board, core, 'ampw gdbserver serves');
    const port = portOption(a);
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
    const status = await serve(target, port, io, (s) => (session = s), `${board.id} ${core.id} halted at reset`);
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

/** The whole system's path: the host boots the firmware, the core halts at its reset vector, gdb gets it. */
async function serveSystem(a: ParsedArgs, io: CliIO, firmwareFile: string): Promise<number> {
  if (a.positional.length) throw new UsageError(`unexpected argument '${a.positional[0]}' (with --firmware, FILE is the option's)`);
  const port = portOption(a);
  let built;
  try {
    built = await buildSystem(a, io, firmwareFile);
  } catch (e) {
    if (!(e instanceof FirmwareReadError)) throw e;
    io.stderr(printable(`ampw gdbserver: ${e.message}`) + '\n');
    return RUN_STATUS.usage;
  }
  const { system, rproc } = built;
  const core = system.rproc(rproc).core;
  requireModelledCpu(system.board, core, 'ampw gdbserver serves');
  const target = new SystemTarget(system, rproc, hostDisk(io));
  const booted = target.boot();
  if (target.debug.lastStop?.kind !== 'reset') {
    io.stderr(printable(`ampw gdbserver: ${booted}${system.dmesg()}`));
    return BOOT_FAILED;
  }
  let session: GdbSession | undefined;
  const decoder = new TextDecoder();
  system.events.on((e) => {
    if (e.kind !== 'console' || e.core !== core.id) return;
    const bytes = new TextEncoder().encode(e.text);
    if (!session?.consoleOutput(bytes)) io.stdout(decoder.decode(bytes));
  });
  const status = await serve(target, port, io, (s) => (session = s), `${system.board.id} ${core.id} (${rproc}) booted, halted at its reset vector with the whole system`);
  if (status === 'detach') target.detach();
  return status === 'detach' ? 0 : status;
}

function portOption(a: ParsedArgs): number {
  const portText = flagValue(a, 'port') ?? String(DEFAULT_PORT);
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new UsageError(`option '--port' needs a port number 0-65535 (got '${portText}')`);
  return Number(portText);
}

/** Listens for one gdb and serves `target` to it; the status, or 'detach' when the program is to run on. */
async function serve(target: GdbTarget, port: number, io: CliIO, started: (s: GdbSession) => void, where: string): Promise<number | 'detach'> {
  const server = serveGdb(target, port, {
    listening: (p) => io.stderr(`ampw gdbserver: ${where}; listening on 127.0.0.1:${p} (gdb: target remote :${p})\n`),
    failed: (message) => io.stderr(printable(`ampw gdbserver: ${message}`) + '\n'),
    connected: started,
  });
  const end = await server.ended;
  return end === 'failed' ? LISTEN_FAILED : end === 'detach' ? 'detach' : 0;
}
