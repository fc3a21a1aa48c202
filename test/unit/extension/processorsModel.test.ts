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
import { ProcessorsModel, type ProcessorNode, type ProcessorRow } from '../../../src/extension/processorsModel';
import { remoteSystemOptions, type RemoteChoice } from '../../../src/common/remoteChoice';
import { fixture } from '../../fixtures/fixtures';

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

describe('Remote Processors model: what runs on a core', () => {
  /** `file` booted on `board`'s first core for 100 ms of virtual time, with a stand-in when `app` is given. */
  function booted(board: string, file: string, choice: RemoteChoice = { app: undefined, unmodelled: 'ignore' }): AmpSystem {
    const system = createSystem({ board: findBoard(board)!, firmware: { name: path.basename(file), data: fs.readFileSync(file) }, ...remoteSystemOptions(choice) });
    system.files.write(`/sys/class/remoteproc/${system.rprocs[0].devName}/state`, 'start\n');
    system.runFor(1e8);
    return system;
  }

  function execution(system: AmpSystem): { core: ProcessorRow; row: ProcessorRow } {
    const model = new ProcessorsModel(() => system);
    const core = find(model, undefined, 'core');
    const first = model.children(core)[0];
    assert.equal(first?.kind, 'execution', 'the first row under a released core says what runs on it');
    assert.equal(model.parent(first), core);
    return { core: model.row(core), row: model.row(first) };
  }

  it('has no execution row while the core is held in reset', () => {
    const system = createSystem({ board: findBoard('stm32mp157')!, firmware: { name: 'm4.elf', data: fs.readFileSync(path.join(ROOT, 'examples/stm32mp157/rproc-m4-fw.elf')) } });
    const model = new ProcessorsModel(() => system);
    assert.deepEqual(model.children(find(model, undefined, 'core')), []);
  });

  it('says the firmware\'s own code runs on the M4, and the row opens its console', () => {
    const { core, row } = execution(booted('stm32mp157', path.join(ROOT, 'examples/stm32mp157/rproc-m4-fw.elf')));
    assert.equal(row.label, 'the firmware\'s code runs');
    assert.equal(row.description, 'cortex-m4');
    assert.equal(row.icon, 'chip');
    assert.deepEqual(row.console, { rproc: 'remoteproc0' });
    assert.match(core.tooltip!, /\nthe firmware's code runs on the cortex-m4$/);
  });

  it('gives a stand-in\'s label verbatim where the CPU is not modelled (am64x R5F)', () => {
    const { core, row } = execution(booted('am64x', path.join(ROOT, 'examples/am64x/am64-main-r5f0_0-fw.elf')));
    assert.equal(row.label, 'modelled remote: the firmware\'s code does not run on cortex-r5f cores yet');
    assert.equal(row.icon, 'info');
    assert.match(row.tooltip!, /stand-in/);
    assert.match(core.accessibility!, /modelled remote: the firmware's code does not run on cortex-r5f cores yet$/);
  });

  it('gives the label of a stand-in the user picked on the M4', () => {
    const { row } = execution(booted('stm32mp157', path.join(ROOT, 'examples/stm32mp157/rproc-m4-fw.elf'), { app: 'tty', unmodelled: 'ignore' }));
    assert.equal(row.label, 'modelled remote (tty, chosen by the user): the firmware\'s code does not run');
    assert.equal(row.icon, 'info');
  });

  it('shows a firmware that stopped on a fault as an error while the kernel still sees the core running', () => {
    const { core, row } = execution(booted('stm32mp157', fixture('bare-no-handler.elf')));
    assert.equal(core.contextValue, 'core.running');
    assert.equal(core.icon, 'pass-filled');
    assert.match(row.label, /^stopped on a fault with no handler at 0x[0-9a-f]{8} \(CFSR 0x[0-9a-f]{8}: [A-Z]+\)$/);
    assert.equal(row.icon, 'error');
    assert.equal(row.colour, 'errorForeground');
    assert.match(row.tooltip!, /stays running/);
  });
});
