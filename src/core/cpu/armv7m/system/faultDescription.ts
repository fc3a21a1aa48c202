// Faults in words, for a one-line report: the exception, where, and CFSR/HFSR by bit name as the
// Arm documentation names them, with MMFAR/BFAR when their VALID bit says they hold the address.
import { Cfsr, Exc, Hfsr } from '../exceptions';

const CFSR_NAMES: readonly [number, string][] = [
  [Cfsr.IACCVIOL, 'IACCVIOL'],
  [Cfsr.DACCVIOL, 'DACCVIOL'],
  [Cfsr.MUNSTKERR, 'MUNSTKERR'],
  [Cfsr.MSTKERR, 'MSTKERR'],
  [Cfsr.MLSPERR, 'MLSPERR'],
  [Cfsr.MMARVALID, 'MMARVALID'],
  [Cfsr.IBUSERR, 'IBUSERR'],
  [Cfsr.PRECISERR, 'PRECISERR'],
  [Cfsr.IMPRECISERR, 'IMPRECISERR'],
  [Cfsr.UNSTKERR, 'UNSTKERR'],
  [Cfsr.STKERR, 'STKERR'],
  [Cfsr.LSPERR, 'LSPERR'],
  [Cfsr.BFARVALID, 'BFARVALID'],
  [Cfsr.UNDEFINSTR, 'UNDEFINSTR'],
  [Cfsr.INVSTATE, 'INVSTATE'],
  [Cfsr.INVPC, 'INVPC'],
  [Cfsr.NOCP, 'NOCP'],
  [Cfsr.UNALIGNED, 'UNALIGNED'],
  [Cfsr.DIVBYZERO, 'DIVBYZERO'],
];

const HFSR_NAMES: readonly [number, string][] = [
  [Hfsr.VECTTBL, 'VECTTBL'],
  [Hfsr.FORCED, 'FORCED'],
  [Hfsr.DEBUGEVT, 'DEBUGEVT'],
];

const EXCEPTION_NAMES: Record<number, string> = {
  [Exc.Reset]: 'Reset',
  [Exc.NMI]: 'NMI',
  [Exc.HardFault]: 'HardFault',
  [Exc.MemManage]: 'MemManage',
  [Exc.BusFault]: 'BusFault',
  [Exc.UsageFault]: 'UsageFault',
  [Exc.SVCall]: 'SVCall',
  [Exc.DebugMonitor]: 'DebugMonitor',
  [Exc.PendSV]: 'PendSV',
  [Exc.SysTick]: 'SysTick',
};

export function exceptionName(exc: number): string {
  if (exc === 0) return 'Thread';
  return EXCEPTION_NAMES[exc] ?? (exc >= 16 ? `IRQ${exc - 16}` : `exception ${exc}`);
}

function bitNames(value: number, names: readonly [number, string][]): string[] {
  return names.filter(([bit]) => (value & bit) !== 0).map(([, n]) => n);
}

/** CFSR's set bits by name ("IMPRECISERR"). */
export function cfsrNames(cfsr: number): string[] {
  return bitNames(cfsr, CFSR_NAMES);
}

const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

export interface FaultRegisters {
  readonly cfsr: number;
  readonly hfsr: number;
  readonly mmfar: number;
  readonly bfar: number;
}

/** "HardFault at PC 0x00000104: HFSR FORCED; CFSR 0x00020000 (INVSTATE)" and the fault addresses. */
export function describeFault(what: string, pc: number, r: FaultRegisters): string {
  const parts = [`${what} at PC ${hex(pc)}`];
  const hf = bitNames(r.hfsr, HFSR_NAMES);
  if (hf.length) parts.push(`HFSR ${hf.join(' ')}`);
  const cf = cfsrNames(r.cfsr);
  parts.push(`CFSR ${hex(r.cfsr)}${cf.length ? ` (${cf.join(' ')})` : ''}`);
  if (r.cfsr & Cfsr.MMARVALID) parts.push(`MMFAR ${hex(r.mmfar)}`);
  if (r.cfsr & Cfsr.BFARVALID) parts.push(`BFAR ${hex(r.bfar)}`);
  return parts.join('; ');
}
