// Exception breakpoints on a Cortex-M core's faults, caught as a probe's vector catch does
// (DEMCR.VC_HARDERR, VC_MMERR, VC_BUSERR...): the core stops on the first instruction of the
// fault's handler, after exception entry, and the stop says what faulted: the stacked PC and the
// fault status registers decoded by name.
import type { GdbTarget } from '../core/gdb/target';
import { describeFault, exceptionName } from '../core/cpu/armv7m/system/faultDescription';
import type { RegisterFile } from './coreRegisters';

export type FaultFilter = 'hardfault' | 'memmanage' | 'busfault' | 'usagefault';

export const FAULT_FILTERS: readonly { filter: FaultFilter; label: string; exception: number; description: string }[] = [
  { filter: 'hardfault', label: 'HardFault', exception: 3, description: "The core enters its HardFault handler (an escalated fault, a vector read that failed, a BKPT with no debugger)" },
  { filter: 'memmanage', label: 'MemManage', exception: 4, description: 'The core enters its MemManage handler (an MPU violation, an execute-never region)' },
  { filter: 'busfault', label: 'BusFault', exception: 5, description: 'The core enters its BusFault handler (an access nothing answers)' },
  { filter: 'usagefault', label: 'UsageFault', exception: 6, description: 'The core enters its UsageFault handler (an undefined instruction, an unaligned access, a division by zero when trapped)' },
];

/** System Control Block registers the stop reads (B3.2.2). */
const VTOR = 0xe000ed08;
const CFSR = 0xe000ed28;
const HFSR = 0xe000ed2c;
const MMFAR = 0xe000ed34;
const BFAR = 0xe000ed38;

function word(target: GdbTarget, addr: number): number | undefined {
  const b = target.readMemory(addr, 4);
  return b.length === 4 ? new DataView(b.buffer, b.byteOffset).getUint32(0, true) : undefined;
}

/** The handler address of each caught fault, from the vector table VTOR points at now: handler → exception numbers. */
export function faultHandlers(target: GdbTarget, filters: ReadonlySet<FaultFilter>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const vtor = word(target, VTOR);
  if (vtor === undefined) return out;
  for (const f of FAULT_FILTERS) {
    if (!filters.has(f.filter)) continue;
    const v = word(target, vtor + 4 * f.exception);
    // A vector that is not a Thumb address is no handler: the core locks up or stops, and says so.
    if (v === undefined || (v & 1) === 0) continue;
    const at = (v & ~1) >>> 0;
    out.set(at, [...(out.get(at) ?? []), f.exception]);
  }
  return out;
}

/** The fault the core has just entered the handler of, in words: "BusFault at PC 0x...; CFSR ... (PRECISERR BFARVALID); BFAR ...". */
export function describeCaughtFault(target: GdbTarget, regs: RegisterFile): { label: string; text: string } {
  const exc = (regs.read('xpsr') ?? 0) & 0x1ff;
  // EXC_RETURN in LR says which stack holds the exception frame; its PC is at offset 24.
  const excReturn = regs.read('lr') ?? 0;
  const sp = (excReturn & 4 ? regs.read('psp') : regs.read('msp')) ?? 0;
  const pc = word(target, sp + 24) ?? 0;
  const r = { cfsr: word(target, CFSR) ?? 0, hfsr: word(target, HFSR) ?? 0, mmfar: word(target, MMFAR) ?? 0, bfar: word(target, BFAR) ?? 0 };
  const label = exceptionName(exc);
  return { label, text: describeFault(label, pc, r) };
}
