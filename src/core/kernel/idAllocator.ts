// The kernel's IDA: the lowest free id, so names (virtio0, rproc-virtio.0.auto) come back after
// a device goes away, exactly as on the board.

export class IdAllocator {
  private readonly used = new Set<number>();

  alloc(): number {
    let i = 0;
    while (this.used.has(i)) i++;
    this.used.add(i);
    return i;
  }

  free(id: number): void {
    this.used.delete(id);
  }
}
