// The architectural state of an ARMv7E-M core (ARMv7-M ARM B1.4): what an exception stacks, what a
// debugger reads. Registers hold int32 values (JavaScript's bitwise results), so reads stay small
// integers for V8; compare unsigned with `>>> 0`. Flags are kept apart (0 or 1) because the
// instructions that set them are the hot path; xPSR is composed only when asked for.

/** CONTROL bits (B1.4.4). */
export const CONTROL_NPRIV = 1;
export const CONTROL_SPSEL = 2;
export const CONTROL_FPCA = 4;

export class CpuState {
  /** R0-R15. R13 is the active stack pointer; R15 is not used: `pc` is. */
  readonly r = new Int32Array(16);
  /** Address of the next instruction to execute (bit 0 clear), unsigned. */
  pc = 0;
  /** APSR. */
  n = 0;
  z = 0;
  c = 0;
  v = 0;
  q = 0;
  /** APSR.GE[3:0] (DSP extension). */
  ge = 0;
  /** EPSR.IT[7:0] as the architecture packs it (ITSTATE): 0 outside an IT block. */
  itstate = 0;
  /** EPSR.T: 0 means the next instruction faults with INVSTATE. */
  thumb = 1;
  /** IPSR: the active exception number, 0 in Thread mode. */
  ipsr = 0;
  /** The banked stack pointer not currently in R13 is kept here; `msp`/`psp` read the right one. */
  private otherSp = 0;
  primask = 0;
  faultmask = 0;
  basepri = 0;
  control = 0;
  /** S0-S31 as raw IEEE-754 single bits (D0-D15 are pairs); bit patterns, so NaN payloads survive. */
  readonly s = new Int32Array(32);
  fpscr = 0;
  /** Set by the executor during LDRT/STRT: the bus checks the access as unprivileged. */
  accessUnprivileged = false;
  /** The local exclusive monitor (A3.4): the tagged address, or -1 (Open Access); exception entry and return clear it. */
  exclusive = -1;
  /** The event register (WFE/SEV). */
  event = 0;
  /** Sleeping in WFI/WFE until an interrupt (or event) wakes the core. */
  sleeping = false;
  /** The core is in lockup (B1.5.15): it fetches nothing until reset or debug. */
  lockedUp = false;
  /** Core clock cycles since reset. */
  cycles = 0;
  /** Instructions retired since reset. */
  instructions = 0;

  /** True when R13 is the process stack (Thread mode with CONTROL.SPSEL). */
  get usingPsp(): boolean {
    return this.ipsr === 0 && (this.control & CONTROL_SPSEL) !== 0;
  }

  get msp(): number {
    return this.usingPsp ? this.otherSp : this.r[13];
  }

  set msp(v: number) {
    if (this.usingPsp) this.otherSp = v & ~3;
    else this.r[13] = v & ~3;
  }

  get psp(): number {
    return this.usingPsp ? this.r[13] : this.otherSp;
  }

  set psp(v: number) {
    if (this.usingPsp) this.r[13] = v & ~3;
    else this.otherSp = v & ~3;
  }

  /**
   * Changes Thread/Handler mode and CONTROL.SPSEL together, swapping the banked stack pointer
   * when the active one changes. Every write of `ipsr` or `control` that can switch stacks goes here.
   */
  setModeAndControl(ipsr: number, control: number): void {
    const before = this.usingPsp;
    this.ipsr = ipsr;
    this.control = control;
    if (this.usingPsp !== before) {
      const t = this.r[13];
      this.r[13] = this.otherSp;
      this.otherSp = t;
    }
  }

  get privileged(): boolean {
    return this.ipsr !== 0 || (this.control & CONTROL_NPRIV) === 0;
  }

  /** APSR as MRS reads it: N Z C V Q in bits 31-27, GE in 19-16. */
  get apsr(): number {
    return (this.n << 31) | (this.z << 30) | (this.c << 29) | (this.v << 28) | (this.q << 27) | (this.ge << 16);
  }

  set apsr(v: number) {
    this.n = (v >>> 31) & 1;
    this.z = (v >>> 30) & 1;
    this.c = (v >>> 29) & 1;
    this.v = (v >>> 28) & 1;
    this.q = (v >>> 27) & 1;
    this.ge = (v >>> 16) & 0xf;
  }

  /** xPSR as an exception stacks it (B1.4.2): APSR, EPSR (IT, T) and IPSR in one word. */
  get xpsr(): number {
    const it = this.itstate;
    return this.apsr | ((it & 3) << 25) | ((it >>> 2) << 10) | (this.thumb << 24) | this.ipsr;
  }

  /** Restores APSR, EPSR and IPSR from a stacked xPSR (IPSR through setModeAndControl by the caller). */
  setApsrEpsr(v: number): void {
    this.apsr = v;
    this.itstate = ((v >>> 25) & 3) | (((v >>> 10) & 0x3f) << 2);
    this.thumb = (v >>> 24) & 1;
  }

  /** The condition test of A7.3.1 on the current flags; `cond` 14 and 15 always pass. */
  conditionPassed(cond: number): boolean {
    switch (cond >>> 1) {
      case 0: return (this.z === 1) !== ((cond & 1) === 1);
      case 1: return (this.c === 1) !== ((cond & 1) === 1);
      case 2: return (this.n === 1) !== ((cond & 1) === 1);
      case 3: return (this.v === 1) !== ((cond & 1) === 1);
      case 4: return (this.c === 1 && this.z === 0) !== ((cond & 1) === 1);
      case 5: return (this.n === this.v) !== ((cond & 1) === 1);
      case 6: return (this.n === this.v && this.z === 0) !== ((cond & 1) === 1);
      default: return true;
    }
  }

  /** Reset values of B1.5.5 except SP and PC, which the vector table gives. */
  reset(): void {
    this.r.fill(0);
    this.s.fill(0);
    this.otherSp = 0;
    this.pc = 0;
    this.n = this.z = this.c = this.v = this.q = this.ge = 0;
    this.itstate = 0;
    this.thumb = 1;
    this.ipsr = 0;
    this.primask = this.faultmask = this.basepri = this.control = 0;
    this.fpscr = 0;
    this.event = 0;
    this.exclusive = -1;
    this.accessUnprivileged = false;
    this.sleeping = false;
    this.lockedUp = false;
  }
}
