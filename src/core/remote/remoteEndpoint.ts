// An endpoint of the remote's rpmsg stack (OpenAMP's struct rpmsg_endpoint): a local address,
// the peer address (bound to the first sender when created as RPMSG_ADDR_ANY), a callback.
export type RemoteCallback = (data: Uint8Array, len: number, src: number) => void;

export class RemoteEndpoint {
  /** Created without a peer: takes the first sender as its peer, and forgets it on a virtio reset. */
  readonly bindsToSender: boolean;

  constructor(
    readonly name: string,
    readonly addr: number,
    public dest: number,
    public cb: RemoteCallback | undefined,
  ) {
    this.bindsToSender = dest === 0xffffffff;
  }
}
