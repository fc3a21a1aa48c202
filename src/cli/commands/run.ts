// `ampw run --board B FILE`: a bare program on a core, without the Linux host, as QEMU runs
// firmware unit tests in CI. The ELF's PT_LOAD segments are copied by device address through the
// board's map as remoteproc copies them, the core resets from its vector table, semihosting
// output goes to stdout with what the board's UARTs transmit, reports of accesses to peripherals
// that are not modelled go to stderr, and the program's exit status becomes ours.
import * as path from 'path';
import { UsageError } from '../args';
import { chooseBoard } from '../boardOption';
import { defineCommand, flagValue, type Command } from '../command';
import { readInput, type CliIO } from '../io';
import { printable } from '../terminalText';
import type { CortexM4 } from '../../core/cpu/armv7m/cortexM4';
import { BareProgramError, loadBareProgram, runBareProgram, type BareProgram, type BareStop } from '../../core/cpu/bareProgram';
import { Firmware } from '../../core/remoteproc/firmware';
import type { Board, CoreDesc } from '../../core/soc/board';

/** Exit statuses of a run that does not end in SYS_EXIT. */
export const RUN_STATUS = {
  usage: 2,
  sleep: 123,
  budget: 124,
  lockup: 125,
  fault: 126,
} as const;

export const DEFAULT_MAX_INSTRUCTIONS = 1_000_000_000;
const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
const hex4 = (v: number) => v.toString(16).padStart(4, '0');

export const runCommand: Command = defineCommand({
  name: 'run',
  summary: 'Run a bare program on a core without the Linux host: semihosting output on stdout, its exit status as ours',
  synopsis: '--board BOARD [--core CORE] [--max-instructions N] [--unmodelled ignore|fault] [--trace] FILE',
  flags: {
    board: { value: true, meta: 'BOARD', help: 'board id (ampw boards) or board .json file' },
    core: { value: true, meta: 'CORE', help: "core id (default: the board's first); its CPU must be modelled (cortex-m4)" },
    'max-instructions': { value: true, meta: 'N', help: `stop after N instructions (default ${DEFAULT_MAX_INSTRUCTIONS})` },
    unmodelled: { value: true, meta: 'POLICY', help: "an access to a peripheral that is not modelled: 'ignore' reads zero and drops writes (default), 'fault' is a BusFault; either is reported once per peripheral on stderr" },
    trace: { help: 'print each instruction executed (address and raw encoding) on stderr' },
  },
  details: `Exit status:
N    the program's: SYS_EXIT with ADP_Stopped_ApplicationExit is 0, another reason 1;
     SYS_EXIT_EXTENDED gives its code (modulo 256)
2    usage error, FILE cannot be read, or its segments do not fit the core's memory
${RUN_STATUS.sleep}  the core sleeps (WFI/WFE) with nothing left to wake it
${RUN_STATUS.budget}  --max-instructions reached
${RUN_STATUS.lockup}  lockup (a fault while in HardFault or NMI, or one during their entry)
${RUN_STATUS.fault}  a fault whose handler cannot run (its vector is not a Thumb address)
Every status but the program's comes with one line on stderr: the fault, PC and CFSR decoded.

Example:
ampw run --board stm32mp157 build/unit-tests.elf
`,
  async run(a, io) {
    if (a.positional.length !== 1) throw new UsageError(a.positional.length === 0 ? 'no FILE given' : 'give exactly one FILE');
    const choice = await chooseBoard(io, flagValue(a, 'board'), flagValue(a, 'core'));
    if (!choice) throw new UsageError("option '--board' is required");
    const { board, core } = choice;
    requireModelledCpu(board, core, 'ampw run runs');
    const maxText = flagValue(a, 'max-instructions') ?? String(DEFAULT_MAX_INSTRUCTIONS);
    if (!/^[1-9]\d{0,15}$/.test(maxText)) throw new UsageError(`option '--max-instructions' needs a positive integer (got '${maxText}')`);
    const unmodelled = flagValue(a, 'unmodelled') ?? 'ignore';
    if (unmodelled !== 'ignore' && unmodelled !== 'fault') throw new UsageError(`option '--unmodelled' needs 'ignore' or 'fault' (got '${unmodelled}')`);
    const file = a.positional[0];
    const input = await readInput(io, 'run', file);
    if ('error' in input) return RUN_STATUS.usage;
    const decoder = new TextDecoder();
    let program: BareProgram;
    try {
      program = loadBareProgram(board, core, new Firmware(path.basename(file), input.bytes), {
        console: (b) => io.stdout(decoder.decode(b, { stream: true })),
        unmodelled,
        report: (line) => io.stderr(printable(`ampw run: ${line}`) + '\n'),
        trace: a.flags.get('trace') === true ? (addr, halfwords) => io.stderr(`${hex(addr)}  ${halfwords.map(hex4).join(' ')}\n`) : undefined,
      });
    } catch (e) {
      if (!(e instanceof BareProgramError)) throw e;
      io.stderr(printable(`ampw run: ${file}: ${e.message}`) + '\n');
      return RUN_STATUS.usage;
    }
    const status = reportStop(runBareProgram(program, Number(maxText)), program.core, io, `ampw run: ${file}`);
    io.stdout(decoder.decode());
    return status;
  },
});

/** A usage error unless the core's CPU is modelled; `what` says what the command does with it ('ampw run runs'). */
export function requireModelledCpu(board: Board, core: CoreDesc, what: string): void {
  if (core.cpu !== 'cortex-m4') throw new UsageError(`core '${core.id}' of ${board.id} is a ${core.cpu}, whose CPU is not modelled: ${what} cortex-m4 cores`);
}

/** The exit status of how the run ended, with its one line on stderr after `prefix` (`ampw run: FILE`). */
export function reportStop(stop: BareStop, m4: CortexM4, io: CliIO, prefix: string): number {
  const fail = (status: number, why: string) => {
    io.stderr(printable(`${prefix}: ${why}`) + '\n');
    return status;
  };
  switch (stop.kind) {
    case 'exit':
      return (stop.code ?? 0) & 0xff;
    case 'budget':
      return fail(RUN_STATUS.budget, `stopped after ${m4.state.instructions} instructions (--max-instructions) at PC ${hex(stop.pc)}`);
    case 'sleep':
      return fail(RUN_STATUS.sleep, `the core sleeps at PC ${hex(stop.pc)} with nothing to wake it`);
    case 'lockup':
      return fail(RUN_STATUS.lockup, stop.message ?? `lockup at PC ${hex(stop.pc)}`);
    case 'halt': // these three only with a debugger attached, which ampw run never is: its BKPT is a HardFault
    case 'breakpoint':
    case 'watch':
    case 'fault':
      return fail(RUN_STATUS.fault, stop.message ?? `unhandled fault at PC ${hex(stop.pc)}`);
  }
}
