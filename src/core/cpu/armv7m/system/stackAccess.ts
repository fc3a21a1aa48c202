// Memory as exception entry and return see it: word accesses that report a fault instead of
// throwing, so stacking and unstacking can record MSTKERR/STKERR or MUNSTKERR/UNSTKERR and go on.

/** What the last probing access did. */
export const enum Probe {
  Ok = 0,
  /** The MPU refused it (MemManage). */
  Mpu = 1,
  /** Nothing answered at the address (BusFault). */
  Bus = 2,
}

export interface StackAccess {
  /** The outcome of the last probeRead32/probeWrite32. */
  readonly probe: Probe;
  probeRead32(addr: number, privileged: boolean): number;
  probeWrite32(addr: number, value: number, privileged: boolean): void;
}
