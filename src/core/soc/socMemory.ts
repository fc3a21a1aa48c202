// The memory of a whole board: physical banks, the host's view (physical addresses) and each
// remote core's view (device addresses), built from the board's data.
import type { Board, CoreDesc } from './board';
import { AddressSpace, Window } from './addressSpace';
import { PhysicalMemory, PhysicalRange } from './physicalMemory';

export class SocMemory {
  readonly physical: PhysicalMemory;
  readonly host: AddressSpace;
  private readonly remotes = new Map<string, AddressSpace>();

  constructor(readonly board: Board) {
    const ranges: PhysicalRange[] = [];
    for (const c of board.cores) for (const m of c.memories) ranges.push({ name: `${c.id}:${m.name}`, pa: m.pa, size: m.size });
    for (const r of board.reservedMemory) ranges.push({ name: r.name, pa: r.pa, size: r.size });
    for (const m of board.host.memory ?? []) ranges.push({ name: m.name, pa: m.pa, size: m.size });
    this.physical = new PhysicalMemory(ranges);
    this.host = new AddressSpace(
      'host',
      this.physical.banks.map((b) => ({ name: b.names.join('+'), start: b.base, size: b.size, bank: b, bankOffset: 0, writable: true })),
    );
    for (const c of board.cores) this.remotes.set(c.id, this.coreView(c));
  }

  /** A remote core's own view, by device address. */
  remote(coreId: string): AddressSpace {
    const v = this.remotes.get(coreId);
    if (!v) throw new Error(`no core ${coreId} on ${this.board.id}`);
    return v;
  }

  /** Device address of `core` → physical address, through the core's windows. */
  daToPa(core: CoreDesc, da: number, len = 1): number | undefined {
    for (const m of core.memories) if (da >= m.da && da + len <= m.da + m.size) return m.pa + (da - m.da);
    return undefined;
  }

  /** Physical address → the device address `core` sees it at (first window that maps it). */
  paToDa(core: CoreDesc, pa: number, len = 1): number | undefined {
    for (const m of core.memories) if (pa >= m.pa && pa + len <= m.pa + m.size) return m.da + (pa - m.pa);
    return undefined;
  }

  private coreView(core: CoreDesc): AddressSpace {
    const windows: Window[] = [];
    for (const m of core.memories) {
      const bank = this.physical.bankAt(m.pa, m.size);
      if (!bank) throw new Error(`${core.id}:${m.name} has no backing memory`); // cannot happen: its range made a bank
      windows.push({ name: m.name, start: m.da, size: m.size, bank, bankOffset: m.pa - bank.base, writable: m.access.includes('w') });
    }
    return new AddressSpace(core.id, windows);
  }
}
