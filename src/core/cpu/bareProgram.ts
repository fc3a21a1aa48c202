// A bare program on a modelled core, without the Linux host: the ELF's PT_LOAD segments copied by
// device address through the board's map as remoteproc copies them (rproc_elf_load_segments()),
// the core reset from its vector table, then run until the program ends it or a budget does.
// The peripherals' time is the core's cycles; the watchdog's reset resets the core, as the MCU
// reset does, and the run goes on. `ampw run` and bench:cpu take this one path.
import type { Board, CoreDesc } from '../soc/board';
import { SocMemory } from '../soc/socMemory';
import { loadSegments, type SegmentLoader } from '../remoteproc/elfLoader';
import type { Firmware } from '../remoteproc/firmware';
import { attachPeripherals, type CorePeripheralOptions, type CorePeripherals } from '../soc/peripherals/corePeripherals';
import { CortexM4, type CortexM4Options, type StopKind, type StopReason } from './armv7m/cortexM4';
import { CycleClock } from './cycleClock';

const EM_ARM = 40;
const PT_LOAD = 1;
/** Cycles per slice of the run loop between checks of the instruction budget. */
const SLICE_CYCLES = 1_000_000;

/** The image cannot be loaded on the core; the message says why, in the kernel's words where it has them. */
export class BareProgramError extends Error {}

/** How a bare program's run ends: never on a reset, which it goes through. */
export type BareStop = StopReason & { readonly kind: Exclude<StopKind, 'reset'> };

export interface BareProgram {
  readonly memory: SocMemory;
  readonly core: CortexM4;
  /** The register-level models of the board's peripherals for this core. */
  readonly peripherals: CorePeripherals;
  /** Their time: the core's cycles. */
  readonly clock: CycleClock;
}

/** The core's options, and how its peripherals behave (their console is the semihosting one unless given). */
export type BareProgramOptions = Omit<CortexM4Options, 'space'> & Pick<CorePeripheralOptions, 'unmodelled' | 'report'>;

/**
 * Loads `fw` into a fresh board memory for `core` (a cortex-m4), puts the core's peripherals from the
 * board's map on its bus, and resets the core from the image.
 */
export function loadBareProgram(board: Board, core: CoreDesc, fw: Firmware, options: BareProgramOptions = {}): BareProgram {
  const elf = fw.elf();
  if (elf instanceof Error) throw new BareProgramError(`not an ELF image: ${elf.message}`);
  const h = elf.header;
  if (h.class !== 32 || h.endian !== 'little' || h.machine !== EM_ARM) throw new BareProgramError(`not a little-endian 32-bit ARM ELF (class ${h.class}, ${h.endian}-endian, machine ${h.machine})`);
  if (!elf.programs.some((p) => p.type === PT_LOAD && p.memsz > 0)) throw new BareProgramError('no loadable segments');
  const memory = new SocMemory(board);
  const loader: SegmentLoader = {
    daToPa: (da, len) => memory.daToPa(core, da, len),
    hostMem: memory.host,
    phase: () => undefined,
    fail: (errno, msg) => {
      throw new BareProgramError(msg ?? errno);
    },
  };
  loadSegments(loader, fw);
  const m4 = new CortexM4({ ...options, space: memory.remote(core.id) });
  const clock = new CycleClock(() => m4.state.cycles, m4.clockHz);
  const peripherals = attachPeripherals(m4.bus, m4.nvic, core.peripherals ?? [], { ...options, clock, mcuHz: m4.clockHz });
  if (peripherals.wwdg) {
    peripherals.wwdg.onReset = (cause) => {
      options.report?.(`WWDG1 reset the MCU: ${cause}`);
      m4.reset();
    };
  }
  m4.reset();
  return { memory, core: m4, peripherals, clock };
}

/**
 * Runs until the program exits, the core stops for good (sleep, lockup, fault, halt) or
 * `maxInstructions` have retired (then the stop is 'budget'). A system reset the program asks
 * for, or its watchdog's, resets the core and goes on, as on the board; a core asleep, locked up
 * or stopped on a fault waits for a peripheral's callback still due (the watchdog's reset).
 */
export function runBareProgram(program: BareProgram, maxInstructions: number): BareStop {
  const s = program.core.state;
  for (;;) {
    const left = maxInstructions - s.instructions;
    if (left <= 0) return { kind: 'budget', pc: s.pc };
    // With every instruction taking at least a cycle, a slice of `left` cycles cannot overshoot the budget.
    const stop = runBareSlice(program, Math.min(SLICE_CYCLES, left));
    if (stop) return stop;
  }
}

/**
 * At most `cycles` cycles of runBareProgram's running, as a debugger drives it between looks at
 * its connection: the stop, or undefined when the program runs on.
 */
export function runBareSlice(program: BareProgram, cycles: number): BareStop | undefined {
  const { core: m4, clock } = program;
  const s = m4.state;
  clock.fireDue();
  return settle(program, m4.runUntil(Math.min(s.cycles + cycles, clock.nextDue())));
}

/** One instruction of the program (a debugger's step: breakpoints are not checked); undefined when it ran. */
export function stepBareProgram(program: BareProgram): BareStop | undefined {
  program.clock.fireDue();
  return settle(program, program.core.step());
}

/** A core's stop as the bare program takes it: undefined when the program goes on. */
function settle(program: BareProgram, stop: StopReason): BareStop | undefined {
  const { core: m4, clock } = program;
  if (stop.kind === 'budget') return undefined;
  if (stop.kind === 'reset') {
    m4.reset();
    return undefined;
  }
  if ((stop.kind === 'sleep' || stop.kind === 'lockup' || stop.kind === 'fault') && clock.nextDue() < Infinity) {
    m4.state.cycles = Math.max(m4.state.cycles, clock.nextDue());
    return undefined;
  }
  return { ...stop, kind: stop.kind };
}
