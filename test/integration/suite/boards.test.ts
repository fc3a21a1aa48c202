// Boards and ELFs as a user meets them in VS Code: a board of the workspace's `.amp/boards` in the
// amp.board setting and the Select Board pick, the board schema in the JSON editor, the
// resource-table panel as the editor of `*.elf`, and the tree following a debug session.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import stm32 from '../../../src/core/soc/boards/stm32mp157.json';
import { builtinBoards } from '../../../src/core/soc/boardLoader';
import { EXAMPLE_ELF, eventually, validate, workspaceUri } from './helpers';
import { clearSettings, freshSession } from './faces';

const BOARD_DIR = workspaceUri('.amp/boards').fsPath;

describe('boards of the workspace and the editors of board files and ELFs', () => {
  const lab = path.join(BOARD_DIR, 'lab.json');

  before(() => {
    fs.mkdirSync(BOARD_DIR, { recursive: true });
    fs.writeFileSync(lab, JSON.stringify({ ...stm32, id: 'lab-mp157', name: 'Lab board' }, null, 2));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clearSettings();
    fs.rmSync(workspaceUri('.amp').fsPath, { recursive: true, force: true });
  });

  it('takes a .amp/boards board in the amp.board setting', async () => {
    await freshSession({ board: 'lab-mp157' });
    const result = await validate(workspaceUri(EXAMPLE_ELF));
    assert.equal(result?.board, 'lab-mp157');
    assert.equal(result?.ok, true);
  });

  it('offers .amp/boards boards in Select Board, after the bundled ones', async () => {
    await freshSession();
    const picking = vscode.commands.executeCommand<{ board: string; core: string }>('amp.selectBoard');
    await new Promise((r) => setTimeout(r, 300));
    // The bundled boards' cores come first, one row each: the next row is the workspace board's core.
    const bundledRows = builtinBoards().flatMap((b) => b.cores).length;
    for (let i = 0; i < bundledRows; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.deepEqual(await picking, { board: 'lab-mp157', core: 'm4' });
    assert.equal(vscode.workspace.getConfiguration('amp').get('board'), 'lab-mp157');
  });

  it('gives the board schema to the JSON editor of .amp/boards/*.json: errors and completion', async () => {
    const broken = path.join(BOARD_DIR, 'broken.json');
    const j = JSON.parse(JSON.stringify(stm32));
    j.cores[0].driver = 'imx_rproc';
    fs.writeFileSync(broken, JSON.stringify(j, null, 2));
    const doc = await vscode.workspace.openTextDocument(broken);
    await vscode.window.showTextDocument(doc);
    const problems = await eventually('the schema\'s error on the driver', () => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => /stm32_rproc/.test(x.message));
      return d.length ? d : undefined;
    }, 20000);
    assert.equal(doc.getText(problems[0].range), '"imx_rproc"');
    const empty = path.join(BOARD_DIR, 'new.json');
    fs.writeFileSync(empty, '{\n  \n}\n');
    const newDoc = await vscode.workspace.openTextDocument(empty);
    await vscode.window.showTextDocument(newDoc);
    const labels = await eventually('completion of the board fields', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', newDoc.uri, new vscode.Position(1, 2));
      const names = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label).replace(/"/g, ''));
      return names.includes('reservedMemory') ? names : undefined;
    }, 20000);
    assert.ok(labels.includes('cores') && labels.includes('host'), labels.join(', '));
  });

  it('opens an .elf in the resource-table panel by default; the text editor stays a Reopen With away', async () => {
    const elf = workspaceUri(EXAMPLE_ELF);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vscode.open', elf);
    const tab = await eventually('the ELF tab', () => vscode.window.tabGroups.activeTabGroup.activeTab ?? undefined);
    assert.ok(tab.input instanceof vscode.TabInputCustom, `opened as ${tab.input?.constructor.name}`);
    assert.equal(tab.input.viewType, 'amp.resourceTable');
    await vscode.commands.executeCommand('vscode.openWith', elf, 'default');
    const text = await eventually('the text editor', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputText ? input : undefined;
    });
    assert.equal(text.uri.toString(), elf.toString());
  });

  it('Remote Processors follows an amp debug session, then goes back to the settings\' system', async () => {
    const api = await freshSession();
    assert.deepEqual(api.processors.getChildren(), []);
    const started = await vscode.debug.startDebugging(undefined, {
      type: 'amp', request: 'launch', name: 'AMP follow', program: workspaceUri(EXAMPLE_ELF).fsPath, board: 'stm32mp157', stopOnEntry: true,
    });
    assert.equal(started, true);
    const session = await eventually('the tree following the session', () => api.processors.debugSession);
    assert.equal(session.name, 'AMP follow');
    assert.equal(api.processorsView.description, 'debugging AMP follow');
    const [core] = api.processors.getChildren();
    const item = api.processors.getTreeItem(core);
    assert.equal(item.label, 'm4');
    assert.match(String(item.description), /^offline/);
    assert.equal(item.contextValue, undefined, 'no boot/stop buttons on a debugged core: they act on the settings\' system');
    assert.equal(api.session.current, undefined, 'the tree shows the debugged system, not one of its own');
    await session.customRequest('continue', { threadId: 1 });
    await eventually('the debugged core running in the tree', () =>
      /^running/.test(String(api.processors.getTreeItem(api.processors.getChildren()[0]).description)) ? true : undefined, 15000);
    const trace = api.processors.getChildren(api.processors.getChildren()[0]).map((n) => api.processors.getTreeItem(n)).find((i) => i.label === 'trace0');
    assert.ok(trace, 'the debugged core\'s trace buffer');
    assert.equal(trace.command, undefined, 'opening a trace reads the settings\' system, not the debugged one');
    await vscode.debug.stopDebugging(session);
    await eventually('the tree back on the settings\' system', () => (api.processors.debugSession ? undefined : true));
    assert.deepEqual(api.processors.getChildren(), []);
    assert.equal(api.processorsView.description, undefined);
  });
});
