// The TCP side of the GDB server for the faces (`ampw gdbserver`, VS Code's "AMP: Start GDB
// Server"): one gdb at a time on 127.0.0.1 (never another interface: the protocol reads and
// writes any memory), as gdbserver without --multi. While gdb has the target running, one slice
// of it runs per turn of the event loop, so gdb's Ctrl-C is read between slices; while the target
// has nothing to run (asleep, or its system held by another core's debugger), it is looked at
// again every IDLE_POLL_MS, as whatever holds it may let go without a word to this server.
import * as net from 'net';
import { GdbSession } from '../core/gdb/session';
import type { GdbTarget } from '../core/gdb/target';

const IDLE_POLL_MS = 20;

/** How serving ended: gdb detached (the target runs on), killed it, the connection closed, or the port could not be listened on. */
export type GdbServerEnd = 'detach' | 'kill' | 'closed' | 'failed';

export interface GdbServerEvents {
  listening(port: number): void;
  failed(message: string): void;
  /** A gdb connected (its session takes the target's console output). */
  connected?(session: GdbSession): void;
}

export interface GdbTcpServer {
  readonly ended: Promise<GdbServerEnd>;
  /** Stops listening and drops gdb's connection. */
  close(): void;
}

export function serveGdb(target: GdbTarget, port: number, events: GdbServerEvents): GdbTcpServer {
  const server = net.createServer();
  let socket: net.Socket | undefined;
  const ended = new Promise<GdbServerEnd>((resolve) => {
    server.on('error', (e) => {
      events.failed(`cannot listen on 127.0.0.1:${port}: ${e.message}`);
      resolve('failed');
    });
    server.listen(port, '127.0.0.1', () => events.listening((server.address() as net.AddressInfo).port));
    server.once('connection', (s) => {
      socket = s;
      server.close();
      s.setNoDelay(true);
      let ending: 'detach' | 'kill' | undefined;
      const session = new GdbSession({
        target,
        send: (bytes) => s.write(bytes),
        ended: (how) => {
          ending = how;
          s.end();
        },
      });
      events.connected?.(session);
      let scheduled = false;
      let closed = false;
      const pump = () => {
        if (scheduled || closed || !session.waiting) return;
        scheduled = true;
        const turn = () => {
          scheduled = false;
          if (closed) return;
          session.runSlice();
          pump();
        };
        if (session.wantsSlices) setImmediate(turn);
        else setTimeout(turn, IDLE_POLL_MS);
      };
      s.on('data', (d: Buffer) => {
        session.receive(new Uint8Array(d.buffer, d.byteOffset, d.length));
        pump();
      });
      s.on('error', () => undefined); // 'close' follows
      s.on('close', () => {
        closed = true;
        resolve(ending ?? 'closed');
      });
    });
  });
  return {
    ended,
    close: () => {
      server.close();
      socket?.destroy();
    },
  };
}
