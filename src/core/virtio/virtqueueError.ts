// Bad ring contents seen by one side of a virtqueue. The message is worded as the kernel's BAD_RING
// would print it (after the queue name); `where` says which ring field held the bad value.

export type VirtqueueFault =
  | 'bad-layout'
  | 'avail-index-jump'
  | 'used-index-jump'
  | 'desc-index-out-of-range'
  | 'desc-chain-loop'
  | 'desc-indirect'
  | 'desc-order'
  | 'desc-outside-memory'
  | 'head-in-use'
  | 'head-not-in-use'
  | 'used-len-past-buffer';

export class VirtqueueError extends Error {
  constructor(
    readonly fault: VirtqueueFault,
    /** Address (the side's own view) of the ring field that held the bad value. */
    readonly where: number,
    message: string,
  ) {
    super(message);
    this.name = 'VirtqueueError';
  }
}
