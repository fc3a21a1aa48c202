// System instructions as objdump prints them (the encodings of isa/system.ts): CPS, BKPT, SVC,
// UDF, the hints, MRS/MSR with the M-profile special registers' names, the barriers.
import { form, immComment, ins, mn, outsideIt, REG, type Ctx, type Form } from './format';

const HINTS = ['nop', 'yield', 'wfe', 'wfi', 'sev', 'sevl'];

/** 32-bit hints that later architectures named; objdump names them (all execute as NOP on the M4). */
const HINTS_32: Record<number, string> = {
  0x0d: 'pacbti\tr12, lr, sp', 0x0f: 'bti', 0x10: 'esb', 0x14: 'csdb', 0x1d: 'pac\tr12, lr, sp', 0x2d: 'aut\tr12, lr, sp',
};

/** A hint: its name, "dbg #n", or "nop {n}" for the ones with none. */
function hint(h: number, c: Ctx, wide: boolean): string {
  if (h < HINTS.length) return ins(mn(HINTS[h], c, wide));
  if (!wide) return ins(mn('nop', c), `{${h}}`);
  if (h >= 0xf0) return ins(mn('dbg', c), `#${h & 0xf}`);
  const named = HINTS_32[h];
  if (named !== undefined) return named;
  return ins(mn('nop', c, true), `{${h}}`, immComment(h));
}

/** The barrier options (A7.7.33) by name; DSB's 0, 4 and 12 are barriers of their own. */
const BARRIER: Record<number, string> = {
  1: 'oshld', 2: 'oshst', 3: 'osh', 5: 'nshld', 6: 'unst', 7: 'un', 9: 'ishld', 10: 'ishst', 11: 'ish', 13: 'ld', 14: 'st', 15: 'sy',
};
const DSB_SPECIAL: Record<number, string> = { 0: 'ssbb', 4: 'pssbb', 12: 'dfb' };

function barrier(o: number, opt: number, c: Ctx): string {
  // these take no condition from an IT block
  if (o === 4 && DSB_SPECIAL[opt] !== undefined) return DSB_SPECIAL[opt];
  const name = o === 6 ? (opt === 15 ? 'sy' : undefined) : BARRIER[opt];
  return ins(mn(['dsb', 'dmb', 'isb'][o - 4], c), name ?? `#${opt}`);
}

/** The special registers by SYSm (B5.1.1), as objdump spells them (the APSR as "CPSR"). */
const SYSM: Record<number, string> = {
  0: 'CPSR', 1: 'IAPSR', 2: 'EAPSR', 3: 'PSR', 5: 'IPSR', 6: 'EPSR', 7: 'IEPSR',
  8: 'MSP', 9: 'PSP', 16: 'PRIMASK', 17: 'BASEPRI', 18: 'BASEPRI_MAX', 19: 'FAULTMASK', 20: 'CONTROL',
};

function sysm(s: number): string {
  return SYSM[s] ?? '<unknown>';
}

/** MSR to the APSR is printed with its mask bits as objdump does for A-profile: "CPSR_f", "SPSR_fs". */
function msrTarget(r: number, s: number, mask: number): string {
  if (s !== 0) return sysm(s);
  return `${r ? 'SPSR' : 'CPSR'}_${mask & 2 ? 'f' : ''}${mask & 1 ? 's' : ''}`;
}

export const SYSTEM: Form[] = [
  form('10110110011 m 0 A I F', (f, c) => outsideIt(ins(f.m ? 'cpsid' : 'cpsie', (f.A ? 'a' : '') + (f.I ? 'i' : '') + (f.F ? 'f' : '')), c)),
  form('10111110 iiiiiiii', (f) => ins('bkpt', `0x${f.i.toString(16).padStart(4, '0')}`)),
  form('11011111 iiiiiiii', (f, c) => ins(mn('svc', c), `${f.i}`, immComment(f.i))),
  form('11011110 iiiiiiii', (f, c) => ins(mn('udf', c), `#${f.i}`, immComment(f.i))),
  form('10111111 hhhh 0000', (f, c) => hint(f.h, c, false)),
  form('11110 0 11100 R nnnn 10 0 0 mm 00 ssssssss', (f, c) => ins(mn('msr', c), `${msrTarget(f.R, f.s, f.m)}, ${REG[f.n]}`)),
  form('11110 0 11111 R 1111 10 0 0 dddd ssssssss', (f, c) => ins(mn('mrs', c), `${REG[f.d]}, ${f.R && f.s === 0 ? 'SPSR' : sysm(f.s)}`)),
  form('11110 0 111010 1111 10 0 0 0 000 hhhhhhhh', (f, c) => hint(f.h, c, true)),
  form('11110 0 111011 1111 10 0 0 1111 oooo pppp', (f, c) => {
    switch (f.o) {
      // objdump's table has CLREX with its should-be-one bits only
      case 2: return f.p === 15 ? ins(mn('clrex', c)) : 'undefined (bcc, cond=0xE)';
      case 4: case 5: case 6: return barrier(f.o, f.p, c);
      default: return undefined;
    }
  }),
  form('11110 111 1111 iiii 1010 iiiiiiiiiiii', (f, c) => ins(mn('udf', c, true), `#${f.i}`, immComment(f.i))),

  // encodings of later architectures that objdump names whatever the ELF's CPU (UNDEFINED on the M4)
  form('1011 0110 0101 E 000', (f) => ins('setend', f.E ? 'be' : 'le')),
  form('1011 0110 0001 P 000', (f) => ins('setpan', `#${f.P}`)),
  form('1011 1010 10 iiiiii', (f) => ins('hlt', `0x${f.i.toString(16).padStart(4, '0')}`)),
  form('010001110 mmmm 100', (f, c) => ins(mn('bxns', c), REG[f.m])),
  form('010001111 mmmm 100', (f, c) => ins(mn('blxns', c), REG[f.m])),
];

