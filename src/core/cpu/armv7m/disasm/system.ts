// System instructions as objdump prints them (the encodings of isa/system.ts): CPS, BKPT, SVC,
// UDF, the hints, MRS/MSR with the M-profile special registers' names, the barriers.
import { form, immComment, ins, mn, REG, type Ctx, type Form } from './format';

const HINTS = ['nop', 'yield', 'wfe', 'wfi', 'sev', 'sevl'];

/** A hint: its name, or "nop {n}" for the ones with none (all execute as NOP on the M4). */
function hint(h: number, c: Ctx, wide: boolean): string {
  return h < HINTS.length ? ins(mn(HINTS[h], c, wide)) : ins(mn('nop', c, wide), `{${h}}`);
}

/** The special registers by SYSm (B5.1.1), as objdump spells them. */
const SYSM: Record<number, string> = {
  0: 'CPSR', 1: 'IAPSR', 2: 'EAPSR', 3: 'PSR', 5: 'IPSR', 6: 'EPSR', 7: 'IEPSR',
  8: 'MSP', 9: 'PSP', 16: 'PRIMASK', 17: 'BASEPRI', 18: 'BASEPRI_MAX', 19: 'FAULTMASK', 20: 'CONTROL',
};

/** The barrier options (A7.7.33): named ones, else the number. */
const BARRIER: Record<number, string> = { 15: 'sy' };

function sysm(s: number): string {
  return SYSM[s] ?? '<unknown>';
}

/** MSR to the APSR is printed with its mask bits as objdump does for A-profile: "CPSR_f", "CPSR_fs". */
function msrTarget(s: number, mask: number): string {
  if (s !== 0) return sysm(s);
  return `CPSR_${mask & 2 ? 'f' : ''}${mask & 1 ? 's' : ''}`;
}

export const SYSTEM: Form[] = [
  form('10110110011 m 0 A I F', (f) => ins(f.m ? 'cpsid' : 'cpsie', (f.A ? 'a' : '') + (f.I ? 'i' : '') + (f.F ? 'f' : ''))),
  form('10111110 iiiiiiii', (f) => ins('bkpt', `0x${f.i.toString(16).padStart(4, '0')}`)),
  form('11011111 iiiiiiii', (f, c) => ins(mn('svc', c), `${f.i}`, immComment(f.i))),
  form('11011110 iiiiiiii', (f, c) => ins(mn('udf', c), `#${f.i}`, immComment(f.i))),
  form('10111111 hhhh 0000', (f, c) => hint(f.h, c, false)),
  form('11110 0 11100 - nnnn 10 0 0 mm 00 ssssssss', (f, c) => ins(mn('msr', c), `${msrTarget(f.s, f.m)}, ${REG[f.n]}`)),
  form('11110 0 11111 - 1111 10 0 0 dddd ssssssss', (f, c) => ins(mn('mrs', c), `${REG[f.d]}, ${sysm(f.s)}`)),
  form('11110 0 111010 1111 10 0 0 0 000 hhhhhhhh', (f, c) => hint(f.h, c, true)),
  form('11110 0 111011 1111 10 0 0 1111 oooo pppp', (f, c) => {
    switch (f.o) {
      case 2: return ins(mn('clrex', c));
      case 4: case 5: case 6: return ins(mn(['dsb', 'dmb', 'isb'][f.o - 4], c), BARRIER[f.p] ?? `#${f.p}`);
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

