import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, ampApi, eventually } from './helpers';

describe('extension', () => {
  it('loads from the development path and activates by itself on the workspace ELFs', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} not loaded: is engines.vscode above the host's ${vscode.version}?`);
    // No activate() call here: workspaceContains:**/*.elf must do it.
    await eventually('activation by workspaceContains', () => (ext.isActive ? true : undefined), 15000);
    assert.equal(ext.packageJSON.main, './dist/extension.js');
  });

  it('registers every command it contributes once active', async () => {
    await ampApi();
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const contributed: string[] = ext?.packageJSON.contributes.commands.map((c: { command: string }) => c.command) ?? [];
    assert.ok(contributed.includes('amp.validate'));
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
  });

  it('contributes the settings amp.board and amp.core with their defaults', () => {
    const config = vscode.workspace.getConfiguration('amp');
    assert.equal(config.inspect('board')?.defaultValue, 'stm32mp157');
    assert.equal(config.inspect('core')?.defaultValue, '');
  });
});
