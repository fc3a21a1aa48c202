// A Cortex-M4 on the STM32MP157's M4 memory map with a vector table in RETRAM, for tests that
// drive the system side directly: the reset handler and every exception handler is one `BKPT #0`
// and a debugger is attached, so the run loop stops with a 'halt' on the first instruction it
// reaches, after taking whatever exceptions are pending.
import { CortexM4, type CortexM4Options } from '../../../src/core/cpu/armv7m/cortexM4';
import { findBoard } from '../../../src/core/soc/boardLoader';
import type { AddressSpace } from '../../../src/core/soc/addressSpace';
import { SocMemory } from '../../../src/core/soc/socMemory';

/** Initial MSP: top of RETRAM's first half, 8-byte aligned. */
export const INITIAL_SP = 0x8000;
/** Handler of exception n is at HANDLER_BASE + 0x10 * n (Thumb bit set in the table). */
export const HANDLER_BASE = 0x1000;
export const RESET_PC = 0x800;
const BKPT_0 = 0xbe00;

export function handlerOf(exc: number): number {
  return HANDLER_BASE + 0x10 * exc;
}

export interface M4Bench {
  readonly core: CortexM4;
  readonly console: string[];
}

/** A core reset from a vector table at 0 where every handler is a distinct Thumb address. */
export function makeM4(options: Partial<CortexM4Options> = {}, vectors: (table: Uint32Array) => void = () => undefined): M4Bench {
  const board = findBoard('stm32mp157');
  if (!board) throw new Error('stm32mp157 board missing');
  const space = new SocMemory(board).remote('m4');
  installVectors(space, vectors);
  const console: string[] = [];
  const core = new CortexM4({ space, debuggerAttached: true, console: (b) => console.push(new TextDecoder().decode(b)), ...options });
  core.reset();
  return { core, console };
}

/** Writes the vector table at 0, the reset code and every handler (each a `BKPT #0`). */
export function installVectors(space: AddressSpace, vectors: (table: Uint32Array) => void = () => undefined): void {
  const table = new Uint32Array(16 + 150);
  table[0] = INITIAL_SP;
  table[1] = RESET_PC | 1;
  for (let e = 2; e < table.length; e++) table[e] = handlerOf(e) | 1;
  vectors(table);
  space.writeBytes(0, new Uint8Array(table.buffer));
  space.write16(RESET_PC, BKPT_0);
  for (let e = 2; e < table.length; e++) space.write16(handlerOf(e), BKPT_0);
}

/** The words at [addr, addr + 4n) as unsigned numbers. */
export function words(core: CortexM4, addr: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => core.bus.space.read32(addr + 4 * i) >>> 0);
}
