// The STM32MP157's hardware semaphores (RM0436, "Hardware semaphore (HSEM)"): 32 semaphores, each taken by a two-step
// write lock (HSEM_Rx with LOCK, the writer's COREID and a PROCID) or a one-step read lock (reading
// HSEM_RLRx), and freed by a write with LOCK clear and the owner's COREID and PROCID. Freeing one sets
// its bit in both cores' interrupt status; HSEM_CR with the HSEM_KEYR key frees a core's semaphores.
// Every access on this bus comes from one core: the M4 is COREID 2 (CPU2) on the STM32MP157.
import type { MappedDevice } from '../../cpu/armv7m/system/systemBus';
import type { Unserved } from './unmodelled';

export const HSEM_COUNT = 32;
/** Register offsets (RM0436, HSEM register map). */
export const HsemReg = { R: 0x000, RLR: 0x080, C1IER: 0x100, C1ICR: 0x104, C1ISR: 0x108, C1MISR: 0x10c, C2IER: 0x110, C2ICR: 0x114, C2ISR: 0x118, C2MISR: 0x11c, CR: 0x140, KEYR: 0x144 } as const;
export const HSEM_LOCK = 1 << 31;
/** The M4's COREID (RM0436, HSEM functional description: CPU2). */
export const M4_CORE_ID = 2;

const coreIdOf = (v: number) => (v >>> 8) & 0xf;
const procIdOf = (v: number) => v & 0xff;

export class Hsem implements MappedDevice {
  /** HSEM_Rx: LOCK, COREID and PROCID of each semaphore (reset value 0: free). */
  readonly semaphores = new Uint32Array(HSEM_COUNT);
  /** C1 (A7) and C2 (M4) interrupt enable and status bits, one per semaphore. */
  private readonly ier = new Uint32Array(2);
  private readonly isr = new Uint32Array(2);
  private key = 0;

  constructor(
    private readonly coreId: number,
    private readonly unserved: Unserved,
  ) {}

  read(offset: number, size: number): number {
    const word = offset & ~3;
    if (size !== 4) return this.unserved(offset, size, false); // only word accesses are modelled: the ones the HAL and the kernel make
    if (word < HsemReg.RLR) return this.semaphores[word >> 2];
    if (word < HsemReg.C1IER) return this.readLock((word - HsemReg.RLR) >> 2);
    return this.control(word) ?? this.unserved(offset, size, false);
  }

  write(offset: number, size: number, value: number): void {
    const word = offset & ~3;
    if (size !== 4) {
      this.unserved(offset, size, true);
      return;
    }
    if (word < HsemReg.RLR) this.writeLock(word >> 2, value >>> 0);
    else if (word < HsemReg.C1IER) return; // RLRx is read-only
    else if (word === HsemReg.C1IER || word === HsemReg.C2IER) this.ier[(word - HsemReg.C1IER) >> 4] = value >>> 0;
    else if (word === HsemReg.C1ICR || word === HsemReg.C2ICR) this.isr[(word - HsemReg.C1IER) >> 4] &= ~value;
    else if (word === HsemReg.CR) this.clearCore(value >>> 0);
    else if (word === HsemReg.KEYR) this.key = value & 0xffff0000;
    else if (this.control(word) === undefined) this.unserved(offset, size, true);
  }

  /** The interrupt registers, HSEM_CR and HSEM_KEYR (ISR/MISR read-only), or undefined for an offset not served. */
  private control(word: number): number | undefined {
    const bank = (word - HsemReg.C1IER) >> 4;
    switch (word) {
      case HsemReg.C1IER:
      case HsemReg.C2IER:
        return this.ier[bank];
      case HsemReg.C1ISR:
      case HsemReg.C2ISR:
        return this.isr[bank];
      case HsemReg.C1MISR:
      case HsemReg.C2MISR:
        return this.isr[bank] & this.ier[bank];
      case HsemReg.C1ICR:
      case HsemReg.C2ICR:
      case HsemReg.CR:
        return 0;
      case HsemReg.KEYR:
        return this.key;
      default:
        return undefined;
    }
  }

  /** RM0436, 2-step (write) lock: a write with LOCK takes a free semaphore if COREID is the writer's; one without LOCK frees it for its owner. */
  private writeLock(i: number, value: number): void {
    const cur = this.semaphores[i];
    if (coreIdOf(value) !== this.coreId) return;
    if (value & HSEM_LOCK) {
      if (!(cur & HSEM_LOCK)) this.semaphores[i] = (HSEM_LOCK | (this.coreId << 8) | procIdOf(value)) >>> 0;
    } else if (cur & HSEM_LOCK && coreIdOf(cur) === this.coreId && procIdOf(cur) === procIdOf(value)) {
      this.free(i);
    }
  }

  /** RM0436, 1-step (read) lock: reading RLRx takes a free semaphore with PROCID 0, and returns the semaphore either way. */
  private readLock(i: number): number {
    if (!(this.semaphores[i] & HSEM_LOCK)) this.semaphores[i] = (HSEM_LOCK | (this.coreId << 8)) >>> 0;
    return this.semaphores[i];
  }

  /** RM0436, semaphore clear: HSEM_CR frees every semaphore of the written COREID when KEY matches HSEM_KEYR. */
  private clearCore(value: number): void {
    if ((value & 0xffff0000) !== this.key) return;
    for (let i = 0; i < HSEM_COUNT; i++) if (this.semaphores[i] & HSEM_LOCK && coreIdOf(this.semaphores[i]) === coreIdOf(value)) this.free(i);
  }

  private free(i: number): void {
    this.semaphores[i] = 0;
    this.isr[0] |= 1 << i;
    this.isr[1] |= 1 << i;
  }
}
