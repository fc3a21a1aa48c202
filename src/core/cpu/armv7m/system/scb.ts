// The System Control Block's own registers (B3.2): what is not the NVIC's exception table.
// Register decoding lives in systemControlSpace.ts; this is the state it reads and writes.

/** CCR bits (B3.2.8). */
export const enum Ccr {
  NONBASETHRDENA = 1 << 0,
  USERSETMPEND = 1 << 1,
  UNALIGN_TRP = 1 << 3,
  DIV_0_TRP = 1 << 4,
  BFHFNMIGN = 1 << 8,
  STKALIGN = 1 << 9,
}

/** SCR bits (B3.2.7). */
export const enum Scr {
  SLEEPONEXIT = 1 << 1,
  SLEEPDEEP = 1 << 2,
  SEVONPEND = 1 << 4,
}

/** FPCCR bits (B3.2.21). */
export const enum Fpccr {
  LSPACT = 1 << 0,
  USER = 1 << 1,
  THREAD = 1 << 3,
  HFRDY = 1 << 4,
  MMRDY = 1 << 5,
  BFRDY = 1 << 6,
  MONRDY = 1 << 8,
  LSPEN = 1 << 30,
  ASPEN = 1 << 31,
}

/** SHCSR enable bits; its active and pending bits are the NVIC's table. */
export const enum Shcsr {
  MEMFAULTENA = 1 << 16,
  BUSFAULTENA = 1 << 17,
  USGFAULTENA = 1 << 18,
}

/** Cortex-M4 r0p1 (ARM DDI 0439B): implementer 0x41, variant 0, part 0xC24, revision 1. */
export const CPUID_CORTEX_M4 = 0x410fc241;

export class Scb {
  vtor = 0;
  /** AIRCR.PRIGROUP: the binary point between group priority and subpriority. */
  prigroup = 0;
  scr = 0;
  ccr = Ccr.STKALIGN;
  cfsr = 0;
  hfsr = 0;
  mmfar = 0;
  bfar = 0;
  cpacr = 0;
  fpccr = Fpccr.ASPEN | Fpccr.LSPEN;
  fpcar = 0;
  fpdscr = 0;
  /** AIRCR.SYSRESETREQ was written: the owner (the SoC's reset controller) decides what follows. */
  resetRequested = false;

  reset(): void {
    this.vtor = 0;
    this.prigroup = 0;
    this.scr = 0;
    this.ccr = Ccr.STKALIGN;
    this.cfsr = this.hfsr = this.mmfar = this.bfar = 0;
    this.cpacr = 0;
    this.fpccr = Fpccr.ASPEN | Fpccr.LSPEN;
    this.fpcar = this.fpdscr = 0;
    this.resetRequested = false;
  }
}
