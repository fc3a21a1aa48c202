// Runs only through test/integration/vsix.sh, against the extension installed from the .vsix
// (AMP_VSIX_EXTENSIONS_DIR is its extensions folder); pending in the development-host run.
import assert from 'node:assert/strict';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PanelRendered } from '../../../src/shared/panelMessages';
import { EXAMPLE_ELF, EXTENSION_ID, eventually, workspaceUri } from './helpers';

describe('installed .vsix', () => {
  const installed = process.env.AMP_VSIX_EXTENSIONS_DIR;

  it('loads from the folder --install-extension put it in, opens the panel and fills Problems', async function () {
    if (!installed) this.skip();
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    assert.equal(path.dirname(ext.extensionPath), installed, 'the installed copy, not the project');
    await ext.activate();
    const r = await vscode.commands.executeCommand<PanelRendered>('amp.showResourceTable', workspaceUri(EXAMPLE_ELF));
    // The webview ran dist/webview/panel.js from the package and drew the table, the map and the bytes.
    assert.equal(r?.entries, 2);
    assert.equal(r?.hexBytes, 140);
    assert.ok((r?.mapShapes ?? 0) > 0);
    const broken = workspaceUri('test/fixtures/build/rsc-too-many-vrings.elf');
    await eventually('Problems for a broken fixture', () =>
      vscode.languages.getDiagnostics(broken).some((d) => d.source === 'amp' && d.message === 'too many vrings: 3') ? true : undefined, 15000);
  });
});
