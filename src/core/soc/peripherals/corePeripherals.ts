// The peripherals of a core's board map on its SystemBus: each served by its model, the rest of the
// peripheral region (0x40000000-0x5fffffff, ARMv7-M ARM B3.1) by the unmodelled-access reports, and
// the models' interrupt outputs wired to the core's NVIC lines.
import type { Peripheral } from '../board';
import type { SystemBus, MappedDevice } from '../../cpu/armv7m/system/systemBus';
import type { Nvic } from '../../cpu/armv7m/system/nvic';
import { Exti, EXTI_WWDG1_RESET } from './exti';
import { Hsem, M4_CORE_ID } from './hsem';
import { Ipcc } from './ipcc';
import type { PeripheralClock } from './peripheralClock';
import { Rcc, RccResetFlag } from './rcc';
import { Timer, timg1Hz } from './timer';
import { Usart } from './uart';
import { UnmodelledAccesses, unservedDevice, type UnmodelledPolicy, type Unserved } from './unmodelled';
import { Wwdg } from './wwdg';

const REGION_BASE = 0x40000000;
const REGION_END = 0x60000000;
/** mcu_ck, the M4's clock on the STM32MP157 (209 MHz, as the CortexM4 model defaults to). */
const MCU_HZ = 209_000_000;

export interface CorePeripheralOptions {
  /** Where the USARTs' transmitted bytes go (the remote's console). */
  readonly console?: (bytes: Uint8Array) => void;
  /** What an access no model serves does: read as zero and ignored (default), or a BusFault. */
  readonly unmodelled?: UnmodelledPolicy;
  /** Where the once-per-peripheral reports of such accesses go. */
  readonly report?: (line: string) => void;
  /** Virtual time for the models that count (the watchdog); without it they are not modelled. */
  readonly clock?: PeripheralClock;
  /** The MCU's clock (mcu_ck) in Hz, which RCC_APB1DIVR divides into the watchdog's PCLK1. */
  readonly mcuHz?: number;
}

/** The models on one core's bus, for the host side and for tests. */
export interface CorePeripherals {
  readonly ipcc?: Ipcc;
  readonly rcc?: Rcc;
  readonly hsem?: Hsem;
  readonly usarts: ReadonlyMap<string, Usart>;
  /** The general-purpose timers by name (TIM2...), where a clock was given. */
  readonly timers: ReadonlyMap<string, Timer>;
  /** WWDG1: its `onReset` is the owner's to set (reset the MCU); its reset flag and EXTI event are wired here. */
  readonly wwdg?: Wwdg;
  readonly exti?: Exti;
  /**
   * Maps the models on `bus` and fills the rest of the peripheral region; their interrupt outputs
   * drive `nvic` from now on. The models outlive a core: a core out of reset is attached anew.
   */
  attach(bus: SystemBus, nvic: Nvic): void;
}

/** Maps `peripherals` on `bus`, their interrupts on `nvic`, and fills the rest of the peripheral region. */
export function attachPeripherals(bus: SystemBus, nvic: Nvic, peripherals: readonly Peripheral[], options: CorePeripheralOptions = {}): CorePeripherals {
  const models = createPeripherals(peripherals, options);
  models.attach(bus, nvic);
  return models;
}

/** The models of a core's board map, not yet on any bus. */
export function createPeripherals(peripherals: readonly Peripheral[], options: CorePeripheralOptions = {}): CorePeripherals {
  const accesses = new UnmodelledAccesses(options.unmodelled ?? 'ignore', options.report ?? (() => undefined));
  let nvic: Nvic | undefined;
  const line = (p: Peripheral, name: string) => {
    const irq = p.irqs?.find((q) => q.name === name);
    return (high: boolean) => {
      if (irq) nvic?.setLine(irq.line, high);
    };
  };
  const usarts = new Map<string, Usart>();
  const timers = new Map<string, Timer>();
  const devices: { readonly p: Peripheral; readonly device: MappedDevice }[] = [];
  let ipcc: Ipcc | undefined;
  let rcc: Rcc | undefined;
  let hsem: Hsem | undefined;
  let wwdg: Wwdg | undefined;
  let exti: Exti | undefined;
  const mcuHz = options.mcuHz ?? MCU_HZ;
  for (const p of peripherals) {
    let device: MappedDevice;
    const unserved: Unserved = accesses.forPeripheral(p.name, p.base, p.model === 'stm32-rcc' ? Rcc.registerName : undefined);
    switch (p.model) {
      case 'stm32-ipcc':
        device = ipcc = new Ipcc(unserved);
        break;
      case 'stm32-rcc':
        device = rcc = new Rcc(unserved);
        break;
      case 'stm32-hsem':
        device = hsem = new Hsem(M4_CORE_ID, unserved);
        break;
      case 'stm32-wwdg':
        device = options.clock ? (wwdg = new Wwdg(options.clock, () => mcuHz / (rcc?.apb1Divider() ?? 1), unserved)) : unservedDevice(unserved);
        break;
      case 'stm32-exti':
        device = exti = new Exti(unserved);
        break;
      case 'stm32-tim32':
      case 'stm32-tim16': {
        const bits = p.model === 'stm32-tim32' ? 32 : 16;
        const timer = options.clock && new Timer(options.clock, () => timg1Hz(mcuHz, rcc?.apb1Divider() ?? 1), bits, unserved);
        if (timer) timers.set(p.name, timer);
        device = timer || unservedDevice(unserved);
        break;
      }
      case 'stm32-usart': {
        const usart = new Usart((byte) => options.console?.(Uint8Array.of(byte)), unserved);
        usarts.set(p.name, usart);
        device = usart;
        break;
      }
      case undefined:
        device = unservedDevice(unserved);
        break;
    }
    // the registers as the boot loader left them, before the firmware's first instruction
    for (const r of p.bootState ?? []) device.write(r.offset, 4, r.value);
    devices.push({ p, device });
  }
  const of = (model: Peripheral['model']) => peripherals.find((p) => p.model === model);
  const ipccPeripheral = of('stm32-ipcc');
  const wwdgPeripheral = of('stm32-wwdg');
  const extiPeripheral = of('stm32-exti');
  return {
    ipcc,
    rcc,
    hsem,
    usarts,
    timers,
    wwdg,
    exti,
    attach(bus, to) {
      nvic = to;
      for (const { p, device } of devices) bus.mapDevice(p.base, p.size, device);
      let at = REGION_BASE;
      for (const p of [...peripherals].filter((q) => q.base >= REGION_BASE && q.base < REGION_END).sort((a, b) => a.base - b.base)) {
        if (p.base > at) mapGap(bus, accesses, at, p.base);
        at = Math.max(at, p.base + p.size);
      }
      if (at < REGION_END) mapGap(bus, accesses, at, REGION_END);
      // the lines take their present levels on the new NVIC
      if (ipcc && ipccPeripheral) ipcc.connect(2, { rx: line(ipccPeripheral, 'rx'), tx: line(ipccPeripheral, 'tx') });
      if (exti && extiPeripheral) exti.connect((event, high) => line(extiPeripheral, `event${event}`)(high));
      for (const { p, device } of devices) if (device instanceof Timer) device.connect(line(p, 'global'));
      if (wwdg && wwdgPeripheral) {
        wwdg.connect({
          ewi: line(wwdgPeripheral, 'ewi'),
          // wwdg1_out_rst: RCC records it, and it is a rising edge of EXTI event 68 for the host
          reset: () => {
            rcc?.recordReset(RccResetFlag.WWDG1RSTF);
            exti?.input(EXTI_WWDG1_RESET, true);
            exti?.input(EXTI_WWDG1_RESET, false);
          },
        });
      }
    },
  };
}

function mapGap(bus: SystemBus, accesses: UnmodelledAccesses, start: number, end: number): void {
  bus.mapDevice(start, end - start, unservedDevice(accesses.forGap(start)));
}
