import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ampLogLine, eventually } from './helpers';
import { act, clearSettings, freshSession } from './faces';

describe('kernel log', () => {
  after(clearSettings);

  it('writes the host\'s kernel log to the AMP channel in the kernel\'s words with virtual timestamps', async () => {
    await freshSession();
    await act('amp.boot');
    // Virtual time follows the clock from the system's creation: the stamp is dmesg's, its value varies.
    const line = await ampLogLine('[info]', '] remoteproc remoteproc0: powering up m4');
    assert.match(line, /\[info\] \[ {4}\d\.\d{6}\] remoteproc remoteproc0: powering up m4$/);
    await ampLogLine('[info]', '] virtio_rpmsg_bus virtio0: creating channel rpmsg-tty addr 0x400');
  });

  it('writes dev_err lines at level error', async () => {
    await act('amp.crash', undefined, 'watchdog');
    await ampLogLine('[error]', 'remoteproc remoteproc0: crash detected in m4: type watchdog');
  });

  it('writes each remote\'s trace buffer to its own output channel, a new run after the last', async () => {
    const api = await freshSession();
    await act('amp.boot');
    const channel = () => api.traceChannels().find((c) => c.name === 'AMP trace: m4 (remoteproc0/trace0)');
    const runs = (): number => (channel()?.written.split('stm32mp157 m4: rpmsg-tty echo firmware\n').length ?? 1) - 1;
    // Earlier suites may have written runs to the same channel: this boot is the last one in it.
    await eventually('the trace channel', () => (channel()?.written.endsWith('stm32mp157 m4: rpmsg-tty echo firmware\nm4: watchdog WWDG1 started, refreshed every 50 ms\nrpmsg: waiting for virtio DRIVER_OK\nrpmsg: virtio device ready\nrpmsg: announced rpmsg-tty at 0x400\n') ? true : undefined));
    const before = runs();
    await act('amp.stop');
    await act('amp.boot');
    await eventually('the second run', () => (runs() === before + 1 ? true : undefined));
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
