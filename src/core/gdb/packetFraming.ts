// The GDB remote serial protocol's framing: `$body#cs` with cs the two hex digits of the byte sum
// of body modulo 256, '+'/'-' to acknowledge, 0x03 alone to interrupt a running target. Bodies are
// latin1 strings (one character per byte). Replies are sent without run-length encoding; binary
// data escapes '#', '$', '}' and '*' as '}' then the byte XOR 0x20.
import { latin1Bytes } from './hexText';

/** What the reader makes of the bytes gdb sends. */
export type Incoming =
  | { readonly kind: 'packet'; readonly body: string }
  | { readonly kind: 'ack' }
  | { readonly kind: 'nak' }
  | { readonly kind: 'interrupt' }
  /** A packet that cannot be taken: a wrong checksum, or a body longer than the reader keeps. */
  | { readonly kind: 'bad'; readonly why: string };

const DOLLAR = 0x24;
const HASH = 0x23;
const ESCAPE = 0x7d;
const INTERRUPT = 0x03;

export function checksum(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += body.charCodeAt(i);
  return sum & 0xff;
}

/** The packet on the wire for `body` (latin1). */
export function framePacket(body: string): Uint8Array {
  return latin1Bytes(`$${body}#${checksum(body).toString(16).padStart(2, '0')}`);
}

/** Binary data (latin1) as a reply may carry it. */
export function escapeBinary(data: string): string {
  return data.replace(/[#$}*]/g, (c) => '}' + String.fromCharCode(c.charCodeAt(0) ^ 0x20));
}

/** Binary data gdb sent (X packets), unescaped; undefined when it ends inside an escape. */
export function unescapeBinary(data: string): string | undefined {
  if (data.indexOf('}') < 0) return data;
  let out = '';
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c !== ESCAPE) {
      out += data[i];
      continue;
    }
    if (++i === data.length) return undefined;
    out += String.fromCharCode(data.charCodeAt(i) ^ 0x20);
  }
  return out;
}

const enum State {
  Idle,
  Body,
  Check1,
  Check2,
}

/** Splits the byte stream from gdb into packets, acknowledgements and interrupts, across any chunking. */
export class PacketReader {
  private state = State.Idle;
  private body: string[] = [];
  private length = 0;
  private overflow = false;
  private check = '';

  /** `maxBody`: the longest body kept (the PacketSize the stub announced); longer ones are 'bad'. */
  constructor(private readonly maxBody: number) {}

  push(data: Uint8Array): Incoming[] {
    const out: Incoming[] = [];
    for (const byte of data) {
      switch (this.state) {
        case State.Idle:
          if (byte === DOLLAR) this.start();
          else if (byte === 0x2b) out.push({ kind: 'ack' });
          else if (byte === 0x2d) out.push({ kind: 'nak' });
          else if (byte === INTERRUPT) out.push({ kind: 'interrupt' });
          // anything else between packets is noise, as gdb treats it
          break;
        case State.Body:
          if (byte === HASH) this.state = State.Check1;
          else if (byte === DOLLAR) this.start(); // a new packet before this one ended: this one is lost
          else if (this.length < this.maxBody) {
            this.body.push(String.fromCharCode(byte));
            this.length++;
          } else this.overflow = true;
          break;
        case State.Check1:
          this.check = String.fromCharCode(byte);
          this.state = State.Check2;
          break;
        case State.Check2:
          this.state = State.Idle;
          out.push(this.finish(this.check + String.fromCharCode(byte)));
          break;
      }
    }
    return out;
  }

  private start(): void {
    this.state = State.Body;
    this.body = [];
    this.length = 0;
    this.overflow = false;
  }

  private finish(check: string): Incoming {
    if (this.overflow) return { kind: 'bad', why: `a packet longer than ${this.maxBody} bytes` };
    const body = this.body.join('');
    this.body = [];
    if (!/^[0-9a-fA-F]{2}$/.test(check)) return { kind: 'bad', why: `checksum '${check}' is not two hex digits` };
    const want = checksum(body);
    if (parseInt(check, 16) !== want) return { kind: 'bad', why: `checksum ${check} where the body sums to ${want.toString(16).padStart(2, '0')}` };
    return { kind: 'packet', body };
  }
}
