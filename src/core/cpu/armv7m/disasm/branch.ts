// Branches as objdump prints them (the encodings of isa/branch.ts): targets as "addr <sym+off>",
// ".n"/".w" on B, the IT instruction's then/else letters.
import { sext } from '../isa/encoding';
import { COND, form, ins, lastInIt, mn, outsideIt, REG, type Form } from './format';

/** "ite eq": one letter per instruction after the first, from IT's mask (A7.7.38). */
function itText(firstcond: number, mask: number): string {
  let letters = '';
  const trailing = mask & -mask;
  for (let bit = 8; bit > trailing; bit >>= 1) letters += ((mask & bit) !== 0) === ((firstcond & 1) === 1) ? 't' : 'e';
  return ins(`it${letters}`, COND[firstcond]);
}

export const BRANCH: Form[] = [
  form('1101 cccc iiiiiiii', (f, c) => {
    if (f.c >= 14) return undefined; // 1110 UDF, 1111 SVC: elsewhere
    return outsideIt(ins(`b${COND[f.c]}.n`, c.target(c.addr + 4 + sext(f.i, 8) * 2)), c);
  }),
  form('11100 iiiiiiiiiii', (f, c) => lastInIt(ins(mn('b', c) + '.n', c.target(c.addr + 4 + sext(f.i, 11) * 2)), c)),
  form('1011 o 0 i 1 iiiii nnn', (f, c) => outsideIt(ins(f.o ? 'cbnz' : 'cbz', `${REG[f.n]}, ${c.target(c.addr + 4 + f.i * 2)}`), c)),
  // BX's low bits should be zero; objdump does not look at them (100 is BXNS, in system.ts)
  form('010001110 mmmm ---', (f, c) => lastInIt(ins(mn('bx', c), REG[f.m]), c)),
  form('010001111 mmmm 000', (f, c) => lastInIt(ins(mn('blx', c), REG[f.m]), c)),
  form('10111111 cccc mmmm', (f, c) => (f.m === 0 ? undefined : outsideIt(itText(f.c, f.m), c))),
  // B<c>.W T3, B.W T4, BL T1
  form('11110 S cccc iiiiii 10 J 0 K jjjjjjjjjjj', (f, c) => {
    if (f.c >= 14) return undefined;
    const off = sext((f.S << 20) | (f.K << 19) | (f.J << 18) | (f.i << 12) | (f.j << 1), 21);
    return outsideIt(ins(`b${COND[f.c]}.w`, c.target(c.addr + 4 + off)), c);
  }),
  form('11110 S iiiiiiiiii 1 l J 1 K jjjjjjjjjjj', (f, c) => {
    const i1 = 1 ^ f.J ^ f.S;
    const i2 = 1 ^ f.K ^ f.S;
    const off = sext((f.S << 24) | (i1 << 23) | (i2 << 22) | (f.i << 12) | (f.j << 1), 25);
    return lastInIt(ins(f.l ? mn('bl', c) : mn('b', c) + '.w', c.target(c.addr + 4 + off)), c);
  }),
  form('111010001101 nnnn 1111 0000 000 h mmmm', (f, c) =>
    lastInIt(ins(mn(f.h ? 'tbh' : 'tbb', c), `[${REG[f.n]}, ${REG[f.m]}${f.h ? ', lsl #1' : ''}]`), c)),
];
