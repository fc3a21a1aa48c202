// amp.remoteApp / amp.unmodelledAccess and the `amp` launch attributes of the same meaning: one
// reading of the values, the same choices offered in package.json, and what each choice runs.
import assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { REMOTE_APPS } from '../../../src/core/remote/remoteApps';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { createSystem } from '../../../src/core/system';
import { REMOTE_APP_CHOICES, UNMODELLED_CHOICES, readRemoteChoice, remoteSystemOptions } from '../../../src/common/remoteChoice';
import { REPO_ROOT, fixture } from '../../fixtures/fixtures';

const NAMES = { app: 'amp.remoteApp', unmodelled: 'amp.unmodelledAccess' };
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

describe('common: what runs on the remote core (remoteApp, unmodelledAccess)', () => {
  it('defaults to the firmware\'s code with unmodelled accesses ignored', () => {
    assert.deepStrictEqual(readRemoteChoice(undefined, undefined, NAMES), { app: undefined, unmodelled: 'ignore' });
    assert.deepStrictEqual(readRemoteChoice('firmware', 'fault', NAMES), { app: undefined, unmodelled: 'fault' });
    assert.deepStrictEqual(readRemoteChoice('tty-channel', 'ignore', NAMES), { app: 'tty-channel', unmodelled: 'ignore' });
  });

  it('refuses other values, naming the setting or attribute and the choices', () => {
    assert.deepStrictEqual(readRemoteChoice('freertos', undefined, NAMES), { error: 'amp.remoteApp must be one of firmware, echo, tty, tty-channel, client-sample (got "freertos")' });
    assert.deepStrictEqual(readRemoteChoice(undefined, true, { app: '"remoteApp"', unmodelled: '"unmodelledAccess"' }), { error: '"unmodelledAccess" must be one of ignore, fault (got true)' });
    assert.ok('error' in readRemoteChoice('toString', undefined, NAMES), 'not a key that every object has');
  });

  it('offers the same choices in the settings and in both debugger requests, each stand-in described with its service', () => {
    const props = pkg.contributes.configuration.properties;
    assert.deepStrictEqual(props['amp.remoteApp'].enum, REMOTE_APP_CHOICES);
    assert.strictEqual(props['amp.remoteApp'].default, 'firmware');
    assert.deepStrictEqual(props['amp.unmodelledAccess'].enum, UNMODELLED_CHOICES);
    assert.strictEqual(props['amp.unmodelledAccess'].default, 'ignore');
    const descriptions: string[] = props['amp.remoteApp'].enumDescriptions;
    assert.strictEqual(descriptions.length, REMOTE_APP_CHOICES.length);
    REMOTE_APP_CHOICES.slice(1).forEach((app, i) => {
      assert.ok(descriptions[i + 1].startsWith('Stand-in: '), descriptions[i + 1]);
      assert.ok(descriptions[i + 1].includes(`\`${REMOTE_APPS[app as keyof typeof REMOTE_APPS]}\``), `${app}: ${descriptions[i + 1]}`);
    });
    for (const request of ['launch', 'attach']) {
      const attrs = pkg.contributes.debuggers[0].configurationAttributes[request].properties;
      assert.deepStrictEqual(attrs.remoteApp.enum, REMOTE_APP_CHOICES, request);
      assert.deepStrictEqual(attrs.unmodelledAccess.enum, UNMODELLED_CHOICES, request);
    }
  });

  it('amp.unmodelledAccess names every peripheral the M4\'s board map models', () => {
    const text: string = pkg.contributes.configuration.properties['amp.unmodelledAccess'].markdownDescription;
    const modelled = (findBoard('stm32mp157')!.cores[0].peripherals ?? []).filter((p) => p.model).map((p) => p.name);
    assert.ok(modelled.length > 0);
    for (const name of modelled) assert.ok(text.includes(name), `${name} missing from: ${text}`);
  });

  it('runs the chosen stand-in on the M4 and makes an unmodelled access a BusFault with "fault"', () => {
    const boot = (choice: Parameters<typeof remoteSystemOptions>[0], file: string) => {
      const notices: string[] = [];
      const system = createSystem({ board: findBoard('stm32mp157')!, firmware: { name: 'fw.elf', data: fs.readFileSync(file) }, ...remoteSystemOptions(choice) });
      system.events.on((e) => e.kind === 'notice' && notices.push(e.text));
      system.files.write('/sys/class/remoteproc/remoteproc0/state', 'start\n');
      system.runFor(1e8);
      return { system, notices };
    };
    const example = path.join(REPO_ROOT, 'examples/stm32mp157/rproc-m4-fw.elf');
    const standIn = boot({ app: 'echo', unmodelled: 'ignore' }, example);
    assert.deepStrictEqual(standIn.notices, ['modelled remote (echo, chosen by the user): the firmware\'s code does not run']);
    assert.match(standIn.system.dmesg(), /creating channel rpmsg-openamp-demo-channel addr 0x400/);
    // periph-m4 waits for an IPCC message, then touches registers no model serves (EXTI, RCC_MP_APB1ENSETR).
    const periph = (unmodelled: 'ignore' | 'fault') => {
      const { system, notices } = boot({ app: undefined, unmodelled }, fixture('periph-m4.elf'));
      system.corePeripherals('m4')!.ipcc!.hostSet(1);
      system.runFor(1e8);
      return { console: system.consoleText('m4'), notices };
    };
    const ignored = periph('ignore');
    assert.match(ignored.console, /\ndone\n$/);
    assert.ok(ignored.notices.some((n) => /^firmware wrote .*, not modelled\)$/.test(n)), ignored.notices.join('; '));
    const faulted = periph('fault');
    assert.match(faulted.console, /HardFault\n$/, 'the BusFault escalated to the firmware\'s HardFault handler');
    assert.ok(!faulted.console.includes('done'));
  });
});
