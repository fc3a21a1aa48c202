// The STM32MP157's RCC as the M4 sees it (RM0436, "Reset and clock control (RCC)"): the MCU's peripheral enables
// are set/clear pairs (RCC_MC_*ENSETR sets bits, RCC_MC_*ENCLRR clears them, both read the enables),
// and every oscillator, PLL and clock divider reads as ready, so firmware's polling loops end. The
// clock configuration the HAL reads to work out the MCU's clock (HSI divider, PLL3 source, dividers
// and fraction) is kept as written from its reset values.
// RCC_MC_RSTSCLRR keeps the MCU's reset flags (the WWDG1 reset sets WWDG1RSTF). The MPU's own enables
// (RCC_MP_*) are named, not served: firmware on the M4 touching them is reported.
import type { MappedDevice } from '../../cpu/armv7m/system/systemBus';
import { laneOf, withLane } from './registerAccess';
import type { Unserved } from './unmodelled';

/** The buses with an enable pair: the MPU's pair at MP_BASE + 8*i, the MCU's at MC_BASE + 8*i (RM0436, RCC register map). */
const ENABLE_BUSES = ['APB1', 'APB2', 'APB3', 'AHB2', 'AHB3', 'AHB4', 'AXIM', 'MLAHB'] as const;
const MP_BASE = 0xa00;
const MC_BASE = 0xa80;

/** Registers kept as written from their reset values, with ready bits that read as set (RM0436, RCC register map; reset values from ST's STM32MP1 SVD). */
const KEPT: ReadonlyMap<number, { readonly name: string; readonly ready: number; readonly reset?: number }> = new Map([
  [0x018, { name: 'RCC_HSICFGR', ready: 0 }],
  [0x048, { name: 'RCC_MSSCKSELR', ready: 1 << 31 }],
  [0x820, { name: 'RCC_RCK3SELR', ready: 1 << 31 }],
  [0x884, { name: 'RCC_PLL3CFGR1', ready: 0, reset: 0x00010031 }],
  [0x888, { name: 'RCC_PLL3CFGR2', ready: 0, reset: 0x00010101 }],
  [0x88c, { name: 'RCC_PLL3FRACR', ready: 0 }],
  [0x808, { name: 'RCC_OCRDYR', ready: (1 << 0) | (1 << 2) | (1 << 4) | (1 << 8) | (1 << 23) | (1 << 24) }],
  [0x880, { name: 'RCC_PLL3CR', ready: 1 << 1 }],
  [0x894, { name: 'RCC_PLL4CR', ready: 1 << 1 }],
  [0x830, { name: 'RCC_MCUDIVR', ready: 1 << 31 }],
  [0x834, { name: 'RCC_APB1DIVR', ready: 1 << 31 }],
  [0x838, { name: 'RCC_APB2DIVR', ready: 1 << 31 }],
  [0x83c, { name: 'RCC_APB3DIVR', ready: 1 << 31 }],
]);

/** RCC_MC_RSTSCLRR: the MCU's reset flags, set by hardware, cleared by writing 1 (RM0436, RCC register map). */
const MC_RSTSCLRR = 0xc00;
export const RccResetFlag = { PORRSTF: 1 << 0, PADRSTF: 1 << 2, VCORERSTF: 1 << 4, WWDG1RSTF: 1 << 10 } as const;
const RESET_FLAGS = (1 << 11) - 1;
/** Its reset value: the power-on reset's flags (ST's STM32MP1 SVD). */
const MC_RSTSCLRR_RESET = RccResetFlag.PORRSTF | RccResetFlag.PADRSTF | RccResetFlag.VCORERSTF;
const APB1DIVR = 0x834;

export class Rcc implements MappedDevice {
  /** The MCU's enable bits, one word per ENABLE_BUSES entry (reset value 0). */
  readonly mcuEnables = new Uint32Array(ENABLE_BUSES.length);
  /** The registers of KEPT as written, ready bits apart. */
  private readonly kept = new Map<number, { readonly ready: number; value: number }>([...KEPT].map(([o, r]) => [o, { ready: r.ready, value: r.reset ?? 0 }]));

  /** RCC_MC_RSTSCLRR. */
  private resetFlags = MC_RSTSCLRR_RESET;

  constructor(private readonly unserved: Unserved) {}

  /** The hardware records a reset of the MCU by its source (RccResetFlag). */
  recordReset(flag: number): void {
    this.resetFlags |= flag & RESET_FLAGS;
  }

  /** The APB1 prescaler of RCC_APB1DIVR: mcu_ck / 1, 2, 4, 8, or 16 for APB1DIV 4 and above. */
  apb1Divider(): number {
    return 1 << Math.min(this.read(APB1DIVR, 4) & 7, 4);
  }

  /** The name RM0436 gives the register at `offset`, where this model knows it. */
  static registerName(offset: number): string | undefined {
    const word = offset & ~3;
    const known = KEPT.get(word);
    if (known) return known.name;
    if (word === MC_RSTSCLRR) return 'RCC_MC_RSTSCLRR';
    for (const [base, who] of [[MP_BASE, 'MP'], [MC_BASE, 'MC']] as const) {
      const i = (word - base) >> 3;
      if (word >= base && i < ENABLE_BUSES.length) return `RCC_${who}_${ENABLE_BUSES[i]}EN${word & 4 ? 'CLRR' : 'SETR'}`;
    }
    return undefined;
  }

  /** Whether the MCU's enable `bit` of `bus` is set (e.g. 'AHB3', 12 for IPCCEN). */
  enabled(bus: (typeof ENABLE_BUSES)[number], bit: number): boolean {
    return ((this.mcuEnables[ENABLE_BUSES.indexOf(bus)] >>> bit) & 1) === 1;
  }

  read(offset: number, size: number): number {
    const word = offset & ~3;
    const bus = this.mcuBus(word);
    if (bus >= 0) return laneOf(this.mcuEnables[bus], offset, size);
    const kept = this.kept.get(word);
    if (kept) return laneOf(kept.value | kept.ready, offset, size);
    if (word === MC_RSTSCLRR) return laneOf(this.resetFlags, offset, size);
    return this.unserved(offset, size, false);
  }

  write(offset: number, size: number, value: number): void {
    const word = offset & ~3;
    const bus = this.mcuBus(word);
    if (bus >= 0) {
      const bits = withLane(0, offset, size, value);
      this.mcuEnables[bus] = word & 4 ? this.mcuEnables[bus] & ~bits : this.mcuEnables[bus] | bits;
      return;
    }
    const kept = this.kept.get(word);
    if (kept) {
      kept.value = withLane(kept.value, offset, size, value) & ~kept.ready;
      return;
    }
    if (word === MC_RSTSCLRR) {
      this.resetFlags &= ~withLane(0, offset, size, value);
      return;
    }
    this.unserved(offset, size, true);
  }

  /** The ENABLE_BUSES index of an RCC_MC_*ENSETR/ENCLRR word offset, or -1. */
  private mcuBus(word: number): number {
    const i = (word - MC_BASE) >> 3;
    return word >= MC_BASE && i < ENABLE_BUSES.length ? i : -1;
  }
}
