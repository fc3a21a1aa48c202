// The GDB remote protocol over cores inside the whole system, packet by packet: the two-M4 test
// board (test/fixtures/boards/two-m4.json) with the example firmware booted on both cores, served
// as a thread each by one target, or as a target each (a server per core) over the same system.
import assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { bytesLatin1, fromHex, textToHex } from '../../../src/core/gdb/hexText';
import { framePacket } from '../../../src/core/gdb/packetFraming';
import { SystemTarget } from '../../../src/core/gdb/systemTarget';
import { Firmware } from '../../../src/core/remoteproc/firmware';
import { loadBoardFile } from '../../../src/core/soc/boardLoader';
import { createSystem, type AmpSystem } from '../../../src/core/system';
import { EXAMPLES_DIR, REPO_ROOT } from '../../fixtures/fixtures';
import { Wire } from './wire';

const ELF = path.join(EXAMPLES_DIR, 'stm32mp157/rproc-m4-fw.elf');
const continuePacket = bytesLatin1(framePacket('vCont;c'));

/** The two-M4 system with the example firmware named for both cores, both offline. */
function twoM4(): AmpSystem {
  const system = createSystem({ board: loadBoardFile(path.join(REPO_ROOT, 'test/fixtures/boards/two-m4.json')) });
  system.files.write('/lib/firmware/fw.elf', new Uint8Array(fs.readFileSync(ELF)));
  for (const r of system.rprocs) system.files.write(`/sys/class/remoteproc/${r.devName}/firmware`, 'fw.elf\n');
  return system;
}

function symbolHex(name: string): string {
  const elf = new Firmware('fw.elf', new Uint8Array(fs.readFileSync(ELF))).elf();
  assert.ok(!(elf instanceof Error));
  const sym = elf.symbol(name);
  assert.ok(sym, name);
  return (sym.value & ~1).toString(16);
}

/** A thread's pc, read through Hg as gdb does. */
function pc(w: Wire<SystemTarget>, thread: number): number {
  assert.strictEqual(w.ask(`Hg${thread}`), 'OK');
  const bytes = fromHex(w.ask('pf'));
  assert.ok(bytes);
  return new DataView(bytes.buffer).getUint32(0, true);
}

describe('gdb: a thread per core, inside the whole system', () => {
  it('threads: qfThreadInfo lists both, qThreadExtraInfo names each core, T checks one is alive; Hg picks whose registers are read, qC tells', () => {
    const w = new Wire(() => new SystemTarget(twoM4(), ['m4', 'm4b']));
    w.target.boot();
    assert.ok(w.target.atReset);
    assert.strictEqual(w.ask('qfThreadInfo'), 'm1,2');
    assert.strictEqual(w.ask('qsThreadInfo'), 'l');
    assert.strictEqual(w.ask('qThreadExtraInfo,2'), textToHex('m4b (cortex-m4, remoteproc1)'));
    assert.strictEqual(w.ask('T2'), 'OK');
    assert.strictEqual(w.ask('T3'), 'E01');
    assert.match(w.ask('?'), /^T05thread:1;/);
    assert.strictEqual(w.ask('qC'), 'QC1');
    assert.strictEqual(w.ask('Hg2'), 'OK');
    assert.strictEqual(w.ask('qC'), 'QC2');
    assert.strictEqual(w.ask('Hg3'), 'E01');
    assert.strictEqual(w.ask('Hg0'), 'OK', 'any thread: the current one stays');
    assert.strictEqual(w.ask('qC'), 'QC2');
    // each core's registers are its own
    assert.strictEqual(w.ask('P0=efbeadde'), 'OK');
    assert.strictEqual(w.ask('p0'), 'efbeadde');
    assert.strictEqual(w.ask('Hg1'), 'OK');
    assert.notStrictEqual(w.ask('p0'), 'efbeadde');
  });

  it('a breakpoint both cores reach stops one thread, the stop naming it; the other is halted with it; vCont steps one thread while the other stays where it is', () => {
    const system = twoM4();
    const w = new Wire(() => new SystemTarget(system, ['m4', 'm4b']));
    w.target.boot();
    const main = parseInt(symbolHex('main'), 16);
    assert.strictEqual(w.ask(`Z0,${main.toString(16)},2`), 'OK');
    const first = w.ask('vCont;c');
    const thread = Number(/^T05thread:(\d);/.exec(first)?.[1]);
    assert.ok(thread === 1 || thread === 2, first);
    assert.strictEqual(w.ask('qC'), `QC${thread}`, 'the stopped thread is the current one');
    assert.strictEqual(pc(w, thread), main);
    assert.ok(system.halted, 'the whole system halts with it');
    assert.ok(w.target.debugs.every((d) => d.halted), 'both cores halted: all-stop');
    const other = 3 - thread;
    const otherPc = pc(w, other);
    assert.notStrictEqual(otherPc, main);
    // gdb steps off the breakpoint with that thread alone
    assert.match(w.ask(`vCont;s:${thread}`), new RegExp(`^T05thread:${thread};`));
    assert.notStrictEqual(pc(w, thread), main);
    assert.strictEqual(pc(w, other), otherPc, 'the thread vCont named no action for stays halted');
    // the other core reaches main too
    assert.match(w.ask('vCont;c'), new RegExp(`^T05thread:${other};.*swbreak:;`));
    assert.strictEqual(pc(w, other), main);
    assert.strictEqual(w.ask('vCont;c:3'), 'E01', 'no action for any thread');
  });

  it('a server per core: while one core waits for its gdb, the other\'s continue runs nothing and says why; once both run, each stops on its own', () => {
    const system = twoM4();
    const a = new Wire(() => new SystemTarget(system, 'm4'));
    const b = new Wire(() => new SystemTarget(system, 'm4b'));
    a.target.boot();
    b.target.boot();
    const serve = parseInt(symbolHex('rpmsg_serve'), 16).toString(16);
    for (const w of [a, b]) assert.strictEqual(w.ask(`Z0,${serve},2`), 'OK');
    const t = system.now();
    a.send(continuePacket);
    a.session.runSlice();
    assert.ok(a.raw.includes('$O' + textToHex('the whole system is held by another core halted for its debugger; it runs once that core is resumed\n')), a.raw);
    assert.strictEqual(system.now(), t, 'time stood still');
    b.send(continuePacket);
    const stopped = [a, b].filter((w) => w.raw.includes('$T05thread:1;'));
    assert.strictEqual(stopped.length, 1, 'the first core at rpmsg_serve halts the system, the other with it');
    const [waiting] = [a, b].filter((w) => !stopped.includes(w));
    stopped[0].send(continuePacket);
    assert.ok(waiting.raw.includes('$T05thread:1;'), 'resumed, the system lets the other core get there too');
    assert.ok(system.now() > t);
  });
});
