// Bit-field and byte operations as objdump prints them (the encodings of isa/bitfield.ts).
import { form, ins, mn, REG, type Form } from './format';

const EXT = ['sxth', 'uxth', 'sxtb16', 'uxtb16', 'sxtb', 'uxtb'];
const EXT_ADD = ['sxtah', 'uxtah', 'sxtab16', 'uxtab16', 'sxtab', 'uxtab'];

export const BITFIELD: Form[] = [
  form('1011 0010 oo mmm ddd', (f, c) => ins(mn(['sxth', 'sxtb', 'uxth', 'uxtb'][f.o], c), `${REG[f.d]}, ${REG[f.m]}`)),
  form('1011 1010 oo mmm ddd', (f, c) => (f.o === 2 ? undefined : ins(mn(['rev', 'rev16', '', 'revsh'][f.o], c), `${REG[f.d]}, ${REG[f.m]}`))),
  form('11110 0 11 u 0 s 0 nnnn 0 iii dddd ii 0 wwwww', (f, c) => {
    const sat = `#${f.u ? f.w : f.w + 1}`;
    // ASR #0 is SSAT16/USAT16 (objdump shows the whole field, as for SSAT/USAT)
    if (f.s && f.i === 0) return ins(mn(f.u ? 'usat16' : 'ssat16', c), `${REG[f.d]}, ${sat}, ${REG[f.n]}`);
    const shift = f.i === 0 ? '' : `, ${f.s ? 'asr' : 'lsl'} #${f.i}`;
    return ins(mn(f.u ? 'usat' : 'ssat', c), `${REG[f.d]}, ${sat}, ${REG[f.n]}${shift}`);
  }),
  form('11110 0 11 u 100 nnnn 0 iii dddd ii 0 wwwww', (f, c) =>
    ins(mn(f.u ? 'ubfx' : 'sbfx', c), `${REG[f.d]}, ${REG[f.n]}, #${f.i}, #${f.w + 1}`)),
  form('11110 0 110110 nnnn 0 iii dddd ii 0 mmmmm', (f, c) => {
    const width = f.m - f.i + 1;
    if (f.n === 15) return ins(mn('bfc', c), `${REG[f.d]}, #${f.i}, #${width}`);
    return ins(mn('bfi', c), `${REG[f.d]}, ${REG[f.n]}, #${f.i}, #${width}`);
  }),
  form('11111010 0 ooo nnnn 1111 dddd 10 rr mmmm', (f, c) => {
    if (f.o > 5) return undefined;
    const ror = f.r === 0 ? '' : `, ror #${f.r * 8}`;
    if (f.n === 15) return ins(mn(EXT[f.o], c, f.o < 2 || f.o > 3), `${REG[f.d]}, ${REG[f.m]}${ror}`);
    return ins(mn(EXT_ADD[f.o], c), `${REG[f.d]}, ${REG[f.n]}, ${REG[f.m]}${ror}`);
  }),
  form('11111010 1 0 oo nnnn 1111 dddd 10 pp mmmm', (f, c) => {
    if (f.o === 0 || f.o === 2) return undefined;
    if (f.o === 3) return f.p === 0 ? ins(mn('clz', c), `${REG[f.d]}, ${REG[f.m]}`) : undefined;
    const name = ['rev', 'rev16', 'rbit', 'revsh'][f.p];
    return ins(mn(name, c, f.p !== 2), `${REG[f.d]}, ${REG[f.m]}`);
  }),
];
