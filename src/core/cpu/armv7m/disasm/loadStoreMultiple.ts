// LDM/STM, PUSH/POP as objdump prints them (the encodings of isa/loadStoreMultiple.ts): the
// 16-bit LDM writes back ("!") unless its base is in the list; the 32-bit forms keep their
// LDMIA/STMDB names (objdump says "ldmia.w sp!" and "stmdb sp!", not "pop.w"/"push.w").
import { form, ins, mn, REG, regList, type Form } from './format';

export const LOAD_STORE_MULTIPLE: Form[] = [
  form('11000 nnn llllllll', (f, c) => ins(mn('stmia', c), `${REG[f.n]}!, ${regList(f.l)}`)),
  form('11001 nnn llllllll', (f, c) => {
    const wback = (f.l & (1 << f.n)) === 0 ? '!' : '';
    return ins(mn('ldmia', c), `${REG[f.n]}${wback}, ${regList(f.l)}`);
  }),
  form('1011010 M llllllll', (f, c) => ins(mn('push', c), regList(f.l | (f.M << 14)))),
  form('1011110 P llllllll', (f, c) => ins(mn('pop', c), regList(f.l | (f.P << 15)))),
  // 32-bit: 01 IA, 10 DB
  form('1110100 oo 0 W L nnnn llllllllllllllll', (f, c) => {
    if (f.o === 0 || f.o === 3) return undefined;
    const name = (f.L ? 'ldm' : 'stm') + (f.o === 1 ? 'ia' : 'db');
    return ins(mn(name, c, f.o === 1), `${REG[f.n]}${f.W ? '!' : ''}, ${regList(f.l)}`);
  }),
];
