import assert from 'assert';
import type { SystemEvent } from '../../../src/core/system';
import type { RemoteContext, RemoteProgram } from '../../../src/core/soc/remoteProgram';
import { createSystem } from '../../../src/core/system';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { readFixture } from '../../fixtures/fixtures';
import { DEBUG, STATE, exampleSystem, shellOf } from './helpers';

describe('system facade: events, snapshot, remote programs', () => {
  it('emits state changes, log lines, trace writes and boot phases in order', () => {
    const sys = exampleSystem('stm32mp157');
    const events: SystemEvent[] = [];
    sys.events.on((e) => events.push(e));
    shellOf(sys).run(`echo start > ${STATE()}; sleep 0.001; echo stop > ${STATE()}`);
    const states = events.filter((e) => e.kind === 'state').map((e) => (e.kind === 'state' ? e.state : ''));
    assert.deepStrictEqual(states, ['running', 'offline']);
    const log = events.filter((e) => e.kind === 'log').map((e) => (e.kind === 'log' ? e.text : ''));
    assert.strictEqual(log[log.length - 1], '[    0.001000] remoteproc remoteproc0: stopped remote processor m4');
    const trace = events.find((e) => e.kind === 'trace');
    assert.ok(trace && trace.kind === 'trace' && /out of reset/.test(trace.text));
    const phases = events.flatMap((e) => (e.kind === 'phase' ? [e.phase.fn] : []));
    const order = ['request_firmware', 'rproc_fw_sanity_check', 'rproc_parse_fw', 'rproc_handle_resources', 'rproc_alloc_registered_carveouts', 'rproc_load_segments', 'rproc_start', 'rproc_start_subdevices', 'rproc_stop'];
    assert.deepStrictEqual(order.map((f) => phases.indexOf(f)).every((x, i, a) => x >= 0 && (i === 0 || x > a[i - 1])), true, phases.join(','));
  });

  it('console and notice events keep the firmware\'s order: what it printed before a notice goes out before it', () => {
    const sys = createSystem({ board: findBoard('stm32mp157')!, firmware: { name: 'periph-m4.elf', data: readFixture('periph-m4') } });
    const seen: string[] = [];
    sys.events.on((e) => (e.kind === 'console' ? seen.push(e.text) : e.kind === 'notice' ? seen.push(`<${e.text}>\n`) : undefined));
    sys.files.write(`${STATE()}`, 'start\n');
    sys.runFor(1e6);
    // The program waits for an IPCC message, then prints, touches registers no model serves and exits.
    sys.corePeripherals('m4')!.ipcc!.hostSet(1);
    sys.runFor(1e6);
    const text = seen.join('');
    // Each report of an unmodelled register follows a whole line the firmware printed before the access.
    assert.match(text, /^HSEM_RLR4 = 0x80000200\n(?:[^<\n]*\n)*<firmware wrote [^>]+, not modelled\)>\n/m);
    assert.match(text, /done\n<stopped: the firmware called SYS_EXIT with status 0>\n$/);
  });

  it('trace events: one per change as the remote writes, none while it is quiet, and again for a new run with the same text', () => {
    const sys = exampleSystem('stm32mp157');
    const traces: string[] = [];
    sys.events.on((e) => e.kind === 'trace' && traces.push(e.text));
    const sh = shellOf(sys);
    sh.run(`echo start > ${STATE()}; sleep 0.01`);
    const first = traces.slice();
    assert.ok(first.length >= 1 && /out of reset/.test(first[first.length - 1]), first.join('|'));
    assert.strictEqual(new Set(first).size, first.length, 'no event repeats a text');
    assert.strictEqual(first[first.length - 1], sh.run(`cat ${DEBUG()}/trace0`).out);
    sh.run('sleep 0.01');
    assert.strictEqual(traces.length, first.length, 'no write, no event');
    // the host writes into the trace buffer too (through its own view): that is seen
    const pa = sys.snapshot().cores[0].carveouts.find((c) => c.da <= sys.rprocs[0].traces[0].da && sys.rprocs[0].traces[0].da < c.da + c.len)!;
    sys.memory.host.write8(pa.pa! + (sys.rprocs[0].traces[0].da - pa.da), 0x58);
    sys.step();
    assert.strictEqual(traces.length, first.length + 1);
    assert.match(traces[traces.length - 1], /^X/);
  });

  it('a new run whose trace reads the same text as the last run still emits it', () => {
    const probe = exampleSystem('stm32mp157');
    shellOf(probe).run(`echo start > ${STATE()}`);
    const traceDa = probe.rprocs[0].traces[0].da;
    const sys = exampleSystem('stm32mp157');
    const fixed: RemoteProgram = { runsFirmware: false, start: (ctx) => ctx.mem.writeBytes(traceDa, new TextEncoder().encode('same text\n\0')), stop: () => undefined };
    sys.setProgramSelector(() => fixed);
    const traces: string[] = [];
    sys.events.on((e) => e.kind === 'trace' && traces.push(e.text));
    shellOf(sys).run(`echo start > ${STATE()}; sleep 0.001; echo stop > ${STATE()}; echo start > ${STATE()}; sleep 0.001`);
    assert.deepStrictEqual(traces.filter((t) => t === 'same text\n').length, 2, traces.join('|'));
  });

  it('stm32 stop: the firmware takes the shutdown message before the reset, never the next run', () => {
    const sys = exampleSystem('stm32mp157');
    const sh = shellOf(sys);
    sh.run(`echo start > ${STATE()}; sleep 0.001`);
    const t = sys.rprocs[0].traces[0];
    const c = sys.snapshot().cores[0].carveouts.find((x) => x.da <= t.da && t.da < x.da + x.len)!;
    const pa = c.pa! + (t.da - c.da);
    sh.run(`echo stop > ${STATE()}`);
    assert.match(new TextDecoder().decode(sys.memory.host.readBytes(pa, t.len)), /\[0\.001000\] shutdown request from host\n/);
    sh.run(`echo start > ${STATE()}; sleep 0.001`);
    assert.doesNotMatch(sh.run(`cat ${DEBUG()}/trace0`).out, /shutdown/);
  });

  it('snapshot() is plain data: cores, carveouts, traces, vdevs and vrings as the host sees them', () => {
    const sys = exampleSystem('stm32mp157');
    shellOf(sys).run(`echo start > ${STATE()}; sleep 0.01`);
    const snap = sys.snapshot();
    // Plain data: nothing but objects, arrays, strings, numbers, booleans (absent values undefined).
    const plain = (v: unknown): boolean =>
      v === undefined || v === null || ['string', 'number', 'boolean'].includes(typeof v) || (Array.isArray(v) ? v.every(plain) : Object.getPrototypeOf(v) === Object.prototype && Object.values(v as object).every(plain));
    assert.ok(plain(snap));
    const m4 = snap.cores[0];
    assert.strictEqual(m4.state, 'running');
    assert.deepStrictEqual(m4.carveouts.map((c) => c.name), ['retram', 'mcuram', 'mcuram2', 'vdev0vring0', 'vdev0vring1', 'vdev0buffer']);
    assert.strictEqual(m4.table?.where, 'loaded');
    assert.strictEqual(m4.vdevs[0].virtio, 'virtio0');
    assert.strictEqual(m4.vdevs[0].status, 7, 'ACKNOWLEDGE | DRIVER | DRIVER_OK: rpmsg is a legacy virtio device');
    assert.deepStrictEqual(m4.vdevs[0].vrings.map((v) => [v.da, v.pa, v.notifyid, v.active]), [
      [0x10040000, 0x10040000, 0, true],
      [0x10041000, 0x10041000, 1, true],
    ]);
    assert.strictEqual(m4.traces[0].name, 'trace0');
    // rx ring: every buffer offered, the name service announcement used; tx ring untouched
    assert.deepStrictEqual(m4.vdevs[0].vrings.map((v) => [v.availIdx, v.usedIdx]), [[m4.vdevs[0].vrings[0].num + 1, 1], [0, 0]]);
    shellOf(sys).run(`echo stop > ${STATE()}`);
    assert.deepStrictEqual(sys.snapshot().cores[0].vdevs.map((v) => v.vrings.map((r) => r.availIdx)), [], 'no vdev, no ring');
  });

  it('a remote program that touches unmapped memory halts its core; stm32 sees it as a watchdog', () => {
    const bad: RemoteProgram = {
      runsFirmware: false,
      start: (ctx: RemoteContext) => ctx.schedule(1000, () => ctx.mem.read32(0xc0000000)),
      stop: () => undefined,
    };
    const sys = exampleSystem('stm32mp157');
    sys.setProgramSelector(() => bad);
    const sh = shellOf(sys);
    sh.run(`echo disabled > /sys/class/remoteproc/remoteproc0/recovery; echo start > ${STATE()}; sleep 0.001`);
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'running\n', 'the host learns of it only when the watchdog bites');
    sh.run('sleep 1');
    assert.strictEqual(sh.run(`cat ${STATE()}`).out, 'crashed\n');
    assert.strictEqual(sys.rproc('m4').remote.running, false);
    assert.match(sys.dmesg(), /crash detected in m4: type watchdog\n.*handling crash #1 in m4\n$/);
  });

  it('a remote program can report its own crash; ZynqMP does not notice, the core is halted', () => {
    let ctx!: RemoteContext;
    const sys = exampleSystem('zynqmp');
    sys.setProgramSelector(() => ({ runsFirmware: false, start: (c) => (ctx = c), stop: () => undefined }));
    shellOf(sys).run(`echo start > ${STATE()}; sleep 0.001`);
    ctx.crash('fatal error', 'assert');
    assert.strictEqual(sys.rproc('r5_0').state, 'running');
    assert.strictEqual(sys.rproc('r5_0').remote.running, false);
    assert.doesNotMatch(sys.dmesg(), /crash/);
  });

  it('a program sees only its own memory and time: scheduled work is dropped at stop', () => {
    let ticks = 0;
    const sys = exampleSystem('stm32mp157');
    sys.setProgramSelector(() => ({
      runsFirmware: false,
      start: (c) => {
        const tick = () => {
          ticks++;
          c.schedule(1e6, tick);
        };
        tick();
      },
      stop: () => undefined,
    }));
    const sh = shellOf(sys);
    sh.run(`echo start > ${STATE()}; sleep 0.01`);
    const seen = ticks;
    assert.ok(seen >= 10);
    sh.run(`echo stop > ${STATE()}; sleep 0.01`);
    assert.strictEqual(ticks, seen);
    assert.strictEqual(sh.run(`cat ${DEBUG()}/resource_table`).out, 'No resource table found\n');
  });
});
