import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXAMPLE_ELF, EXTENSION_ID, ampLogLine, eventually, workspaceUri } from './helpers';
import { act, clearSettings, freshSession } from './faces';

const MINE = ['amp.boot', 'amp.stop', 'amp.crash', 'amp.recover', 'amp.attach', 'amp.detach', 'amp.selectBoard',
  'amp.selectFirmware', 'amp.openTerminal', 'amp.showLog', 'amp.openExample'];

describe('AMP life-cycle and selection commands', () => {
  after(clearSettings);

  it('contributes each command under the category AMP, with when clauses on amp.state', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    for (const id of MINE) {
      const c = pkg.contributes.commands.find((x: { command: string }) => x.command === id);
      assert.ok(c, id);
      assert.equal(c.category, 'AMP', id);
    }
    const when = (id: string) => pkg.contributes.menus.commandPalette.find((m: { command: string }) => m.command === id)?.when;
    assert.match(when('amp.stop'), /amp\.state == running/);
    assert.match(when('amp.recover'), /amp\.state == crashed/);
    assert.match(when('amp.detach'), /amp\.state == attached/);
  });

  it('documents its settings and has a walkthrough whose steps run contributed commands and show existing pictures', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const pkg = ext.packageJSON;
    const props = pkg.contributes.configuration.properties;
    for (const key of ['amp.firmware', 'amp.seed', 'amp.recovery', 'amp.earlyBoot', 'amp.terminal.localEcho', 'amp.terminal.hex']) {
      assert.ok(props[key]?.markdownDescription && props[key].default !== undefined && props[key].type, key);
    }
    const [walk] = pkg.contributes.walkthroughs;
    assert.ok(walk.steps.length >= 3 && walk.steps.length <= 5);
    const commands = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
    for (const step of walk.steps) {
      const linked = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
      assert.ok(linked.length && linked.every((c) => commands.has(c)), step.id);
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(ext.extensionUri, step.media.svg));
    }
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('boots the example firmware of amp.firmware: running, with the kernel lines, status bar and context key', async () => {
    const api = await freshSession();
    assert.equal(api.session.current, undefined, 'nothing is simulated before the first use');
    const r = await act('amp.boot');
    assert.deepEqual(r, { rproc: 'remoteproc0', state: 'running' });
    const dmesg = api.session.current!.dmesg();
    assert.match(dmesg, /remoteproc remoteproc0: Booting fw image rproc-m4-fw\.elf/);
    assert.match(dmesg, /remote processor m4 is now up/);
    await eventually('the status bar', () => (api.status().state === 'running' ? true : undefined));
    assert.equal(api.status().text, '$(circuit-board) stm32mp157 / m4: running');
    assert.equal(api.status().active, true);
  });

  it('refuses a second boot of a running core instead of counting a second power-up', async () => {
    const r = await act('amp.boot');
    assert.equal(r?.state, 'running');
    assert.match(r?.error ?? '', /remoteproc0 \(m4\) is running: boot remoteproc0 needs it offline/);
  });

  it('stops it; a stop of an offline core is refused with the kernel\'s errno', async () => {
    const api = await freshSession();
    await act('amp.boot');
    assert.deepEqual(await act('amp.stop'), { rproc: 'remoteproc0', state: 'offline' });
    assert.match(api.session.current!.dmesg(), /stopped remote processor m4\n/);
    const again = await act('amp.stop');
    assert.equal(again?.state, 'offline');
    assert.equal(again?.error, 'echo stop > /sys/class/remoteproc/remoteproc0/state: Invalid argument');
    await eventually('amp.state', () => (api.status().state === 'offline' ? true : undefined));
  });

  it('crashes it (watchdog) and, with recovery disabled, recovers it on request', async () => {
    const api = await freshSession({ recovery: 'disabled' });
    await act('amp.boot');
    const crashed = await act('amp.crash', undefined, 'watchdog');
    assert.equal(crashed?.state, 'crashed');
    assert.match(api.session.current!.dmesg(), /crash detected in m4: type watchdog\n.*handling crash #1 in m4/);
    await eventually('amp.state crashed', () => (api.status().state === 'crashed' ? true : undefined));
    const recovered = await act('amp.recover');
    assert.equal(recovered?.state, 'running');
    assert.match(api.session.current!.dmesg(), /recovering m4\n/);
  });

  it('crashes with each kind the kernel knows; with recovery enabled the kernel recovers by itself', async () => {
    const api = await freshSession();
    await act('amp.boot');
    for (const [kind, type] of [['fatal error', 'fatal error'], ['mmu fault', 'mmufault']]) {
      const r = await act('amp.crash', undefined, kind);
      assert.equal(r?.state, 'running', kind);
      assert.match(api.session.current!.dmesg(), new RegExp(`crash detected in m4: type ${type}\n`));
    }
    assert.equal(api.session.current!.rproc('m4').crashCount, 2);
  });

  it('recover on a running core is refused: recovery only starts from crashed', async () => {
    const r = await act('amp.recover');
    assert.match(r?.error ?? '', /is running: recover remoteproc0 needs it crashed/);
  });

  it('a firmware the kernel refuses: the boot fails in the kernel\'s words', async () => {
    const api = await freshSession({ firmware: 'test/fixtures/build/rsc-too-many-vrings.elf' });
    const r = await act('amp.boot');
    assert.equal(r?.state, 'offline');
    assert.equal(r?.error, 'echo start > /sys/class/remoteproc/remoteproc0/state: Invalid argument; ' +
      'remoteproc remoteproc0: too many vrings: 3; remoteproc remoteproc0: Failed to process resources: -22; remoteproc remoteproc0: Boot failed: -22');
    assert.equal(api.session.current!.rproc('m4').state, 'offline');
    await ampLogLine('[error]', 'boot remoteproc0 failed', 'too many vrings: 3');
  });

  it('a file that is not an ELF: the kernel\'s sanity check refuses it; as an early-boot image it is a clear error', async () => {
    await freshSession({ firmware: 'LICENSE' });
    const r = await act('amp.boot');
    assert.match(r?.error ?? '', /Invalid argument; remoteproc remoteproc0: Image is corrupted \(bad magic\); remoteproc remoteproc0: Boot failed: -22$/);
    await freshSession({ firmware: 'LICENSE', earlyBoot: true });
    assert.equal(await act('amp.attach'), undefined);
    await ampLogLine('[error]', 'cannot simulate stm32mp157 with LICENSE started by the boot loader: bad ELF magic');
  });

  it('attaches to a core the boot loader started (amp.earlyBoot) and detaches from it', async () => {
    const api = await freshSession({ earlyBoot: true });
    assert.equal((await api.session.system()).rproc('m4').state, 'detached', 'stm32 probes a running core as detached');
    assert.deepEqual(await act('amp.attach'), { rproc: 'remoteproc0', state: 'attached' });
    assert.match(api.session.current!.dmesg(), /remote processor m4 is now attached/);
    assert.deepEqual(await act('amp.detach'), { rproc: 'remoteproc0', state: 'detached' });
    const again = await act('amp.detach');
    assert.equal(again?.error, 'echo detach > /sys/class/remoteproc/remoteproc0/state: Invalid argument');
  });

  it('K3: the kernel attaches at probe to a core the boot loader started; detach and attach again from the palette', async () => {
    const api = await freshSession({ board: 'am64x', core: 'r5f0_0', firmware: 'examples/am64x/am64-main-r5f0_0-fw.elf', earlyBoot: true });
    assert.equal((await api.session.system()).rproc('r5f0_0').state, 'attached');
    assert.match((await act('amp.attach'))?.error ?? '', /is attached: attach remoteproc0 needs it detached/);
    assert.deepEqual(await act('amp.detach'), { rproc: 'remoteproc0', state: 'detached' });
    assert.deepEqual(await act('amp.attach'), { rproc: 'remoteproc0', state: 'attached' });
    assert.match(api.session.current!.dmesg(), /attaching to 78000000\.r5f\n(.*\n)*.*remote processor 78000000\.r5f is now attached\n/);
  });

  it('acts on the core of a tree node: another core boots its default image, which is not in /lib/firmware', async () => {
    const api = await freshSession({ board: 'am64x', core: 'r5f0_0', firmware: 'examples/am64x/am64-main-r5f0_0-fw.elf' });
    const r = await act('amp.boot', { rproc: 'remoteproc1' });
    assert.equal(r?.state, 'offline');
    assert.equal(r?.error, 'echo start > /sys/class/remoteproc/remoteproc1/state: No such file or directory; ' +
      'remoteproc remoteproc1: request_firmware failed: -2; remoteproc remoteproc1: Boot failed: -2');
    assert.equal(api.session.current!.rproc('r5f0_0').state, 'offline', 'the configured core is untouched');
  });

  it('selects a board and core (settings) and boots that board\'s example: a new system for the new board', async () => {
    const api = await freshSession();
    await act('amp.boot');
    const before = api.session.current;
    assert.deepEqual(await vscode.commands.executeCommand('amp.selectBoard', 'am64x', 'r5f0_0'), { board: 'am64x', core: 'r5f0_0' });
    const config = vscode.workspace.getConfiguration('amp');
    assert.equal(config.get('board'), 'am64x');
    assert.equal(config.get('core'), 'r5f0_0');
    assert.equal(api.session.current, undefined, 'the stm32 system was dropped');
    assert.notEqual(before, undefined);
    const fw = await vscode.commands.executeCommand<string>('amp.selectFirmware', workspaceUri('examples/am64x/am64-main-r5f0_0-fw.elf'));
    assert.equal(fw, 'examples/am64x/am64-main-r5f0_0-fw.elf');
    const r = await act('amp.boot');
    assert.equal(r?.state, 'running');
    assert.equal(api.session.target?.board.id, 'am64x');
    assert.match(api.session.current!.dmesg(), /remoteproc remoteproc0: remote processor 78000000\.r5f is now up/);
  });

  it('opens the example firmware of the board and chooses it as amp.firmware', async () => {
    await freshSession({ firmware: undefined });
    const uri = await vscode.commands.executeCommand<vscode.Uri>('amp.openExample');
    assert.ok(uri?.path.endsWith(`/${EXAMPLE_ELF}`), uri?.toString());
    assert.equal(vscode.workspace.getConfiguration('amp').get('firmware'), EXAMPLE_ELF);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
