// Runs only through test/integration/vsix.sh, against the extension installed from the .vsix
// (AMP_VSIX_EXTENSIONS_DIR is its extensions folder); pending in the development-host run.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PanelRendered } from '../../../src/common/panelMessages';
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

  // The Details page renders the README with no base URL under `img-src https: data:`: only inline
  // pictures show there offline. Links to other files must reach files the package holds.
  it('its README shows every picture inline and links only to files the package holds', function () {
    if (!installed) this.skip();
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const name = fs.readdirSync(ext.extensionPath).find((f) => /^readme\.md$/i.test(f));
    assert.ok(name, 'no README in the package');
    const text = fs.readFileSync(path.join(ext.extensionPath, name), 'utf8');
    const targets = [...text.matchAll(/(!?)\[[^\]]*\]\(([^)\s]+)[^)]*\)|<(img|a)\s[^>]*(?:src|href)="([^"]+)"/g)]
      .map((m) => ({ picture: m[1] === '!' || m[3] === 'img', target: m[2] ?? m[4] }));
    const pictures = targets.filter((t) => t.picture);
    const source = fs.readFileSync(workspaceUri('README.md').fsPath, 'utf8');
    assert.equal(pictures.length, source.match(/!\[[^\]]*\]\(/g)?.length, 'pictures in the packaged README and in the project\'s');
    for (const { target } of pictures) {
      const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(target);
      assert.ok(m, `picture not inline: ${target.slice(0, 80)}`);
      const png = Buffer.from(m[1], 'base64');
      assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', 'inline picture is not a PNG');
      // IHDR width: a screenshot of the workbench, not a thumbnail.
      assert.ok(png.readUInt32BE(16) >= 1000, `inline picture ${png.readUInt32BE(16)} px wide`);
    }
    const files = targets.filter((t) => !t.picture && !/^(https?:|mailto:|#)/.test(t.target)).map((t) => decodeURI(t.target.split('#')[0]));
    assert.ok(files.length > 0, 'the README links no document');
    for (const file of files) {
      const full = path.resolve(ext.extensionPath, file);
      assert.ok(full.startsWith(ext.extensionPath + path.sep) && fs.existsSync(full), `${file} is not in the package`);
    }
  });
});
