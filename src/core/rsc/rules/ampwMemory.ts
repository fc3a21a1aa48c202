// Our memory checks: where segments, carveouts, the table and the trace buffer land, against
// each other and against the memory the board gives the core. The kernel checks none of this
// beyond "can I translate it", and a wrong answer shows up only as a remote that hangs or crashes.

import { Finding } from '../../findings';
import { daToVa } from './kernelSegments';
import { FW_RSC_ADDR_ANY } from '../types';
import { AmpwContext, entryPlace, insideAny, overlaps, segmentPlace } from './ampwContext';
import { Rule, hex, report } from './report';

/** sh_flags bit: the section occupies memory at run time. */
const SHF_ALLOC = 2;

const segmentOutside: Rule = {
  rule: 'ampw/segment-outside-memory',
  kernelFunction: 'rproc_elf_load_segments',
  explanation: 'The segment\'s load address (p_paddr .. p_paddr + p_memsz) is not inside the memory the board gives this core, nor inside a carveout of the table.',
  fix: 'Place the segment in one of the core\'s memories (MEMORY regions of the linker script must match the board), or fix its LMA.',
};
const segmentOverlap: Rule = {
  rule: 'ampw/segment-overlap',
  kernelFunction: 'rproc_elf_load_segments',
  explanation: 'Two loadable segments cover the same device addresses: the kernel copies them in order, so the later one overwrites the earlier.',
  fix: 'Fix the linker script so output sections do not share addresses (check AT> and overlapping MEMORY regions).',
};
const carveoutOutside: Rule = {
  rule: 'ampw/carveout-outside-memory',
  kernelFunction: 'rproc_handle_carveout',
  explanation: 'The carveout asks for a fixed device address outside the core\'s memory: the kernel allocates it from its DMA pool ("Allocated carveout doesn\'t fit device address request") and the remote finds nothing at that address.',
  fix: 'Use a device address inside the core\'s memory (or a reserved-memory region of the device tree), or FW_RSC_ADDR_ANY.',
};
const carveoutOverlap: Rule = {
  rule: 'ampw/carveout-overlap',
  kernelFunction: 'rproc_handle_carveout',
  explanation: 'Two carveouts claim the same device addresses: both are allocated separately, and the remote sees only one of them there.',
  fix: 'Give the carveouts disjoint address ranges.',
};
const tableNotLoaded: Rule = {
  rule: 'ampw/table-not-loaded',
  kernelFunction: 'rproc_elf_find_loaded_rsc_table',
  explanation: 'The host writes the table it has filled in (vring addresses, negotiated features, vdev status) back to sh_addr of .resource_table; when that address is not loaded memory the kernel silently skips the copy and the remote keeps its original table, waiting forever for the vdev to come up.',
  fix: 'Keep .resource_table in a loaded (ALLOC, PROGBITS) output section inside the core\'s memory, e.g. `.resource_table : { KEEP(*(.resource_table)) } > RAM`.',
};
const traceOutside: Rule = {
  rule: 'ampw/trace-outside-loaded-memory',
  kernelFunction: 'rproc_handle_trace',
  explanation: 'The trace buffer is not inside any loaded segment or carveout: reading /sys/kernel/debug/remoteproc/remoteprocN/trace0 gives "Trace trace0 not available" or someone else\'s memory.',
  fix: 'Point the trace entry at the firmware\'s trace buffer array (its address and sizeof), which the linker places in a loaded RAM section.',
};
const entryOutside: Rule = {
  rule: 'ampw/entry-point-outside-segments',
  kernelFunction: 'rproc_elf_get_boot_addr',
  explanation: 'e_entry is not inside any loaded segment. Drivers that boot at the ELF entry (ZynqMP chooses TCM or OCM vectors from it, K3 gives it to the boot processor) start the core on nothing.',
  fix: 'Set ENTRY() in the linker script to the reset handler of the image.',
};

export function ampwMemory(c: AmpwContext, kernelSegmentFinding: Finding | undefined): Finding[] {
  const out: Finding[] = [];
  const entries = c.table?.entries ?? [];
  const fixedCarveouts = entries.filter((e) => e.kind === 'carveout' && e.da !== FW_RSC_ADDR_ANY);
  const ranges = c.k.memoryRanges;
  const inSegment = (da: number, len: number) => c.loads.some((p) => (da >= p.paddr && da + len <= p.paddr + p.memsz) || (da >= p.vaddr && da + len <= p.vaddr + p.memsz));
  const inCarveout = (da: number, len: number) => fixedCarveouts.some((e) => e.kind === 'carveout' && da >= e.da && da + len <= e.da + e.len);

  c.loads.forEach((p, i) => {
    const place = segmentPlace(c, p);
    if (c.k.core && !insideAny(ranges, p.paddr, p.memsz) && !inCarveout(p.paddr, p.memsz) && kernelSegmentFinding?.offset !== place.offset) {
      out.push(report(segmentOutside, 'error', `segment ${p.index} (da 0x${hex(p.paddr)}, memsz 0x${hex(p.memsz)}) is outside the memory of ${c.k.core.id}`, place));
    }
    for (const q of c.loads.slice(i + 1)) {
      if (overlaps(p.paddr, p.memsz, q.paddr, q.memsz)) {
        out.push(report(segmentOverlap, 'error', `segments ${p.index} and ${q.index} overlap at da 0x${hex(Math.max(p.paddr, q.paddr))}`, segmentPlace(c, q)));
      }
    }
  });

  fixedCarveouts.forEach((e, i) => {
    if (e.kind !== 'carveout') return;
    if (c.k.core && !insideAny(ranges, e.da, e.len)) {
      out.push(report(carveoutOutside, 'error', `carveout "${e.name}" (da 0x${hex(e.da)}, len 0x${hex(e.len)}) is outside the memory of ${c.k.core.id}`, entryPlace(c, e)));
    }
    for (const f of fixedCarveouts.slice(i + 1)) {
      if (f.kind === 'carveout' && overlaps(e.da, e.len, f.da, f.len)) {
        out.push(report(carveoutOverlap, 'error', `carveouts "${e.name}" and "${f.name}" overlap at da 0x${hex(Math.max(e.da, f.da))}`, entryPlace(c, f)));
      }
    }
  });

  const s = c.tableSection;
  if (s && c.table) {
    const loaded = c.k.core ? daToVa(c.k, c.carveouts, s.addr, s.size) : (s.flags & SHF_ALLOC) !== 0 && inSegment(s.addr, s.size);
    if (!loaded) {
      const hasVdev = entries.some((e) => e.kind === 'vdev');
      out.push(report(tableNotLoaded, hasVdev ? 'error' : 'warning', `.resource_table (addr 0x${hex(s.addr)}, size 0x${hex(s.size)}) is not in loaded memory`, { offset: s.headerOffset, length: c.elf.header.class === 64 ? 64 : 40 }));
    }
  }

  // rproc_trace_read() translates with rproc_da_to_va(): with a board, so do we.
  const readable = (da: number, len: number) => inSegment(da, len) || (c.k.core ? daToVa(c.k, c.carveouts, da, len) : inCarveout(da, len));
  for (const e of entries) {
    if (e.kind === 'trace' && !readable(e.da, e.len)) {
      out.push(report(traceOutside, 'warning', `trace buffer "${e.name}" (da 0x${hex(e.da)}, len 0x${hex(e.len)}) is outside every loaded segment and carveout`, entryPlace(c, e)));
    }
  }

  const entry = c.elf.header.entry;
  const pc = entry - (entry % 2); // Thumb entry points have bit 0 set.
  if (c.loads.length && !c.loads.some((p) => (pc >= p.vaddr && pc < p.vaddr + p.memsz) || (pc >= p.paddr && pc < p.paddr + p.memsz))) {
    out.push(report(entryOutside, 'warning', `entry point 0x${hex(entry)} is outside every loaded segment`, { offset: 24, length: c.elf.header.class === 64 ? 8 : 4 }));
  }
  return out;
}
