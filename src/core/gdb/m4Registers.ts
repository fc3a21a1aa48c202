// The Cortex-M4's registers as gdb numbers them in our target description: the M-profile core
// (org.gnu.gdb.arm.m-profile), the FPv4-SP registers as D0-D15 and FPSCR (org.gnu.gdb.arm.vfp;
// gdb makes S0-S31 of them), the banked stack pointers (org.gnu.gdb.arm.m-system: gdb 13 reads an
// exception frame from the stack EXC_RETURN names) and the special registers. Names and types are gdb's.
import type { CortexM4 } from '../cpu/armv7m/cortexM4';
import type { RegisterInfo } from './target';

const CORE = 'org.gnu.gdb.arm.m-profile';
const VFP = 'org.gnu.gdb.arm.vfp';
const SYSTEM = 'org.gnu.gdb.arm.m-system';

/** A register's words (one, or two for a D register, low word first) read from and written to the core. */
interface M4Register extends RegisterInfo {
  read(m4: CortexM4): readonly number[];
  write(m4: CortexM4, words: readonly number[]): void;
}

const word = (name: string, type: string, feature: string, read: (m4: CortexM4) => number, write: (m4: CortexM4, v: number) => void, group?: string): M4Register => ({
  name,
  bitsize: 32,
  type,
  feature,
  group,
  read: (m4) => [read(m4)],
  write: (m4, [v]) => write(m4, v),
});

/** A change of PRIMASK, BASEPRI, FAULTMASK, CONTROL or IPSR: pending exceptions are looked at again. */
const priority = (f: (m4: CortexM4, v: number) => void) => (m4: CortexM4, v: number) => {
  f(m4, v);
  m4.priorityChanged();
};

const general = Array.from({ length: 13 }, (_, n) =>
  word(`r${n}`, 'int', CORE, (m4) => m4.state.r[n], (m4, v) => (m4.state.r[n] = v)),
);

const doubles = Array.from({ length: 16 }, (_, n): M4Register => ({
  name: `d${n}`,
  bitsize: 64,
  type: 'ieee_double',
  feature: VFP,
  read: (m4) => [m4.state.s[2 * n], m4.state.s[2 * n + 1]],
  write: (m4, [lo, hi]) => {
    m4.state.s[2 * n] = lo;
    m4.state.s[2 * n + 1] = hi;
  },
}));

export const M4_REGISTERS: readonly M4Register[] = [
  ...general,
  word('sp', 'data_ptr', CORE, (m4) => m4.state.r[13], (m4, v) => (m4.state.r[13] = v & ~3)),
  word('lr', 'int', CORE, (m4) => m4.state.r[14], (m4, v) => (m4.state.r[14] = v)),
  word('pc', 'code_ptr', CORE, (m4) => m4.state.pc, (m4, v) => (m4.state.pc = (v & ~1) >>> 0)),
  word('xpsr', 'int', CORE, (m4) => m4.state.xpsr, priority((m4, v) => {
    m4.state.setApsrEpsr(v);
    m4.state.setModeAndControl(v & 0x1ff, m4.state.control);
  })),
  ...doubles,
  word('fpscr', 'int', VFP, (m4) => m4.state.fpscr, (m4, v) => (m4.state.fpscr = v), 'float'),
  word('msp', 'data_ptr', SYSTEM, (m4) => m4.state.msp, (m4, v) => (m4.state.msp = v)),
  word('psp', 'data_ptr', SYSTEM, (m4) => m4.state.psp, (m4, v) => (m4.state.psp = v)),
  word('primask', 'int', SYSTEM, (m4) => m4.state.primask, priority((m4, v) => (m4.state.primask = v & 1)), 'system'),
  word('basepri', 'int', SYSTEM, (m4) => m4.state.basepri, priority((m4, v) => (m4.state.basepri = v & 0xff)), 'system'),
  word('faultmask', 'int', SYSTEM, (m4) => m4.state.faultmask, priority((m4, v) => (m4.state.faultmask = v & 1)), 'system'),
  word('control', 'int', SYSTEM, (m4) => m4.state.control, priority((m4, v) => m4.state.setModeAndControl(m4.state.ipsr, v & 7)), 'system'),
];

/** The register's bytes, little-endian, or undefined for a number we do not have. */
export function readM4Register(m4: CortexM4, n: number): Uint8Array | undefined {
  const reg = M4_REGISTERS[n];
  if (!reg) return undefined;
  const words = reg.read(m4);
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  return out;
}

/** Writes the register from little-endian bytes; false for a number we do not have or the wrong size. */
export function writeM4Register(m4: CortexM4, n: number, bytes: Uint8Array): boolean {
  const reg = M4_REGISTERS[n];
  if (!reg || bytes.length !== reg.bitsize / 8) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  reg.write(m4, Array.from({ length: bytes.length / 4 }, (_, i) => view.getInt32(i * 4, true)));
  return true;
}
