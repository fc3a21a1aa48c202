// Fixes that need no judgement: the board already says what the value must be. A carveout the
// driver registers from the device tree by the same name must sit at that carveout's device
// address; a vring whose vdevNvringM region is registered must use that region's address.

import { Finding } from '../findings';
import { KernelModel } from './kernelModel';
import { FW_RSC_VDEV_SIZE, FW_RSC_VDEV_VRING_SIZE, RSC_HDR_SIZE, ResourceTable } from './types';

export interface MechanicalFix {
  /** Index of the table entry to change. */
  readonly entry: number;
  /** The member to change, as C designates it: `da`, `vring[1].da`. */
  readonly field: string;
  /** The entry's `name` when it has one: how a face finds the entry in the C source. */
  readonly entryName?: string;
  /** Where the field's bytes are, from the table's start. */
  readonly offset: number;
  readonly value: number;
  /** One line for a menu: `Set da of carveout "mcuram" to 0x10000000 (device tree carveout mcuram)`. */
  readonly title: string;
}

const CARVEOUT_DA_RULES = new Set(['ampw/carveout-outside-memory', 'kernel/registered_carveout_da']);

/** `findingTableOffset`: where the finding's bytes start inside the table, when they are in it. */
export function mechanicalFix(f: Finding, table: ResourceTable, k: KernelModel, findingTableOffset?: number): MechanicalFix | undefined {
  if (f.entry === undefined) return undefined;
  const e = table.entries[f.entry];
  if (!e) return undefined;
  const hex = (n: number): string => `0x${n.toString(16)}`;
  if (e.kind === 'carveout' && CARVEOUT_DA_RULES.has(f.rule)) {
    const reg = k.registered.find((c) => c.name === e.name && c.mapped && c.len >= e.len);
    if (!reg || reg.da === e.da) return undefined;
    return { entry: e.index, field: 'da', entryName: e.name, offset: e.offset + RSC_HDR_SIZE, value: reg.da, title: `Set da of carveout "${e.name}" to ${hex(reg.da)} (the board's ${reg.name} carveout)` };
  }
  if (e.kind === 'vdev' && f.rule === 'ampw/vring-da-mismatch' && findingTableOffset !== undefined) {
    const first = e.offset + RSC_HDR_SIZE + FW_RSC_VDEV_SIZE;
    const i = Math.floor((findingTableOffset - first) / FW_RSC_VDEV_VRING_SIZE);
    if (i < 0 || i >= e.vrings.length) return undefined;
    const vdevIndex = table.entries.slice(0, e.index).filter((x) => x.kind === 'vdev').length;
    const reg = k.registered.find((c) => c.name === `vdev${vdevIndex}vring${i}`);
    if (!reg || reg.da === e.vrings[i].da) return undefined;
    return { entry: e.index, field: `vring[${i}].da`, offset: first + FW_RSC_VDEV_VRING_SIZE * i, value: reg.da, title: `Set da of vring ${i} to ${hex(reg.da)} (the board's ${reg.name} carveout)` };
  }
  return undefined;
}
