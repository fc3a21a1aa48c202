// What the kernel's behaviour depends on besides the firmware: which remoteproc driver runs the
// core (stm32_rproc.c, ti_k3_r5_remoteproc.c, xlnx_r5_remoteproc.c), the carveouts that driver
// registers from the device tree before the table is read, what its da_to_va reaches, whether
// the host is 32-bit and whether the rproc has an IOMMU domain. Without a board: the core's
// default ELF ops (rproc_alloc_ops), no registered carveouts, no IOMMU, a 64-bit host.

import { Board, CoreDesc, MemoryRegion, ReservedMemory, RprocDriver } from '../soc/board';

/** A struct rproc_mem_entry on rproc->carveouts, as far as the checks need it. */
export interface Carveout {
  readonly name: string;
  readonly da: number;
  readonly len: number;
  /** Offset of the table entry that claimed it; undefined is FW_RSC_ADDR_ANY (not claimed). */
  rscOffset: number | undefined;
  /** Has a kernel mapping once allocated (of_resm entries such as `vdev0buffer` have none). */
  readonly mapped: boolean;
}

export interface KernelModel {
  readonly driver: RprocDriver | undefined;
  readonly board: Board | undefined;
  readonly core: CoreDesc | undefined;
  readonly hostBits: 32 | 64;
  /** rproc->domain: none of the supported drivers has one; devmem entries need it. */
  readonly iommu: boolean;
  /** Carveouts the driver's prepare() registers, in order (a fresh list per call, for the handlers to claim). */
  registeredCarveouts(): Carveout[];
  /** The same carveouts as the driver registered them, not to be changed. */
  readonly registered: readonly Carveout[];
  /** The driver's own ops->da_to_va, or undefined when it has none (then only carveouts translate). */
  readonly opsDaToVa: ((da: number, len: number) => boolean) | undefined;
  /** The core's `memory-region` nodes, in order, under the node name the drivers look them up by. */
  readonly regions: readonly ReservedMemory[];
  /** The core's memories (device addresses), merged where they touch. */
  readonly memoryRanges: readonly { readonly da: number; readonly end: number }[];
}

const within = (da: number, len: number, base: number, size: number): boolean => da >= base && da + len <= base + size;

/** Device address of a physical address as the core sees it (dma-ranges), or the pa itself. */
function paToDa(memories: readonly MemoryRegion[], pa: number): number {
  for (const m of memories) if (pa >= m.pa && pa < m.pa + m.size) return m.da + (pa - m.pa);
  return pa;
}

function hostBitsOf(board: Board | undefined): 32 | 64 {
  // Cortex-A5/7/8/9/15/17 hosts (STM32MP1) run a 32-bit kernel: size_t is 32 bits there.
  return board && /cortex-a(5|7|8|9|15|17)\b/i.test(board.host.cpu) ? 32 : 64;
}

/** What depends only on the board and core, worked out once per core (boards are immutable data). */
interface CoreFacts {
  readonly regions: readonly ReservedMemory[];
  readonly registered: readonly Carveout[];
  readonly memoryRanges: readonly { readonly da: number; readonly end: number }[];
}
const factsByBoard = new WeakMap<Board, WeakMap<CoreDesc, CoreFacts>>();
const factsAlone = new WeakMap<CoreDesc, CoreFacts>();

function coreFacts(board: Board | undefined, core: CoreDesc): CoreFacts {
  let cache = factsAlone;
  if (board) {
    let perCore = factsByBoard.get(board);
    if (!perCore) factsByBoard.set(board, (perCore = new WeakMap()));
    cache = perCore;
  }
  let facts = cache.get(core);
  if (!facts) cache.set(core, (facts = computeFacts(board, core)));
  return facts;
}

function computeFacts(board: Board | undefined, core: CoreDesc): CoreFacts {
  const driver = core.driver;
  const regions: ReservedMemory[] = [];
  for (const label of core.memoryRegions) {
    const r = board?.reservedMemory.find((m) => m.name === label);
    if (r) regions.push({ ...r, name: r.nodeName ?? r.name });
  }
  const registered: Carveout[] = [];
  if (driver !== 'k3_r5_rproc') {
    // xlnx_r5_remoteproc.c add_tcm_banks(): every TCM bank is a carveout named after the bank.
    if (driver === 'zynqmp_r5_remoteproc') {
      for (const m of core.memories) if (m.kind === 'tcm') registered.push({ name: m.name, da: m.da, len: m.size, rscOffset: undefined, mapped: true });
    }
    // stm32_rproc_prepare() / add_mem_regions_carveout(): one carveout per memory-region;
    // `vdev0buffer` is only a DMA pool (rproc_of_resm_mem_entry_init: da = pa, no mapping).
    for (const r of regions) {
      const pool = r.name === 'vdev0buffer';
      const da = pool || driver === 'zynqmp_r5_remoteproc' ? r.pa : paToDa(core.memories, r.pa);
      registered.push({ name: r.name, da, len: r.size, rscOffset: undefined, mapped: !pool });
    }
  }
  // The core's memories merged where they touch, so a range spanning two adjacent banks counts as inside.
  const memoryRanges: { da: number; end: number }[] = [];
  for (const m of [...core.memories].sort((a, b) => a.da - b.da)) {
    const last = memoryRanges[memoryRanges.length - 1];
    if (last && m.da <= last.end) last.end = Math.max(last.end, m.da + m.size);
    else memoryRanges.push({ da: m.da, end: m.da + m.size });
  }
  return { regions, registered, memoryRanges };
}

const noFacts: CoreFacts = { regions: [], registered: [], memoryRanges: [] };

export function kernelModel(board?: Board, core?: CoreDesc, iommu = false): KernelModel {
  const driver = core?.driver;
  const memories = core?.memories ?? [];
  const facts = core ? coreFacts(board, core) : noFacts;
  // k3_r5_rproc_da_to_va(): TCMs by device or bus address, SRAM and the DDR regions.
  const opsDaToVa =
    driver === 'k3_r5_rproc'
      ? (da: number, len: number): boolean => memories.some((m) => within(da, len, m.da, m.size) || within(da, len, m.pa, m.size))
      : undefined;
  return {
    driver,
    board,
    core,
    hostBits: hostBitsOf(board),
    iommu,
    registeredCarveouts: () => facts.registered.map((c) => ({ ...c })),
    registered: facts.registered,
    opsDaToVa,
    regions: facts.regions,
    memoryRanges: facts.memoryRanges,
  };
}
