// What differs between the kernel's remoteproc platform drivers (stm32_rproc,
// ti_k3_r5_remoteproc, xlnx_r5_remoteproc): each implements the `rproc_ops` it has, with the
// same steps, messages and errnos as its C file.
import type { CoreDesc } from '../soc/board';
import type { CrashKind } from '../soc/remoteProgram';
import type { Firmware } from './firmware';
import type { Rproc } from './rproc';

export interface LoadedTableLocation {
  readonly pa: number;
  readonly size: number;
}

export interface RprocDriverOps {
  /** `dev_driver_string()` of the rproc's parent device (`stm32-rproc`, `platform`). */
  readonly parentDriver: string;
  /** `dev_name()` of the parent device (`10000000.m4`, `78000000.r5f`). */
  parentDevice(core: CoreDesc): string;
  /** rproc->recovery_disabled as the driver leaves it at probe. */
  readonly recoveryDisabled: boolean;
  /** e_machine of the core dump; undefined when the driver never sets the ELF info. */
  readonly coredumpMachine: number | undefined;
  /**
   * rproc->auto_boot as the driver leaves it at probe, so rproc_add() boots an offline core or
   * attaches a detached one; undefined where the device tree decides (stm32's `st,auto-boot`).
   */
  readonly autoBoot: boolean | undefined;
  /** rproc->ops->detach exists. */
  readonly canDetach: boolean;
  /** Registers carveouts and dump segments (ops->prepare). */
  prepare(r: Rproc): void;
  unprepare(r: Rproc): void;
  /** ops->parse_fw: caches the resource table (or decides a missing one is fine). */
  parseFw(r: Rproc, fw: Firmware): void;
  /** ops->da_to_va before the carveout list: host physical address, or undefined. */
  daToPa(r: Rproc, da: number, len: number): number | undefined;
  start(r: Rproc): void;
  stop(r: Rproc): void;
  attach(r: Rproc): void;
  detach(r: Rproc): void;
  /** ops->get_loaded_rsc_table for attach: undefined when there is none (acceptable). */
  loadedTable(r: Rproc): LoadedTableLocation | undefined;
  /** ops->kick: host → remote for a vring. */
  kick(r: Rproc, notifyid: number): void;
  /** The mailbox rang the host: which notify ids to interrupt. */
  interrupts(r: Rproc, channel: string, value: number): readonly number[];
  /** The remote died: what the driver learns of it (a watchdog IRQ, a mailbox message, nothing). */
  /** The host's interrupt from the remote's watchdog, where the device tree wires one (stm32: EXTI 68). */
  watchdogInterrupt?(r: Rproc): void;
  remoteCrashed(r: Rproc, kind: CrashKind): void;
}
