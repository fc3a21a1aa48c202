// The default remote program: a minimal runtime that finds its trace buffers in its own resource
// table (by device address, as firmware does) and writes what it does there, one line at a time.
// Richer programs (the OpenAMP-like runtime and its apps) are chosen by the system's selector.
import type { MemoryAccess } from './memoryAccess';
import type { RemoteContext, RemoteProgram } from './remoteProgram';

const RSC_TRACE = 2;
const enc = new TextEncoder();

interface TraceBuf {
  readonly da: number;
  readonly len: number;
  pos: number;
}

function findTraces(mem: MemoryAccess, tableDa: number): TraceBuf[] {
  const num = mem.read32(tableDa + 4);
  const out: TraceBuf[] = [];
  for (let i = 0; i < num && i < 64; i++) {
    const off = mem.read32(tableDa + 16 + 4 * i);
    if (mem.read32(tableDa + off) !== RSC_TRACE) continue;
    out.push({ da: mem.read32(tableDa + off + 4), len: mem.read32(tableDa + off + 8), pos: 0 });
  }
  return out;
}

export class TraceProgram implements RemoteProgram {
  private trace: TraceBuf | undefined;
  private ctx: RemoteContext | undefined;

  start(ctx: RemoteContext): void {
    this.ctx = ctx;
    const tableDa = ctx.resourceTableDa;
    if (tableDa !== undefined) this.trace = findTraces(ctx.mem, tableDa)[0];
    if (this.trace) ctx.mem.fill(this.trace.da, this.trace.len, 0);
    this.line(`${ctx.core.cpu} out of reset at 0x${ctx.elf.header.entry.toString(16).padStart(8, '0')}`);
    if (tableDa === undefined) return;
    this.line(`resource table at 0x${tableDa.toString(16)}: ${ctx.mem.read32(tableDa + 4)} entries`);
    for (const ch of ctx.core.mailbox) if (ch.name === 'shutdown' || ch.name === 'detach') ctx.onKick((c) => c === ch.name && this.line(`${c} request from host`));
  }

  stop(): void {
    this.ctx = undefined;
    this.trace = undefined;
  }

  /** Appends a line with the virtual time, as long as it fits (the buffer stays NUL-terminated). */
  private line(text: string): void {
    const t = this.trace;
    const ctx = this.ctx;
    if (!t || !ctx) return;
    const us = Math.floor(ctx.now() / 1000);
    const bytes = enc.encode(`[${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}] ${text}\n`);
    if (t.pos + bytes.length >= t.len) return;
    ctx.mem.writeBytes(t.da + t.pos, bytes);
    t.pos += bytes.length;
  }
}
