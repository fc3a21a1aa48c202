// Data processing as objdump prints it (the encodings of isa/dataProcessing.ts): the 16-bit forms
// set the flags outside an IT block ("adds", "addeq" inside one), the 32-bit forms that have a
// 16-bit twin carry ".w", and compares and moves drop the operands they do not use.
import { thumbExpandImmC } from '../isa/alu';
import { form, ins, mn, mnS16, REG, shiftText, withImm, type Ctx, type Form } from './format';

const DP16 = ['and', 'eor', 'lsl', 'lsr', 'asr', 'adc', 'sbc', 'ror', 'tst', 'neg', 'cmp', 'cmn', 'orr', 'mul', 'bic', 'mvn'];

/** The 32-bit opcodes (A5.3.1, A5.3.11): name, compare (Rd 15 with S), move (Rn 15), ".w" twin. */
interface Op32 {
  name: string;
  wide: boolean;
}

function op32(o: number, d: number, n: number, s: number): (Op32 & { kind: 'rd-rn' | 'compare' | 'move' }) | undefined {
  const cmp = d === 15 && s === 1;
  switch (o) {
    case 0: return cmp ? { name: 'tst', wide: true, kind: 'compare' } : { name: 'and', wide: true, kind: 'rd-rn' };
    case 1: return { name: 'bic', wide: true, kind: 'rd-rn' };
    case 2: return n === 15 ? { name: 'mov', wide: true, kind: 'move' } : { name: 'orr', wide: true, kind: 'rd-rn' };
    case 3: return n === 15 ? { name: 'mvn', wide: true, kind: 'move' } : { name: 'orn', wide: false, kind: 'rd-rn' };
    case 4: return cmp ? { name: 'teq', wide: false, kind: 'compare' } : { name: 'eor', wide: true, kind: 'rd-rn' };
    case 8: return cmp ? { name: 'cmn', wide: true, kind: 'compare' } : { name: 'add', wide: true, kind: 'rd-rn' };
    case 10: return { name: 'adc', wide: true, kind: 'rd-rn' };
    case 11: return { name: 'sbc', wide: true, kind: 'rd-rn' };
    case 13: return cmp ? { name: 'cmp', wide: true, kind: 'compare' } : { name: 'sub', wide: true, kind: 'rd-rn' };
    case 14: return { name: 'rsb', wide: false, kind: 'rd-rn' };
    default: return undefined;
  }
}

/** "adds.w r0, r1, " style prefix of a 32-bit data-processing instruction, before operand 2. */
function prefix32(o: number, d: number, n: number, s: number, c: Ctx): { m: string; regs: string } | undefined {
  const op = op32(o, d, n, s);
  if (op === undefined) return undefined;
  const m = mn(op.name + (s && op.kind !== 'compare' ? 's' : ''), c, op.wide);
  const regs = op.kind === 'compare' ? `${REG[n]}, ` : op.kind === 'move' ? `${REG[d]}, ` : `${REG[d]}, ${REG[n]}, `;
  return { m, regs };
}

export const DATA_PROCESSING: Form[] = [
  // 16-bit shift by immediate (LSL #0 is MOVS), add/subtract, immediates (A5.2.1)
  form('000 tt iiiii mmm ddd', (f, c) => {
    if (f.t === 3) return undefined;
    if (f.t === 0 && f.i === 0) return ins(mnS16('mov', c), `${REG[f.d]}, ${REG[f.m]}`);
    return ins(mnS16(['lsl', 'lsr', 'asr'][f.t], c), `${REG[f.d]}, ${REG[f.m]}, #${f.i === 0 ? 32 : f.i}`);
  }),
  form('000110 o mmm nnn ddd', (f, c) => ins(mnS16(f.o ? 'sub' : 'add', c), `${REG[f.d]}, ${REG[f.n]}, ${REG[f.m]}`)),
  form('000111 o iii nnn ddd', (f, c) => ins(mnS16(f.o ? 'sub' : 'add', c), `${REG[f.d]}, ${REG[f.n]}, #${f.i}`)),
  form('00100 ddd iiiiiiii', (f, c) => withImm(mnS16('mov', c), `${REG[f.d]}, `, f.i)),
  form('00101 nnn iiiiiiii', (f, c) => withImm(mn('cmp', c), `${REG[f.n]}, `, f.i)),
  form('0011 o ddd iiiiiiii', (f, c) => withImm(mnS16(f.o ? 'sub' : 'add', c), `${REG[f.d]}, `, f.i)),
  form('010000 oooo mmm ddd', (f, c) => {
    const name = DP16[f.o];
    const compare = f.o === 8 || f.o === 10 || f.o === 11;
    if (compare) return ins(mn(name, c), `${REG[f.d]}, ${REG[f.m]}`);
    if (f.o === 13) return ins(mnS16(name, c), `${REG[f.d]}, ${REG[f.m]}, ${REG[f.d]}`);
    return ins(mnS16(name, c), `${REG[f.d]}, ${REG[f.m]}`);
  }),
  // special data instructions (A5.2.3)
  form('010001 00 D mmmm ddd', (f, c) => {
    const rd = (f.D << 3) | f.d;
    if (f.m === 13) return ins(mn('add', c), `${REG[rd]}, sp`);
    if (rd === 13) return ins(mn('add', c), `sp, ${REG[f.m]}`);
    return ins(mn('add', c), `${REG[rd]}, ${REG[f.m]}`);
  }),
  form('010001 01 N mmmm nnn', (f, c) => ins(mn('cmp', c), `${REG[(f.N << 3) | f.n]}, ${REG[f.m]}`)),
  form('010001 10 D mmmm ddd', (f, c) => {
    // the old Thumb NOP
    if (f.D === 1 && f.m === 8 && f.d === 0) return ins(mn('nop', c), '', undefined) + '\t\t\t@ (mov r8, r8)';
    return ins(mn('mov', c), `${REG[(f.D << 3) | f.d]}, ${REG[f.m]}`);
  }),
  // ADR, ADD Rd, SP, #imm, ADD/SUB SP, SP, #imm
  form('10100 ddd iiiiiiii', (f, c) => {
    const target = ((c.addr + 4) & ~3) + f.i * 4;
    return ins(mn('add', c), `${REG[f.d]}, pc, #${f.i * 4}`, `(adr ${REG[f.d]}, ${c.target(target >>> 0)})`);
  }),
  form('10101 ddd iiiiiiii', (f, c) => withImm(mn('add', c), `${REG[f.d]}, sp, `, f.i * 4)),
  form('10110000 o iiiiiii', (f, c) => withImm(mn(f.o ? 'sub' : 'add', c), 'sp, ', f.i * 4)),

  // 32-bit: modified immediate (A5.3.1)
  form('11110 i 0 oooo S nnnn 0 iii dddd iiiiiiii', (f, c) => {
    const p = prefix32(f.o, f.d, f.n, f.S, c);
    if (p === undefined) return undefined;
    return withImm(p.m, p.regs, thumbExpandImmC(f.i) >>> 0);
  }),
  // plain binary immediate (A5.3.3): ADDW/SUBW (ADR when Rn is PC), MOVW, MOVT
  form('11110 i 10 o 0 o 0 nnnn 0 iii dddd iiiiiiii', (f, c) => {
    if (f.o === 1 || f.o === 2) return undefined;
    const sub = f.o === 3;
    return withImm(mn(sub ? 'subw' : 'addw', c), `${REG[f.d]}, ${REG[f.n]}, `, f.i);
  }),
  form('11110 a 10 t 1 0 0 bbbb 0 ccc dddd eeeeeeee', (f, c) => {
    const imm = (f.b << 12) | (f.a << 11) | (f.c << 8) | f.e;
    return withImm(mn(f.t ? 'movt' : 'movw', c), `${REG[f.d]}, `, imm);
  }),
  // shifted register (A5.3.11)
  form('11101 01 oooo S nnnn 0 aaa dddd bb tt mmmm', (f, c) => {
    const p = prefix32(f.o, f.d, f.n, f.S, c);
    if (p === undefined) return undefined;
    return ins(p.m, `${p.regs}${REG[f.m]}${shiftText(f.t, (f.a << 2) | f.b)}`);
  }),
  // register-controlled shifts (A5.3.12)
  form('11111010 0 tt S nnnn 1111 dddd 0000 mmmm', (f, c) => {
    const name = ['lsl', 'lsr', 'asr', 'ror'][f.t] + (f.S ? 's' : '');
    return ins(mn(name, c, true), `${REG[f.d]}, ${REG[f.n]}, ${REG[f.m]}`);
  }),
];
