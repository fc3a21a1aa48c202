// The Registers scope of a Cortex-M core's code thread: r0-r12, sp, lr, pc, xPSR, the special
// registers and the FPU, read through the GDB target the core is debugged by (its register names
// are gdb's), with xPSR, CONTROL and FPSCR split into the fields the Arm ARM names.
import type { GdbTarget } from '../core/gdb/target';
import { exceptionName } from '../core/cpu/armv7m/system/faultDescription';
import type { VarNode } from './variables';

const hex8 = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
const bit = (v: number, n: number): number => (v >>> n) & 1;

/** A core's registers by gdb name, as unsigned 32-bit words (a D register is two S registers). */
export class RegisterFile {
  private readonly index = new Map<string, number>();

  constructor(private readonly target: GdbTarget) {
    target.registers.forEach((r, i) => this.index.set(r.name, i));
  }

  has(name: string): boolean {
    return this.index.has(name) || this.single(name) !== undefined;
  }

  /** The register's value; undefined when the target has no such register. */
  read(name: string): number | undefined {
    const s = this.single(name);
    if (s !== undefined) {
      const d = this.bytes(`d${s >> 1}`);
      return d && new DataView(d.buffer, d.byteOffset).getUint32((s & 1) * 4, true);
    }
    const b = this.bytes(name);
    return b && new DataView(b.buffer, b.byteOffset).getUint32(0, true);
  }

  /** Writes a 32-bit register or one half of a D register; false when the target refuses. */
  write(name: string, value: number): boolean {
    const s = this.single(name);
    const reg = s !== undefined ? `d${s >> 1}` : name;
    const n = this.index.get(reg);
    const bytes = this.bytes(reg);
    if (n === undefined || !bytes) return false;
    const copy = bytes.slice();
    new DataView(copy.buffer).setUint32(s !== undefined ? (s & 1) * 4 : 0, value >>> 0, true);
    return this.target.writeRegister(n, copy);
  }

  private single(name: string): number | undefined {
    const m = /^s(\d+)$/.exec(name);
    return m && Number(m[1]) < 32 && this.index.has(`d${Number(m[1]) >> 1}`) ? Number(m[1]) : undefined;
  }

  private bytes(name: string): Uint8Array | undefined {
    const n = this.index.get(name);
    return n === undefined ? undefined : this.target.readRegister(n);
  }
}

/** IT/ICI bits of the EPSR (A2.3.2): ITSTATE[7:2] in xPSR[15:10], ITSTATE[1:0] in xPSR[26:25]. */
function itState(xpsr: number): number {
  return (((xpsr >>> 10) & 0x3f) << 2) | ((xpsr >>> 25) & 3);
}

function fields(name: string, value: number, parts: readonly [string, string][]): VarNode {
  return { name, value: hex8(value), children: () => parts.map(([n, v]) => ({ name: n, value: v })), register: name.toLowerCase() };
}

export function xpsrNode(v: number): VarNode {
  const exc = v & 0x1ff;
  return fields('xPSR', v, [
    ['N', String(bit(v, 31))],
    ['Z', String(bit(v, 30))],
    ['C', String(bit(v, 29))],
    ['V', String(bit(v, 28))],
    ['Q', String(bit(v, 27))],
    ['GE', `0b${((v >>> 16) & 0xf).toString(2).padStart(4, '0')}`],
    ['IT/ICI', `0x${itState(v).toString(16).padStart(2, '0')}`],
    ['T', String(bit(v, 24))],
    ['exception number', `${exc} (${exceptionName(exc)})`],
  ]);
}

export function controlNode(v: number): VarNode {
  return fields('CONTROL', v, [
    ['nPRIV', `${bit(v, 0)} (${bit(v, 0) ? 'unprivileged' : 'privileged'} in Thread mode)`],
    ['SPSEL', `${bit(v, 1)} (${bit(v, 1) ? 'PSP' : 'MSP'} in Thread mode)`],
    ['FPCA', `${bit(v, 2)} (${bit(v, 2) ? 'a floating-point context is active' : 'no floating-point context'})`],
  ]);
}

const ROUNDING = ['to nearest', 'towards +infinity', 'towards -infinity', 'towards zero'];

function fpscrNode(v: number): VarNode {
  const flags = ['IOC', 'DZC', 'OFC', 'UFC', 'IXC'].filter((_, i) => bit(v, i)).concat(bit(v, 7) ? ['IDC'] : []);
  return fields('FPSCR', v, [
    ['N', String(bit(v, 31))],
    ['Z', String(bit(v, 30))],
    ['C', String(bit(v, 29))],
    ['V', String(bit(v, 28))],
    ['AHP', String(bit(v, 26))],
    ['DN', String(bit(v, 25))],
    ['FZ', String(bit(v, 24))],
    ['RMode', `${(v >>> 22) & 3} (${ROUNDING[(v >>> 22) & 3]})`],
    ['exception flags', flags.length ? flags.join(' ') : 'none'],
  ]);
}

const f32 = new DataView(new ArrayBuffer(4));

/** An S register's bits as the float they hold. */
export function floatText(bits: number): string {
  f32.setUint32(0, bits >>> 0);
  return `${f32.getFloat32(0)} (${hex8(bits)})`;
}

const word = (name: string, value: number): VarNode => ({ name, value: hex8(value), register: name.toLowerCase() });

/** The Registers scope: what the target has, in the order a Cortex-M programmer reads them. */
export function registerNodes(regs: RegisterFile): VarNode[] {
  const out: VarNode[] = [];
  const add = (name: string, make: (v: number) => VarNode) => {
    const v = regs.read(name);
    if (v !== undefined) out.push(make(v));
  };
  for (let n = 0; n <= 12; n++) add(`r${n}`, (v) => word(`r${n}`, v));
  for (const n of ['sp', 'lr', 'pc']) add(n, (v) => word(n, v));
  add('xpsr', xpsrNode);
  add('control', controlNode);
  for (const n of ['primask', 'basepri', 'faultmask', 'msp', 'psp']) add(n, (v) => word(n.toUpperCase(), v));
  if (regs.has('fpscr')) {
    out.push({
      name: 'FPU',
      value: 's0-s31, FPSCR',
      children: () => [
        ...Array.from({ length: 32 }, (_, n) => ({ name: `s${n}`, value: floatText(regs.read(`s${n}`) ?? 0), register: `s${n}` })),
        fpscrNode(regs.read('fpscr') ?? 0),
      ],
    });
  }
  return out;
}

/** A value typed into the Registers view: decimal, 0x hex, or (for an S register) a float. */
export function parseRegisterValue(name: string, text: string): number | undefined {
  const t = text.trim();
  if (/^s\d+$/.test(name) && !/^0x/i.test(t)) {
    const n = Number(t.split(' ')[0]);
    if (Number.isNaN(n)) return undefined;
    f32.setFloat32(0, n);
    return f32.getUint32(0);
  }
  if (!/^(0x[0-9a-f]+|-?\d+)$/i.test(t)) return undefined;
  const n = Number(t);
  return n >= -0x80000000 && n <= 0xffffffff ? n >>> 0 : undefined;
}
