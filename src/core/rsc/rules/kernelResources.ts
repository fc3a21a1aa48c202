// rproc_handle_resources(): rsc_table_for_each_entry() (include/linux/rsc_table.h) and the
// handlers of remoteproc_core.c, in table order, stopping at the first handler that fails (then
// rproc_fw_boot() logs `Failed to process resources: %d` and gives up). rproc_handle_vdev()
// registers an rproc-virtio platform device whose probe (remoteproc_virtio.c) parses and
// allocates the vrings at once; a failing probe is logged and the boot goes on without that vdev.

import { Finding } from '../../findings';
import { Carveout, KernelModel } from '../kernelModel';
import { CarveoutEntry, FW_RSC_ADDR_ANY, RSC_DEVMEM, RSC_HDR_SIZE, RVDEV_NUM_VRINGS, RscEntry, RscFault, VdevEntry, entryKindOf } from '../types';
import { pageAlign, vringSize } from '../vringSize';
import { Place, Rule, int, report } from './report';

const failed = (errno: string): string => `The kernel stops handling resources and logs \`Failed to process resources: -${errno === 'ENOMEM' ? 12 : 22}\`; the boot fails.`;
const handlerRule = (name: string, kernelFunction: string, errno: string, why: string, fix: string): Rule => ({
  rule: `kernel/${name}`,
  kernelFunction,
  errno,
  explanation: `${why} ${failed(errno)}`,
  fix,
});
const probeRule = (name: string, kernelFunction: string, why: string, fix: string): Rule => ({
  rule: `kernel/${name}`,
  kernelFunction,
  explanation: `${why} The rproc-virtio device fails to probe (the driver core logs \`probe with driver rproc-virtio failed with error %d\`) and the kernel boots the core without that vdev: no virtio device, no rpmsg channel.`,
  fix,
});

const zeroReserved = 'Initialise every reserved member of the entry to zero.';
const rscTruncated = handlerRule('rsc_table_truncated', 'rsc_table_for_each_entry', 'EINVAL', 'An entry offset points into the table header, past the table, or leaves no room for the entry\'s type word.', 'Compute the offsets with offsetof() on the table struct so they match the entries.');
const truncatedRules: Record<string, Rule> = {
  carveout: handlerRule('carveout_rsc_truncated', 'rproc_handle_carveout', 'EINVAL', 'The carveout entry (52 bytes after its type) does not fit before the end of the table.', 'Keep the whole struct fw_rsc_carveout inside the .resource_table section.'),
  devmem: handlerRule('devmem_rsc_truncated', 'rproc_handle_devmem', 'EINVAL', 'The devmem entry (52 bytes after its type) does not fit before the end of the table.', 'Keep the whole struct fw_rsc_devmem inside the .resource_table section.'),
  trace: handlerRule('trace_rsc_truncated', 'rproc_handle_trace', 'EINVAL', 'The trace entry (44 bytes after its type) does not fit before the end of the table.', 'Keep the whole struct fw_rsc_trace inside the .resource_table section.'),
  vdev: handlerRule('vdev_rsc_truncated', 'rproc_handle_vdev', 'EINVAL', 'The vdev entry, its num_of_vrings vring descriptors and config_len bytes of config space do not fit before the end of the table.', 'Make num_of_vrings and config_len match what the table struct really holds.'),
};
const reservedRules: Record<string, Rule> = {
  carveout: handlerRule('carveout_rsc_reserved', 'rproc_handle_carveout', 'EINVAL', 'The reserved member of a carveout entry must be zero.', zeroReserved),
  devmem: handlerRule('devmem_rsc_reserved', 'rproc_handle_devmem', 'EINVAL', 'The reserved member of a devmem entry must be zero.', zeroReserved),
  trace: handlerRule('trace_rsc_reserved', 'rproc_handle_trace', 'EINVAL', 'The reserved member of a trace entry must be zero.', zeroReserved),
  vdev: handlerRule('vdev_rsc_reserved', 'rproc_handle_vdev', 'EINVAL', 'reserved[0] and reserved[1] of a vdev entry must be zero.', zeroReserved),
};
const devmemNoIommu = handlerRule(
  'devmem_without_iommu',
  'rproc_handle_devmem',
  'EINVAL',
  'A devmem entry asks for an IOMMU mapping, and this remote processor has no IOMMU domain: the handler returns -EINVAL without a message of its own.',
  'Remove the devmem entry; describe memory with carveouts or the device tree instead.',
);
const tooManyVrings = handlerRule('too_many_vrings', 'rproc_handle_vdev', 'EINVAL', 'The kernel supports at most two vrings per vdev (RVDEV_NUM_VRINGS).', 'Use two vrings (rx and tx) per vdev; declare another vdev for more queues.');
const carveoutTaken = handlerRule(
  'carveout_already_associated',
  'rproc_handle_carveout',
  'ENOMEM',
  'A carveout of this name already belongs to an earlier entry of the table: carveouts are matched by name.',
  'Give every carveout entry its own name.',
);
const carveoutLen = handlerRule('registered_carveout_len', 'rproc_check_carveout_da', 'ENOMEM', 'The entry asks for more than the carveout of the same name that the driver registered from the device tree.', 'Make the entry fit the reserved-memory region of that name (or change the region in the device tree).');
const carveoutDa = handlerRule('registered_carveout_da', 'rproc_check_carveout_da', 'ENOMEM', 'The entry\'s device address lies below the carveout of the same name that the driver registered from the device tree.', 'Use the device address of the reserved-memory region of that name, or FW_RSC_ADDR_ANY.');
const vendorRsc: Rule = { rule: 'kernel/unsupported_vendor_resource', kernelFunction: 'rproc_handle_rsc_entry', explanation: 'No handler of this driver knows the vendor resource; the kernel skips it.', fix: 'Remove the entry unless a vendor kernel handles it.' };
const unknownRsc: Rule = { rule: 'kernel/unsupported_resource', kernelFunction: 'rproc_handle_rsc_entry', explanation: 'Types 4–127 and above 512 are not defined; the kernel skips the entry.', fix: 'Use RSC_CARVEOUT, RSC_DEVMEM, RSC_TRACE, RSC_VDEV or a vendor type (128–512).' };
const invalidVring = probeRule('invalid_vring', 'rproc_parse_vring', 'A vring with num 0 or align 0 cannot be laid out.', 'Set num (a power of two, e.g. 256) and align (4096) for every vring.');
const vringCarveoutLen = probeRule('vring_carveout_len', 'rproc_check_carveout_da', 'The vring (PAGE_ALIGN(vring_size(num, align)) bytes) does not fit the vdevNvringM carveout the driver registered from the device tree.', 'Lower num or enlarge the vdevNvringM reserved-memory region.');
const vringCarveoutDa = probeRule('vring_carveout_da', 'rproc_check_carveout_da', 'The vring\'s device address lies below the vdevNvringM carveout the driver registered from the device tree.', 'Use the reserved-memory region\'s device address or FW_RSC_ADDR_ANY for the vring.');

export interface ResourceOutcome {
  readonly findings: Finding[];
  readonly fatal: boolean;
  /** rproc->carveouts after the table: registered, then claimed by entries and vrings. */
  readonly carveouts: Carveout[];
  /** rvdev->index of every vdev whose rproc-virtio probe succeeded (its subdevice starts with the core). */
  readonly probedVdevs: number[];
}

/** The name a carveout keeps: vsnprintf() into char[32]. */
const carveoutName = (name: string): string => name.slice(0, 31);

export function kernelHandleResources(entries: readonly RscEntry[], structural: RscFault | undefined, tableFileOffset: number, k: KernelModel): ResourceOutcome {
  const findings: Finding[] = [];
  const carveouts = k.registeredCarveouts();
  const probedVdevs: number[] = [];
  const at = (o: number, length: number, entry?: number): Place => ({ entry, offset: tableFileOffset + o, length });
  const stop = (r: Rule, message: string, place: Place): ResourceOutcome => {
    findings.push(report(r, 'error', message, place));
    return { findings, fatal: true, carveouts, probedVdevs };
  };
  const find = (name: string) => carveouts.find((c) => c.name === name);

  // rproc_check_carveout_da(): u32 arithmetic as the kernel does it; undefined when it fits.
  const checkCarveoutDa = (mem: Carveout, da: number, len: number): 'len' | 'da' | 'silent' | undefined => {
    if (len > mem.len) return 'len';
    if (da !== FW_RSC_ADDR_ANY && mem.da === FW_RSC_ADDR_ANY) return 'silent';
    if (da !== FW_RSC_ADDR_ANY) {
      const delta = (da - mem.da) | 0;
      if (delta < 0) return 'da';
      if ((delta + len) >>> 0 > mem.len) return 'len';
    }
    return undefined;
  };
  const daMessage = { len: "Registered carveout doesn't fit len request", da: "Registered carveout doesn't fit da request" };

  const carveout = (e: CarveoutEntry): ResourceOutcome | undefined => {
    const mem = find(e.name);
    if (!mem) {
      carveouts.push({ name: carveoutName(e.name), da: e.da, len: e.len, rscOffset: e.offset + RSC_HDR_SIZE, mapped: true });
      return undefined;
    }
    if (mem.rscOffset !== undefined) return stop(carveoutTaken, 'Carveout already associated to resource table', at(e.offset, e.size, e.index));
    const bad = checkCarveoutDa(mem, e.da, e.len);
    // A registered carveout without a device address refuses any fixed one, silently.
    if (bad === 'silent') return stop(carveoutDa, 'Failed to process resources: -12', at(e.offset, e.size, e.index));
    if (bad) return stop(bad === 'len' ? carveoutLen : carveoutDa, daMessage[bad], at(e.offset + 4, 12, e.index));
    mem.rscOffset = e.offset + RSC_HDR_SIZE;
    return undefined;
  };

  // rproc_virtio_probe(): parse every vring, then allocate every vring; the first failure ends the probe.
  let nbVdev = 0;
  const probeVdev = (e: VdevEntry): void => {
    const index = nbVdev++;
    const vringAt = (i: number) => at(e.offset + RSC_HDR_SIZE + 24 + 20 * i, 20, e.index);
    for (let i = 0; i < e.vrings.length; i++) {
      const v = e.vrings[i];
      if (!v.num || !v.align) {
        findings.push(report(invalidVring, 'warning', `invalid qsz (${int(v.num)}) or alignment (${int(v.align)})`, vringAt(i)));
        return;
      }
    }
    for (let i = 0; i < e.vrings.length; i++) {
      const v = e.vrings[i];
      const size = pageAlign(vringSize(v.num, v.align, k.hostBits));
      const name = `vdev${index}vring${i}`;
      const mem = find(name);
      if (!mem) {
        carveouts.push({ name, da: v.da, len: size, rscOffset: undefined, mapped: true });
        continue;
      }
      const bad = checkCarveoutDa(mem, v.da, size >>> 0);
      if (bad === 'silent') return;
      if (bad) {
        findings.push(report(bad === 'len' ? vringCarveoutLen : vringCarveoutDa, 'warning', daMessage[bad], vringAt(i)));
        return;
      }
    }
    probedVdevs.push(index);
  };

  for (const e of entries) {
    const body = e.offset + RSC_HDR_SIZE;
    switch (e.kind) {
      case 'vendor':
        findings.push(report(vendorRsc, 'warning', `unsupported vendor resource ${int(e.type)}`, at(e.offset, e.size, e.index)));
        break;
      case 'unknown':
        findings.push(report(unknownRsc, 'warning', `unsupported resource ${int(e.type)}`, at(e.offset, 4, e.index)));
        break;
      case 'devmem':
        if (!k.iommu) return stop(devmemNoIommu, 'Failed to process resources: -22', at(e.offset, e.size, e.index));
        if (e.reserved) return stop(reservedRules.devmem, 'devmem rsc has non zero reserved bytes', at(body + 16, 4, e.index));
        break;
      case 'carveout': {
        if (e.reserved) return stop(reservedRules.carveout, 'carveout rsc has non zero reserved bytes', at(body + 16, 4, e.index));
        const out = carveout(e);
        if (out) return out;
        break;
      }
      case 'trace':
        if (e.reserved) return stop(reservedRules.trace, 'trace rsc has non zero reserved bytes', at(body + 8, 4, e.index));
        break;
      case 'vdev':
        if (e.reserved[0] || e.reserved[1]) return stop(reservedRules.vdev, 'vdev rsc has non zero reserved bytes', at(body + 22, 2, e.index));
        if (e.num_of_vrings > RVDEV_NUM_VRINGS) return stop(tooManyVrings, `too many vrings: ${e.num_of_vrings}`, at(body + 21, 1, e.index));
        probeVdev(e);
        break;
    }
  }

  if (structural) {
    const entry = structural.entry;
    // The devmem handler gives up on a missing IOMMU domain before it looks at the entry's size.
    if (entry?.type === RSC_DEVMEM && !k.iommu) return stop(devmemNoIommu, 'Failed to process resources: -22', at(structural.offset, 4, entry.index));
    const r = entry?.type === undefined ? rscTruncated : truncatedRules[entryKindOf(entry.type)];
    return stop(r, structural.reason, at(structural.offset, 4, entry?.index));
  }
  return { findings, fatal: false, carveouts, probedVdevs };
}
