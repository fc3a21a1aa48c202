// The Memory Protection Unit of the ARMv7-M PMSA (B3.5): 8 regions with subregions, access
// permissions by privilege, XN, PRIVDEFENA and HFNMIENA. `check` runs on every access while the
// MPU is enabled; the bus skips it entirely when it is not.

/** What an access is, for the permission check. */
export const enum Access {
  Read = 0,
  Write = 1,
  Execute = 2,
}

const REGIONS = 8;

export class Mpu {
  ctrl = 0;
  rnr = 0;
  /** Region base addresses (RBAR.ADDR, aligned to the region size when written) and RASR values. */
  readonly base = new Uint32Array(REGIONS);
  readonly rasr = new Uint32Array(REGIONS);

  get enabled(): boolean {
    return (this.ctrl & 1) !== 0;
  }

  /** MPU_TYPE: DREGION = 8, separate = 0. */
  get type(): number {
    return REGIONS << 8;
  }

  reset(): void {
    this.ctrl = this.rnr = 0;
    this.base.fill(0);
    this.rasr.fill(0);
  }

  /** RBAR reads the selected region's base with its number in REGION. */
  readRbar(): number {
    return (this.base[this.rnr] | this.rnr) >>> 0;
  }

  /** RBAR write: VALID (bit 4) selects the region in bits 3:0 first. */
  writeRbar(v: number): void {
    if (v & 0x10) this.rnr = v & 0xf & (REGIONS - 1);
    this.base[this.rnr] = v & 0xffffffe0;
  }

  writeRasr(v: number): void {
    this.rasr[this.rnr] = v & 0x173fff3f;
  }

  /**
   * True when the access is allowed. `priorityBoosted` is true when the execution priority is -1
   * or lower (HardFault, NMI, FAULTMASK): then HFNMIENA decides whether the MPU applies at all.
   */
  check(addr: number, access: Access, privileged: boolean, priorityBoosted: boolean): boolean {
    const a = addr >>> 0;
    // The PPB always uses the default map; the MPU is off in HardFault/NMI unless HFNMIENA.
    if (a >= 0xe0000000 && a < 0xe0100000) return access !== Access.Execute;
    if (priorityBoosted && (this.ctrl & 2) === 0) return defaultAllows(a, access);
    for (let i = REGIONS - 1; i >= 0; i--) {
      const r = this.rasr[i];
      if ((r & 1) === 0) continue;
      const sizeBits = ((r >>> 1) & 0x1f) + 1;
      if (sizeBits < 5) continue; // UNPREDICTABLE sizes below 32 bytes: the region matches nothing
      const size = 2 ** sizeBits;
      const base = this.base[i] - (this.base[i] % size);
      if (a < base || a >= base + size) continue;
      if (sizeBits >= 8 && (r >>> (8 + Math.floor(((a - base) * 8) / size))) & 1) continue; // a disabled subregion
      return permits(r, access, privileged);
    }
    return privileged && (this.ctrl & 4) !== 0 ? defaultAllows(a, access) : false;
  }
}

/** AP[2:0] and XN of a region's RASR for this access (B3.5.9). */
function permits(rasr: number, access: Access, privileged: boolean): boolean {
  if (access === Access.Execute && rasr & (1 << 28)) return false;
  switch ((rasr >>> 24) & 7) {
    case 1: return privileged;
    case 2: return privileged || access !== Access.Write;
    case 3: return true;
    case 5: return privileged && access !== Access.Write;
    case 6:
    case 7: return access !== Access.Write;
    default: return false;
  }
}

/** The default memory map's execute-never regions (B3.1): peripherals, devices and the system space. */
export function defaultAllows(addr: number, access: Access): boolean {
  if (access !== Access.Execute) return true;
  const a = addr >>> 0;
  return !((a >= 0x40000000 && a < 0x60000000) || a >= 0xa0000000);
}
