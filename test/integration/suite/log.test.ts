import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ampLogLine, eventually } from './helpers';
import { act, clearSettings, freshSession } from './faces';

describe('kernel log', () => {
  after(clearSettings);

  it('writes the host\'s kernel log to the AMP channel in the kernel\'s words with virtual timestamps', async () => {
    await freshSession();
    await act('amp.boot');
    await ampLogLine('[info]', '[    0.000000] remoteproc remoteproc0: powering up m4');
    await ampLogLine('[info]', '] virtio_rpmsg_bus virtio0: creating channel rpmsg-tty addr 0x400');
  });

  it('writes dev_err lines at level error', async () => {
    await act('amp.crash', undefined, 'watchdog');
    await ampLogLine('[error]', 'remoteproc remoteproc0: crash detected in m4: type watchdog');
  });

  it('"Show Kernel Log" opens dmesg as an amp-log document that follows new lines', async () => {
    const api = await freshSession();
    await act('amp.boot');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('amp.showLog');
    const doc = editor.document;
    assert.equal(doc.languageId, 'amp-log');
    assert.equal(doc.uri.toString(), 'amp:/dmesg');
    assert.equal(doc.getText(), api.session.current!.dmesg());
    await act('amp.stop');
    await eventually('the stop in the document', () => (doc.getText().includes('stopped remote processor m4') ? true : undefined));
    assert.equal(doc.getText(), api.session.current!.dmesg());
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
