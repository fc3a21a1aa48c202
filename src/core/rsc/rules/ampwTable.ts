// Our checks on the table's own layout and names.

import { Finding } from '../../findings';
import { FW_RSC_ADDR_ANY } from '../types';
import { AmpwContext, entryPlace } from './ampwContext';
import { Rule, report } from './report';

const misaligned: Rule = {
  rule: 'ampw/entry-misaligned',
  kernelFunction: 'rsc_table_for_each_entry',
  explanation: 'The kernel reads the entry\'s u32 fields in place. On a 32-bit ARM host unaligned word loads are fixed up slowly or fault (LDRD/LDM), and OpenAMP on the remote reads them in place too.',
  fix: 'Keep every entry at a multiple of 4 bytes: pad config space to 4 bytes, or let the compiler lay out the table struct.',
};
const carveoutName: Rule = {
  rule: 'ampw/carveout-not-in-device-tree',
  kernelFunction: 'rproc_handle_carveout',
  explanation: 'This driver registers the core\'s reserved-memory regions as carveouts by their device-tree node name and matches table carveouts to them by name. A carveout with another name is allocated from the DMA pool instead, wherever the allocator finds room.',
  fix: 'Name the carveout after the reserved-memory region it lives in (one of the names below), or use FW_RSC_ADDR_ANY if any memory will do.',
};

export function ampwTable(c: AmpwContext): Finding[] {
  const out: Finding[] = [];
  const regions = c.k.regions.map((r) => r.name);
  const namesByDt = c.k.driver === 'stm32_rproc' || c.k.driver === 'zynqmp_r5_remoteproc';
  for (const e of c.table?.entries ?? []) {
    if (e.offset % 4) out.push(report(misaligned, 'warning', `entry ${e.index} at table offset ${e.offset} is not 4-byte aligned`, entryPlace(c, e, 0, 4)));
    if (e.kind === 'carveout' && namesByDt && e.da !== FW_RSC_ADDR_ANY && !regions.includes(e.name)) {
      out.push(report(carveoutName, 'info', `carveout "${e.name}" matches no reserved-memory region of ${c.k.core?.id} (${regions.join(', ') || 'none'})`, entryPlace(c, e, 24, 32)));
    }
  }
  return out;
}
