// `ampw gdbserver --board B FILE`: FILE loaded as `ampw run` loads it, halted at its reset vector,
// and a GDB remote-protocol server for it on 127.0.0.1 (never another interface: the protocol can
// write any memory). One gdb per server, as gdbserver without --multi. The program's console
// (semihosting, the board's UARTs) goes to gdb as 'O' packets while gdb has it running, to stdout
// otherwise. gdb's `kill` or a closed connection ends the server; `detach` leaves the program
// running on as `ampw run` would, with its exit status.
// `ampw gdbserver --board B --firmware FILE`: the whole system instead, the host booting FILE
// through remoteproc at once; the core halts at its reset vector, and the whole system halts
// whenever the core stops for gdb (systemTarget.ts), unless --host-runs. With --cores, several
// cores: one server each on ports N, N+1..., or with --threads one server, a thread per core.
import * as path from 'path';
import { UsageError, type ParsedArgs } from '../args';
import { chooseBoard } from '../boardOption';
import { defineCommand, flagValue, flagValues, type Command } from '../command';
import { fileErrorReason, readInput, type CliIO } from '../io';
import { printable } from '../terminalText';
import { DEFAULT_MAX_INSTRUCTIONS, reportStop, requireModelledCpu, RUN_STATUS } from './run';
import { BareProgramError, runBareProgram } from '../../core/cpu/bareProgram';
import { BareTarget } from '../../core/gdb/bareTarget';
import type { GdbSession } from '../../core/gdb/session';
import { SystemTarget } from '../../core/gdb/systemTarget';
import type { GdbTarget } from '../../core/gdb/target';
import { Firmware } from '../../core/remoteproc/firmware';
import { serveGdb, type GdbTcpServer } from '../../common/gdbTcpServer';
import { MODELLED_CPUS } from '../../core/remote/selectRemoteProgram';
import type { AmpSystem } from '../../core/system';
import { buildSystem } from './boot';
import { hostDisk } from './shell';

/** OpenOCD's port for the first core's gdb server, which Cortex-Debug users know. */
const DEFAULT_PORT = 3333;
/** The server could not listen (the port is taken, or not ours to take), or the host could not boot the firmware. */
const LISTEN_FAILED = 1;
const BOOT_FAILED = 1;
/** With --host-runs, while gdb has every core halted the host runs this much virtual time per as much wall time. */
const HOST_PACE_MS = 10;

export const gdbserverCommand: Command = defineCommand({
  name: 'gdbserver',
  summary: 'Serve a core to gdb (GDB remote protocol on 127.0.0.1): a bare program, or the firmware inside the whole system',
  synopsis: '--board BOARD [--core CORE] [--port N] FILE | --board BOARD [--core CORE | --cores all|CORE,...] --firmware [CORE=]FILE... [--threads] [--host-runs] [--port N] [--seed N]',
  flags: {
    board: { value: true, meta: 'BOARD', help: 'board id (ampw boards) or board .json file' },
    core: { value: true, meta: 'CORE', help: "core id (default: the board's first); its CPU must be modelled (cortex-m4)" },
    port: { value: true, meta: 'N', help: `TCP port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one, printed on stderr)` },
    firmware: {
      value: true,
      repeat: true,
      meta: '[CORE=]FILE',
      help: "the whole system: the host boots FILE on each core served through remoteproc, and the system halts whenever a core does; CORE=FILE is that core's own (repeat for each)",
    },
    cores: { value: true, meta: 'all|CORE,...', help: 'with --firmware, serve several cores: all (every core whose CPU is modelled) or the ones listed' },
    threads: { help: 'one server for all the cores served, a thread per core (gdb: info threads, thread N); default: a server per core, on ports N, N+1...' },
    'host-runs': {
      help: 'a core halted for gdb halts alone: the host runs on and its timeouts run out, as beside a core a probe halted on the board (default: the whole system halts)',
    },
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

Several cores (--cores all or --cores m4,m4b, on a board with more than one modelled core): each
boots its firmware (--firmware FILE for all, --firmware CORE=FILE for one) and halts at its reset
vector. By default each core gets a server of its own, on ports N, N+1... in the order served (--port
0: each picks a free one); while any core is halted, by its gdb or because its gdb has not
continued it yet, the whole system stands still, the other servers' cores too. With --threads one
server serves them all, a thread per core (gdb's info threads names each with its core id): a stop
of one halts all (gdb's all-stop mode), a step steps the thread gdb names while vCont says what the
others do. Breakpoints and watchpoints are set on every core, at the same device address. The
monitor commands boot, stop and reset act on every core served, or on the one named (monitor boot
m4b). Cores whose CPU is not modelled are left out of --cores all with a notice on stderr; naming
one is an error. A gdb that leaves (detach, kill, a closed connection) lets its cores run on; the
command ends (status 0) once every server has.

With --host-runs a halted core halts alone (the others halt with it under --threads, as gdb's
all-stop mode wants), and the host runs on: while gdb looks, the host's virtual time keeps pace
with the clock on the wall (and monitor shell sleep N moves it on), and what runs out does as
beside a core a probe halted on the board: the M4's watchdog (WWDG1, not frozen for the debugger)
resets it and the kernel says 'crash detected in m4: type watchdog' and recovers it.

Example:
ampw gdbserver --board stm32mp157 --port 3333 build/firmware.elf &
gdb-multiarch -ex 'target remote :3333' build/firmware.elf
ampw gdbserver --board stm32mp157 --firmware examples/stm32mp157/rproc-m4-fw.elf &
ampw gdbserver --board my-board.json --cores all --threads --firmware m4=a.elf --firmware m4b=b.elf &
`,
  async run(a, io) {
    const firmware = flagValues(a, 'firmware');
    if (firmware.length) return serveSystem(a, io, firmware);
    for (const flag of ['cores', 'threads', 'host-runs']) if (a.flags.has(flag)) throw new UsageError(`option '--${flag}' needs '--firmware' (the whole system)`);
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
    const end = await serve(target, port, io, (s) => (session = s), `${board.id} ${core.id} halted at reset`).ended;
    if (end !== 'detach') {
      io.stdout(decoder.decode());
      return end === 'failed' ? LISTEN_FAILED : 0;
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

/** The whole system's path: the host boots each core's firmware, the cores halt at their reset vectors, gdb gets them. */
async function serveSystem(a: ParsedArgs, io: CliIO, firmware: readonly string[]): Promise<number> {
  if (a.positional.length) throw new UsageError(`unexpected argument '${a.positional[0]}' (with --firmware, FILE is the option's)`);
  const port = portOption(a);
  const haltSystem = a.flags.get('host-runs') !== true;
  const { system } = await buildSystem(a, io, undefined);
  const cores = servedCores(a, system, io);
  const images = firmwareByCore(firmware, system, cores);
  for (const core of cores) {
    const file = images.get(core)!;
    let data: Uint8Array;
    try {
      data = await io.readFile(path.resolve(io.cwd, file));
    } catch (e) {
      io.stderr(printable(`ampw gdbserver: ${file}: ${fileErrorReason(e)}`) + '\n');
      return RUN_STATUS.usage;
    }
    const name = path.basename(file);
    system.files.write(`/lib/firmware/${name}`, data);
    system.files.write(`/sys/class/remoteproc/${system.rproc(core).devName}/firmware`, `${name}\n`);
  }
  // one target with a thread per core, or a target (and a server) per core
  const groups = a.flags.get('threads') === true ? [cores] : cores.map((c) => [c]);
  if (port !== 0 && port + groups.length - 1 > 65535) throw new UsageError(`option '--port': ${groups.length} servers need ports ${port}-${port + groups.length - 1}`);
  const targets = groups.map((g) => new SystemTarget(system, g, { disk: hostDisk(io), haltSystem }));
  for (const target of targets) {
    const booted = target.boot();
    if (!target.atReset) {
      io.stderr(printable(`ampw gdbserver: ${booted}${system.dmesg()}`));
      return BOOT_FAILED;
    }
  }
  const sessions = new Map<string, GdbSession>();
  const decoder = new TextDecoder();
  system.events.on((e) => {
    if (e.kind !== 'console' || !cores.includes(e.core)) return;
    const bytes = new TextEncoder().encode(e.text);
    if (!sessions.get(e.core)?.consoleOutput(bytes)) io.stdout(decoder.decode(bytes));
  });
  const held = haltSystem ? 'with the whole system' : 'alone (the host runs on while a core is halted)';
  const servers = targets.map((target, i) => {
    const ids = target.debugs.map((d) => d.coreId);
    const where = `${system.board.id} ${ids.map((id) => `${id} (${system.rproc(id).devName})`).join(', ')} booted, halted at the reset vector ${held}${ids.length > 1 ? '; a thread per core' : ''}`;
    return serve(target, port === 0 ? 0 : port + i, io, (s) => ids.forEach((id) => sessions.set(id, s)), where);
  });
  // with the host running on, gdb's looking takes time: the host's virtual time keeps pace with the clock on the wall
  const pacer = haltSystem
    ? undefined
    : setInterval(() => {
        if (!targets.some((t) => t.resumed)) system.runFor(HOST_PACE_MS * 1e6);
      }, HOST_PACE_MS);
  const ends = await Promise.all(
    servers.map((server, i) =>
      server.ended.then((end) => {
        // a server that cannot listen ends them all; a gdb gone lets its cores run on, not to hold the other servers' system
        if (end === 'failed') servers.forEach((x) => x.close());
        else targets[i].detach();
        return end;
      }),
    ),
  );
  clearInterval(pacer);
  return ends.includes('failed') ? LISTEN_FAILED : 0;
}

/** The cores --core or --cores names (the board's first by default); --cores all leaves out, with a notice, cores whose CPU is not modelled. */
function servedCores(a: ParsedArgs, system: AmpSystem, io: CliIO): string[] {
  const board = system.board;
  const list = flagValue(a, 'cores');
  if (list !== undefined && flagValue(a, 'core') !== undefined) throw new UsageError("give '--core' or '--cores', not both");
  if (list === 'all') {
    const served = board.cores.filter((c) => MODELLED_CPUS.includes(c.cpu));
    for (const c of board.cores) if (!served.includes(c)) io.stderr(`ampw gdbserver: ${c.id} left out: its CPU (${c.cpu}) is not modelled\n`);
    if (!served.length) throw new UsageError(`no core of ${board.id} has a modelled CPU (${MODELLED_CPUS.join(', ')})`);
    return served.map((c) => c.id);
  }
  const ids = list === undefined ? [flagValue(a, 'core') ?? board.cores[0].id] : list.split(',');
  const cores = ids.map((id) => {
    const core = board.cores.find((c) => c.id === id);
    if (!core) throw new UsageError(`board '${board.id}' has no core '${id}' (cores: ${board.cores.map((c) => c.id).join(', ')})`);
    requireModelledCpu(board, core, 'ampw gdbserver serves');
    return core.id;
  });
  if (new Set(cores).size !== cores.length) throw new UsageError(`option '--cores' names a core twice (${list})`);
  return cores;
}

/** Each served core's firmware file: its own CORE=FILE, else the one FILE given for all. */
function firmwareByCore(values: readonly string[], system: AmpSystem, cores: readonly string[]): Map<string, string> {
  const own = new Map<string, string>();
  const common: string[] = [];
  for (const v of values) {
    const eq = v.indexOf('=');
    const core = eq > 0 ? system.board.cores.find((c) => c.id === v.slice(0, eq)) : undefined;
    if (!core) common.push(v);
    else if (!cores.includes(core.id)) throw new UsageError(`option '--firmware ${v}': core ${core.id} is not served (--core, --cores)`);
    else if (own.has(core.id)) throw new UsageError(`option '--firmware' names core ${core.id} twice`);
    else own.set(core.id, v.slice(eq + 1));
  }
  if (common.length > 1) throw new UsageError("give one '--firmware FILE' for every core, and 'CORE=FILE' for a core's own");
  const images = new Map<string, string>();
  for (const core of cores) {
    const file = own.get(core) ?? common[0];
    if (file === undefined) throw new UsageError(`no firmware for core ${core} (--firmware FILE, or --firmware ${core}=FILE)`);
    images.set(core, file);
  }
  return images;
}

function portOption(a: ParsedArgs): number {
  const portText = flagValue(a, 'port') ?? String(DEFAULT_PORT);
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new UsageError(`option '--port' needs a port number 0-65535 (got '${portText}')`);
  return Number(portText);
}

/** Listens for one gdb and serves `target` to it; `ended` says how serving ended. */
function serve(target: GdbTarget, port: number, io: CliIO, started: (s: GdbSession) => void, where: string): GdbTcpServer {
  return serveGdb(target, port, {
    listening: (p) => io.stderr(`ampw gdbserver: ${where}; listening on 127.0.0.1:${p} (gdb: target remote :${p})\n`),
    failed: (message) => io.stderr(printable(`ampw gdbserver: ${message}`) + '\n'),
    connected: started,
  });
}
