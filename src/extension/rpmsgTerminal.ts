// An RPMsg terminal: a Pseudoterminal on one device node of the simulated host, /dev/ttyRPMSGn
// (rpmsg_tty, a byte stream) or /dev/rpmsgN (rpmsg_char, one message per line), as `picocom` or
// `cat`/`echo` would use it on the board. Line editing happens here (the tty is raw, as rpmsg_tty
// is); Enter writes the line. Ctrl+E turns local echo on/off, Ctrl+X hex mode. When the channel
// goes away (stop, crash) the terminal says so and why, and it binds again when the channel returns.
// When a stand-in runs on the core instead of the firmware's code, the terminal says that first.
// The system is the settings' session's, or a debug session's (simulationFeed.ts): while a debugger
// holds it, a line typed goes into the host's rings at once and the remote reads it when it runs on.
import * as vscode from 'vscode';
import { isKernelError, strerror } from '../core/kernel/errno';
import type { SimulationFeed } from './simulationFeed';
import { terminalNodes } from './rpmsgView';

export interface TerminalTarget {
  readonly rproc: string;
  /** `/dev/ttyRPMSG0` when opened. */
  readonly node: string;
  /** rpmsg channel name (`rpmsg-tty`): what a new node after recovery is matched by. */
  readonly channel: string | undefined;
  /** The rpmsg device whose removal takes the node away. */
  readonly device: string;
}

const enc = new TextEncoder();
const HISTORY_MAX = 100;
const ESC = '\x1b';

export class RpmsgTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writeEmitter.event;
  private readonly closeEmitter = new vscode.EventEmitter<void>();
  readonly onDidClose = this.closeEmitter.event;
  /** Everything shown in the terminal, for tests and for a user who wants to copy it all. */
  transcript = '';
  /** Every byte that came from the remote, decoded. */
  received = '';
  localEcho: boolean;
  hex: boolean;
  /** The node currently bound, undefined while the channel is gone. */
  node: string | undefined;
  private device: string | undefined;
  private line = '';
  private cursor = 0;
  private readonly history: string[] = [];
  private historyAt = 0;
  /** Text of the last remote line not yet ended, redrawn with the edit line. */
  private tail = '';
  private lookForReturn = false;
  private subs: vscode.Disposable[] = [];
  /** One decoder for the whole stream: a UTF-8 character may arrive split over two messages. */
  private readonly dec = new TextDecoder();
  /** Why the system stood still when the terminal last said so: said once per hold. */
  private toldHeld: string | undefined;

  constructor(private readonly feed: SimulationFeed, readonly target: TerminalTarget) {
    const config = vscode.workspace.getConfiguration('amp.terminal');
    this.localEcho = config.get<boolean>('localEcho', true);
    this.hex = config.get<boolean>('hex', false);
    this.node = target.node;
    this.device = target.device;
  }

  open(): void {
    this.notice(`${this.node} (${this.target.channel ?? 'endpoint'} on ${this.target.rproc}) — Ctrl+E local echo ${onOff(this.localEcho)}, Ctrl+X hex ${onOff(this.hex)}`);
    // What answers here is a stand-in, not the firmware: the terminal says so, as every face does.
    const run = this.feed.system?.snapshot().cores.find((c) => c.rproc === this.target.rproc)?.execution;
    if (run && !run.runsFirmware && run.note) this.notice(run.note);
    this.subs = [
      this.feed,
      this.feed.onDidRun(() => this.pump()),
      this.feed.onDidChangeChannel((e) => {
        if (!e.added && this.node && e.device === this.device) this.gone(e.reason);
        else if (e.added && !this.node && e.rproc === this.target.rproc) this.lookForReturn = true;
      }),
      this.feed.onDidReplace((why) => this.node && this.gone(why)),
    ];
    this.pump();
  }

  close(): void {
    for (const s of this.subs) s.dispose();
    this.subs = [];
  }

  handleInput(data: string): void {
    for (const key of keys(data)) this.key(key);
  }

  /** Sends one line as Enter does (for callers other than the keyboard). */
  sendLine(text: string): void {
    this.line = text;
    this.cursor = text.length;
    this.key('\r');
  }

  private key(k: string): void {
    switch (k) {
      case '\r':
      case '\n':
        return this.enter();
      case '\x7f':
      case '\b':
        if (this.cursor > 0) this.edit(this.line.slice(0, this.cursor - 1) + this.line.slice(this.cursor), this.cursor - 1);
        return;
      case '\x1b[3~':
        return this.edit(this.line.slice(0, this.cursor) + this.line.slice(this.cursor + 1), this.cursor);
      case '\x1b[D':
        return this.edit(this.line, Math.max(0, this.cursor - 1));
      case '\x1b[C':
        return this.edit(this.line, Math.min(this.line.length, this.cursor + 1));
      case '\x1b[H':
      case '\x01':
        return this.edit(this.line, 0);
      case '\x1b[F':
        return this.edit(this.line, this.line.length);
      case '\x1b[A':
        return this.recall(-1);
      case '\x1b[B':
        return this.recall(1);
      case '\x03':
        this.historyAt = this.history.length;
        return this.edit('', 0);
      case '\x05':
        this.localEcho = !this.localEcho;
        return this.notice(`local echo ${onOff(this.localEcho)}`);
      case '\x18':
        this.hex = !this.hex;
        return this.notice(`hex mode ${onOff(this.hex)}${this.hex ? ': type bytes as hex pairs (68 69 0a)' : ''}`);
      case '\x0c':
        this.tail = '';
        this.show('\x1b[2J\x1b[H');
        return this.redraw();
      default:
        if (k.length === 1 && k < ' ') return; // other control keys: nothing on a raw tty
        if (k.startsWith('\x1b')) return;
        this.edit(this.line.slice(0, this.cursor) + k + this.line.slice(this.cursor), this.cursor + k.length);
    }
  }

  private recall(step: number): void {
    const at = Math.min(this.history.length, Math.max(0, this.historyAt + step));
    if (at === this.historyAt) return;
    this.historyAt = at;
    const text = this.history[at] ?? '';
    this.edit(text, text.length);
  }

  private edit(line: string, cursor: number): void {
    this.line = line;
    this.cursor = cursor;
    this.redraw();
  }

  private enter(): void {
    const text = this.line;
    if (text && this.history.at(-1) !== text) this.history.push(text);
    if (this.history.length > HISTORY_MAX) this.history.shift();
    this.historyAt = this.history.length;
    this.line = '';
    this.cursor = 0;
    // The typed line stays on screen as typed (local echo), then the remote's answer follows.
    if (this.localEcho) this.show(`\r\x1b[K${this.tail}${text}\r\n`);
    else this.show('\r\x1b[K');
    this.tail = '';
    let bytes: Uint8Array;
    if (this.hex) {
      const parsed = parseHex(text);
      if (typeof parsed === 'string') return this.notice(parsed);
      bytes = parsed;
    } else bytes = enc.encode(`${text}\n`);
    this.send(bytes);
  }

  private send(bytes: Uint8Array): void {
    const system = this.feed.system;
    if (!this.node || !system) return this.notice('not connected: the channel is gone; waiting for it to come back');
    const node = this.node;
    const held = this.feed.held;
    if (held && held !== this.toldHeld) this.notice(`${held}: the remote reads what you send when the system runs on`);
    this.toldHeld = held;
    const err = this.feed.run(() => {
      try {
        system.files.write(node, bytes);
        return undefined;
      } catch (e) {
        if (!isKernelError(e)) throw e;
        return strerror(e.errno);
      }
    });
    if (err) this.notice(`write ${node}: ${err}`);
  }

  /** After a slice of virtual time: what arrived, and a returned channel to bind again. */
  private pump(): void {
    const system = this.feed.system;
    if (!system) return;
    if (!this.feed.held) this.toldHeld = undefined;
    if (!this.node && this.lookForReturn) this.rebind();
    if (!this.node) return;
    // Gone without a device event of its own (an endpoint device destroyed by ioctl).
    if (!system.files.exists(this.node)) return this.gone('the device node was removed');
    const data = system.files.read(this.node);
    const bytes = typeof data === 'string' ? enc.encode(data) : data;
    if (bytes.length) this.output(bytes);
  }

  private rebind(): void {
    const system = this.feed.system;
    if (!system) return;
    const found = terminalNodes(system).find((t) => t.rproc === this.target.rproc && t.channel?.name === this.target.channel);
    if (!found) return;
    this.lookForReturn = false;
    this.node = found.node;
    this.device = found.device;
    this.notice(`${this.target.channel} is back as ${found.node}`);
  }

  private gone(reason: string): void {
    this.notice(`${this.node} went away: ${reason}`);
    this.node = undefined;
    this.device = undefined;
    this.lookForReturn = !!this.target.channel;
  }

  private output(bytes: Uint8Array): void {
    const decoded = this.dec.decode(bytes, { stream: true });
    const text = this.hex ? hexLine(bytes) : decoded;
    this.received += decoded;
    const all = this.tail + text;
    const cut = all.lastIndexOf('\n');
    this.show(`\r\x1b[K${crlf(all.slice(0, cut + 1))}`);
    this.tail = all.slice(cut + 1);
    this.redraw();
  }

  /** Rewrites the current screen line: the remote's unfinished line, then the edit line. */
  private redraw(): void {
    const shown = this.localEcho ? this.line : '';
    const back = this.localEcho ? this.line.length - this.cursor : 0;
    this.show(`\r\x1b[K${this.tail}${shown}${back ? `\x1b[${back}D` : ''}`);
  }

  /** A line of the terminal's own, set apart from the remote's bytes. */
  private notice(text: string): void {
    this.show(`\r\x1b[K${this.tail ? `${this.tail}\r\n` : ''}\x1b[2m[AMP] ${printable(text)}\x1b[0m\r\n`);
    this.tail = '';
    this.redraw();
  }

  private show(s: string): void {
    this.transcript += s;
    this.writeEmitter.fire(s);
  }
}

const onOff = (b: boolean): string => (b ? 'on' : 'off');

/** Channel names come from the remote (name-service messages): their control bytes are shown, not obeyed. */
function printable(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    out += code < 0x20 || (code >= 0x7f && code < 0xa0) ? `\\x${code.toString(16).padStart(2, '0')}` : c;
  }
  return out;
}

function crlf(s: string): string {
  return s.replace(/\r?\n/g, '\r\n');
}

/** `68 69 0a` (or `68690a`) to bytes; a message when it is not hex. */
export function parseHex(text: string): Uint8Array | string {
  const digits = text.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) return `not hex bytes: '${text}' (type pairs of hex digits, e.g. 68 69 0a)`;
  return Uint8Array.from(digits.match(/../g) ?? [], (h) => parseInt(h, 16));
}

function hexLine(bytes: Uint8Array): string {
  return `${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ')}\n`;
}

/** Splits terminal input into keys: escape sequences whole, other characters one by one. */
function keys(data: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < data.length; ) {
    const m = data[i] === ESC ? /^(\[[0-9;]*[A-Za-z~]|O[A-Za-z])/.exec(data.slice(i + 1)) : null;
    if (m) {
      // ESC O H / ESC O F are Home/End in application mode.
      out.push(ESC + (m[0][0] === 'O' ? `[${m[0].slice(1)}` : m[0]));
      i += m[0].length + 1;
    } else {
      const cp = data.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      out.push(ch);
      i += ch.length;
    }
  }
  return out;
}
