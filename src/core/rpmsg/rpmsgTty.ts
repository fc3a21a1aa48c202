// rpmsg_tty: a `rpmsg-tty` channel becomes /dev/ttyRPMSGn (n from a driver-wide id, at most 32).
// What arrives is kept until read; a write goes out in mtu-sized messages with rpmsg_trysend,
// so a full ring fails the write with ENOMEM as on the board. The line discipline is raw here:
// bytes pass unchanged (no ONLCR, no echo), as after `stty raw -echo` on the board.
import { KernelError } from '../kernel/errno';
import type { RpmsgDevice } from './rpmsgDevice';
import type { RpmsgDriver } from './rpmsgDriver';
import { sendError, type RpmsgHost } from './rpmsgHost';

const MAX_TTY_RPMSG = 32;
/** tty flip buffers stop accepting past this (TTYB_DEFAULT_MEM_LIMIT). */
const TTY_BUFFER_LIMIT = 640 * 1024;

export class RpmsgTtyPort {
  private chunks: Uint8Array[] = [];
  private buffered = 0;

  constructor(
    readonly index: number,
    readonly rpdev: RpmsgDevice,
    private readonly host: RpmsgHost,
  ) {}

  get devName(): string {
    return `ttyRPMSG${this.index}`;
  }

  receive(data: Uint8Array, len: number): void {
    const room = TTY_BUFFER_LIMIT - this.buffered;
    const copied = Math.min(len, room);
    if (copied < len) this.host.log.device(this.rpdev.logName).err(`Trunc buffer: available space is ${copied}`);
    if (copied === 0) return;
    this.chunks.push(data.slice(0, copied));
    this.buffered += copied;
  }

  /** Everything received and not yet read. */
  read(): Uint8Array {
    const out = new Uint8Array(this.buffered);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    this.chunks = [];
    this.buffered = 0;
    return out;
  }

  write(data: Uint8Array): void {
    const ept = this.rpdev.ept;
    if (!ept) throw new KernelError('ENODEV');
    const bus = this.rpdev.bus;
    for (let at = 0; at < data.length; at += bus.mtu) {
      const len = Math.min(bus.mtu, data.length - at);
      const rc = bus.send(this.rpdev, ept.addr, this.rpdev.dst, data, at, len, false);
      if (rc < 0) throw sendError(rc);
    }
  }
}

export function rpmsgTtyDriver(host: RpmsgHost): RpmsgDriver {
  return {
    name: 'rpmsg_tty',
    idTable: ['rpmsg-tty'],
    hasCallback: true,
    probe(rpdev) {
      const index = host.ttyIds.alloc();
      if (index >= MAX_TTY_RPMSG) {
        host.ttyIds.free(index);
        host.log.device(rpdev.logName).err('Failed to alloc tty port');
        throw new KernelError('ENOSPC');
      }
      const port = new RpmsgTtyPort(index, rpdev, host);
      const path = `/dev/${port.devName}`;
      host.files.addFile(path, { mode: 0o620, read: () => port.read(), write: (d) => port.write(d) });
      host.ttys.set(port.devName, port);
      return {
        receive: (data, len) => port.receive(data, len),
        remove: () => {
          host.files.remove(path);
          host.ttys.delete(port.devName);
          host.ttyIds.free(index);
        },
      };
    },
  };
}
