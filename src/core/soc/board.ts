// A board is data: the host, its remote cores, their memory as each core sees it, the reserved
// memory the host's device tree gives each remote, and the mailbox channels between them.
// Numbers come from the boards' public device trees in the kernel (each board JSON names its files).

export type MemoryKind = 'sram' | 'tcm' | 'ddr' | 'retram' | 'ocram' | 'mmio';

/** One window of memory as a core sees it: device address `da` maps to physical address `pa`. */
export interface MemoryRegion {
  readonly name: string;
  readonly da: number;
  readonly pa: number;
  readonly size: number;
  readonly kind: MemoryKind;
  readonly access: 'rwx' | 'rw' | 'rx' | 'r';
}

/** A `reserved-memory` node of the host's device tree (what the kernel can carve out). */
export interface ReservedMemory {
  readonly name: string; // node name as the driver looks it up, e.g. `vdev0vring0`, `vdev0buffer`
  readonly pa: number;
  readonly size: number;
  readonly noMap: boolean;
  readonly compatible?: string; // e.g. `shared-dma-pool`
  /**
   * The node's name where it differs from `name` (the board-unique key, its DT label), e.g.
   * `vdev0buffer` for label `rpu1vdev0buffer`: drivers look carveouts up by node name.
   */
  readonly nodeName?: string;
}

/** A bank of the host's RAM (`memory@...` node): where the kernel's own allocations live. */
export interface HostMemory {
  readonly name: string;
  readonly pa: number;
  readonly size: number;
}

/** Which kernel driver runs the core: decides driver-specific behaviour (missing table fatal or not, attach). */
export type RprocDriver = 'stm32_rproc' | 'k3_r5_rproc' | 'zynqmp_r5_remoteproc';

export interface MailboxChannel {
  readonly name: string; // e.g. `vq0`, `vq1`, `shutdown`
  /** One-way latency of a kick, in virtual nanoseconds. */
  readonly latencyNs: number;
  /** The controller the channel belongs to (`ipcc`, `mailbox0_cluster2`, `ipi_mailbox_rpu0`). */
  readonly controller?: string;
}

/** Which register-level model serves a peripheral (src/core/soc/peripherals/). */
export type PeripheralModel = 'stm32-ipcc' | 'stm32-rcc' | 'stm32-hsem' | 'stm32-usart' | 'stm32-wwdg' | 'stm32-exti' | 'stm32-tim32' | 'stm32-tim16';

/** One interrupt output of a peripheral: its name in the device tree and its line on the core's NVIC. */
export interface PeripheralIrq {
  readonly name: string;
  readonly line: number;
}

/** A register's value as the boot loader leaves it, before the host starts the core. */
export interface BootRegister {
  readonly register: string; // `RCC_MSSCKSELR`, as the reference manual names it
  readonly offset: number;
  readonly value: number;
}

/** A peripheral as this core sees it: its registers at [base, base+size). */
export interface Peripheral {
  readonly name: string; // `IPCC`, `USART3`, as the reference manual names it
  readonly base: number;
  readonly size: number;
  /** The model that serves its registers; without one every access is reported as not modelled. */
  readonly model?: PeripheralModel;
  readonly irqs?: readonly PeripheralIrq[];
  /** Registers the boot loader set (the clock tree), written into the model once when it is made. */
  readonly bootState?: readonly BootRegister[];
}

export interface CoreDesc {
  /** rproc name as the kernel prints it (`m4`, `78000000.r5f`, `r5f_0`...). */
  readonly name: string;
  /** Short id used on the command line (`m4`, `r5f0_0`, `r5_0`). */
  readonly id: string;
  readonly cpu: string; // `cortex-m4`, `cortex-r5f`
  readonly endian: 'little' | 'big';
  readonly driver: RprocDriver;
  readonly defaultFirmware: string;
  /** Memory as this core sees it (da), with where it is for the host (pa). */
  readonly memories: readonly MemoryRegion[];
  /** Names of board.reservedMemory entries this core's `memory-region` property lists. */
  readonly memoryRegions: readonly string[];
  /** Mailbox channels between host and this core. */
  readonly mailbox: readonly MailboxChannel[];
  /** True where the driver refuses to boot without a resource table (TI K3 R5F). */
  readonly tableRequired: boolean;
  /** True where the board may have started the core before Linux (attach instead of boot). */
  readonly earlyBootCapable: boolean;
  /** The peripherals this core reaches, where its CPU is modelled (the STM32MP157's M4). */
  readonly peripherals?: readonly Peripheral[];
}

export interface Board {
  readonly id: string; // `stm32mp157`
  readonly name: string; // `STM32MP157C-DK2`
  readonly description: string;
  /** Kernel device-tree files the numbers were taken from. */
  readonly sources: readonly string[];
  /** Where and why numbers are not straight from `sources` (modelling choices, vendor layouts). */
  readonly notes?: readonly string[];
  readonly host: { readonly cpu: string; readonly cores: number; readonly memory?: readonly HostMemory[] };
  readonly reservedMemory: readonly ReservedMemory[];
  readonly cores: readonly CoreDesc[];
}
