// The `type: amp` debugger in the real VS Code: a launch of the example firmware stops on entry,
// a function breakpoint stops at the vdev's DRIVER_OK, the debug console runs the ampw shell.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXAMPLE_ELF, ampApi, eventually, workspaceUri } from './helpers';

interface Stop {
  readonly reason: string;
  readonly description?: string;
}

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
    await vscode.debug.stopDebugging();
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
});
