// A gdb stand-in for the session tests: frames packets, collects what the session sends (acks,
// packets with their checksums checked) and drives a resumed target through its slices.
import assert from 'assert';
import * as path from 'path';
import { BareTarget } from '../../../src/core/gdb/bareTarget';
import { bytesLatin1, fromHex, hexToText, latin1Bytes } from '../../../src/core/gdb/hexText';
import { checksum, framePacket } from '../../../src/core/gdb/packetFraming';
import { GdbSession } from '../../../src/core/gdb/session';
import type { GdbTarget } from '../../../src/core/gdb/target';
import { Firmware } from '../../../src/core/remoteproc/firmware';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { readFixture } from '../../fixtures/fixtures';

/** Slices a test lets a resumed target run before it gives up on a stop reply. */
const MAX_SLICES = 2000;

export class Wire<T extends GdbTarget = BareTarget> {
  readonly session: GdbSession;
  readonly target: T;
  /** Everything the session sent, as latin1. */
  raw = '';
  /** Console output the session did not take (it goes to stdout in ampw gdbserver). */
  stdout = '';
  ended: 'detach' | 'kill' | undefined;

  /** `make` builds the target, given where its console output goes. */
  constructor(make: (console: (bytes: Uint8Array) => void) => T) {
    this.target = make((b) => {
      if (!this.session.consoleOutput(b)) this.stdout += new TextDecoder().decode(b);
    });
    this.session = new GdbSession({ target: this.target, send: (b) => (this.raw += bytesLatin1(b)), ended: (how) => (this.ended = how) });
  }

  /** A bare program (a fixture ELF) on the STM32MP157's M4. */
  static bare(elf = 'gdb-m4.elf'): Wire {
    const board = findBoard('stm32mp157');
    const core = board?.cores.find((c) => c.id === 'm4');
    assert.ok(board && core);
    return new Wire((console) => new BareTarget(board, core, new Firmware(path.basename(elf), readFixture(elf)), { console }));
  }

  /** Sends raw bytes, runs a resumed target until it stops (or `slices` run out), returns what came back. */
  send(text: string, slices = MAX_SLICES): string {
    this.raw = '';
    this.session.receive(latin1Bytes(text));
    for (let n = 0; n < slices && this.session.wantsSlices; n++) this.session.runSlice();
    return this.raw;
  }

  /** The packets in what came back, their checksums checked; acks dropped. */
  packets(text: string, slices = MAX_SLICES): string[] {
    const out: string[] = [];
    const re = /\$([^#$]*)#([0-9a-f]{2})/g;
    for (let m = re.exec(this.send(text, slices)); m; m = re.exec(this.raw)) {
      assert.strictEqual(m[2], checksum(m[1]).toString(16).padStart(2, '0'), `checksum of ${m[1]}`);
      out.push(m[1]);
    }
    return out;
  }

  /** The one reply to `body` (console 'O' packets before it go to `console`). */
  ask(body: string): string {
    const replies = this.packets(bytesLatin1(framePacket(body)));
    const last = replies.pop();
    assert.ok(last !== undefined, `no reply to ${body}`);
    this.console = replies.map((r) => (r[0] === 'O' ? (hexToText(r.slice(1)) ?? '') : `<${r}>`)).join('');
    return last;
  }

  /** The console text ('O' packets) that came with the last reply. */
  console = '';

  /** A register by name, as a number. */
  register(name: string): number {
    const n = this.target.registers.findIndex((r) => r.name === name);
    const bytes = fromHex(this.ask(`p${n.toString(16)}`));
    assert.ok(bytes, name);
    return new DataView(bytes.buffer).getUint32(0, true);
  }
}

/** A symbol's address in gdb-m4.elf (a function's without its Thumb bit), as hex for packets. */
export function symbolHex(name: string): string {
  const elf = new Firmware('gdb-m4.elf', readFixture('gdb-m4.elf')).elf();
  assert.ok(!(elf instanceof Error));
  const sym = elf.symbol(name);
  assert.ok(sym, name);
  return (sym.value & ~1).toString(16);
}
