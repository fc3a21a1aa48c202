import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PanelRendered } from '../../../src/common/panelMessages';
import { EXAMPLE_ELF, eventually, workspaceUri } from './helpers';

const CARVEOUT_ELF = 'test/fixtures/build/ampw-carveout-outside.elf';
const VARIANTS_C = 'test/fixtures/rsc_variants.c';

function ampDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'amp');
}

function rule(d: vscode.Diagnostic): string | undefined {
  return typeof d.code === 'object' ? String(d.code.value) : undefined;
}

/** Waits until the ELF's diagnostics satisfy `ok`. */
function diagnosticsOf(uri: vscode.Uri, ok: (ds: vscode.Diagnostic[]) => boolean, what: string, ms = 15000): Promise<vscode.Diagnostic[]> {
  return eventually(what, () => {
    const ds = ampDiagnostics(uri);
    return ok(ds) ? ds : undefined;
  }, ms);
}

describe('Problems: findings of the workspace ELFs', () => {
  it('puts the kernel\'s words on a broken ELF, with the rule and a link to the panel', async () => {
    const uri = workspaceUri(CARVEOUT_ELF);
    const ds = await diagnosticsOf(uri, (d) => d.some((x) => rule(x) === 'kernel/registered_carveout_da'), 'diagnostics on the broken ELF');
    const d = ds.find((x) => rule(x) === 'kernel/registered_carveout_da');
    assert.ok(d);
    assert.equal(d.message, "Registered carveout doesn't fit da request");
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    const target = typeof d.code === 'object' ? d.code.target : undefined;
    assert.equal(target?.scheme, 'command');
    assert.equal(target?.path, 'amp.showResourceTable');
  });

  it('has no error on the example firmware', async () => {
    // Other suites change amp.board; the rescan that follows a settings change lands a moment later.
    const uri = workspaceUri(EXAMPLE_ELF);
    await diagnosticsOf(uri, (d) => d.length > 0 && !d.some((x) => x.severity === vscode.DiagnosticSeverity.Error),
      'the example validated for stm32mp157 without error').catch((e) => {
      throw new Error(`${e.message}: ${ampDiagnostics(uri).map((d) => d.message).join('; ')}`);
    });
  });

  it('puts the finding on the C line that defines the entry, found through the ELF\'s symbol and debug info', async () => {
    const c = workspaceUri(VARIANTS_C);
    const ds = await diagnosticsOf(c, (d) => d.some((x) => x.message.includes(CARVEOUT_ELF)), 'diagnostics on rsc_variants.c');
    const d = ds.find((x) => rule(x) === 'kernel/registered_carveout_da' && x.message.includes(CARVEOUT_ELF));
    assert.ok(d, ds.map((x) => x.message).join('\n'));
    const doc = await vscode.workspace.openTextDocument(c);
    assert.equal(doc.getText(d.range), '.name = "mcuram"');
    assert.equal(d.relatedInformation?.[0].location.uri.toString(), workspaceUri(CARVEOUT_ELF).toString());
    // The example's table is defined in examples/common/resource_table.c, not in the variants.
    assert.ok(!ds.some((x) => x.message.includes(EXAMPLE_ELF)));
  });

  it('offers the board\'s carveout address as a code action on that line, and the panel at the finding', async function () {
    // After the boards, commands and debugger suites the panel's first render has been seen to take
    // 11-27 s in code-server: their panels are closed or hidden while they load, and code-server's
    // webviews share one service worker, which then waits up to 30 s for the closed page before the
    // next webview's worker can take over. Wait for it, up to the panel's own limit.
    this.timeout(60000);
    const c = workspaceUri(VARIANTS_C);
    const ds = await diagnosticsOf(c, (d) => d.some((x) => rule(x) === 'kernel/registered_carveout_da' && x.message.includes(CARVEOUT_ELF)), 'the carveout diagnostic');
    const d = ds.find((x) => rule(x) === 'kernel/registered_carveout_da' && x.message.includes(CARVEOUT_ELF));
    assert.ok(d);
    const doc = await vscode.workspace.openTextDocument(c);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', c, d.range);
    const fix = actions.find((a) => a.title.startsWith('Set da of carveout "mcuram" to 0x30000000'));
    assert.ok(fix, actions.map((a) => a.title).join('\n'));
    assert.equal(fix.isPreferred, true);
    const [[uri, edits]] = fix.edit?.entries() ?? [];
    assert.equal(uri.toString(), c.toString());
    assert.equal(edits.length, 1);
    assert.equal(doc.getText(edits[0].range), 'CARVEOUT_DA', 'the .da initializer of that carveout');
    assert.match(doc.lineAt(edits[0].range.start.line).text, /^\s*\.da = CARVEOUT_DA,/);
    assert.equal(edits[0].newText, '0x30000000');

    // Other fixtures' findings can sit on the same line, in the order their validations ended: take
    // the action that opens this diagnostic's ELF.
    const open = actions.find((a) => a.command?.command === 'amp.showResourceTable' && JSON.stringify(a.command.arguments).includes(path.basename(CARVEOUT_ELF)));
    assert.ok(open?.command);
    const r = await vscode.commands.executeCommand<PanelRendered>(open.command.command, ...(open.command.arguments ?? []));
    assert.equal(r?.file, CARVEOUT_ELF);
    assert.ok(r && r.selected && 'finding' in r.selected, JSON.stringify(r));
    assert.equal(r.highlighted, 12);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('follows the build: a new ELF gets diagnostics, a rebuilt one new ones, a deleted one none', async () => {
    // In the (gitignored) fixture build folder, which exists before the watcher starts: a file
    // written into a folder created a moment earlier can beat the watcher's watch on that folder.
    const elf = workspaceUri(`test/fixtures/build/watched-${process.pid}.elf`);
    try {
      fs.copyFileSync(workspaceUri(EXAMPLE_ELF).fsPath, elf.fsPath);
      await diagnosticsOf(elf, (d) => d.length > 0 && !d.some((x) => x.severity === vscode.DiagnosticSeverity.Error), 'diagnostics for the new ELF');
      fs.copyFileSync(workspaceUri(CARVEOUT_ELF).fsPath, elf.fsPath);
      await diagnosticsOf(elf, (d) => d.some((x) => rule(x) === 'kernel/registered_carveout_da'), 'diagnostics for the rebuilt ELF');
      fs.rmSync(elf.fsPath);
      await diagnosticsOf(elf, (d) => d.length === 0, 'no diagnostics for the deleted ELF');
    } finally {
      fs.rmSync(elf.fsPath, { force: true });
    }
  });

  it('validates only what amp.validate.glob matches', async () => {
    const config = vscode.workspace.getConfiguration('amp');
    try {
      await config.update('validate.glob', 'examples/**/*.elf', vscode.ConfigurationTarget.Global);
      await diagnosticsOf(workspaceUri(CARVEOUT_ELF), (d) => d.length === 0, 'the fixture out of the glob');
      assert.ok(ampDiagnostics(workspaceUri(EXAMPLE_ELF)).length > 0, 'the example is still in it');
    } finally {
      await config.update('validate.glob', undefined, vscode.ConfigurationTarget.Global);
    }
    await diagnosticsOf(workspaceUri(CARVEOUT_ELF), (d) => d.length > 0, 'the fixture back in the glob');
  });
});
