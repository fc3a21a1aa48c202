// Miscellaneous and system instructions (A5.2.5, A5.3.4, B5.2): MRS/MSR with the privilege rules,
// CPS, the barriers, the hints (NOP, YIELD, WFE, WFI, SEV), BKPT, SVC, UDF and CLREX. Everything
// that changes the execution priority, the stack or sleeps ends its block so the system can look.
import { CONTROL_FPCA, CONTROL_NPRIV, CONTROL_SPSEL } from '../state';
import { CYCLES } from './cycles';
import { enc, type Encoding } from './encoding';
import type { Core, Inst } from './inst';
import { clrex } from './exclusive';

const enum SysReg { MSP = 8, PSP = 9, PRIMASK = 16, BASEPRI = 17, BASEPRI_MAX = 18, FAULTMASK = 19, CONTROL = 20 }

function mrs(c: Core, i: Inst): void {
  const st = c.state;
  const sysm = i.imm;
  let v = 0;
  if (sysm < 8) {
    if ((sysm & 4) === 0) v |= st.apsr;
    if (sysm & 1) v |= st.ipsr;
  } else if (sysm === SysReg.MSP || sysm === SysReg.PSP) {
    if (st.privileged) v = sysm === SysReg.MSP ? st.msp : st.psp;
  } else if (sysm === SysReg.PRIMASK) v = st.primask;
  else if (sysm === SysReg.BASEPRI || sysm === SysReg.BASEPRI_MAX) v = st.basepri;
  else if (sysm === SysReg.FAULTMASK) v = st.faultmask;
  else if (sysm === SysReg.CONTROL) v = st.control;
  c.r[i.rd] = v;
}

/** NMI (-2) and HardFault (-1) run above FAULTMASK's priority: setting it there is ignored. */
function canSetFaultmask(ipsr: number): boolean {
  return ipsr !== 2 && ipsr !== 3;
}

/** MSR: imm the SYSm, op the mask (bit 1 NZCVQ, bit 0 GE). */
function msr(c: Core, i: Inst): void {
  const st = c.state;
  const v = c.r[i.rn];
  const sysm = i.imm;
  if (sysm < 8) {
    if ((sysm & 4) === 0) {
      if (i.op & 2) {
        st.n = (v >>> 31) & 1;
        st.z = (v >>> 30) & 1;
        st.c = (v >>> 29) & 1;
        st.v = (v >>> 28) & 1;
        st.q = (v >>> 27) & 1;
      }
      if (i.op & 1) st.ge = (v >>> 16) & 0xf;
    }
    return;
  }
  if (!st.privileged) return;
  switch (sysm) {
    case SysReg.MSP: st.msp = v; return;
    case SysReg.PSP: st.psp = v; return;
    case SysReg.PRIMASK: st.primask = v & 1; break;
    case SysReg.BASEPRI: st.basepri = v & 0xff; break;
    case SysReg.BASEPRI_MAX: {
      const b = v & 0xff;
      if (b !== 0 && (b < st.basepri || st.basepri === 0)) st.basepri = b;
      break;
    }
    case SysReg.FAULTMASK: if (canSetFaultmask(st.ipsr)) st.faultmask = v & 1; break;
    case SysReg.CONTROL: {
      let ctl = (st.control & ~CONTROL_NPRIV) | (v & CONTROL_NPRIV);
      if (st.ipsr === 0) ctl = (ctl & ~CONTROL_SPSEL) | (v & CONTROL_SPSEL);
      ctl = (ctl & ~CONTROL_FPCA) | (v & CONTROL_FPCA);
      st.setModeAndControl(st.ipsr, ctl);
      break;
    }
    default: return;
  }
  c.hooks.priorityChanged();
}

/** CPSIE/CPSID: op 1 disables; flags bit 1 I (PRIMASK), bit 0 F (FAULTMASK). Ignored unprivileged. */
function cps(c: Core, i: Inst): void {
  const st = c.state;
  if (!st.privileged) return;
  const v = i.op;
  if (i.flags & 2) st.primask = v;
  if (i.flags & 1 && (v === 0 || canSetFaultmask(st.ipsr))) st.faultmask = v;
  c.hooks.priorityChanged();
}

function nop(): void {}
function wfi(c: Core): void {
  c.hooks.wfi();
}
function wfe(c: Core): void {
  c.hooks.wfe();
}
function sev(c: Core): void {
  c.hooks.sev();
}
function bkpt(c: Core, i: Inst): void {
  c.hooks.bkpt(i.imm);
}
function svc(c: Core, i: Inst): void {
  c.hooks.svc(i.imm);
}

function sys(i: Inst, exec: (c: Core, i: Inst) => void, imm: number, cycles: number, ends: boolean): void {
  i.exec = exec;
  i.imm = imm;
  i.cycles = cycles;
  i.endsBlock = ends;
}

/** The hint space: 0 NOP, 1 YIELD, 2 WFE, 3 WFI, 4 SEV; the rest execute as NOP. */
function hint(i: Inst, h: number): void {
  switch (h) {
    case 2: return sys(i, wfe, 0, CYCLES.hint, true);
    case 3: return sys(i, wfi, 0, CYCLES.hint, true);
    case 4: return sys(i, sev, 0, CYCLES.hint, true);
    default: return sys(i, nop, 0, CYCLES.hint, false);
  }
}

/** The SYSm values MRS and MSR know (B5.1.1); the rest are UNPREDICTABLE: UNDEFINED here. */
function knownSysm(s: number): boolean {
  return (s < 8 && s !== 4) || s === 8 || s === 9 || (s >= 16 && s <= 20);
}

export const SYSTEM: Encoding[] = [
  enc('10110110011 m 00 I F', (f, i) => {
    if (i.itBefore !== 0 || (f.I | f.F) === 0) return;
    sys(i, cps, 0, CYCLES.system, true);
    i.op = f.m;
    i.flags = (f.I << 1) | f.F;
  }),
  enc('10111110 iiiiiiii', (f, i) => sys(i, bkpt, f.i, 1, true)),
  enc('11011111 iiiiiiii', (f, i) => sys(i, svc, f.i, 1, true)),
  // UDF: stays UNDEFINED (the default exec)
  enc('11011110 iiiiiiii', () => false),
  enc('10111111 hhhh 0000', (f, i) => hint(i, f.h)),
  enc('11110 0 11100 - nnnn 10 0 0 mm 00 ssssssss', (f, i) => {
    if (f.n === 13 || f.n === 15 || !knownSysm(f.s)) return;
    if (f.s < 8 ? f.m === 0 || ((f.s & 4) !== 0 && f.m !== 2) : f.m !== 2) return;
    sys(i, msr, f.s, CYCLES.system, true);
    i.rn = f.n;
    i.op = f.m;
  }),
  enc('11110 0 11111 - 1111 10 0 0 dddd ssssssss', (f, i) => {
    if (f.d === 13 || f.d === 15 || !knownSysm(f.s)) return;
    sys(i, mrs, f.s, CYCLES.system, false);
    i.rd = f.d;
  }),
  enc('11110 0 111010 1111 10 0 0 0 000 hhhhhhhh', (f, i) => hint(i, f.h)),
  enc('11110 0 111011 1111 10 0 0 1111 oooo ----', (f, i) => {
    switch (f.o) {
      case 2: return sys(i, clrex, 0, CYCLES.alu, false);
      case 4: case 5: case 6: return sys(i, nop, 0, CYCLES.barrier, f.o === 6);
      default: return;
    }
  }),
];
