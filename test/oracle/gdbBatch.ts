// gdb-multiarch in batch mode against a GDB server: `ampw gdbserver` or QEMU's (-S -gdb), for the
// end-to-end tests and bench:gdb. Every process is started here and ended by whoever started it.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import { qemuArgs, QEMU } from './qemu';
import { toolAvailable } from './toolAvailable';

export const GDB = 'gdb-multiarch';

/** True when gdb-multiarch runs here (scripts/setup.sh installs it). */
export function gdbAvailable(): boolean {
  return toolAvailable(GDB);
}

export interface Server {
  readonly port: number;
  /** Every port it listens on (ampw gdbserver: a server per core), in the order it said them. */
  readonly ports: readonly number[];
  readonly process: ChildProcess;
  /** Its stdout so far. */
  stdout(): string;
  /** Resolves with its exit status once it ends. */
  readonly exited: Promise<number | null>;
  stop(): void;
}

function started(child: ChildProcess, ports: Promise<readonly number[]>): Promise<Server> {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('latin1')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return ports.then((p) => ({ port: p[0], ports: p, process: child, stdout: () => out, exited, stop: () => void child.kill() }));
}

/** `node CLI gdbserver --port 0 ARGS...`, once it says where it listens (`servers` times: a server per core). */
export function startAmpwServer(cli: string, args: readonly string[], cwd: string, servers = 1): Promise<Server> {
  const child = spawn(process.execPath, [cli, 'gdbserver', '--port', '0', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  const port = new Promise<readonly number[]>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const ports = [...err.matchAll(/listening on 127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
      if (ports.length >= servers) resolve(ports);
    });
    child.on('exit', (code) => reject(new Error(`ampw gdbserver ended (${code}) before listening: ${err}`)));
  });
  return started(child, port);
}

/** A free TCP port on 127.0.0.1 (for QEMU, which cannot say which one it took). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** QEMU's mps2-an386 with `elf` loaded, halted before its first instruction, its gdb stub on a free port. */
export async function startQemuServer(elf: string, cwd: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(QEMU, [...qemuArgs(elf), '-S', '-gdb', `tcp:127.0.0.1:${port}`], { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
  return started(
    child,
    waitForListener(port).then((p) => [p]),
  );
}

/**
 * Resolves once a socket listens on `port`, read from /proc/net/tcp: a probe connection would not
 * do, as QEMU resumes the guest when a gdb connection closes.
 */
async function waitForListener(port: number): Promise<number> {
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  for (let attempt = 0; attempt < 200; attempt++) {
    const table = await fs.promises.readFile('/proc/net/tcp', 'utf8');
    // columns: sl local_address rem_address st ...; st 0A is LISTEN
    if (table.split('\n').some((l) => l.includes(local) && / 0A /.test(l))) return port;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

export interface GdbRun {
  readonly output: string;
  readonly code: number | null;
}

/** A signal for gdb once its output matches `after`: SIGINT is Ctrl-C in a terminal. */
export interface GdbSignal {
  readonly after: RegExp;
  readonly signal: NodeJS.Signals;
}

/** gdb-multiarch -batch -nx: connects to `port`, runs `commands` (one -ex each) on `elf`. */
export function runGdb(port: number, elf: string, commands: readonly string[], cwd: string, signal?: GdbSignal): Promise<GdbRun> {
  const args = ['-batch', '-nx', '-ex', `target remote 127.0.0.1:${port}`, ...commands.flatMap((c) => ['-ex', c]), elf];
  const child = spawn(GDB, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let signalled = false;
  const take = (d: Buffer) => {
    output += d.toString();
    if (signal && !signalled && signal.after.test(output)) {
      signalled = true;
      // let the target run on a moment after what we waited for
      setTimeout(() => child.kill(signal.signal), 200);
    }
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const timer = setTimeout(() => child.kill(), 60000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ output, code });
    }),
  );
}
