// Cycle counts of the Cortex-M4 (TRM r0p1, 3.3.1 "Cortex-M4 instruction set summary" and the
// FPU's 7.2.3), in one place. Where the TRM gives a range we take a fixed point in it:
// P, the pipeline refill after a taken branch, is 1-3 cycles: we count 2.
export const CYCLES = {
  alu: 1,
  /** LDR and friends: 2 (a following load or store could pipeline: not modelled). */
  load: 2,
  store: 2,
  /** LDRD/STRD: 1 + 2. */
  loadDual: 3,
  /** LDM/STM/PUSH/POP: 1 + N (a POP with PC adds P). */
  multipleBase: 1,
  /** Extra cycles when a branch is taken (P). */
  refill: 2,
  branch: 1,
  /** TBB/TBH: 2 + P. */
  tableBranch: 2,
  mul: 1,
  /** MLA and MLS: 2. */
  mulAcc: 2,
  /** UMULL, SMULL, UMLAL, SMLAL and the DSP long forms: 1 on the M4. */
  mulLong: 1,
  /** SDIV/UDIV: 2-12, early termination by the size of the quotient (divideCycles). */
  divMin: 2,
  /** MSR/MRS/CPS: 1-2; barriers 1 + B (we count 4 for ISB/DSB). */
  system: 2,
  barrier: 4,
  /** WFI, WFE, SEV, NOP, YIELD. */
  hint: 1,
  /** VADD, VSUB, VMUL, VNMUL, VABS, VNEG, VCMP, VCVT, VMOV: 1; VMLA family and fused: 3. */
  fpAlu: 1,
  fpMulAcc: 3,
  /** VDIV, VSQRT: 14. */
  fpDivSqrt: 14,
  /** VLDR/VSTR: 2; VLDM/VSTM/VPUSH/VPOP: 1 + N. */
  fpLoad: 2,
  fpStore: 2,
  /** VMRS/VMSR: 1; VMOV between two core registers and two S registers: 2. */
  fpMove2: 2,
} as const;

/** SDIV/UDIV: the M4 terminates early; we take 2 cycles plus one per 4 significant bits of the quotient, at most 12. */
export function divideCycles(quotient: number): number {
  const bits = 32 - Math.clz32(quotient);
  return Math.min(12, CYCLES.divMin + (bits >>> 2));
}
