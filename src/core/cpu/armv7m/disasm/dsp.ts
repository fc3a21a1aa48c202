// The DSP extension as objdump prints it (the encodings of isa/dsp.ts): parallel add/subtract,
// saturating arithmetic, SEL, PKH (SSAT16/USAT16 are with SSAT/USAT in bitfield.ts), the halfword and dual multiplies.
import type { Fields } from '../isa/encoding';
import { form, ins, mn, REG, type Ctx, type Form } from './format';

const PARALLEL_OP = ['add8', 'add16', 'asx', '', 'sub8', 'sub16', 'sax'];
const PARALLEL_PREFIX = [['s', 'q', 'sh'], ['u', 'uq', 'uh']];
const BT = ['b', 't'];

function three(d: number, n: number, m: number): string {
  return `${REG[d]}, ${REG[n]}, ${REG[m]}`;
}

/** The multiply `mul` when Ra is 15, else its accumulating form `mla` with ", ra". */
function acc(c: Ctx, mul: string, mla: string, f: Fields): string {
  return f.a === 15 ? ins(mn(mul, c), three(f.d, f.n, f.m)) : ins(mn(mla, c), `${three(f.d, f.n, f.m)}, ${REG[f.a]}`);
}

export const DSP: Form[] = [
  form('11111010 1 ooo nnnn 1111 dddd 0 u kk mmmm', (f, c) => {
    if (PARALLEL_OP[f.o] === undefined || PARALLEL_OP[f.o] === '' || f.k === 3) return undefined;
    return ins(mn(PARALLEL_PREFIX[f.u][f.k] + PARALLEL_OP[f.o], c), three(f.d, f.n, f.m));
  }),
  form('11111010 1 0 00 nnnn 1111 dddd 10 oo mmmm', (f, c) => ins(mn(['qadd', 'qdadd', 'qsub', 'qdsub'][f.o], c), three(f.d, f.m, f.n))),
  form('11111010 1 0 10 nnnn 1111 dddd 1000 mmmm', (f, c) => ins(mn('sel', c), three(f.d, f.n, f.m))),
  form('11101 01 0110 0 nnnn 0 iii dddd ii t 0 mmmm', (f, c) => {
    const shift = f.i === 0 ? (f.t ? ', asr #32' : '') : `, ${f.t ? 'asr' : 'lsl'} #${f.i}`;
    return ins(mn(f.t ? 'pkhtb' : 'pkhbt', c), `${three(f.d, f.n, f.m)}${shift}`);
  }),
  form('11111 0110 001 nnnn aaaa dddd 00 xy mmmm', (f, c) => acc(c, `smul${BT[f.x]}${BT[f.y]}`, `smla${BT[f.x]}${BT[f.y]}`, f)),
  form('11111 0110 o o 0 nnnn aaaa dddd 000 X mmmm', (f, c) => {
    if (f.o !== 1 && f.o !== 2) return undefined;
    const x = f.X ? 'x' : '';
    return f.o === 1 ? acc(c, `smuad${x}`, `smlad${x}`, f) : acc(c, `smusd${x}`, `smlsd${x}`, f);
  }),
  form('11111 0110 011 nnnn aaaa dddd 000 y mmmm', (f, c) => acc(c, `smulw${BT[f.y]}`, `smlaw${BT[f.y]}`, f)),
  form('11111 0110 1 oo nnnn aaaa dddd 000 R mmmm', (f, c) => {
    const r = f.R ? 'r' : '';
    if (f.o === 1) return acc(c, `smmul${r}`, `smmla${r}`, f);
    if (f.o === 2) return ins(mn(`smmls${r}`, c), `${three(f.d, f.n, f.m)}, ${REG[f.a]}`);
    return undefined;
  }),
  form('11111 0110 111 nnnn aaaa dddd 0000 mmmm', (f, c) => acc(c, 'usad8', 'usada8', f)),
  form('11111 0111 100 nnnn llll hhhh 10 xy mmmm', (f, c) =>
    ins(mn(`smlal${BT[f.x]}${BT[f.y]}`, c), `${REG[f.l]}, ${REG[f.h]}, ${REG[f.n]}, ${REG[f.m]}`)),
  form('11111 0111 10 o nnnn llll hhhh 110 X mmmm', (f, c) =>
    ins(mn((f.o ? 'smlsld' : 'smlald') + (f.X ? 'x' : ''), c), `${REG[f.l]}, ${REG[f.h]}, ${REG[f.n]}, ${REG[f.m]}`)),
  form('11111 0111 110 nnnn llll hhhh 0110 mmmm', (f, c) => ins(mn('umaal', c), `${REG[f.l]}, ${REG[f.h]}, ${REG[f.n]}, ${REG[f.m]}`)),
];
