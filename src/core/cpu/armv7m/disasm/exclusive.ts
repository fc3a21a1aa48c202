// LDREX/STREX and their byte and halfword forms as objdump prints them (isa/exclusive.ts).
import { form, immComment, ins, mn, REG, type Form } from './format';

function mem(n: number, imm: number): string {
  return imm === 0 ? `[${REG[n]}]` : `[${REG[n]}, #${imm}]`;
}

export const EXCLUSIVE: Form[] = [
  form('111010000100 nnnn tttt dddd iiiiiiii', (f, c) => ins(mn('strex', c), `${REG[f.d]}, ${REG[f.t]}, ${mem(f.n, f.i * 4)}`, immComment(f.i * 4))),
  form('111010000101 nnnn tttt 1111 iiiiiiii', (f, c) => ins(mn('ldrex', c), `${REG[f.t]}, ${mem(f.n, f.i * 4)}`, immComment(f.i * 4))),
  form('111010001100 nnnn tttt 1111 010 s dddd', (f, c) => ins(mn(f.s ? 'strexh' : 'strexb', c), `${REG[f.d]}, ${REG[f.t]}, [${REG[f.n]}]`)),
  form('111010001101 nnnn tttt 1111 010 s 1111', (f, c) => ins(mn(f.s ? 'ldrexh' : 'ldrexb', c), `${REG[f.t]}, [${REG[f.n]}]`)),
];
