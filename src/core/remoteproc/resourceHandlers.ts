// rproc_handle_resources() over the table the host holds (the cached copy at boot, the loaded
// table in memory at attach): each entry's handler with the kernel's checks and messages, in order.
import {
  FW_RSC_ADDR_ANY,
  FW_RSC_CARVEOUT_SIZE,
  FW_RSC_TRACE_SIZE,
  FW_RSC_VDEV_SIZE,
  FW_RSC_VDEV_VRING_SIZE,
  RSC_CARVEOUT,
  RSC_DEVMEM,
  RSC_HDR_SIZE,
  RSC_LAST,
  RSC_NAME_LEN,
  RSC_TABLE_HDR_SIZE,
  RSC_TRACE,
  RSC_VDEV,
  RSC_VENDOR_END,
  RSC_VENDOR_START,
  RVDEV_NUM_VRINGS,
} from '../rsc/types';
import { KernelError } from '../kernel/errno';
import type { RprocMem } from './carveouts';
import type { Rproc } from './rproc';
import { RprocVdev } from './rprocVdev';
import type { TableRef } from './tableRef';
import { traceFile } from './rprocFiles';

export function handleResources(r: Rproc): void {
  const t = r.tablePtr;
  if (!t) return;
  const sz = r.tableSz;
  const num = t.read32(4);
  for (let i = 0; i < num; i++) {
    const offset = t.read32(RSC_TABLE_HDR_SIZE + 4 * i);
    if (offset < RSC_TABLE_HDR_SIZE || offset >= sz || sz - offset < RSC_HDR_SIZE) r.fail('EINVAL', 'rsc table is truncated');
    const type = t.read32(offset);
    const avail = sz - offset - RSC_HDR_SIZE;
    const rsc = offset + RSC_HDR_SIZE;
    r.phase('rproc_handle_resources', { index: i, offset, type });
    if (type >= RSC_VENDOR_START && type <= RSC_VENDOR_END) {
      // None of the supported drivers has ops->handle_rsc.
      r.log.warn(`unsupported vendor resource ${type}`);
      continue;
    }
    if (type >= RSC_LAST) {
      r.log.warn(`unsupported resource ${type}`);
      continue;
    }
    if (type === RSC_CARVEOUT) handleCarveout(r, t, rsc, avail);
    else if (type === RSC_DEVMEM) handleDevmem();
    else if (type === RSC_TRACE) handleTrace(r, t, rsc, avail);
    else if (type === RSC_VDEV) handleVdev(r, t, rsc, avail);
  }
}

export function readName(t: TableRef, off: number): string {
  let s = '';
  for (let i = 0; i < RSC_NAME_LEN; i++) {
    const c = t.read8(off + i);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/** rproc_check_carveout_da(): 0 or the refusal. */
export function checkCarveoutDa(r: Rproc, mem: RprocMem, da: number, len: number): boolean {
  if (len > mem.len) {
    r.log.err("Registered carveout doesn't fit len request");
    return false;
  }
  if (da !== FW_RSC_ADDR_ANY && mem.da === FW_RSC_ADDR_ANY) return false;
  if (da !== FW_RSC_ADDR_ANY && mem.da !== FW_RSC_ADDR_ANY) {
    const delta = (da - mem.da) | 0;
    if (delta < 0) {
      r.log.err("Registered carveout doesn't fit da request");
      return false;
    }
    if (delta + len > mem.len) {
      r.log.err("Registered carveout doesn't fit len request");
      return false;
    }
  }
  return true;
}

function handleCarveout(r: Rproc, t: TableRef, rsc: number, avail: number): void {
  if (FW_RSC_CARVEOUT_SIZE > avail) r.fail('EINVAL', 'carveout rsc is truncated');
  if (t.read32(rsc + 16)) r.fail('EINVAL', 'carveout rsc has non zero reserved bytes');
  const da = t.read32(rsc);
  const len = t.read32(rsc + 8);
  const flags = t.read32(rsc + 12);
  const name = readName(t, rsc + 20);
  const known = r.findCarveout(name);
  if (known) {
    if (known.rscOffset !== undefined) r.fail('ENOMEM', 'Carveout already associated to resource table');
    if (!checkCarveoutDa(r, known, da, len)) throw new KernelError('ENOMEM');
    known.rscOffset = rsc;
    known.flags = flags;
    return;
  }
  r.carveouts.push({ name, da, dma: undefined, len, rscOffset: rsc, flags, ofResmIdx: -1, alloc: 'dma', mapped: false });
}

function handleDevmem(): void {
  // No supported driver has an IOMMU domain: the handler refuses before looking at the entry.
  throw new KernelError('EINVAL');
}

function handleTrace(r: Rproc, t: TableRef, rsc: number, avail: number): void {
  if (FW_RSC_TRACE_SIZE > avail) r.fail('EINVAL', 'trace rsc is truncated');
  if (t.read32(rsc + 8)) r.fail('EINVAL', 'trace rsc has non zero reserved bytes');
  const name = `trace${r.traces.length}`;
  const da = t.read32(rsc);
  const len = t.read32(rsc + 4);
  r.traces.push({ name, da, len, remove: traceFile(r, name, da, len) });
}

function handleVdev(r: Rproc, t: TableRef, rsc: number, avail: number): void {
  const nvr = t.read8(rsc + 21);
  const configLen = t.read32(rsc + 16);
  if (FW_RSC_VDEV_SIZE + FW_RSC_VDEV_VRING_SIZE * nvr + configLen > avail) r.fail('EINVAL', 'vdev rsc is truncated');
  if (t.read8(rsc + 22) || t.read8(rsc + 23)) r.fail('EINVAL', 'vdev rsc has non zero reserved bytes');
  if (nvr > RVDEV_NUM_VRINGS) r.fail('EINVAL', `too many vrings: ${nvr}`);
  // platform_device_register_data("rproc-virtio"): a failed probe does not fail the boot.
  RprocVdev.register(r, t.read32(rsc), r.nbVdev++, rsc);
}
