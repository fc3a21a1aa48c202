// The `type: amp` adapter driven over stdio by the DAP test client, as VS Code or any other client
// drives `ampw dap`: launch, entry stop, stepping through the boot, breakpoints of each kind,
// variables with what the host wrote back, memory, the shell, crash, bad arguments.
import assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { useAdapter } from './dapClient';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { REPO_ROOT, fixture } from '../../fixtures/fixtures';

const M4_FW = path.join(REPO_ROOT, 'examples/stm32mp157/rproc-m4-fw.elf');
const LAUNCH = { program: M4_FW, board: 'stm32mp157', stopOnEntry: true };

type Stopped = DebugProtocol.StoppedEvent;

describe('debug adapter over stdio (ampw dap)', function () {
  this.timeout(30000);
  const client = useAdapter(10000);
  let dc: DebugClient;
  beforeEach(() => (dc = client()));

  /** Launches and waits for the first stop (the entry with stopOnEntry). */
  async function launch(args: object = LAUNCH, configure: () => Promise<unknown> = async () => undefined): Promise<Stopped> {
    const [, , stopped] = await Promise.all([
      dc.waitForEvent('initialized').then(configure).then(() => dc.configurationDoneRequest()),
      dc.launch(args),
      dc.waitForEvent('stopped') as Promise<Stopped>,
    ]);
    return stopped;
  }

  async function stepAndWait(kind: 'next' | 'stepIn' | 'stepOut' | 'continue'): Promise<Stopped> {
    const wait = dc.waitForEvent('stopped') as Promise<Stopped>;
    if (kind === 'next') await dc.nextRequest({ threadId: 1 });
    else if (kind === 'stepIn') await dc.stepInRequest({ threadId: 1 });
    else if (kind === 'stepOut') await dc.stepOutRequest({ threadId: 1 });
    else await dc.continueRequest({ threadId: 1 });
    return wait;
  }

  async function top(): Promise<DebugProtocol.StackFrame> {
    return (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
  }

  async function sourceLines(): Promise<string[]> {
    return (await dc.sourceRequest({ sourceReference: 1, source: { sourceReference: 1 } })).body.content.trimEnd().split('\n').map((l) => l.trim());
  }

  async function lineOf(prefix: string): Promise<number> {
    const i = (await sourceLines()).findIndex((l) => l.startsWith(prefix));
    assert.ok(i >= 0, `no line starting with '${prefix}'`);
    return i + 1;
  }

  async function scope(name: string): Promise<DebugProtocol.Variable[]> {
    const scopes = (await dc.scopesRequest({ frameId: 1 })).body.scopes;
    const s = scopes.find((x) => x.name === name);
    assert.ok(s, `no scope ${name} in ${scopes.map((x) => x.name).join(', ')}`);
    return (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
  }

  async function children(v: DebugProtocol.Variable): Promise<DebugProtocol.Variable[]> {
    assert.ok(v.variablesReference > 0, `${v.name} has no children`);
    return (await dc.variablesRequest({ variablesReference: v.variablesReference })).body.variables;
  }

  const value = (vars: DebugProtocol.Variable[], name: string): string => {
    const v = vars.find((x) => x.name === name);
    assert.ok(v, `no variable ${name} in ${vars.map((x) => x.name).join(', ')}`);
    return v.value;
  };

  async function evaluate(expression: string): Promise<string> {
    return (await dc.evaluateRequest({ expression, context: 'repl' })).body.result;
  }

  it('stops on entry at `request firmware`, one thread per remote core named like the kernel', async () => {
    const stopped = await launch();
    assert.equal(stopped.body.reason, 'entry');
    const frame = await top();
    assert.equal(frame.line, 1);
    assert.equal(frame.name, 'request_firmware');
    assert.equal(frame.source?.sourceReference, 1);
    const threads = (await dc.threadsRequest()).body.threads;
    assert.deepEqual(threads.map((t) => t.name), ['remoteproc0 (m4)', 'm4 code (cortex-m4)']);
    assert.equal(value(await scope('Processor'), 'state'), 'offline');
  });

  // DAP leaves the order open: VS Code configures while launch is pending; other clients await
  // the launch response first. Either way the boot starts only at configurationDone.
  it('configurationDone sent before the launch response: the boot honours the breakpoints set', async () => {
    const s = await launch({ ...LAUNCH, stopOnEntry: false }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'rproc_start' }] }));
    assert.equal(s.body.reason, 'function breakpoint');
    assert.equal((await top()).line, await lineOf('start m4'));
  });

  it('launch response awaited before configurationDone: answered, and the boot waits for configurationDone', async () => {
    let stops = 0;
    const output: string[] = [];
    dc.on('stopped', () => stops++);
    dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    const initialized = dc.waitForEvent('initialized');
    await dc.initializeRequest();
    await dc.launchRequest({ ...LAUNCH, stopOnEntry: false } as DebugProtocol.LaunchRequestArguments);
    await initialized;
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'rproc_start' }] });
    const stopped = dc.waitForEvent('stopped') as Promise<Stopped>;
    assert.equal(stops, 0, 'nothing stopped before configurationDone');
    assert.ok(!output.some((o) => o.includes('powering up')), 'nothing booted before configurationDone');
    await dc.configurationDoneRequest();
    assert.equal((await stopped).body.reason, 'function breakpoint');
    assert.equal((await top()).line, await lineOf('start m4'));
  });

  it('a shell command at the entry stop, before anything started, leaves the boot to go on', async () => {
    await launch({ ...LAUNCH, stopOnEntry: true }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'running' }] }));
    assert.equal(await evaluate('cat /sys/class/remoteproc/remoteproc0/state'), 'offline');
    const s = await stepAndWait('continue');
    assert.equal(s.body.reason, 'function breakpoint', s.body.description);
    assert.equal(value(await scope('Processor'), 'state'), 'running');
  });

  it('lists the life cycle with one decoded line per resource entry and per loaded segment', async () => {
    await launch();
    const lines = await sourceLines();
    assert.equal(lines[0], 'request firmware rproc-m4-fw.elf');
    assert.ok(lines.some((l) => /^resource 0: vdev id 7 \(rpmsg\): 2 vring\(s\)/.test(l)), lines.join('\n'));
    const traceBuf = ElfFile.parse(new Uint8Array(fs.readFileSync(M4_FW))).symbol('trace_buf')!.value;
    assert.ok(lines.some((l) => l.startsWith(`resource 1: trace cm4_log: da 0x${traceBuf.toString(16)}, len 0x800`)), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('load segment ')));
    for (const l of ['start m4', 'vdev 0 DRIVER_OK', 'running', 'channel rpmsg-tty created', 'crash', 'recovery', 'stop']) assert.ok(lines.includes(l), `missing '${l}'`);
    assert.ok(lines.indexOf('running') < lines.indexOf('crash'));
  });

  it('stepIn walks the boot forward line by line to running, with the kernel log as output', async () => {
    const output: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    await launch();
    const running = await lineOf('running');
    const seen: number[] = [1];
    for (let i = 0; i < 40 && seen[seen.length - 1] !== running; i++) {
      const s = await stepAndWait('stepIn');
      assert.equal(s.body.reason, 'step');
      seen.push((await top()).line);
    }
    assert.equal(seen[seen.length - 1], running, `stopped at lines ${seen.join(', ')}`);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1], `went back: ${seen.join(', ')}`);
    assert.ok(output.some((o) => o.includes('remoteproc remoteproc0: powering up m4')));
    assert.ok(output.some((o) => o.includes('remote processor m4 is now up')));
    assert.equal(value(await scope('Processor'), 'state'), 'running');
  });

  it('next steps over the entries of a phase; stepOut finishes the whole boot', async () => {
    await launch();
    const lines = await sourceLines();
    const raw = (await dc.sourceRequest({ sourceReference: 1 })).body.content.split('\n');
    const entryLines = new Set(raw.map((l, i) => (l.startsWith('    ') ? i + 1 : 0)).filter((n) => n));
    const parse = lines.indexOf('parse resource table: 2 entries') + 1;
    let s = await stepAndWait('next');
    while ((await top()).line < parse) s = await stepAndWait('next');
    assert.equal((await top()).line, parse);
    await stepAndWait('next');
    assert.ok(!entryLines.has((await top()).line), `next stopped on an entry line ${(await top()).line}`);
    s = await stepAndWait('stepOut');
    assert.equal(s.body.reason, 'step');
    assert.equal((await top()).line, lines.indexOf('running') + 1);
  });

  it('a breakpoint on the vdev line stops there with the written-back vring addresses visible', async () => {
    let vdevLine = 0;
    await launch({ ...LAUNCH, stopOnEntry: false }, async () => {
      vdevLine = await lineOf('vdev 0 DRIVER_OK');
      const r = await dc.setBreakpointsRequest({ source: { sourceReference: 1, path: 'stm32mp157-remoteproc0-m4.amplc' }, breakpoints: [{ line: vdevLine }] });
      assert.equal(r.body.breakpoints[0].verified, true);
      const c = await dc.setBreakpointsRequest({ source: { path: path.join(REPO_ROOT, 'examples/common/firmware.c') }, breakpoints: [{ line: 1 }] });
      assert.equal(c.body.breakpoints[0].verified, false, 'a C file is not the life cycle');
    }).then((s) => assert.equal(s.body.reason, 'breakpoint'));
    assert.equal((await top()).line, vdevLine);
    const table = await scope('Resource table');
    const vdev = await children(table.find((v) => v.name === '[0] vdev')!);
    assert.match(value(vdev, 'status'), /DRIVER_OK/);
    const regions = await scope('Memory regions');
    const ring0 = await children(regions.find((v) => v.name === 'vdev0vring0')!);
    const vring0 = await children(vdev.find((v) => v.name === 'vring[0]')!);
    assert.notEqual(value(vring0, 'da'), '0xffffffff', 'the host writes the allocated da back');
    assert.equal(value(vring0, 'da'), value(ring0, 'da'));
    const rings = await scope('Vrings');
    const r0 = rings.find((v) => v.name === 'vdev0vring0')!;
    assert.ok(r0.memoryReference, 'a vring opens in the memory view');
    const fields = await children(r0);
    assert.equal(value(fields, 'active'), 'true');
    assert.ok(Number(value(fields, 'avail.idx')) > 0, 'the rpmsg driver filled the rx ring');
  });

  it('function breakpoints stop at the phase they name; unknown names are unverified', async () => {
    let set: DebugProtocol.Breakpoint[] = [];
    await launch({ ...LAUNCH, stopOnEntry: false }, async () => {
      set = (await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'rproc_start' }, { name: 'handle_vdev' }, { name: 'no_such_phase' }] })).body.breakpoints;
    }).then((s) => assert.equal(s.body.reason, 'function breakpoint'));
    assert.deepEqual(set.map((b) => b.verified), [true, true, false]);
    assert.match(set[2].message ?? '', /no life-cycle step runs 'no_such_phase'/);
    assert.equal((await top()).name, 'rproc_handle_vdev');
    assert.equal((await top()).line, await lineOf('resource 0: vdev'));
    const s = await stepAndWait('continue');
    assert.equal(s.body.reason, 'function breakpoint');
    assert.equal((await top()).line, await lineOf('start m4'));
  });

  it('readMemory returns the bytes the core has: the loaded table and a loaded segment', async () => {
    await launch({ ...LAUNCH, stopOnEntry: false }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'running' }] }));
    const proc = await scope('Processor');
    const tableVar = proc.find((v) => v.name === 'table')!;
    assert.ok(tableVar.memoryReference);
    const mem = await dc.customRequest('readMemory', { memoryReference: tableVar.memoryReference, count: 16 });
    const bytes = Buffer.from(mem.body.data, 'base64');
    assert.equal(bytes.readUInt32LE(0), 1, 'ver');
    assert.equal(bytes.readUInt32LE(4), 2, 'num');
    // The code segment at da 0x10000000 (pa 0x10000000 on stm32) holds the ELF's bytes.
    const elf = fs.readFileSync(M4_FW);
    const phoff = elf.readUInt32LE(28);
    const seg = Array.from({ length: elf.readUInt16LE(44) }, (_, i) => phoff + 32 * i).map((o) => ({ offset: elf.readUInt32LE(o + 4), paddr: elf.readUInt32LE(o + 12), filesz: elf.readUInt32LE(o + 16), type: elf.readUInt32LE(o) })).find((p) => p.type === 1 && p.paddr === 0x10000000)!;
    const code = await dc.customRequest('readMemory', { memoryReference: '0x10000000', count: seg.filesz });
    assert.deepEqual(Buffer.from(code.body.data, 'base64'), elf.subarray(seg.offset, seg.offset + seg.filesz));
    const map = await children((await scope('Memory regions')).find((v) => v.name === 'm4 memory map')!);
    const sram = map.find((v) => v.name === 'mcusram')!;
    assert.equal(sram.memoryReference, '0x10000000');
    const viaWindow = await dc.customRequest('readMemory', { memoryReference: sram.memoryReference, count: seg.filesz });
    assert.equal(viaWindow.body.data, code.body.data);
    const none = await dc.customRequest('readMemory', { memoryReference: '0x4', offset: 0, count: 8 });
    assert.equal(none.body.unreadableBytes, 8);
  });

  it('evaluate runs the ampw shell; setVariable changes recovery through sysfs and refuses state', async () => {
    await launch({ ...LAUNCH, stopOnEntry: false }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'running' }] }));
    assert.equal(await evaluate('cat /sys/class/remoteproc/remoteproc0/state'), 'running');
    assert.match(await evaluate('cat /nope'), /No such file or directory[\s\S]*\[exit status 1\]/);
    const cmds = (await dc.completionsRequest({ text: 'ca', column: 3 })).body.targets.map((t) => t.label);
    assert.deepEqual(cmds, ['cat']);
    const line = 'cat /sys/class/remoteproc/remoteproc0/st';
    const paths = (await dc.completionsRequest({ text: line, column: line.length + 1 })).body.targets;
    assert.deepEqual(paths.map((t) => [t.label, t.start, t.length]), [['/sys/class/remoteproc/remoteproc0/state', 5, line.length - 4]]);
    const proc = (await dc.scopesRequest({ frameId: 1 })).body.scopes[0];
    const r = await dc.setVariableRequest({ variablesReference: proc.variablesReference, name: 'recovery', value: 'disabled' });
    assert.equal(r.body.value, 'disabled');
    assert.equal(await evaluate('cat /sys/class/remoteproc/remoteproc0/recovery'), 'disabled');
    await assert.rejects(dc.setVariableRequest({ variablesReference: proc.variablesReference, name: 'state', value: 'offline' }), /not something the kernel lets a user change/);
    await assert.rejects(dc.setVariableRequest({ variablesReference: proc.variablesReference, name: 'recovery', value: 'maybe' }), /Invalid argument/);
  });

  it('a crash stops on the crash exception breakpoint, then recovery boots again', async () => {
    await launch({ ...LAUNCH, stopOnEntry: false }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'running' }] }));
    await evaluate('echo 1 > /sys/kernel/debug/remoteproc/remoteproc0/crash');
    const s = await stepAndWait('continue');
    assert.equal(s.body.reason, 'exception');
    assert.equal((await top()).line, await lineOf('crash'));
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'crash');
    assert.match(info.body.description ?? '', /crash detected in m4/);
    const again = await stepAndWait('continue');
    assert.equal(again.body.reason, 'function breakpoint');
    assert.equal((await top()).line, await lineOf('running'));
    const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames.map((f) => f.name);
    assert.ok(frames.includes('rproc_trigger_recovery'), frames.join(' < '));
    assert.equal(value(await scope('Processor'), 'crash count'), '1');
  });

  it('a boot the kernel refuses stops on `boot failure` with its words; the validator says it first', async () => {
    const args = { ...LAUNCH, program: fixture('rsc-too-many-vrings'), stopOnEntry: false };
    const first = await launch(args);
    assert.equal(first.body.reason, 'exception');
    assert.match(first.body.description ?? '', /^validation error: too many vrings: 3/);
    const s = await stepAndWait('continue');
    assert.equal(s.body.reason, 'exception');
    assert.match(s.body.text ?? '', /Failed to process resources: -22/);
    assert.equal(value(await scope('Processor'), 'state'), 'offline');
  });

  it('stops when the remote announces its channel; the rpmsg scope and the shell see /dev/ttyRPMSG0', async () => {
    const states: { phase: string; state: string }[] = [];
    dc.on('amp/state', (e: DebugProtocol.Event) => states.push(e.body));
    const s = await launch({ ...LAUNCH, stopOnEntry: false }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'rpmsg_create_channel' }] }));
    assert.equal(s.body.reason, 'function breakpoint');
    assert.match(s.body.description ?? '', /creating channel rpmsg-tty addr 0x/);
    assert.equal((await top()).line, await lineOf('channel rpmsg-tty created'));
    const bus = (await scope('rpmsg')).find((v) => v.name === 'virtio0')!;
    const chans = await children((await children(bus)).find((v) => v.name === 'channels')!);
    const tty = chans.find((v) => v.name === 'rpmsg-tty');
    assert.ok(tty, chans.map((v) => v.name).join(', '));
    assert.match(tty.value, /\/dev\/ttyRPMSG0/);
    assert.equal(await evaluate('echo hello > /dev/ttyRPMSG0; sleep 0.01; cat /dev/ttyRPMSG0'), 'hello');
    assert.deepEqual(states[states.length - 1], { ...states[states.length - 1], phase: 'channel rpmsg-tty created', state: 'running' });
    const end = await stepAndWait('continue');
    assert.equal(end.body.reason, 'pause');
    assert.match(end.body.description ?? '', /^nothing left to run: m4 is running/);
  });

  it('an rpmsg error stops on the `rpmsg error` exception breakpoint with the bus\'s words', async () => {
    await launch({ ...LAUNCH, stopOnEntry: false }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'rpmsg_create_channel' }] }));
    await evaluate('rpmsg_export_ept /dev/rpmsg_ctrl0 big 1030 1024');
    assert.match(await evaluate(`echo ${'x'.repeat(600)} > /dev/rpmsg0`), /Message too long/);
    const s = await stepAndWait('continue');
    assert.equal(s.body.reason, 'exception');
    assert.match(s.body.text ?? '', /^rpmsg_ctrl virtio0\.rpmsg_ctrl\.0\.0: message is too big \(601\)$/);
    assert.equal((await top()).line, await lineOf('channel rpmsg-tty created'), 'it stops where the life cycle is');
  });

  it('writeMemory changes live memory only; a recorded stop inside the boot refuses it', async () => {
    await launch({ ...LAUNCH, stopOnEntry: false }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'rproc_start' }] }));
    const data = Buffer.from([0xde, 0xad, 0xbe, 0xef]).toString('base64');
    await assert.rejects(dc.customRequest('writeMemory', { memoryReference: '0x10030000', data }), /the kernel already ran past this step/);
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'running' }] });
    await stepAndWait('continue');
    const w = await dc.customRequest('writeMemory', { memoryReference: '0x10030000', data });
    assert.equal(w.body.bytesWritten, 4);
    const r = await dc.customRequest('readMemory', { memoryReference: '0x10030000', count: 4 });
    assert.equal(r.body.data, data);
  });

  it('a record inside the boot shows the table before the host wrote it back', async () => {
    await launch({ ...LAUNCH, stopOnEntry: false }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'handle_vdev' }, { name: 'running' }] }));
    const before = await children((await children((await scope('Resource table')).find((v) => v.name === '[0] vdev')!)).find((v) => v.name === 'vring[0]')!);
    assert.equal(value(before, 'da'), '0xffffffff', 'FW_RSC_ADDR_ANY until the vring is allocated');
    await stepAndWait('continue');
    const after = await children((await children((await scope('Resource table')).find((v) => v.name === '[0] vdev')!)).find((v) => v.name === 'vring[0]')!);
    assert.notEqual(value(after, 'da'), '0xffffffff');
  });

  it('attaches to a core the boot loader started (am64x R5F attaches at probe)', async () => {
    const output: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    const [, , s] = await Promise.all([
      dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
      dc.attachRequest({ program: path.join(REPO_ROOT, 'examples/am64x/am64-main-r5f0_0-fw.elf'), board: 'am64x', core: 'r5f0_0' } as DebugProtocol.AttachRequestArguments),
      dc.waitForEvent('stopped') as Promise<Stopped>,
    ]);
    assert.equal(s.body.reason, 'entry');
    const lines = await sourceLines();
    assert.match(lines[0], /^attach to /);
    assert.ok(!lines.some((l) => l.startsWith('load segment')), 'attach loads nothing');
    assert.equal((await top()).line, lines.indexOf('attached') + 1);
    assert.equal(value(await scope('Processor'), 'state'), 'attached');
    assert.ok(output.some((o) => /remote processor .* is now attached/.test(o)), `the probe's log is shown: ${output.join('')}`);
    const threads = (await dc.threadsRequest()).body.threads.map((t) => t.name);
    assert.ok(threads.length > 1 && threads.every((t) => /^remoteproc\d+ \(.+\)$/.test(t)), threads.join(', '));
  });

  it('attach on stm32mp157 stops before rproc_attach and steps to attached (the loaded table, no loading)', async () => {
    const [, , s] = await Promise.all([
      dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
      dc.attachRequest({ program: M4_FW, board: 'stm32mp157', core: 'm4' } as DebugProtocol.AttachRequestArguments),
      dc.waitForEvent('stopped') as Promise<Stopped>,
    ]);
    assert.equal(s.body.reason, 'entry');
    assert.equal((await top()).name, 'rproc_attach');
    assert.equal(value(await scope('Processor'), 'state'), 'detached');
    const out = await stepAndWait('stepOut');
    assert.equal(out.body.reason, 'step');
    assert.equal((await top()).line, await lineOf('attached'));
    assert.equal(value(await scope('Processor'), 'state'), 'attached');
  });

  it('bad launch arguments give a clear error', async () => {
    await assert.rejects(dc.launch({ program: '/nonexistent/fw.elf', board: 'stm32mp157' }), /program '\/nonexistent\/fw.elf': no such file/);
    await assert.rejects(dc.launch({ program: M4_FW, board: 'beaglebone' }), /unknown board 'beaglebone' \(known: stm32mp157, am64x, zynqmp/);
    const junk = path.join(os.tmpdir(), `ampw-dap-not-elf-${process.pid}.elf`);
    fs.writeFileSync(junk, 'this is not an ELF file\n');
    try {
      await assert.rejects(dc.launch({ program: junk, board: 'stm32mp157' }), /is not a firmware ELF the kernel can load/);
    } finally {
      fs.rmSync(junk);
    }
    await assert.rejects(dc.launch({ board: 'stm32mp157' }), /"program" must name the firmware ELF/);
    await assert.rejects(dc.attachRequest({ program: M4_FW, board: 'stm32mp157', core: 'dsp' } as DebugProtocol.AttachRequestArguments), /board 'stm32mp157' has no core 'dsp'/);
  });

  it('terminate ends the session; restart stops on entry again', async () => {
    await launch();
    await stepAndWait('stepIn');
    const again = dc.waitForEvent('stopped') as Promise<Stopped>;
    await dc.restartRequest({});
    assert.equal((await again).body.reason, 'entry');
    assert.equal((await top()).line, 1);
    const ended = dc.waitForEvent('terminated');
    await dc.terminateRequest({});
    await ended;
  });
});
