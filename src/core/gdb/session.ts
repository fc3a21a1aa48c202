// One gdb connection speaking the remote serial protocol to a GdbTarget, over any transport: the
// face hands it the bytes gdb sent (receive) and sends what it gives (send). While the target runs,
// the face calls runSlice between reads of its transport, so Ctrl-C (0x03) reaches the target.
// No packet and no address makes it throw: malformed packets get E01 or the empty reply (not
// supported), a bad checksum '-'.
import { bytesLatin1, fromHex, hexToText, latin1Bytes, parseHexNumber, textToHex, toHex } from './hexText';
import { escapeBinary, framePacket, PacketReader, unescapeBinary, type Incoming } from './packetFraming';
import { memoryMapXml, targetXml } from './targetDescription';
import type { BreakpointKind, GdbTarget, Resume, ThreadResumes, TargetStop, WatchAccess } from './target';

/** The largest packet body we take, as qSupported tells gdb (hex: 16384). */
export const PACKET_SIZE = 0x4000;
/** Signals in stop replies, as gdb numbers them. */
const SIGINT = 2;
const SIGTRAP = 5;
const SIGSEGV = 11;
const ERROR = 'E01';
/** What handle returns for a packet whose answer is already sent, or comes later (a stop reply). */
const NO_REPLY = null;

const BREAKPOINT_KINDS: Record<string, BreakpointKind> = { '0': 'software', '1': 'hardware' };
const WATCH_KINDS: Record<string, WatchAccess> = { '2': 'write', '3': 'read', '4': 'access' };
const WATCH_REPLY: Record<WatchAccess, string> = { write: 'watch', read: 'rwatch', access: 'awatch' };
const CONTINUE: Resume = { kind: 'continue' };
/** A thread id of vCont that names every thread. */
const EVERY_THREAD = -1;

export interface GdbSessionOptions {
  readonly target: GdbTarget;
  /** Bytes for gdb. */
  readonly send: (bytes: Uint8Array) => void;
  /** gdb detached (the target is left to run on) or killed the target: the face closes the connection after the last send. */
  readonly ended: (how: 'detach' | 'kill') => void;
}

export class GdbSession {
  private readonly reader = new PacketReader(PACKET_SIZE);
  private readonly target: GdbTarget;
  private noAck = false;
  /** The last packet sent, for a '-' from gdb. */
  private lastPacket: Uint8Array | undefined;
  private resumed = false;
  private idleNoted = false;
  /** Halted at reset, before gdb came: reported as a trap, as gdbserver reports a program it started. */
  private lastStop: TargetStop = { kind: 'step' };
  /** The thread the last stop was in. */
  private lastThread = 1;
  /** gdb's current thread (Hg; the stopped one after a stop): whose registers and memory it reads. */
  private thread = 1;
  private over = false;

  constructor(private readonly options: GdbSessionOptions) {
    this.target = options.target;
  }

  /** The target runs and has work for runSlice. */
  get wantsSlices(): boolean {
    return this.waiting && this.target.idle === undefined;
  }

  /** gdb waits for the resumed target to stop (it may have nothing to run now: idle). */
  get waiting(): boolean {
    return this.resumed && !this.over;
  }

  receive(data: Uint8Array): void {
    for (const m of this.reader.push(data)) {
      if (this.over) return;
      this.take(m);
    }
  }

  /** Runs a slice of the target, or, when it has nothing to run, tells gdb why (once per resume). */
  runSlice(): void {
    if (!this.waiting) return;
    if (this.target.idle === undefined) {
      try {
        this.target.runSlice();
      } catch (e) {
        // a bug of ours, not the program's: say so and stop, rather than fail the same way for ever
        this.console(`ampw: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
        this.guard(() => this.target.interrupt());
      }
    }
    const idle = this.resumed ? this.target.idle : undefined;
    if (idle !== undefined && !this.idleNoted) {
      this.idleNoted = true;
      this.console(idle + '\n');
    }
  }

  /**
   * The target's console output: sent as an 'O' packet while gdb waits for the target to stop (the
   * only time gdb takes them); false otherwise, for the face to print it itself.
   */
  consoleOutput(bytes: Uint8Array): boolean {
    if (!this.resumed || this.over) return false;
    this.sendPacket('O' + toHex(bytes));
    return true;
  }

  private console(text: string): void {
    this.sendPacket('O' + textToHex(text));
  }

  private take(m: Incoming): void {
    switch (m.kind) {
      case 'ack':
        return;
      case 'nak':
        if (this.lastPacket && !this.noAck) this.options.send(this.lastPacket);
        return;
      case 'interrupt':
        if (this.resumed) this.guard(() => this.target.interrupt());
        return;
      case 'bad':
        this.options.send(latin1Bytes('-'));
        return;
      case 'packet': {
        if (!this.noAck) this.options.send(latin1Bytes('+'));
        const reply = this.guard(() => this.handle(m.body));
        if (reply !== NO_REPLY) this.sendPacket(reply ?? ERROR);
        return;
      }
    }
  }

  /** Runs `f`; a JavaScript exception from a target or a parser is a bug, but never reaches the transport. */
  private guard<T>(f: () => T): T | undefined {
    try {
      return f();
    } catch {
      return undefined;
    }
  }

  private sendPacket(body: string): void {
    this.lastPacket = framePacket(body);
    this.options.send(this.lastPacket);
  }

  /** The reply to one packet, or NO_REPLY. */
  private handle(body: string): string | typeof NO_REPLY {
    const t = this.target;
    switch (body[0]) {
      case '?':
        this.current(this.lastThread);
        return this.stopReply(this.lastStop, this.lastThread);
      case 'g':
        return t.registers.map((_, n) => toHex(t.readRegister(n) ?? new Uint8Array(0))).join('');
      case 'G':
        return this.writeAllRegisters(body.slice(1));
      case 'p': {
        const n = parseHexNumber(body.slice(1));
        const value = n === undefined ? undefined : t.readRegister(n);
        return value ? toHex(value) : ERROR;
      }
      case 'P': {
        const m = /^P([0-9a-fA-F]{1,8})=([0-9a-fA-F]*)$/.exec(body);
        const value = m && fromHex(m[2]);
        return m && value && t.writeRegister(parseInt(m[1], 16), value) ? 'OK' : ERROR;
      }
      case 'm':
        return this.readMemory(body.slice(1));
      case 'M':
      case 'X':
        return this.writeMemory(body);
      case 'Z':
      case 'z':
        return this.breakOrWatch(body);
      case 'c':
      case 's':
      case 'C':
      case 'S':
        return this.resumeShort(body);
      case 'v':
        return this.verbose(body);
      case 'H':
        return this.setThread(body);
      case 'T': {
        const id = parseHexNumber(body.slice(1));
        return id !== undefined && id >= 1 && id <= t.threads.length ? 'OK' : ERROR;
      }
      case 'D':
        this.sendPacket('OK');
        this.end('detach');
        return NO_REPLY;
      case 'k':
        this.end('kill');
        return NO_REPLY;
      case 'q':
        return this.query(body);
      case 'Q':
        if (body === 'QStartNoAckMode') {
          this.sendPacket('OK');
          this.noAck = true;
          return NO_REPLY;
        }
        return '';
      default:
        return '';
    }
  }

  private end(how: 'detach' | 'kill'): void {
    this.over = true;
    this.options.ended(how);
  }

  private writeAllRegisters(hex: string): string {
    const t = this.target;
    const bytes = fromHex(hex);
    const total = t.registers.reduce((n, r) => n + r.bitsize / 8, 0);
    // gdb may send fewer registers than the description has: the rest are left as they are
    if (!bytes || bytes.length > total) return ERROR;
    let o = 0;
    for (let n = 0; n < t.registers.length; n++) {
      const size = t.registers[n].bitsize / 8;
      if (o + size > bytes.length) break;
      if (!t.writeRegister(n, bytes.subarray(o, o + size))) return ERROR;
      o += size;
    }
    return 'OK';
  }

  private readMemory(args: string): string {
    const m = /^([0-9a-fA-F]{1,8}),([0-9a-fA-F]{1,8})$/.exec(args);
    if (!m) return ERROR;
    const addr = parseInt(m[1], 16);
    // a shorter reply is allowed: gdb asks again for the rest
    const length = Math.min(parseInt(m[2], 16), PACKET_SIZE / 2 - 8, 0x100000000 - addr);
    if (length === 0) return '';
    const bytes = this.target.readMemory(addr, length);
    return bytes.length ? toHex(bytes) : ERROR;
  }

  /** 'M addr,length:hex' and 'X addr,length:binary'. */
  private writeMemory(body: string): string {
    const m = /^[MX]([0-9a-fA-F]{1,8}),([0-9a-fA-F]{1,8}):/.exec(body);
    if (!m) return ERROR;
    const data = body.slice(m[0].length);
    const bytes = body[0] === 'M' ? fromHex(data) : mapDefined(unescapeBinary(data), latin1Bytes);
    const addr = parseInt(m[1], 16);
    const length = parseInt(m[2], 16);
    if (!bytes || bytes.length !== length || addr + length > 0x100000000) return ERROR;
    return length === 0 || this.target.writeMemory(addr, bytes) ? 'OK' : ERROR;
  }

  /** Z/z type,addr,kind[;conditions]: breakpoints 0 and 1, watchpoints 2, 3 and 4. */
  private breakOrWatch(body: string): string {
    const m = /^([Zz])([0-4]),([0-9a-fA-F]{1,8}),([0-9a-fA-F]{1,8})(;.*)?$/.exec(body);
    if (!m) return ERROR;
    const insert = m[1] === 'Z';
    const addr = parseInt(m[3], 16);
    const kind = parseInt(m[4], 16);
    const t = this.target;
    const breakpoint = BREAKPOINT_KINDS[m[2]];
    if (breakpoint) return (insert ? t.insertBreakpoint(addr, breakpoint) : t.removeBreakpoint(addr, breakpoint)) ? 'OK' : ERROR;
    const access = WATCH_KINDS[m[2]];
    if (kind === 0 || addr + kind > 0x100000000) return ERROR;
    return (insert ? t.insertWatchpoint(addr, kind, access) : t.removeWatchpoint(addr, kind, access)) ? 'OK' : ERROR;
  }

  /** c[addr], s[addr], Csig[;addr], Ssig[;addr]: the signal is not delivered (a core has none). */
  private resumeShort(body: string): string | typeof NO_REPLY {
    const m = /^([csCS])(?:[0-9a-fA-F]{2}(?:;|$))?([0-9a-fA-F]{1,8})?$/.exec(body);
    if (!m || (/[CS]/.test(m[1]) && !/^[CS][0-9a-fA-F]{2}/.test(body))) return ERROR;
    if (m[2] !== undefined && !this.setPc(parseInt(m[2], 16))) return ERROR;
    // s steps gdb's current thread alone; c runs them all
    const step = m[1].toLowerCase() === 's';
    return this.resume(this.target.threads.map((_, i) => (!step ? CONTINUE : i + 1 === this.thread ? { kind: 'step' } : undefined)));
  }

  /** Hg N: the thread whose registers and memory gdb reads next (0 any, -1 all: as it is); Hc N: vCont says which thread runs. */
  private setThread(body: string): string {
    const m = /^H([gc])(?:p-?[0-9a-fA-F]+\.)?(-1|[0-9a-fA-F]{1,8})$/.exec(body);
    if (!m) return ERROR;
    const id = parseInt(m[2], 16);
    if (m[1] === 'c' || id <= 0) return 'OK';
    if (!this.target.selectThread(id)) return ERROR;
    this.thread = id;
    return 'OK';
  }

  private current(thread: number): void {
    this.thread = thread;
    this.target.selectThread(thread);
  }

  private setPc(addr: number): boolean {
    const pc = this.target.registers.findIndex((r) => r.name === 'pc');
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, addr >>> 0, true);
    return pc >= 0 && this.target.writeRegister(pc, bytes);
  }

  private resume(how: ThreadResumes): typeof NO_REPLY {
    this.resumed = true;
    this.idleNoted = false;
    this.target.resume(how, (stop, thread) => {
      this.resumed = false;
      this.lastStop = stop;
      this.lastThread = thread;
      // gdb takes the thread a stop reply names as its current thread
      this.current(thread);
      if (!this.over) this.sendStop(stop, thread);
    });
    return NO_REPLY;
  }

  private verbose(body: string): string | typeof NO_REPLY {
    if (body === 'vCont?') return 'vCont;c;C;s;S;r';
    if (body === 'vMustReplyEmpty') return '';
    if (/^vKill(;|$)/.test(body)) {
      this.sendPacket('OK');
      this.end('kill');
      return NO_REPLY;
    }
    if (!body.startsWith('vCont;')) return '';
    const how = this.vContActions(body.slice('vCont;'.length));
    return how ? this.resume(how) : ERROR;
  }

  /**
   * What each thread does by a vCont packet: the leftmost action that names it or every thread;
   * a thread no action names stays halted. Undefined when an action is malformed or none applies.
   */
  private vContActions(actions: string): ThreadResumes | undefined {
    const parsed: { how: Resume; thread: number }[] = [];
    for (const action of actions.split(';')) {
      const m = /^(c|C[0-9a-fA-F]{2}|s|S[0-9a-fA-F]{2}|r([0-9a-fA-F]{1,8}),([0-9a-fA-F]{1,8}))(?::(-?[0-9a-fA-F.p]+))?$/.exec(action);
      const thread = m && m[4] !== undefined ? this.vContThread(m[4]) : EVERY_THREAD;
      if (!m || thread === undefined) return undefined;
      const verb = m[1][0];
      const how: Resume = verb === 'r' ? { kind: 'range', start: parseInt(m[2], 16), end: parseInt(m[3], 16) } : verb === 's' || verb === 'S' ? { kind: 'step' } : CONTINUE;
      parsed.push({ how, thread });
    }
    const how = this.target.threads.map((_, i) => parsed.find((p) => p.thread === EVERY_THREAD || p.thread === i + 1)?.how);
    return how.some((h) => h !== undefined) ? how : undefined;
  }

  /** A thread id as vCont writes it: N (1-based; 0, any: the current one), -1 for all, or pP.N with multiprocess ids. */
  private vContThread(id: string): number | undefined {
    const thread = id.includes('.') ? id.slice(id.indexOf('.') + 1) : id;
    if (thread === '-1') return EVERY_THREAD;
    const n = parseHexNumber(thread);
    return n === 0 ? this.thread : n;
  }

  private query(body: string): string {
    const t = this.target;
    if (body.startsWith('qSupported')) {
      return `PacketSize=${PACKET_SIZE.toString(16)};qXfer:features:read+;qXfer:memory-map:read+;vContSupported+;swbreak+;hwbreak+;QStartNoAckMode+`;
    }
    if (body.startsWith('qXfer:')) return this.transfer(body);
    if (body === 'qC') return `QC${this.thread.toString(16)}`;
    if (body === 'qfThreadInfo') return 'm' + t.threads.map((_, i) => (i + 1).toString(16)).join(',');
    if (body === 'qsThreadInfo') return 'l';
    // we loaded the program: on quitting, gdb kills it rather than detaching
    if (body.startsWith('qAttached')) return '0';
    if (body.startsWith('qThreadExtraInfo,')) {
      const id = parseHexNumber(body.slice('qThreadExtraInfo,'.length));
      const name = id === undefined ? undefined : t.threads[id - 1];
      return name === undefined ? ERROR : textToHex(name);
    }
    if (body.startsWith('qRcmd,')) return this.monitor(body.slice('qRcmd,'.length));
    return '';
  }

  /** qXfer:features:read:target.xml:offset,length and qXfer:memory-map:read::offset,length. */
  private transfer(body: string): string {
    const m = /^qXfer:([a-z-]+):read:([^:]*):([0-9a-fA-F]{1,8}),([0-9a-fA-F]{1,8})$/.exec(body);
    if (!m) return body.startsWith('qXfer:features:') || body.startsWith('qXfer:memory-map:') ? ERROR : '';
    const t = this.target;
    let document: string;
    if (m[1] === 'features' && m[2] === 'target.xml') document = targetXml(t.architecture, t.registers);
    else if (m[1] === 'memory-map' && m[2] === '') document = memoryMapXml(t.memoryMap());
    else if (m[1] === 'features' || m[1] === 'memory-map') return 'E00';
    else return '';
    const offset = parseInt(m[3], 16);
    const length = Math.min(parseInt(m[4], 16), PACKET_SIZE / 2);
    const bytes = bytesLatin1(new TextEncoder().encode(document));
    const part = bytes.slice(offset, offset + length);
    return (offset + length < bytes.length ? 'm' : 'l') + escapeBinary(part);
  }

  /** monitor CMD: the target's commands and help; the output as 'O' packets, then OK. */
  private monitor(hex: string): string {
    const line = hexToText(hex);
    if (line === undefined) return ERROR;
    const name = line.trim().split(/\s+/)[0];
    const commands = this.target.monitorCommands;
    const command = commands.find((c) => c.name === name);
    let text: string;
    // the arguments as typed: a shell line keeps its spacing
    if (command) text = command.run(line.trim().slice(name.length).trim());
    else {
      const width = Math.max(4, ...commands.map((c) => c.name.length));
      const list = [...commands, { name: 'help', help: 'this list' }].map((c) => `  ${c.name.padEnd(width)}  ${c.help}\n`).join('');
      text = (name === 'help' || name === '' ? '' : `unknown monitor command '${name}'; the commands are:\n`) + list;
    }
    if (text) this.console(text);
    return 'OK';
  }

  /** The stop reply for `thread`, gdb's current thread by now (the expedited registers are its). */
  private stopReply(stop: TargetStop, thread: number): string {
    const exited = this.target.exitCode;
    if (exited !== undefined) return `W${(exited & 0xff).toString(16).padStart(2, '0')}`;
    const signal = (n: number) => `T${n.toString(16).padStart(2, '0')}thread:${thread.toString(16)};${this.expedited()}`;
    switch (stop.kind) {
      case 'exit':
        return `W${(stop.code & 0xff).toString(16).padStart(2, '0')}`;
      case 'interrupt':
        return signal(SIGINT);
      case 'fault':
        return signal(SIGSEGV);
      case 'breakpoint':
        return signal(SIGTRAP) + (stop.breakpoint === 'software' ? 'swbreak:;' : 'hwbreak:;');
      case 'watch':
        return signal(SIGTRAP) + `${WATCH_REPLY[stop.access]}:${(stop.addr >>> 0).toString(16)};`;
      case 'step':
      case 'halt':
        return signal(SIGTRAP);
    }
  }

  private sendStop(stop: TargetStop, thread: number): void {
    if (stop.kind === 'fault' || stop.kind === 'halt') this.console(stop.message + '\n');
    this.sendPacket(this.stopReply(stop, thread));
  }

  /** The target's expedited registers in the stop reply: what gdb needs first to show the frame, without asking. */
  private expedited(): string {
    const t = this.target;
    return t.expedited
      .map((n) => {
        const value = t.readRegister(n);
        return value ? `${n.toString(16)}:${toHex(value)};` : '';
      })
      .join('');
  }
}

function mapDefined<A, B>(a: A | undefined, f: (a: A) => B): B | undefined {
  return a === undefined ? undefined : f(a);
}
