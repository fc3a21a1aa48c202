// The `amp` adapter's code thread, driven over stdio by the DAP test client on the example firmware
// (built -O2 -g) in the whole stm32mp157 system: the life-cycle thread and the M4's code thread in
// one session, C breakpoints, the stack and locals from DWARF, the message bytes in memory, steps
// by line and by instruction, registers, instruction breakpoints, faults and disassembly.
import assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { useAdapter } from './dapClient';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { fixture, FIXTURE_BUILD_DIR, M4_O0_FIXTURES, REPO_ROOT } from '../../fixtures/fixtures';
import { gdbAvailable, runGdb, startAmpwServer } from '../../oracle/gdbBatch';

const M4_FW = path.join(REPO_ROOT, 'examples/stm32mp157/rproc-m4-fw.elf');
/** The same sources built -O0 in test/fixtures/build, apart from them. */
const M4_FW_O0 = fixture(M4_O0_FIXTURES[0].name);
const RPMSG_C = path.join(REPO_ROOT, 'examples/stm32mp157/rpmsg.c');
const LAUNCH = { program: M4_FW, board: 'stm32mp157' };
const LIFECYCLE = 1;
const CODE = 1001;

type Stopped = DebugProtocol.StoppedEvent;

/** The line of rpmsg.c holding `text` (1-based). */
function rpmsgLine(text: string): number {
  const i = fs.readFileSync(RPMSG_C, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `no '${text}' in rpmsg.c`);
  return i + 1;
}

describe('debug adapter: the firmware code thread (ampw dap)', function () {
  this.timeout(30000);
  const client = useAdapter(15000);
  let dc: DebugClient;
  beforeEach(() => (dc = client()));

  async function launch(configure: () => Promise<unknown>, program = M4_FW): Promise<Stopped> {
    const [, , stopped] = await Promise.all([
      dc.waitForEvent('initialized').then(configure).then(() => dc.configurationDoneRequest()),
      dc.launch({ ...LAUNCH, program }),
      dc.waitForEvent('stopped') as Promise<Stopped>,
    ]);
    return stopped;
  }

  async function run(request: () => Promise<unknown>): Promise<Stopped> {
    const wait = dc.waitForEvent('stopped') as Promise<Stopped>;
    await request();
    return wait;
  }

  async function frames(threadId: number): Promise<DebugProtocol.StackFrame[]> {
    return (await dc.stackTraceRequest({ threadId })).body.stackFrames;
  }

  async function scope(frameId: number, name: string): Promise<DebugProtocol.Variable[]> {
    const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
    const s = scopes.find((x) => x.name === name);
    assert.ok(s, `no scope ${name} in ${scopes.map((x) => x.name).join(', ')}`);
    return (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
  }

  const find = (vars: DebugProtocol.Variable[], name: string): DebugProtocol.Variable => {
    const v = vars.find((x) => x.name === name);
    assert.ok(v, `no ${name} in ${vars.map((x) => x.name).join(', ')}`);
    return v;
  };

  async function children(v: DebugProtocol.Variable): Promise<DebugProtocol.Variable[]> {
    assert.ok(v.variablesReference > 0, `${v.name} has no children`);
    return (await dc.variablesRequest({ variablesReference: v.variablesReference })).body.variables;
  }

  async function evaluate(expression: string): Promise<string> {
    return (await dc.evaluateRequest({ expression, context: 'repl' })).body.result;
  }

  it('a line sent to /dev/ttyRPMSG0 stops in the rx callback with the life cycle beside it; the message is read, stepped, continued', async () => {
    const line = rpmsgLine('const struct rpmsg_hdr *in = buf;');
    let set: DebugProtocol.Breakpoint[] = [];
    const first = await launch(async () => {
      set = (await dc.setBreakpointsRequest({ source: { path: RPMSG_C }, breakpoints: [{ line }] })).body.breakpoints;
      await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'rpmsg_create_channel' }] });
    });
    assert.equal(set[0].verified, true, set[0].message);
    assert.equal(first.body.threadId, LIFECYCLE);
    assert.deepEqual((await dc.threadsRequest()).body.threads.map((t) => [t.id, t.name]), [[LIFECYCLE, 'remoteproc0 (m4)'], [CODE, 'm4 code (cortex-m4)']]);
    assert.equal(await evaluate('echo hi > /dev/ttyRPMSG0'), '');

    const hit = await run(() => dc.continueRequest({ threadId: LIFECYCLE }));
    assert.equal(hit.body.reason, 'breakpoint', hit.body.description);
    assert.equal(hit.body.threadId, CODE);
    assert.equal(hit.body.allThreadsStopped, true);
    const stack = await frames(CODE);
    assert.equal(stack[0].name, 'rpmsg_serve');
    assert.equal(stack[0].source?.path, RPMSG_C);
    assert.ok(stack.some((f) => f.name === 'main'), `unwound through the IPCC interrupt's entry to main: ${stack.map((f) => f.name).join(' < ')}`);
    assert.ok(stack.some((f) => f.name.startsWith('<exception entry')), stack.map((f) => f.name).join(' < '));
    // The life cycle is still there, where the host stands.
    assert.equal((await frames(LIFECYCLE))[0].name, 'rpmsg_create_channel');

    // The message: rpmsg header (16 bytes) and "hi\n", in the buffer `in` points at.
    const locals = await scope(stack[0].id, 'Locals');
    const inVar = find(locals, 'in');
    assert.match(inVar.value, /^\(const struct rpmsg_hdr \*\) 0x1004[0-9a-f]{4}$/);
    const hdr = await children((await children(inVar))[0]);
    assert.equal(find(hdr, 'len').value, '3');
    assert.equal(find(hdr, 'dst').value, '1024');
    const addr = Number(/0x[0-9a-f]+$/.exec(inVar.value)![0]);
    const mem = await dc.customRequest('readMemory', { memoryReference: `m4:0x${addr.toString(16)}`, offset: 16, count: 3 });
    assert.equal(Buffer.from(mem.body.data, 'base64').toString('latin1'), 'hi\n');

    const stepped = await run(() => dc.nextRequest({ threadId: CODE }));
    assert.equal(stepped.body.reason, 'step');
    assert.equal(stepped.body.threadId, CODE);
    const after = (await frames(CODE))[0];
    assert.equal(after.name, 'rpmsg_serve');
    assert.notEqual(after.line, stack[0].line, 'a step by line moves to another line');

    await dc.setBreakpointsRequest({ source: { path: RPMSG_C }, breakpoints: [] });
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const end = await run(() => dc.continueRequest({ threadId: CODE }));
    assert.equal(end.body.reason, 'pause');
    assert.match(end.body.description ?? '', /^nothing left to run/);
    assert.equal(await evaluate('cat /dev/ttyRPMSG0'), 'hi', 'the firmware echoed the line');
  });

  it("a breakpoint on the life cycle's rproc_handle_vdev and one on the firmware's rpmsg_start both stop in one run", async () => {
    let set: DebugProtocol.Breakpoint[] = [];
    const first = await launch(async () => {
      set = (await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'rproc_handle_vdev' }, { name: 'rpmsg_start' }, { name: 'no_such_function' }] })).body.breakpoints;
    });
    assert.deepEqual(set.map((b) => b.verified), [true, true, false]);
    assert.match(set[1].instructionReference ?? '', /^m4:0x100005[78][0-9a-f]$/);
    assert.match(set[2].message ?? '', /the firmware has no function of that name/);
    assert.equal(first.body.threadId, LIFECYCLE);
    assert.equal((await frames(LIFECYCLE))[0].name, 'rproc_handle_vdev');
    // The kernel ran the whole boot in one call (the life cycle shows its record): the core is out of reset already.
    assert.equal((await frames(CODE))[0].name, 'reset_handler');
    const second = await run(() => dc.continueRequest({ threadId: LIFECYCLE }));
    assert.equal(second.body.reason, 'function breakpoint');
    assert.equal(second.body.threadId, CODE);
    const top = (await frames(CODE))[0];
    assert.equal(top.name, 'rpmsg_start');
    assert.equal(top.source?.name, 'rpmsg.c');
    assert.equal(await evaluate('cat /sys/class/remoteproc/remoteproc0/state'), 'running');
  });

  it('haltSystem false: the life cycle runs the host on while the code thread stays halted, until the M4\'s watchdog resets the core and the kernel recovers it', async () => {
    const [, , first] = await Promise.all([
      dc.waitForEvent('initialized').then(() => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'rpmsg_start' }] })).then(() => dc.configurationDoneRequest()),
      dc.launch({ ...LAUNCH, haltSystem: false }),
      dc.waitForEvent('stopped') as Promise<Stopped>,
    ]);
    assert.equal(first.body.threadId, CODE);
    const pc = (await frames(CODE))[0].instructionPointerReference;
    const stopped = dc.waitForEvent('stopped') as Promise<Stopped>;
    assert.equal((await dc.continueRequest({ threadId: LIFECYCLE })).body.allThreadsContinued, false, 'the code thread stays halted');
    const crash = await stopped;
    assert.equal(crash.body.threadId, LIFECYCLE);
    assert.match(await evaluate('dmesg'), /remoteproc remoteproc0: crash detected in m4: type watchdog$/m);
    assert.equal((await frames(CODE))[0].instructionPointerReference === pc, false, 'the watchdog reset the halted core');
  });

  it('haltSystem must be a boolean', async () => {
    await assert.rejects(dc.launch({ ...LAUNCH, haltSystem: 'no' }), /"haltSystem" must be true or false \(got "no"\)/);
  });

  it('registers with named fields, an instruction breakpoint, a step by instruction, a register written', async () => {
    await launch(() => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'rpmsg_start' }] }));
    const top = (await frames(CODE))[0];
    const regs = await scope(top.id, 'Registers');
    assert.equal(find(regs, 'pc').value, top.instructionPointerReference!.replace('m4:', ''));
    const xpsr = await children(find(regs, 'xPSR'));
    assert.equal(find(xpsr, 'T').value, '1');
    assert.match(find(xpsr, 'exception number').value, /^\d+ \(IRQ\d+\)$/, 'rpmsg_start runs in the IPCC interrupt');
    assert.match(find(await children(find(regs, 'CONTROL')), 'nPRIV').value, /^0 \(privileged/);
    assert.equal((await children(find(regs, 'FPU'))).length, 33);
    for (const n of ['PRIMASK', 'BASEPRI', 'FAULTMASK', 'MSP', 'PSP']) find(regs, n);

    const pc = Number(find(regs, 'pc').value);
    const one = await run(() => dc.nextRequest({ threadId: CODE, granularity: 'instruction' }));
    assert.equal(one.body.reason, 'step');
    const pc2 = Number(find(await scope((await frames(CODE))[0].id, 'Registers'), 'pc').value);
    assert.ok(pc2 === pc + 2 || pc2 === pc + 4, `one instruction on: 0x${pc.toString(16)} → 0x${pc2.toString(16)}`);

    const ib = await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: `m4:0x${pc.toString(16)}`, offset: 8 }] });
    assert.equal(ib.body.breakpoints[0].verified, true);
    const at = await run(() => dc.continueRequest({ threadId: CODE }));
    assert.equal(at.body.reason, 'instruction breakpoint');
    const r = await scope((await frames(CODE))[0].id, 'Registers');
    assert.equal(Number(find(r, 'pc').value), pc + 8);
    const ref = (await dc.scopesRequest({ frameId: (await frames(CODE))[0].id })).body.scopes.find((s) => s.name === 'Registers')!.variablesReference;
    assert.equal((await dc.setVariableRequest({ variablesReference: ref, name: 'r12', value: '0x1234' })).body.value, '0x00001234');
    assert.equal(find(await scope((await frames(CODE))[0].id, 'Registers'), 'r12').value, '0x00001234');
  });

  it('a jump to memory nothing answers stops on the fault caught at its handler, CFSR decoded', async () => {
    await launch(() => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'rpmsg_start' }] }));
    const top = (await frames(CODE))[0];
    const ref = (await dc.scopesRequest({ frameId: top.id })).body.scopes.find((s) => s.name === 'Registers')!.variablesReference;
    await dc.setVariableRequest({ variablesReference: ref, name: 'pc', value: '0x70000000' });
    const s = await run(() => dc.continueRequest({ threadId: CODE }));
    assert.equal(s.body.reason, 'exception');
    assert.equal(s.body.threadId, CODE);
    assert.match(s.body.text ?? '', /^HardFault at PC 0x70000000; HFSR FORCED; CFSR 0x00000100 \(IBUSERR\)$/);
    const info = await dc.exceptionInfoRequest({ threadId: CODE });
    assert.equal(info.body.exceptionId, 'HardFault');
    assert.equal((await frames(CODE))[0].name, 'fault_handler');
  });

  it('disassembles around the pc as objdump does, with the C line of each instruction', async () => {
    await launch(() => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'rpmsg_start' }] }));
    const top = (await frames(CODE))[0];
    const d = await dc.customRequest('disassemble', { memoryReference: top.instructionPointerReference, instructionOffset: -2, instructionCount: 6 });
    const ins: DebugProtocol.DisassembledInstruction[] = d.body.instructions;
    assert.equal(ins.length, 6);
    const objdump = execFileSync('arm-none-eabi-objdump', ['-d', M4_FW], { encoding: 'utf8' });
    for (const i of ins) {
      const addr = Number(i.address).toString(16);
      const m = new RegExp(`^${addr}:\\t([0-9a-f ]+?)\\s*\\t(.*)$`, 'm').exec(objdump);
      assert.ok(m, `objdump has no ${addr}`);
      assert.equal(i.instructionBytes, m[1].trim());
      assert.equal(i.instruction, m[2].replace(/\t/g, ' '));
    }
    assert.equal(Number(ins[2].address), Number(top.instructionPointerReference!.replace('m4:', '')));
    assert.equal(ins[2].location?.path, RPMSG_C);
    assert.equal(ins[2].line, top.line);
    assert.match(ins[2].symbol ?? '', /^rpmsg_start/);
  });

  it('a condition on a member, a log message, watch expressions on locals and globals (what -O2 leaves of them)', async () => {
    const output: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    const line = rpmsgLine('const struct rpmsg_hdr *in = buf;');
    const copy = rpmsgLine('copy_payload((uint32_t *)(out + 1)');
    await launch(async () => {
      const set = (await dc.setBreakpointsRequest({ source: { path: RPMSG_C }, breakpoints: [{ line, condition: 'in->len == 4' }, { line: copy, logMessage: 'echo {len} bytes, size {size}' }] })).body.breakpoints;
      assert.deepEqual(set.map((b) => b.verified), [true, true]);
      await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'rpmsg_create_channel' }] });
    });
    await evaluate('echo a > /dev/ttyRPMSG0; echo bcd > /dev/ttyRPMSG0');
    const s = await run(() => dc.continueRequest({ threadId: LIFECYCLE }));
    assert.equal(s.body.reason, 'breakpoint');
    const top = (await frames(CODE))[0];
    const watch = async (expression: string) => (await dc.evaluateRequest({ expression, context: 'watch', frameId: top.id })).body;
    assert.equal((await watch('in->len')).result, '4', 'the condition let "a\n" (2 bytes) pass');
    assert.equal((await watch('in->src')).result, '1024');
    assert.equal((await watch('state')).result, 'ANNOUNCED');
    assert.equal((await watch('resource_table.vring[1].num')).result, '16');
    assert.equal((await watch('in->len == 4 && state != 0')).result, '1');
    const hdr = await watch('*in');
    assert.equal(hdr.result, '{src = 1024, dst = 1024, reserved = 0, len = 4, flags = 0}');
    assert.ok(hdr.variablesReference > 0);
    await assert.rejects(watch('nosuch'), /no variable or register 'nosuch' here/);
    // At -O2 `size` is not kept past its last use: the log message says so where it stands.
    assert.ok(output.includes("echo 2 bytes, size <no variable or register 'size' here>\n"), `the log point for "a\n": ${output.filter((o) => o.startsWith('echo')).join('')}`);
  });

  it("a data breakpoint on a global stops on the host loader's write, then on the firmware's own", async () => {
    await launch(async () => {
      const info = await dc.dataBreakpointInfoRequest({ name: 'trace_pos' });
      assert.match(info.body.description, /^trace_pos \(4 bytes at 0x1002[0-9a-f]{4}\)$/);
      const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
      assert.equal(set.body.breakpoints[0].verified, true);
      const none = await dc.dataBreakpointInfoRequest({ name: 'no_such_global' });
      assert.equal(none.body.dataId, null);
    }).then((s) => {
      assert.equal(s.body.reason, 'data breakpoint');
      assert.equal(s.body.threadId, CODE);
      assert.match(s.body.description ?? '', /^trace_pos: write at 0x1002[0-9a-f]{4} by the host$/);
    });
    const fw = await run(() => dc.continueRequest({ threadId: CODE }));
    assert.equal(fw.body.reason, 'data breakpoint');
    assert.match(fw.body.description ?? '', /^trace_pos: write at 0x1002[0-9a-f]{4} by the instruction at 0x1000[0-9a-f]{4}$/);
    assert.equal((await frames(CODE))[0].name, 'reset_handler', 'the start-up clears .bss');
  });

  it("a read data breakpoint on an expression (the used ring of the host's rx vring) stops when the host reads it", async () => {
    await launch(() => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'rpmsg_create_channel' }] }));
    const info = await dc.dataBreakpointInfoRequest({ name: 'to_host.used->idx' });
    assert.match(info.body.description, /^to_host\.used->idx \(2 bytes at 0x1004[0-9a-f]{4}\)$/);
    assert.deepEqual(info.body.accessTypes, ['write', 'read', 'readWrite']);
    const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'read' }] });
    assert.equal(set.body.breakpoints[0].verified, true);
    const bad = await dc.dataBreakpointInfoRequest({ name: 'to_host.nosuch' });
    assert.equal(bad.body.dataId, null);
    assert.match(bad.body.description, /nosuch/);
    assert.equal(await evaluate('echo hi > /dev/ttyRPMSG0'), '');
    const s = await run(() => dc.continueRequest({ threadId: LIFECYCLE }));
    assert.equal(s.body.reason, 'data breakpoint');
    assert.equal(s.body.threadId, CODE);
    const addr = /0x1004[0-9a-f]{4}/.exec(info.body.description)![0];
    assert.equal(s.body.description, `to_host.used->idx: read at ${addr} by the host`);
    // the host read the index in its vq0 interrupt, took the echo there, and the system halted after it
    assert.equal(await evaluate('cat /dev/ttyRPMSG0'), 'hi');
  });

  it("-O0: Locals show the rx path's parameters and locals with their values, as gdb-multiarch's info args and info locals do", async function () {
    if (!gdbAvailable()) this.skip();
    const serve = rpmsgLine('vring_put_used(&to_host, out_id, sizeof(*out) + len);');
    await launch(async () => {
      await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'rpmsg_create_channel' }, { name: 'copy_payload' }] });
      await dc.setBreakpointsRequest({ source: { path: RPMSG_C }, breakpoints: [{ line: serve }] });
    }, M4_FW_O0);
    assert.equal(await evaluate('echo hi > /dev/ttyRPMSG0'), '');
    // The Variables view shows a pointer with its type, as gdb's print does; info locals leaves the type out.
    const shown = async () => (await scope((await frames(CODE))[0].id, 'Locals')).map((v) => `${v.name} = ${v.value.replace(/^\(.*\) (?=0x)/, '')}`).sort();
    const copy = await run(() => dc.continueRequest({ threadId: LIFECYCLE }));
    assert.equal(copy.body.reason, 'function breakpoint');
    assert.equal((await frames(CODE))[0].name, 'copy_payload');
    const atCopy = await shown();
    // the message the host sent: its length, and its bytes where `from` points
    assert.ok(atCopy.includes('len = 3'), atCopy.join('; '));
    const from = /^\(const uint32_t \*\) (0x1004[0-9a-f]{4})$/.exec(find(await scope((await frames(CODE))[0].id, 'Locals'), 'from').value);
    assert.ok(from, 'from points into the shared memory');
    const bytes = await dc.customRequest('readMemory', { memoryReference: `m4:${from[1]}`, count: 3 });
    assert.equal(Buffer.from(bytes.body.data, 'base64').toString('latin1'), 'hi\n');
    const line = await run(() => dc.continueRequest({ threadId: CODE }));
    assert.equal(line.body.reason, 'breakpoint');
    const atServe = await shown();
    assert.ok(atServe.includes('len = 3') && atServe.includes('size = 19'), atServe.join('; '));

    // gdb-multiarch on the same ELF under ampw gdbserver, stopped at the same two places after the same message
    const server = await startAmpwServer(path.join(REPO_ROOT, 'out/src/cli/main.js'), ['--board', 'stm32mp157', '--firmware', path.basename(M4_FW_O0)], FIXTURE_BUILD_DIR);
    const commands = ['break rpmsg_serve', 'continue', 'delete', 'monitor shell echo hi > /dev/ttyRPMSG0', 'break copy_payload', `break rpmsg.c:${serve}`];
    const gdb = await runGdb(server.port, path.basename(M4_FW_O0), [...commands, 'continue', 'echo @@\\n', 'info args', 'info locals', 'continue', 'echo @@\\n', 'info args', 'info locals', 'echo @@\\n'], FIXTURE_BUILD_DIR).finally(() => server.stop());
    const [, first, second] = gdb.output.split('@@\n');
    const answered = (text: string | undefined) => (text ?? '').split('\n').filter((l) => / = /.test(l)).sort();
    assert.deepEqual(answered(first), atCopy, gdb.output);
    assert.deepEqual(answered(second), atServe, gdb.output);
  });

  it('step out returns to the caller; pause stops a running core', async () => {
    await launch(() => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'rpmsg_start' }] }));
    const out = await run(() => dc.stepOutRequest({ threadId: CODE }));
    assert.equal(out.body.reason, 'step');
    const top = (await frames(CODE))[0];
    assert.equal(top.name, 'ipcc_received');
    assert.equal(top.source?.name, 'main.c');
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'no_such_function' }] });
    await dc.setBreakpointsRequest({ source: { path: RPMSG_C }, breakpoints: [{ line: rpmsgLine('const struct rpmsg_hdr *in = buf;') }] });
    const wait = dc.waitForEvent('stopped') as Promise<Stopped>;
    await dc.continueRequest({ threadId: CODE });
    await dc.pauseRequest({ threadId: CODE });
    const p = await wait;
    assert.equal(p.body.reason, 'pause');
    assert.equal(p.body.threadId, CODE);
  });
});
