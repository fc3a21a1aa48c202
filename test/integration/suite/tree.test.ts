import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ProcessorNode } from '../../../src/extension/processorsTree';
import { eventually } from './helpers';
import { act, child, clearSettings, freshSession, icon, rows } from './faces';

describe('Remote Processors tree', () => {
  after(clearSettings);

  it('is empty before anything is simulated, so the welcome view shows', async () => {
    const api = await freshSession();
    assert.deepEqual(await api.processors.getChildren(), []);
    const pkg = vscode.extensions.getExtension('amp-workbench.amp-workbench')!.packageJSON;
    const welcome = pkg.contributes.viewsWelcome.find((w: { view: string }) => w.view === 'amp.processors');
    assert.match(welcome.contents, /command:amp\.selectBoard/);
    assert.match(welcome.contents, /command:amp\.openExample/);
  });

  it('shows one node per core with state and firmware, and the booted core\'s resources', async () => {
    const api = await freshSession();
    await act('amp.boot');
    const top = await rows(api);
    assert.deepEqual(top.map((r) => r.item.label), ['m4']);
    const m4 = top[0];
    assert.equal(m4.item.description, 'running · rproc-m4-fw.elf');
    assert.equal(m4.item.contextValue, 'core.running');
    assert.equal(icon(m4.item), 'pass-filled');
    assert.equal(m4.item.id, 'core:remoteproc0');
    assert.deepEqual((await rows(api, m4.node)).map((r) => r.item.label), ["the firmware's code runs", 'carveouts', 'trace0', 'vdev0 (rpmsg)']);
  });

  it('lists carveouts with da, pa and size, and the trace buffer with its lines', async () => {
    const api = await freshSession();
    await act('amp.boot');
    const [m4] = await rows(api);
    const carveouts = await child(api, m4.node, 'carveouts');
    const ring = await child(api, carveouts.node, 'vdev0vring0');
    assert.equal(ring.item.description, 'da 0x10040000 · pa 0x10040000 · 4 KiB');
    assert.equal((await child(api, carveouts.node, 'vdev0buffer')).item.description, 'da 0x10042000 · pa — · 16 KiB · not mapped');
    const trace = await child(api, m4.node, 'trace0');
    assert.match(String(trace.item.description), /^da 0x10020090 · 2 KiB · 3 lines$/);
    assert.equal(trace.item.command?.command, 'amp.openTrace');
  });

  it('lists the vdev, its vrings with avail/used indices, rpmsg channels with src/dst and endpoints', async () => {
    const api = await freshSession();
    await act('amp.boot');
    const [m4] = await rows(api);
    const vdev = await child(api, m4.node, 'vdev0 (rpmsg)');
    assert.equal(vdev.item.description, 'virtio0 · status 0x7 ACKNOWLEDGE|DRIVER|DRIVER_OK');
    const vring0 = await child(api, vdev.node, 'vring0');
    assert.match(String(vring0.item.description), /^da 0x10040000 · num 16 · align 16 · notifyid 0 · avail \d+ · used \d+$/);
    const channels = await child(api, vdev.node, 'rpmsg channels');
    const tty = await child(api, channels.node, 'rpmsg-tty');
    assert.equal(tty.item.description, 'src 0x400 → dst 0x400 · /dev/ttyRPMSG0');
    assert.equal(tty.item.contextValue, 'channel.terminal');
    const endpoints = await child(api, vdev.node, 'endpoints');
    const labels = (await rows(api, endpoints.node)).map((r) => `${r.item.label} ${r.item.description}`);
    assert.ok(labels.includes('0x35 virtio0.rpmsg_ns.53.53'), JSON.stringify(labels));
    assert.ok(labels.includes('0x400 virtio0.rpmsg-tty.-1.1024'), JSON.stringify(labels));
  });

  it('follows the traffic: the host\'s tx ring index and the bus counters move when a message goes out', async () => {
    const api = await freshSession();
    await act('amp.boot');
    const [m4] = await rows(api);
    const vdev = await child(api, m4.node, 'vdev0 (rpmsg)');
    const avail = async (): Promise<number> => Number(/avail (\d+)/.exec(String((await child(api, vdev.node, 'vring1')).item.description))?.[1]);
    const before = await avail();
    const counters = async (): Promise<string> => String((await child(api, vdev.node, 'rpmsg channels')).item.description);
    // The name-service announcement of rpmsg-tty is the one message received so far.
    assert.equal(await counters(), 'virtio0 · 3 · sent 0, received 1');
    assert.equal((await api.session.shell('echo hi > /dev/ttyRPMSG0')).status, 0);
    await eventually('the tx ring to advance', async () => ((await avail()) === before + 1 ? true : undefined));
    await eventually('the counters', async () => ((await counters()) === 'virtio0 · 3 · sent 1, received 2' ? true : undefined));
  });

  it('updates live from core events: only the changed core node is fired, with the same id', async () => {
    const api = await freshSession();
    await act('amp.boot');
    const [m4] = await rows(api);
    await rows(api, m4.node);
    const fired: (ProcessorNode | ProcessorNode[] | undefined)[] = [];
    const sub = api.processors.onDidChangeTreeData((e) => fired.push(e));
    try {
      await act('amp.stop');
      await eventually('a tree change', () => (fired.length ? true : undefined));
      assert.ok(fired.every((e) => Array.isArray(e) && e.length === 1 && e[0].id === 'core:remoteproc0'), JSON.stringify(fired));
      const [after] = await rows(api);
      assert.equal(after.node, m4.node, 'the same node object');
      assert.equal(after.item.description, 'offline · rproc-m4-fw.elf');
      assert.equal(after.item.contextValue, 'core.offline');
      assert.deepEqual(await api.processors.getChildren(after.node), []);
    } finally {
      sub.dispose();
    }
  });

  it('keeps the selection across a stop and a boot (stable ids)', async () => {
    const api = await freshSession();
    await act('amp.boot');
    await vscode.commands.executeCommand('workbench.view.extension.amp');
    const [m4] = await rows(api);
    await api.processorsView.reveal(m4.node, { select: true, focus: false });
    await eventually('the selection', () => (api.processorsView.selection.length ? true : undefined));
    await act('amp.stop');
    await act('amp.boot');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(api.processorsView.selection.map((n) => (n as ProcessorNode).id), ['core:remoteproc0']);
  });

  it('opens a trace buffer as a read-only document that follows the buffer', async () => {
    const api = await freshSession();
    await act('amp.boot');
    const [m4] = await rows(api);
    const trace = await child(api, m4.node, 'trace0');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(trace.item.command!.command, ...trace.item.command!.arguments!);
    const doc = editor.document;
    assert.equal(doc.uri.toString(), 'amp:/remoteproc0/trace0');
    assert.equal(doc.languageId, 'amp-log');
    assert.match(doc.getText(), /^m4 remote firmware: booting\nrpmsg service: rpmsg-tty\n/);
    await act('amp.stop');
    await eventually('the document to follow the stop', () => (doc.getText() === '' ? true : undefined));
    await act('amp.boot');
    await eventually('the document to follow the new run', () => (doc.getText().startsWith('m4 remote firmware: booting') ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
