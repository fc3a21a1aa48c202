// The Remote Processors tree's nodes and rows, read from a real simulated stm32mp157 running the
// example firmware, with endpoints exported through the host's shell.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { KernelError } from '../../../src/core/kernel/errno';
import { attachRpmsg } from '../../../src/core/rpmsg/attachRpmsg';
import { Shell } from '../../../src/core/shell/shell';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { createSystem, type AmpSystem } from '../../../src/core/system';
import { ProcessorsModel, type ProcessorNode } from '../../../src/extension/processorsModel';

const ROOT = path.resolve(__dirname, '../../../..');

function running(): AmpSystem {
  const data = fs.readFileSync(path.join(ROOT, 'examples/stm32mp157/rproc-m4-fw.elf'));
  const system = createSystem({ board: findBoard('stm32mp157')!, firmware: { name: 'rproc-m4-fw.elf', data } });
  attachRpmsg(system);
  system.files.write('/sys/class/remoteproc/remoteproc0/state', 'start\n');
  system.runFor(1e9);
  const noDisk = { readFile: (): Uint8Array => { throw new KernelError('ENOENT'); } };
  const shell = new Shell(system, noDisk, { out: () => undefined, err: (t) => assert.fail(t) });
  for (const name of ['one', 'two']) assert.equal(shell.run(`rpmsg_export_ept /dev/rpmsg_ctrl0 ${name}`), 0);
  system.runFor(1e8);
  return system;
}

const find = (model: ProcessorsModel, parent: ProcessorNode | undefined, kind: ProcessorNode['kind']): ProcessorNode => {
  const n = model.children(parent).find((c) => c.kind === kind);
  assert.ok(n, `no ${kind} under ${parent?.id ?? 'the root'}`);
  return n;
};

describe('Remote Processors model', () => {
  it('has no nodes before a system exists', () => {
    assert.deepEqual(new ProcessorsModel(() => undefined).children(), []);
  });

  it('shows the running core with its vdev, vrings with their indices, channels and the exported endpoints', () => {
    const system = running();
    const model = new ProcessorsModel(() => system);
    const core = find(model, undefined, 'core');
    assert.equal(core.id, 'core:remoteproc0');
    const row = model.row(core);
    assert.equal(row.label, 'm4');
    assert.match(row.description!, /^running · rproc-m4-fw\.elf$/);
    assert.equal(row.contextValue, 'core.running');
    assert.equal(row.icon, 'pass-filled');
    const vdev = find(model, core, 'vdev');
    assert.match(model.row(vdev).description!, /DRIVER_OK/);
    const vrings = model.children(vdev).filter((n) => n.kind === 'vring');
    assert.equal(vrings.length, 2);
    for (const v of vrings) assert.match(model.row(v).description!, /· avail \d+ · used \d+$/);
    const channels = model.children(find(model, vdev, 'channels')).map((n) => model.row(n).label);
    assert.ok(channels.includes('rpmsg-tty'), channels.join(', '));
    const endpoints = model.children(find(model, vdev, 'endpoints'));
    const exported = endpoints.map((n) => model.nodeOf(n)?.node).filter((n) => n && /^\/dev\/rpmsg\d+$/.test(n));
    assert.equal(exported.length, 2, 'the two exported endpoints, each with its /dev/rpmsgN');
    for (const n of endpoints) assert.equal(model.parent(n)?.kind, 'endpoints');
  });

  it('keeps node objects across re-reads and reports the changed core once', () => {
    const system = running();
    const model = new ProcessorsModel(() => system);
    const core = find(model, undefined, 'core');
    const before = model.children(find(model, core, 'vdev'));
    assert.deepEqual(model.reread(['remoteproc0', 'remoteproc9']).map((n) => n === core), [true]);
    const after = model.children(find(model, core, 'vdev'));
    assert.ok(before.every((n, i) => n === after[i]), 'same objects: VS Code keeps expansion and selection');
  });

  it('follows a stop only when re-read', () => {
    const system = running();
    const model = new ProcessorsModel(() => system);
    const core = find(model, undefined, 'core');
    assert.equal(model.row(core).contextValue, 'core.running');
    system.files.write('/sys/class/remoteproc/remoteproc0/state', 'stop\n');
    system.runFor(1e8);
    assert.equal(model.row(core).contextValue, 'core.running', 'the last read until the session says it changed');
    model.reread(['remoteproc0']);
    assert.equal(model.row(core).contextValue, 'core.offline');
    assert.equal(model.row(core).icon, 'circle-large-outline');
  });
});
