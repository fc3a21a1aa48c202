// Exception numbers and fault status bits of ARMv7-M (B1.5.2, B3.2.15-B3.2.18), shared by the
// instruction side (which raises faults) and the system side (which takes them).

export const enum Exc {
  Reset = 1,
  NMI = 2,
  HardFault = 3,
  MemManage = 4,
  BusFault = 5,
  UsageFault = 6,
  SVCall = 11,
  DebugMonitor = 12,
  PendSV = 14,
  SysTick = 15,
  /** External interrupt n is exception 16 + n. */
  IRQ0 = 16,
}

/** CFSR bits: MMFSR [7:0], BFSR [15:8], UFSR [31:16]. */
export const enum Cfsr {
  IACCVIOL = 1 << 0,
  DACCVIOL = 1 << 1,
  MUNSTKERR = 1 << 3,
  MSTKERR = 1 << 4,
  MLSPERR = 1 << 5,
  MMARVALID = 1 << 7,
  IBUSERR = 1 << 8,
  PRECISERR = 1 << 9,
  IMPRECISERR = 1 << 10,
  UNSTKERR = 1 << 11,
  STKERR = 1 << 12,
  LSPERR = 1 << 13,
  BFARVALID = 1 << 15,
  UNDEFINSTR = 1 << 16,
  INVSTATE = 1 << 17,
  INVPC = 1 << 18,
  NOCP = 1 << 19,
  UNALIGNED = 1 << 24,
  DIVBYZERO = 1 << 25,
}

/** HFSR bits. */
export const enum Hfsr {
  VECTTBL = 1 << 1,
  FORCED = 1 << 30,
  DEBUGEVT = 1 << 31,
}
