// FPv4-SP (VFP) instructions as objdump prints them (the encodings of isa/fp.ts): the condition
// goes before the type suffix ("vmovne.f32"), registers are s0-s31 or d0-d15, VPUSH/VPOP for
// SP with writeback, an immediate VMOV shows its bit pattern and value.
import { form, immComment, ins, mn, REG, type Ctx, type Form } from './format';

function s(v: number, low: number): string {
  return `s${(v << 1) | low}`;
}

function d(high: number, v: number): string {
  return `d${(high << 4) | v}`;
}

/** A register of size `sz` (0 single, 1 double) from its 4-bit field and extra bit. */
function reg(sz: number, v: number, extra: number): string {
  return sz ? d(extra, v) : s(v, extra);
}

const ARITH: Record<string, string> = {
  '0000': 'vmla', '0001': 'vmls', '0010': 'vnmls', '0011': 'vnmla', '0100': 'vmul', '0101': 'vnmul', '0110': 'vadd', '0111': 'vsub',
  '1000': 'vdiv', '1010': 'vfnms', '1011': 'vfnma', '1100': 'vfma', '1101': 'vfms',
};

/** VFPExpandImm (A6.4.1) for single precision. */
function expandImm(imm8: number): number {
  const sign = imm8 >>> 7;
  const b = (imm8 >>> 6) & 1;
  const exp = ((b ^ 1) << 7) | (b ? 0x7c : 0) | ((imm8 >>> 4) & 3);
  return ((sign << 31) | (exp << 23) | ((imm8 & 0xf) << 19)) >>> 0;
}

/**
 * objdump's value after the pattern: " 1.0", "-1.5", " 0.250", " 0.1875000" (1, 3 or 7 decimals,
 * the fewest of those that hold the value: every VFP immediate needs at most 7).
 */
function floatText(bits: number): string {
  const v = new Float32Array(new Uint32Array([bits]).buffer)[0];
  const needed = (String(Math.abs(v)).split('.')[1] ?? '').length;
  const t = v.toFixed(needed <= 1 ? 1 : needed <= 3 ? 3 : 7);
  return v < 0 ? t : ` ${t}`;
}

/** "{s16-s31}", "{d8}": a register list of VLDM/VSTM/VPUSH/VPOP. */
function list(sz: number, first: number, count: number): string {
  const p = sz ? 'd' : 's';
  return count === 1 ? `{${p}${first}}` : `{${p}${first}-${p}${first + count - 1}}`;
}

function vcvtText(o: number, t: number, sz: number, rd: string, rm: string, c: Ctx): string | undefined {
  const f = sz ? 'f64' : 'f32';
  switch (o) {
    case 8: return ins(mn(`vcvt`, c) + `.${f}.${t ? 's32' : 'u32'}`, `${rd}, ${rm}`);
    case 12: case 13: return ins(mn(t ? 'vcvt' : 'vcvtr', c) + `.${o === 13 ? 's32' : 'u32'}.${f}`, `${rd}, ${rm}`);
    default: return undefined;
  }
}

export const FP: Form[] = [
  form('11101110 p D qq nnnn dddd 101 z N o M 0 mmmm', (f, c) => {
    const name = ARITH[`${f.p}${f.q.toString(2).padStart(2, '0')}${f.o}`];
    if (name === undefined) return undefined;
    return ins(mn(name, c) + (f.z ? '.f64' : '.f32'), `${reg(f.z, f.d, f.D)}, ${reg(f.z, f.n, f.N)}, ${reg(f.z, f.m, f.M)}`);
  }),
  form('11101110 1 D 11 hhhh dddd 101 z 0 0 0 0 llll', (f, c) => {
    const imm8 = (f.h << 4) | f.l;
    const bits = expandImm(imm8);
    return ins(mn('vmov', c) + (f.z ? '.f64' : '.f32'), `${reg(f.z, f.d, f.D)}, #${imm8}`, `0x${bits.toString(16).padStart(8, '0')} ${floatText(bits)}`);
  }),
  form('11101110 1 D 11 oooo dddd 101 z T 1 M 0 mmmm', (f, c) => {
    const t = f.z ? '.f64' : '.f32';
    const rd = reg(f.z, f.d, f.D);
    const rm = reg(f.z, f.m, f.M);
    switch (f.o) {
      case 0: return ins(mn(f.T ? 'vabs' : 'vmov', c) + t, `${rd}, ${rm}`);
      case 1: return ins(mn(f.T ? 'vsqrt' : 'vneg', c) + t, `${rd}, ${rm}`);
      case 2: case 3: {
        if (f.z) return undefined;
        const dir = f.o === 2 ? '.f32.f16' : '.f16.f32';
        return ins(mn(f.T ? 'vcvtt' : 'vcvtb', c) + dir, `${rd}, ${rm}`);
      }
      case 4: return ins(mn(f.T ? 'vcmpe' : 'vcmp', c) + t, `${rd}, ${rm}`);
      case 5: return ins(mn(f.T ? 'vcmpe' : 'vcmp', c) + t, `${rd}, #0.0`);
      case 7: return f.T ? ins(mn('vcvt', c) + (f.z ? '.f32.f64' : '.f64.f32'), `${reg(1 - f.z, f.d, f.D)}, ${rm}`) : undefined;
      case 8: return vcvtText(8, f.T, f.z, rd, s(f.m, f.M), c);
      case 12: case 13: return vcvtText(f.o, f.T, f.z, s(f.d, f.D), rm, c);
      default: return undefined;
    }
  }),
  form('11101110 1 D 111 o 1 U dddd 101 z x 1 i 0 jjjj', (f, c) => {
    const size = f.x ? 32 : 16;
    const type = `${f.U ? 'u' : 's'}${size}`;
    const fl = f.z ? 'f64' : 'f32';
    const rd = reg(f.z, f.d, f.D);
    const dir = f.o ? `.${type}.${fl}` : `.${fl}.${type}`;
    return ins(mn('vcvt', c) + dir, `${rd}, ${rd}, #${size - ((f.j << 1) | f.i)}`);
  }),
  form('11101110 000 o nnnn tttt 1010 N 00 1 0000', (f, c) =>
    ins(mn('vmov', c), f.o ? `${REG[f.t]}, ${s(f.n, f.N)}` : `${s(f.n, f.N)}, ${REG[f.t]}`)),
  form('11101110 00 x o nnnn tttt 1011 N 00 1 0000', (f, c) => {
    const scalar = `${d(f.N, f.n)}[${f.x}]`;
    return ins(mn('vmov', c) + '.32', f.o ? `${REG[f.t]}, ${scalar}` : `${scalar}, ${REG[f.t]}`);
  }),
  form('11101100 010 o uuuu tttt 101 z 00 M 1 mmmm', (f, c) => {
    const fp = f.z ? d(f.M, f.m) : `${s(f.m, f.M)}, s${((f.m << 1) | f.M) + 1}`;
    return ins(mn('vmov', c), f.o ? `${REG[f.t]}, ${REG[f.u]}, ${fp}` : `${fp}, ${REG[f.t]}, ${REG[f.u]}`);
  }),
  form('11101110 111 o 0001 tttt 1010 0001 0000', (f, c) => {
    if (f.o) return ins(mn('vmrs', c), `${f.t === 15 ? 'APSR_nzcv' : REG[f.t]}, fpscr`);
    return ins(mn('vmsr', c), `fpscr, ${REG[f.t]}`);
  }),
  form('1110 1101 U D 0 L nnnn dddd 101 z iiiiiiii', (f, c) => {
    const imm = f.i * 4;
    const rd = f.z ? d(f.D, f.d) : s(f.d, f.D);
    const m = mn(f.L ? 'vldr' : 'vstr', c);
    if (f.n === 15) {
      const base = (c.addr + 4) & ~3;
      const target = (f.U ? base + imm : base - imm) >>> 0;
      return ins(m, `${rd}, ${imm === 0 && f.U ? '[pc]' : `[pc, #${f.U ? '' : '-'}${imm}]`}`, c.target(target));
    }
    const mem = imm === 0 && f.U ? `[${REG[f.n]}]` : `[${REG[f.n]}, #${f.U ? '' : '-'}${imm}]`;
    return ins(m, `${rd}, ${mem}`, immComment(f.U ? imm : -imm));
  }),
  form('1110 110 P U D W L nnnn dddd 101 z iiiiiiii', (f, c) => {
    if (f.P === f.U || (f.P && !f.W)) return undefined;
    const first = f.z ? (f.D << 4) | f.d : (f.d << 1) | f.D;
    const count = f.z ? f.i >>> 1 : f.i;
    const regs = list(f.z, first, count);
    if (f.z && (f.i & 1) !== 0) {
      // an odd count of words with D registers is the old FLDMX/FSTMX
      const name = `f${f.L ? 'ld' : 'st'}m${f.P ? 'db' : 'ia'}x`;
      return ins(mn(name, c), `${REG[f.n]}${f.W ? '!' : ''}, ${regs}`, 'Deprecated');
    }
    if (f.n === 13 && f.W) {
      if (f.P && !f.L) return ins(mn('vpush', c), regs);
      if (!f.P && f.L) return ins(mn('vpop', c), regs);
    }
    const name = (f.L ? 'vldm' : 'vstm') + (f.P ? 'db' : 'ia');
    return ins(mn(name, c), `${REG[f.n]}${f.W ? '!' : ''}, ${regs}`);
  }),
];
