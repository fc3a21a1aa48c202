// Multiplies and divides as objdump prints them (the encodings of isa/multiply.ts).
import { form, ins, mn, mnS16, REG, type Form } from './format';

export const MULTIPLY: Form[] = [
  form('010000 1101 nnn ddd', (f, c) => ins(mnS16('mul', c), `${REG[f.d]}, ${REG[f.n]}`)),
  form('11111 0110 000 nnnn aaaa dddd 00 oo mmmm', (f, c) => {
    if (f.o > 1) return undefined;
    const ops = `${REG[f.d]}, ${REG[f.n]}, ${REG[f.m]}`;
    if (f.o === 0 && f.a === 15) return ins(mn('mul', c, true), ops);
    return ins(mn(f.o ? 'mls' : 'mla', c), `${ops}, ${REG[f.a]}`);
  }),
  form('11111 0111 o u 0 nnnn llll hhhh 0000 mmmm', (f, c) => {
    const name = (f.u ? 'u' : 's') + (f.o ? 'mlal' : 'mull');
    return ins(mn(name, c), `${REG[f.l]}, ${REG[f.h]}, ${REG[f.n]}, ${REG[f.m]}`);
  }),
  form('11111 0111 0 u 1 nnnn 1111 dddd 1111 mmmm', (f, c) => ins(mn(f.u ? 'udiv' : 'sdiv', c), `${REG[f.d]}, ${REG[f.n]}, ${REG[f.m]}`)),
];
