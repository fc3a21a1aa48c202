import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PanelRendered } from '../../../src/common/panelMessages';
import { EXAMPLE_ELF, eventually, workspaceUri } from './helpers';

const VIEW_TYPE = 'amp.resourceTable';
const CARVEOUT_ELF = 'test/fixtures/build/ampw-carveout-outside.elf';

function show(arg?: unknown): Thenable<PanelRendered | undefined> {
  return vscode.commands.executeCommand<PanelRendered | undefined>('amp.showResourceTable', arg);
}

function activeCustomTab(): vscode.TabInputCustom | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom ? input : undefined;
}

describe('resource-table panel (amp.resourceTable)', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('AMP: Show Resource Table opens the custom editor and the page renders every entry, the map and the bytes', async () => {
    const r = await show(workspaceUri(EXAMPLE_ELF));
    assert.ok(r, 'the webview reported its render');
    assert.equal(r.file, EXAMPLE_ELF);
    // The example's table: an rpmsg vdev and the trace buffer, 140 bytes.
    assert.equal(r.entries, 2);
    assert.equal(r.hexBytes, 140);
    assert.ok(r.findings >= 1, 'the example has its info findings (vring align 16)');
    assert.ok(r.mapShapes >= 6, `memory windows, segments, carveouts, trace, table: ${r.mapShapes} shapes`);
    assert.equal(r.overlaps, 0);
    const tab = activeCustomTab();
    assert.equal(tab?.viewType, VIEW_TYPE);
    assert.equal(tab?.uri.toString(), workspaceUri(EXAMPLE_ELF).toString());
  });

  it('is a "Reopen With" editor: vscode.openWith opens it, and the command then finds that panel', async () => {
    const uri = workspaceUri(CARVEOUT_ELF);
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
    await eventually('the custom editor tab', () => (activeCustomTab()?.viewType === VIEW_TYPE ? true : undefined));
    const r = await show(uri);
    assert.equal(r?.file, CARVEOUT_ELF);
    assert.equal(r?.entries, 3);
    assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputCustom).length, 1, 'one panel, not two');
  });

  it('reveals a finding: its bytes are highlighted in the hex view', async () => {
    const uri = workspaceUri(CARVEOUT_ELF);
    const result = await vscode.commands.executeCommand<{ findings: { rule: string }[] }>('amp.validate', uri);
    const id = result.findings.findIndex((f) => f.rule === 'kernel/registered_carveout_da');
    assert.ok(id >= 0);
    const r = await show({ uri, finding: id });
    assert.deepEqual(r?.selected, { finding: id });
    // da, pa, len of the carveout: the bytes the kernel's check reads.
    assert.equal(r?.highlighted, 12);
  });

  it('reveals an entry: all of its bytes are highlighted', async () => {
    const r = await show({ uri: workspaceUri(CARVEOUT_ELF).toString(), entry: 0 });
    assert.deepEqual(r?.selected, { entry: 0 });
    assert.equal(r?.highlighted, 56, 'type word + struct fw_rsc_carveout');
  });

  it('keeps the selection when hidden and shown again', async () => {
    const uri = workspaceUri(CARVEOUT_ELF);
    await show({ uri, entry: 2 });
    await vscode.commands.executeCommand('vscode.open', workspaceUri('package.json'));
    await eventually('the panel hidden', () => (activeCustomTab() ? undefined : true));
    const r = await show(uri);
    assert.deepEqual(r?.selected, { entry: 2 }, 'restored from the webview state');
    assert.equal(r?.entries, 3);
  });

  it('follows the file: a rebuilt ELF re-renders the panel', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-panel-'));
    const file = path.join(dir, 'firmware.elf');
    try {
      fs.copyFileSync(workspaceUri(EXAMPLE_ELF).fsPath, file);
      const uri = vscode.Uri.file(file);
      const first = await show(uri);
      assert.equal(first?.entries, 2);
      fs.copyFileSync(workspaceUri(CARVEOUT_ELF).fsPath, file);
      await eventually('the rebuilt ELF rendered', async () => ((await show(uri))?.entries === 3 ? true : undefined), 15000);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('follows the board setting: the same ELF judged for another core re-renders with its findings', async () => {
    const uri = workspaceUri(EXAMPLE_ELF);
    const onStm32 = await show(uri);
    const config = vscode.workspace.getConfiguration('amp');
    try {
      await config.update('board', 'zynqmp', vscode.ConfigurationTarget.Global);
      // The M4 image is linked for memory the R5 does not have: more findings (segments outside its memory).
      await eventually('the panel re-rendered for zynqmp', async () => {
        const r = await show(uri);
        return r && onStm32 && r.findings > onStm32.findings ? true : undefined;
      });
    } finally {
      await config.update('board', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('shows a file that is not an ELF without failing', async () => {
    const r = await show(workspaceUri('package.json'));
    assert.ok(r);
    assert.equal(r.entries, 0);
    assert.ok(r.findings >= 1, 'the sanity check refuses it');
  });
});
