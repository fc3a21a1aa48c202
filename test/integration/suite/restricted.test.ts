// Runs only through test/integration/restricted.sh: the project folder open in Restricted Mode
// (workspace trust on, folder not trusted). Validation, Problems and the resource-table panel work;
// boot, the terminal and the debugger are refused. AMP_SHOWN_LOG is the file the driver writes
// every notification to.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { PanelRendered } from '../../../src/common/panelMessages';
import { EXAMPLE_ELF, ampApi, eventually, validate, workspaceUri } from './helpers';

describe('restricted mode (untrusted workspace)', () => {
  const shownLog = process.env.AMP_SHOWN_LOG;

  before(function () {
    if (!shownLog) this.skip();
  });

  const shown = (part: string) =>
    eventually(`a message with "${part}"`, () => fs.readFileSync(shownLog ?? '', 'utf8').split('\n').find((l) => l.includes(part)), 15000);

  it('runs the extension in an untrusted folder', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const api = await ampApi();
    assert.ok(api.session);
  });

  it('validates, fills Problems and opens the resource-table panel', async () => {
    const result = await validate(workspaceUri(EXAMPLE_ELF));
    assert.equal(result?.ok, true);
    const broken = workspaceUri('test/fixtures/build/rsc-too-many-vrings.elf');
    await eventually('Problems for a broken fixture', () =>
      vscode.languages.getDiagnostics(broken).some((d) => d.source === 'amp' && d.message === 'too many vrings: 3') ? true : undefined, 15000);
    const r = await vscode.commands.executeCommand<PanelRendered>('amp.showResourceTable', workspaceUri(EXAMPLE_ELF));
    assert.equal(r?.entries, 2);
  });

  it('refuses boot and the terminal, saying they need a trusted workspace', async () => {
    const api = await ampApi();
    assert.equal(await vscode.commands.executeCommand('amp.boot'), undefined);
    assert.equal(await vscode.commands.executeCommand('amp.openTerminal'), undefined);
    assert.equal(api.session.current, undefined, 'nothing was simulated');
    assert.equal(api.terminals.length, 0);
    assert.match(await shown('AMP: booting and talking to a remote core needs a trusted workspace'), /validation works without/);
  });

  it('leaves the debugger to VS Code\'s trust request: no amp session starts', async () => {
    // VS Code asks for trust before any debug session ("Debugging executes build tasks and program
    // code from your workspace."); its dialog service shows no dialog under test, so the request
    // stays open here. What can fail: a session of ours starting anyway.
    let answered: boolean | undefined;
    void vscode.debug.startDebugging(undefined, {
      type: 'amp', request: 'launch', name: 'AMP untrusted', program: workspaceUri(EXAMPLE_ELF).fsPath, board: 'stm32mp157', stopOnEntry: true,
    }).then((b) => (answered = b));
    await new Promise((r) => setTimeout(r, 3000));
    assert.notEqual(answered, true);
    assert.equal(vscode.debug.activeDebugSession, undefined);
  });
});
