// The `type: amp` debugger in the real VS Code: a launch of the example firmware stops on entry,
// a function breakpoint stops at the vdev's DRIVER_OK, the debug console runs the ampw shell, and
// a breakpoint set in the firmware's C source stops its code thread when a line typed in an RPMsg
// terminal on the debugged system reaches the firmware (the Done case).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXAMPLE_ELF, ampApi, eventually, workspaceUri } from './helpers';
import { child, openTerminal, rows, stopDebugging, typeInto } from './faces';

interface Stop {
  readonly reason: string;
  readonly description?: string;
  readonly threadId?: number;
}

const RPMSG_C = 'examples/stm32mp157/rpmsg.c';
/** The M4's code thread in the session (the life cycle's is 1). */
const CODE_THREAD = 1001;

describe('debugger type amp', () => {
  const stops: Stop[] = [];
  const states: { phase: string; state: string }[] = [];
  let disposables: vscode.Disposable[] = [];

  before(async () => {
    await ampApi();
    disposables = [
      vscode.debug.registerDebugAdapterTrackerFactory('amp', {
        createDebugAdapterTracker: () => ({
          onDidSendMessage: (m: { type: string; event?: string; body?: Stop }) => {
            if (m.type === 'event' && m.event === 'stopped' && m.body) stops.push(m.body);
          },
        }),
      }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.event === 'amp/state') states.push(e.body);
      }),
    ];
  });

  after(async () => {
    await stopDebugging(await ampApi());
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    for (const d of disposables) d.dispose();
  });

  async function nextStop(after: number): Promise<Stop> {
    return eventually(`stop #${after + 1}`, () => stops[after], 15000);
  }

  async function topFrame(session: vscode.DebugSession): Promise<{ name: string; line: number }> {
    const r = await session.customRequest('stackTrace', { threadId: 1 });
    return r.stackFrames[0];
  }

  it('F5 with the example ELF in the active tab: no program, no board given, it stops on entry', async () => {
    await vscode.commands.executeCommand('vscode.open', workspaceUri(EXAMPLE_ELF));
    const before = stops.length;
    assert.equal(await vscode.debug.startDebugging(undefined, { type: 'amp', request: 'launch', name: 'F5', stopOnEntry: true }), true);
    const entry = await nextStop(before);
    assert.equal(entry.reason, 'entry');
    const session = await eventually('the amp session', () => vscode.debug.activeDebugSession);
    assert.equal(session.configuration.program, workspaceUri(EXAMPLE_ELF).fsPath);
    assert.equal(session.configuration.board, 'stm32mp157', 'from the amp.board setting');
    await vscode.debug.stopDebugging(session);
    await eventually('the F5 session ended', () => (vscode.debug.activeDebugSession ? undefined : true));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('launches the example firmware and stops on entry at `request firmware`', async () => {
    const before = stops.length;
    const started = await vscode.debug.startDebugging(undefined, {
      type: 'amp',
      request: 'launch',
      name: 'AMP integration',
      program: workspaceUri(EXAMPLE_ELF).fsPath,
      board: 'stm32mp157',
      stopOnEntry: true,
    });
    assert.equal(started, true);
    const session = await eventually('the amp session', () => vscode.debug.activeDebugSession);
    assert.equal(session.type, 'amp');
    const entry = await nextStop(before);
    assert.equal(entry.reason, 'entry');
    assert.deepEqual(await topFrame(session), { ...(await topFrame(session)), name: 'request_firmware', line: 1 });
    const threads = await session.customRequest('threads');
    assert.equal(threads.threads[0].name, 'remoteproc0 (m4)');
    await eventually('amp/state at entry', () => (states.length ? true : undefined));
    assert.equal(states[states.length - 1].state, 'offline');
  });

  it('a function breakpoint stops at the vdev DRIVER_OK; the console runs the shell', async () => {
    const session = vscode.debug.activeDebugSession;
    assert.ok(session);
    vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint('virtio_device_ready')]);
    const before = stops.length;
    // Let VS Code send the breakpoint before continuing.
    await eventually('the function breakpoint verified', async () => {
      const r = await session.customRequest('setFunctionBreakpoints', { breakpoints: [{ name: 'virtio_device_ready' }] });
      return r.breakpoints[0].verified ? true : undefined;
    });
    await session.customRequest('continue', { threadId: 1 });
    const hit = await nextStop(before);
    assert.equal(hit.reason, 'function breakpoint');
    const frame = await topFrame(session);
    assert.equal(frame.name, 'virtio_device_ready');
    const scopes = await session.customRequest('scopes', { frameId: 1 });
    const rings = scopes.scopes.find((s: { name: string }) => s.name === 'Vrings');
    const vars = await session.customRequest('variables', { variablesReference: rings.variablesReference });
    assert.match(vars.variables[0].value, /^da 0x1004[0-9a-f]{4}, pa 0x1004/);
    await session.customRequest('continue', { threadId: 1 });
    await nextStop(before + 1);
    const r = await session.customRequest('evaluate', { expression: 'cat /sys/class/remoteproc/remoteproc0/state', context: 'repl' });
    assert.equal(r.result, 'running');
  });

  it("a breakpoint in the firmware's rpmsg_serve stops its code thread on a line typed in an RPMsg terminal on the debugged system; the message is read, stepped, continued, echoed", async () => {
    const api = await ampApi();
    const session = vscode.debug.activeDebugSession;
    assert.ok(session);
    const source = workspaceUri(RPMSG_C);
    const text = (await vscode.workspace.openTextDocument(source)).getText().split('\n');
    const line = text.findIndex((l) => l.includes('const struct rpmsg_hdr *in = buf;'));
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(source, new vscode.Position(line, 0)))]);
    let said = '';
    await eventually('the C breakpoint verified', async () => {
      const r = await session.customRequest('setBreakpoints', { source: { path: source.fsPath }, breakpoints: [{ line: line + 1 }] });
      said = r.breakpoints[0].message ?? '';
      return r.breakpoints[0].verified ? true : undefined;
    }).catch((e: Error) => assert.fail(`${e.message}: ${said}`));
    const threads = await session.customRequest('threads');
    assert.deepEqual(threads.threads.map((t: { name: string }) => t.name), ['remoteproc0 (m4)', 'm4 code (cortex-m4)']);

    // The tree follows the session; its channel row opens a terminal on the debugged system.
    assert.equal(api.processors.description, `debugging ${session.name}`);
    const [m4] = await rows(api);
    const channels = await child(api, (await child(api, m4.node, 'vdev0 (rpmsg)')).node, 'rpmsg channels');
    const tty = await child(api, channels.node, 'rpmsg-tty');
    assert.equal(tty.item.contextValue, 'channel.terminal', 'the terminal action is offered while the tree follows the session');
    const pty = await openTerminal(api, tty.node);
    assert.equal(pty.node, '/dev/ttyRPMSG0');
    assert.ok(vscode.window.terminals.some((t) => t.name === `RPMsg ttyRPMSG0 (m4) · debugging ${session.name}`), vscode.window.terminals.map((t) => t.name).join(', '));

    // Continue: the breakpoint keeps the system running; the line typed reaches the firmware.
    const before = stops.length;
    await session.customRequest('continue', { threadId: 1 });
    typeInto(pty, 'hi\r');
    const hit = await nextStop(before);
    assert.equal(hit.reason, 'breakpoint');
    assert.equal(hit.threadId, CODE_THREAD);
    const frames = (await session.customRequest('stackTrace', { threadId: CODE_THREAD })).stackFrames;
    assert.equal(frames[0].name, 'rpmsg_serve');
    // VS Code in a browser hands the adapter's paths back as URIs of the remote (vscode-remote://host/path).
    assert.ok(frames[0].source.path.endsWith(source.path), frames[0].source.path);
    const life = (await session.customRequest('stackTrace', { threadId: 1 })).stackFrames;
    assert.equal(life[0].name, 'rpmsg_create_channel', "the host's life cycle beside it, where the host stands");
    const inVar = await session.customRequest('evaluate', { expression: 'in', context: 'watch', frameId: frames[0].id });
    const addr = Number(/0x[0-9a-f]+$/.exec(inVar.result)![0]);
    const mem = await session.customRequest('readMemory', { memoryReference: `m4:0x${addr.toString(16)}`, offset: 16, count: 3 });
    assert.equal(Buffer.from(mem.data, 'base64').toString('latin1'), 'hi\n');

    // A line typed while the core is stopped waits in the host's ring: the terminal says why.
    typeInto(pty, 'there\r');
    await eventually('the notice', () => (pty.transcript.includes('[AMP] the whole system is halted: a core stopped for its debugger: the remote reads what you send when the system runs on') ? true : undefined));
    assert.equal(pty.received, '');

    await session.customRequest('next', { threadId: CODE_THREAD });
    const stepped = await nextStop(before + 1);
    assert.equal(stepped.reason, 'step');
    assert.equal(stepped.threadId, CODE_THREAD);
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await session.customRequest('setBreakpoints', { source: { path: source.fsPath }, breakpoints: [] });
    await session.customRequest('continue', { threadId: CODE_THREAD });
    await eventually('both lines echoed in the terminal', () => (pty.received === 'hi\nthere\n' ? true : undefined));
  });

  it('the terminal follows a restart: its channel goes with the old system and comes back with the new one; a line typed while paused goes out at the next continue', async () => {
    const api = await ampApi();
    const session = vscode.debug.activeDebugSession;
    assert.ok(session);
    const pty = api.terminals[api.terminals.length - 1];
    const before = stops.length;
    await vscode.commands.executeCommand('workbench.action.debug.restart');
    assert.equal((await nextStop(before)).reason, 'entry');
    await eventually('the notice', () => (pty.transcript.includes('[AMP] /dev/ttyRPMSG0 went away: the debug session restarted with a new simulated system') ? true : undefined));
    await session.customRequest('continue', { threadId: 1 });
    await nextStop(before + 1);
    await eventually('the channel back', () => (pty.transcript.includes('[AMP] rpmsg-tty is back as /dev/ttyRPMSG0') ? true : undefined));
    typeInto(pty, 'again\r');
    await eventually('the notice', () => (pty.transcript.includes('[AMP] the debug session is paused: the remote reads what you send when the system runs on') ? true : undefined));
    assert.equal(pty.received, 'hi\nthere\n');
    await session.customRequest('continue', { threadId: 1 });
    await eventually('the echo', () => (pty.received === 'hi\nthere\nagain\n' ? true : undefined));
  });

  it('the terminal on the debugged system says so when the session ends', async () => {
    const api = await ampApi();
    const pty = api.terminals[api.terminals.length - 1];
    await vscode.debug.stopDebugging();
    await eventually('the notice', () => (pty.transcript.includes('[AMP] /dev/ttyRPMSG0 went away: the debug session ended') ? true : undefined));
    assert.equal(api.processors.description, undefined, 'the tree shows the settings\' session again');
  });
});
