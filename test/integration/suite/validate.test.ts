import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXAMPLE_ELF, ampLogLine, eventually, validate, workspaceUri } from './helpers';

const BROKEN_ELF = 'test/fixtures/build/rsc-too-many-vrings.elf';
const BROKEN_MESSAGE = 'too many vrings: 3';

describe('AMP: Validate Firmware ELF', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const config = vscode.workspace.getConfiguration('amp');
    await config.update('board', undefined, vscode.ConfigurationTarget.Global);
    await config.update('core', undefined, vscode.ConfigurationTarget.Global);
  });

  it('finds no error in the example firmware for the default board and core', async () => {
    const result = await validate(workspaceUri(EXAMPLE_ELF));
    assert.ok(result);
    assert.equal(result.file, EXAMPLE_ELF);
    assert.equal(result.board, 'stm32mp157');
    assert.equal(result.core, 'm4');
    assert.deepEqual(result.findings.filter((f) => f.severity === 'error'), []);
    assert.equal(result.ok, true);
  });

  it('gives the kernel message for a broken firmware', async () => {
    const result = await validate(workspaceUri(BROKEN_ELF));
    assert.ok(result);
    assert.equal(result.ok, false);
    const errors = result.findings.filter((f) => f.severity === 'error');
    assert.ok(errors.some((f) => f.message === BROKEN_MESSAGE && f.rule.startsWith('kernel/')),
      `findings: ${JSON.stringify(result.findings, null, 1)}`);
  });

  it('follows the board\'s driver: stm32 boots without the table it cannot read, and says so', async () => {
    const result = await validate(workspaceUri('test/fixtures/build/rsc-bad-version.elf'));
    assert.ok(result);
    assert.equal(result.ok, true);
    const warnings = result.findings.filter((f) => f.severity === 'warning').map((f) => f.message);
    assert.ok(warnings.includes('unsupported fw ver: 2'), JSON.stringify(warnings));
  });

  it('writes the run and every finding to the AMP log channel', async () => {
    const result = await validate(workspaceUri(BROKEN_ELF));
    assert.ok(result);
    await ampLogLine('[info]', `validate ${BROKEN_ELF} for board stm32mp157, core m4`);
    for (const f of result.findings) await ampLogLine(`[${f.severity === 'warning' ? 'warning' : f.severity}]`, BROKEN_ELF, f.rule, f.message);
    await ampLogLine('[info]', `${BROKEN_ELF}: the kernel would refuse it`);
  });

  it('takes the ELF of the active editor when given none', async () => {
    await vscode.commands.executeCommand('vscode.open', workspaceUri(EXAMPLE_ELF));
    await eventually('the ELF tab', () => vscode.window.tabGroups.activeTabGroup.activeTab ?? undefined);
    const result = await validate();
    assert.equal(result?.file, EXAMPLE_ELF);
  });

  it('asks for an ELF of the workspace when there is no argument and no editor', async () => {
    const running = validate();
    let settled = false;
    void running.then(() => (settled = true), () => (settled = true));
    // The quick pick opens once findFiles is done; accept its first item as soon as it is there.
    await eventually('the ELF quick pick', async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return settled ? true : undefined;
    });
    const result = await running;
    assert.ok(result, 'the quick pick was accepted, so an ELF must have been validated');
    assert.match(result.file, /\.elf$/);
    assert.ok(!/node_modules|\.vscode-test/.test(result.file), result.file);
  });

  it('does nothing when the quick pick is dismissed', async () => {
    const running = validate();
    let settled = false;
    void running.then(() => (settled = true), () => (settled = true));
    await eventually('the ELF quick pick to close', async () => {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      return settled ? true : undefined;
    });
    assert.equal(await running, undefined);
  });

  it('checks against the board and core of the settings', async () => {
    const config = vscode.workspace.getConfiguration('amp');
    await config.update('board', 'zynqmp', vscode.ConfigurationTarget.Global);
    await config.update('core', 'r5_1', vscode.ConfigurationTarget.Global);
    const result = await validate(workspaceUri(EXAMPLE_ELF));
    assert.equal(result?.board, 'zynqmp');
    assert.equal(result?.core, 'r5_1');
    // The M4 image is linked for the M4's memory, which the R5 does not have.
    assert.equal(result?.ok, false);
    assert.ok(result?.findings.some((f) => f.rule === 'ampw/segment-outside-memory' && f.message.includes('outside the memory of r5_1')));
  });

  it('refuses an unknown board and says which boards exist', async () => {
    await vscode.workspace.getConfiguration('amp').update('board', 'no-such-board', vscode.ConfigurationTarget.Global);
    assert.equal(await validate(workspaceUri(EXAMPLE_ELF)), undefined);
    await ampLogLine('[error]', "unknown board 'no-such-board'", 'stm32mp157');
  });
});
