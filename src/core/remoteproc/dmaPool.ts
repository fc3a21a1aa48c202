// A device's coherent DMA pool over a reserved-memory region, allocated the way the kernel's
// dma_alloc_from_dev_coherent does: in pages, each allocation rounded up to a power-of-two number
// of pages and aligned to its own size (bitmap_find_free_region).

export const HOST_PAGE_SIZE = 4096;

export class DmaPool {
  private readonly used: boolean[];

  constructor(
    /** reserved-memory node name as the kernel prints it (`vdev0buffer@10042000`). */
    readonly name: string,
    readonly pa: number,
    readonly size: number,
  ) {
    this.used = new Array<boolean>(Math.floor(size / HOST_PAGE_SIZE)).fill(false);
  }

  /** Physical address of a new block, or undefined when the pool has no room. */
  alloc(size: number): number | undefined {
    if (!(size > 0)) return undefined;
    let pages = 1;
    while (pages * HOST_PAGE_SIZE < size) pages *= 2;
    for (let start = 0; start + pages <= this.used.length; start += pages) {
      let free = true;
      for (let i = start; i < start + pages && free; i++) if (this.used[i]) free = false;
      if (!free) continue;
      for (let i = start; i < start + pages; i++) this.used[i] = true;
      return this.pa + start * HOST_PAGE_SIZE;
    }
    return undefined;
  }

  free(pa: number, size: number): void {
    let pages = 1;
    while (pages * HOST_PAGE_SIZE < size) pages *= 2;
    const start = Math.floor((pa - this.pa) / HOST_PAGE_SIZE);
    for (let i = start; i < start + pages && i < this.used.length; i++) this.used[i] = false;
  }
}
