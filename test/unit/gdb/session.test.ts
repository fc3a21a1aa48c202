// The GDB remote protocol over the bare-program target, packet by packet, on gdb-m4.elf (C built
// with -O0 -g by arm-none-eabi-gcc) loaded on the STM32MP157's M4: what gdb sends, what comes back.
import assert from 'assert';
import { bytesLatin1, hexToText, latin1Bytes, textToHex, toHex } from '../../../src/core/gdb/hexText';
import { escapeBinary, framePacket } from '../../../src/core/gdb/packetFraming';
import { PACKET_SIZE } from '../../../src/core/gdb/session';
import { symbolHex, Wire } from './wire';

const le32 = (v: number) => toHex(new Uint8Array(new Uint32Array([v]).buffer));

/** Reads a whole qXfer document in `chunk`-byte parts, as gdb does. */
function transfer(w: Wire, object: string, annex: string, chunk: number): string {
  let doc = '';
  for (;;) {
    const reply = w.ask(`qXfer:${object}:read:${annex}:${doc.length.toString(16)},${chunk.toString(16)}`);
    assert.match(reply, /^[ml]/);
    doc += reply.slice(1);
    if (reply[0] === 'l') return doc;
  }
}

describe('gdb: the protocol over a bare program', () => {
  it('qSupported names the packet size and the features; every packet is acknowledged until QStartNoAckMode', () => {
    const w = Wire.bare();
    const supported = w.ask('qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+');
    assert.deepStrictEqual(supported.split(';').sort(), [`PacketSize=${PACKET_SIZE.toString(16)}`, 'QStartNoAckMode+', 'hwbreak+', 'qXfer:features:read+', 'qXfer:memory-map:read+', 'swbreak+', 'vContSupported+']);
    assert.strictEqual(w.send(bytesLatin1(framePacket('QStartNoAckMode'))), '+$OK#9a');
    assert.strictEqual(w.send(bytesLatin1(framePacket('qC'))), '$QC1#c5');
  });

  it('target.xml: the M-profile core, the FPU as d0-d15 and fpscr, msp/psp, numbered in g-packet order', () => {
    const w = Wire.bare();
    const xml = transfer(w, 'features', 'target.xml', 0x40);
    assert.match(xml, /<architecture>arm<\/architecture>/);
    for (const f of ['org.gnu.gdb.arm.m-profile', 'org.gnu.gdb.arm.vfp', 'org.gnu.gdb.arm.m-system']) assert.ok(xml.includes(`<feature name="${f}">`), f);
    assert.ok(xml.includes('<reg name="pc" bitsize="32" type="code_ptr" regnum="15"/>'));
    assert.ok(xml.includes('<reg name="xpsr" bitsize="32" type="int" regnum="16"/>'));
    assert.ok(xml.includes('<reg name="d15" bitsize="64" type="ieee_double" regnum="32"/>'));
    assert.ok(xml.includes('<reg name="fpscr" bitsize="32" type="int" regnum="33" group="float"/>'));
    assert.ok(xml.includes('<reg name="msp" bitsize="32" type="data_ptr" regnum="34"/>'));
    assert.strictEqual(w.ask('qXfer:features:read:other.xml:0,100'), 'E00');
    assert.strictEqual(w.ask('qXfer:features:read:target.xml:fffff,100'), 'l');
  });

  it("the memory map lists the M4's RAM windows, the peripheral region and the System Control Space", () => {
    const xml = transfer(Wire.bare(), 'memory-map', '', 0x1000);
    const regions = [...xml.matchAll(/<memory type="(\w+)" start="(0x[0-9a-f]+)" length="(0x[0-9a-f]+)"\/>/g)].map((m) => m.slice(1).join(' '));
    assert.deepStrictEqual(regions, ['ram 0x0 0x10000', 'ram 0x10000000 0x60000', 'ram 0x30000000 0x60000', 'ram 0x40000000 0x20000000', 'ram 0xe000e000 0x1000']);
  });

  it('halted at reset: ? is a trap, g holds every register (pc the reset vector, sp the initial stack), P/p and G write them', () => {
    const w = Wire.bare();
    assert.match(w.ask('?'), /^T05thread:1;/);
    const g = w.ask('g');
    assert.strictEqual(g.length, (17 * 4 + 16 * 8 + 7 * 4) * 2);
    const vectors = w.ask('m0,8');
    assert.strictEqual(g.slice(13 * 8, 14 * 8), vectors.slice(0, 8), 'sp from vector 0');
    assert.strictEqual(le32(w.register('pc') | 1), vectors.slice(8, 16), 'pc from vector 1');
    assert.strictEqual(w.ask(`P3=${le32(0xdeadbeef)}`), 'OK');
    assert.strictEqual(w.register('r3'), 0xdeadbeef);
    assert.strictEqual(w.ask('P11=000000000000f03f'), 'OK'); // d0 = 1.0
    assert.strictEqual(w.ask('p11'), '000000000000f03f');
    const edited = g.slice(0, 4 * 8) + le32(0x12345678) + g.slice(5 * 8);
    assert.strictEqual(w.ask('G' + edited), 'OK');
    assert.strictEqual(w.ask('g'), edited);
    assert.strictEqual(w.ask('p99'), 'E01');
    assert.strictEqual(w.ask('P3=00'), 'E01');
  });

  it('memory: m and M in hex, X in binary with escapes; a read stops where memory ends; an unmapped read is E01', () => {
    const w = Wire.bare();
    const addr = symbolHex('table');
    assert.strictEqual(w.ask(`m${addr},8`), '0100000002000000');
    assert.strictEqual(w.ask(`M${addr},4:2a000000`), 'OK');
    assert.strictEqual(w.ask(`m${addr},4`), '2a000000');
    const bytes = '#$}*\x00\xff';
    assert.strictEqual(w.ask(`X${addr},6:${escapeBinary(bytes)}`), 'OK');
    assert.strictEqual(w.ask(`m${addr},6`), toHex(latin1Bytes(bytes)));
    assert.strictEqual(w.ask(`X${addr},0:`), 'OK');
    assert.strictEqual(w.ask('mfffc,8').length, 8, 'only the 4 bytes below 0x10000');
    assert.strictEqual(w.ask('m80000000,4'), 'E01');
    assert.strictEqual(w.ask('M80000000,4:00000000'), 'E01');
    // the SCS answers word reads: CPUID of a Cortex-M4 r0p1
    assert.strictEqual(w.ask('me000ed00,4'), le32(0x410fc241));
  });

  it('Z0 stops before the instruction at main (swbreak); vCont;c steps off it; z0 removes it; s steps one instruction', () => {
    const w = Wire.bare();
    const main = symbolHex('main');
    assert.strictEqual(w.ask('vCont?'), 'vCont;c;C;s;S;r');
    assert.strictEqual(w.ask(`Z0,${main},2`), 'OK');
    const stop = w.ask('vCont;c:1');
    assert.match(stop, /^T05thread:1;7:[0-9a-f]{8};d:[0-9a-f]{8};e:[0-9a-f]{8};f:[0-9a-f]{8};swbreak:;$/);
    assert.strictEqual(w.register('pc').toString(16), main);
    assert.ok(stop.includes(`f:${le32(parseInt(main, 16))};`), 'pc expedited');
    // continuing from the breakpoint runs its instruction first, so the program goes on to its end
    assert.strictEqual(w.ask('z0,' + main + ',2'), 'OK');
    assert.strictEqual(w.ask('z0,' + main + ',2'), 'E01', 'no such breakpoint any more');
    assert.strictEqual(w.ask(`Z1,${main},2`), 'OK');
    assert.strictEqual(w.ask('s'), 'T05thread:1;' + w.ask('?').slice('T05thread:1;'.length), 'a step is a plain trap');
    assert.notStrictEqual(w.register('pc').toString(16), main);
    assert.strictEqual(w.ask(`z1,${main},2`), 'OK');
    assert.strictEqual(w.ask(`Z1,${symbolHex('add')},2`), 'OK');
    assert.match(w.ask(`c${main}`), /hwbreak:;$/, 'c ADDR resumes at ADDR');
    assert.strictEqual(w.register('pc').toString(16), symbolHex('add'));
  });

  it('a range step runs while pc stays in the range; a breakpoint inside it still stops', () => {
    const w = Wire.bare();
    const main = parseInt(symbolHex('main'), 16);
    w.ask(`Z0,${main.toString(16)},2`);
    w.ask('c');
    const before = w.target.m4.state.instructions;
    assert.match(w.ask(`vCont;r${main.toString(16)},${(main + 6).toString(16)}:1`), /^T05thread:1;/);
    const pc = w.register('pc');
    assert.ok(pc < main || pc >= main + 6, `pc 0x${pc.toString(16)} left the range`);
    assert.ok(w.target.m4.state.instructions - before >= 2, 'more than one instruction');
  });

  it('Z2 on a global: the core stops before the store (T05watch:ADDR), so memory still holds the old value; z2 lets it run on', () => {
    const w = Wire.bare();
    const counter = symbolHex('counter');
    w.ask(`Z0,${symbolHex('main')},2`);
    w.ask('c');
    assert.strictEqual(w.ask(`Z2,${counter},4`), 'OK');
    assert.match(w.ask('c'), new RegExp(`^T05thread:1;.*;watch:${counter};$`));
    assert.strictEqual(w.ask(`m${counter},4`), '00000000');
    assert.strictEqual(w.target.m4.state.pc.toString(16), (parseInt(symbolHex('accumulate'), 16) + 0x2c).toString(16), 'on the str of counter++ (objdump)');
    const pc = w.register('pc');
    assert.strictEqual(w.ask(`z2,${counter},4`), 'OK');
    assert.match(w.ask('s'), /^T05/);
    assert.strictEqual(w.ask(`m${counter},4`), '01000000', 'the step ran the store');
    assert.ok(w.register('pc') > pc);
    // a read watchpoint on table[3] catches the load of accumulate(), an access watchpoint too
    assert.strictEqual(w.ask(`Z3,${(parseInt(symbolHex('table'), 16) + 12).toString(16)},4`), 'OK');
    assert.match(w.ask('c'), /rwatch:[0-9a-f]+;$/);
    assert.strictEqual(w.ask('Z2,0,0'), 'E01', 'an empty range');
  });

  it('the console goes to gdb as O packets while the program runs; its exit is W00, and stays so', () => {
    const w = Wire.bare();
    assert.strictEqual(w.ask('c'), 'W00');
    assert.strictEqual(w.console, 'result=87\nscaled=130\n');
    assert.strictEqual(w.ask('?'), 'W00');
    assert.strictEqual(w.ask('s'), 'W00');
  });

  it('Ctrl-C (0x03) interrupts a spinning program with SIGINT; 0x03 while halted does nothing', () => {
    const w = Wire.bare();
    assert.strictEqual(w.send('\x03'), '');
    w.ask(`Z0,${symbolHex('main')},2`);
    w.ask('c');
    // after main's start: the reset handler clears .bss, where mode is
    assert.strictEqual(w.ask(`M${symbolHex('mode')},4:01000000`), 'OK');
    w.ask(`z0,${symbolHex('main')},2`);
    assert.strictEqual(w.packets(bytesLatin1(framePacket('c')), 50).filter((p) => p[0] !== 'O').length, 0, 'still running');
    assert.ok(w.session.wantsSlices);
    const replies = w.packets('\x03');
    assert.strictEqual(replies.length, 1);
    assert.match(replies[0], /^T02thread:1;/);
    assert.ok(!w.session.wantsSlices);
  });

  it('a core asleep with nothing to wake it: gdb is told once, no slices are spent, and Ctrl-C stops it', () => {
    const w = Wire.bare();
    const pc = w.register('pc').toString(16);
    assert.strictEqual(w.ask(`M${pc},4:30bffee7`), 'OK'); // WFI; B .
    assert.deepStrictEqual(w.packets(bytesLatin1(framePacket('c'))).map((p) => hexToText(p.slice(1))), ['the core sleeps with nothing to wake it; interrupt it (Ctrl-C) to look\n']);
    assert.ok(!w.session.wantsSlices);
    assert.match(w.packets('\x03')[0], /^T02thread:1;/);
    assert.strictEqual(w.register('pc'), parseInt(pc, 16) + 2, 'after the WFI');
  });

  it('a target that throws while it runs (a bug of ours) is stopped with the error in gdb\'s console, not left to fail for ever', () => {
    const w = Wire.bare();
    w.target.runSlice = () => {
      throw new Error('a slice went wrong');
    };
    const replies = w.packets(bytesLatin1(framePacket('c')));
    assert.strictEqual(hexToText(replies[0].slice(1)), 'ampw: internal error: a slice went wrong\n');
    assert.match(replies[1], /^T02thread:1;/);
    assert.strictEqual(replies.length, 2);
  });

  it("the board's peripherals keep the core's time under gdb as under ampw run: the watchdog resets the core and the program goes on", () => {
    const w = Wire.bare('wwdg-m4.elf');
    assert.strictEqual(w.ask('c'), 'W00');
    assert.match(w.console, /EWI at WWDG_CR = 0x000000c0\nRCC_MC_RSTSCLRR = 0x00000415\nreset by WWDG1; flags now = 0x00000000\n/);
  });

  it('an unhandled fault stops with SIGSEGV and the fault decoded in an O packet', () => {
    const w = Wire.bare('bare-no-handler.elf');
    assert.match(w.ask('c'), /^T0bthread:1;/);
    assert.strictEqual(w.console, 'HardFault at PC 0x00000040; HFSR FORCED; CFSR 0x00020000 (INVSTATE): no handler (vector 0x00000040 is not a Thumb address)\n');
  });

  it('a lockup stops with SIGSEGV too; a BKPT other than semihosting\'s halts with SIGTRAP and says which', () => {
    const lockup = Wire.bare('bare-bad-stack.elf');
    assert.match(lockup.ask('c'), /^T0bthread:1;/);
    assert.match(lockup.console, /^HardFault\nlockup at PC 0x00000070; HFSR FORCED; CFSR 0x00029200 /, "the handler's own output, then the lockup");
    const w = Wire.bare();
    const pc = w.register('pc').toString(16);
    assert.strictEqual(w.ask(`M${pc},2:07be`), 'OK'); // BKPT #7
    assert.match(w.ask('c'), /^T05thread:1;/);
    assert.strictEqual(w.console, 'BKPT #7\n');
    assert.strictEqual(w.register('pc').toString(16), pc, 'halted on the BKPT');
  });

  it('monitor reset loads the program again and halts at its reset vector; unknown commands get the list; output as O packets', () => {
    const w = Wire.bare();
    w.ask(`Z0,${symbolHex('main')},2`);
    w.ask('c');
    w.ask(`M${symbolHex('table')},4:63000000`);
    assert.strictEqual(w.ask('qRcmd,' + textToHex('reset')), 'OK');
    assert.match(w.console, /^m4: reset, pc 0x[0-9a-f]{8}, sp 0x00010000\n$/);
    assert.strictEqual(w.ask(`m${symbolHex('table')},4`), '01000000', 'the data segment loaded again');
    assert.strictEqual(w.register('pc').toString(16), symbolHex('reset_handler'));
    assert.match(w.ask('c'), /swbreak/, 'breakpoints hold across the reset');
    assert.strictEqual(w.ask('qRcmd,' + textToHex('frobnicate')), 'OK');
    assert.match(w.console, /^unknown monitor command 'frobnicate'; the commands are:\n {2}reset /);
    w.ask('qRcmd,' + textToHex('help'));
    assert.match(w.console, /^ {2}reset .*\n {2}cycles .*\n {2}help +this list\n$/);
    assert.strictEqual(w.ask('qRcmd,zz'), 'E01');
  });

  it('a bad checksum gets "-"; a "-" from gdb gets the last packet again', () => {
    const w = Wire.bare();
    assert.strictEqual(w.send('$g#00'), '-');
    const reply = w.send(bytesLatin1(framePacket('qC')));
    assert.strictEqual(w.send('-'), reply.slice(1));
  });

  it('D detaches (OK, then the face runs the program on) and k kills; neither answers afterwards', () => {
    const d = Wire.bare();
    assert.deepStrictEqual(d.packets(bytesLatin1(framePacket('D'))), ['OK']);
    assert.strictEqual(d.ended, 'detach');
    assert.strictEqual(d.send(bytesLatin1(framePacket('g'))), '');
    const k = Wire.bare();
    assert.strictEqual(k.send(bytesLatin1(framePacket('k'))), '+');
    assert.strictEqual(k.ended, 'kill');
  });

  it('hostile packets: malformed ones get E01 or the empty reply, and nothing throws', () => {
    const w = Wire.bare();
    const replies: Record<string, string> = {
      m: 'E01', 'mzz,1': 'E01', 'm1,': 'E01', 'm123456789,1': 'E01', 'M0,4:zz': 'E01', 'M0,4:00': 'E01', 'Mffffffff,4:00000000': 'E01',
      'X0,4:': 'E01', 'X0,1:}': 'E01', 'Z9,0,0': 'E01', 'Z0,,': 'E01', 'Z2,fffffffe,4': 'E01', p: 'E01', pzz: 'E01', 'P1=': 'E01', 'Pz=00': 'E01',
      'vCont;q': 'E01', 'vCont;': 'E01', 'vCont;c:9': 'E01', vFoo: '', 'G1': 'E01', ['G' + '00'.repeat(4096)]: 'E01', T99: 'E01', T: 'E01', 'cxyz': 'E01', 'C': 'E01', 'S5': 'E01',
      'qXfer:features:read:target.xml:zz': 'E01', 'qXfer:memory-map:read:x:0,10': 'E00', 'qXfer:other:read::0,1': '', qThreadExtraInfo: '', 'qThreadExtraInfo,9': 'E01',
      '': '', '\x00\xff': '', Qfoo: '', '!': '', R00: '',
    };
    for (const [body, want] of Object.entries(replies)) assert.strictEqual(w.ask(body), want, JSON.stringify(body));
    assert.strictEqual(w.ask(`m0,${(PACKET_SIZE * 4).toString(16)}`).length, PACKET_SIZE - 16, 'a long read is cut to what a packet holds');
    // random framed packets: one reply each, or a stop reply after a resume (then Ctrl-C stops it)
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    const first = 'mMXZzpPgGcsCSvqQTHD?';
    for (let i = 0; i < 3000; i++) {
      const body = first[rand(first.length)] + String.fromCharCode(...Array.from({ length: rand(24) }, () => (rand(3) ? '0123456789abcdef,:;=.-'.charCodeAt(rand(22)) : rand(256))));
      if (/^[Dk]/.test(body)) continue;
      w.send(bytesLatin1(framePacket(body)));
      if (w.session.wantsSlices) w.send('\x03');
    }
    assert.strictEqual(w.ended, undefined);
    assert.match(w.ask('?'), /^(T|W)/);
  });
});
