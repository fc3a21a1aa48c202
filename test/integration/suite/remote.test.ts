// What runs on the remote core, as VS Code shows it: the firmware's own code on the M4 (the tree
// says so, its console gets what it printed), a labelled stand-in where the CPU is not modelled or
// the user picked one (every surface says so, the kernel log never), a firmware stopped on a fault
// (the tree's error, the core still `running`), and the debugger's console.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AmpApi } from '../../../src/extension/extension';
import { EXAMPLE_ELF, ampApi, ampLogLine, ampLogText, eventually, workspaceUri } from './helpers';
import { act, child, clearSettings, freshSession, icon, rows, stopDebugging, type Row } from './faces';

const AM64_ELF = 'examples/am64x/am64-main-r5f0_0-fw.elf';
const ZYNQMP_ELF = 'examples/zynqmp/rproc-r5_0-fw.elf';
const PERIPH_ELF = 'test/fixtures/build/periph-m4.elf';
const NO_HANDLER_ELF = 'test/fixtures/build/bare-no-handler.elf';

/** The console channel's text written after `from` characters (earlier tests may have written to it). */
function consoleSince(api: AmpApi, core: string, from: number): string | undefined {
  return api.consoleChannels().find((c) => c.name === `AMP Console: ${core}`)?.written.slice(from);
}

function consoleLength(api: AmpApi, core: string): number {
  return consoleSince(api, core, 0)?.length ?? 0;
}

/** The first row under the booted core: what runs on it. */
async function execution(api: AmpApi, until: (r: Row) => boolean = () => true): Promise<{ core: Row; row: Row }> {
  return eventually('the execution row', async () => {
    const [core] = await rows(api);
    const [row] = core ? await rows(api, core.node) : [];
    return row && row.node.kind === 'execution' && until(row) ? { core, row } : undefined;
  });
}

describe('what runs on the remote core', () => {
  after(clearSettings);

  it('the stm32mp157 example: the tree says the firmware\'s code runs; its console channel gets what the firmware printed', async () => {
    const api = await freshSession();
    const from = consoleLength(api, 'm4');
    await act('amp.boot');
    const { row } = await execution(api);
    assert.equal(row.item.label, 'the firmware\'s code runs');
    assert.equal(row.item.description, 'cortex-m4');
    assert.equal(icon(row.item), 'chip');
    assert.equal(row.item.command?.command, 'amp.showConsole');
    await api.session.runFor(50e6);
    // Whatever this example prints, the channel has it byte for byte; the simulator's lines are its own.
    const printed = api.session.current!.consoleText('m4');
    const firmwareLines = (): string => (consoleSince(api, 'm4', from) ?? '').replace(/^\[simulator\] .*\n/gm, '');
    await eventually('the console channel', () => (firmwareLines() === printed ? true : undefined));
    assert.doesNotMatch(printed, /\[simulator\]/);
  });

  it('a bare M4 program that prints on UART4: its text in "AMP Console: m4", opened by AMP: Show Remote Console from the core', async () => {
    const api = await freshSession({ firmware: PERIPH_ELF });
    const from = consoleLength(api, 'm4');
    await act('amp.boot');
    await eventually('the UART text', () => (consoleSince(api, 'm4', from)?.startsWith('hello from UART4\nRCC_MC_AHB3ENSETR = 0x00001800\n') ? true : undefined));
    const [core] = await rows(api);
    await vscode.commands.executeCommand('amp.showConsole', core.node);
    // The channel's document holds earlier tests' runs too: this one's text is in it.
    const shown = await eventually('the console in the Output panel', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'output' && e.document.getText().includes('hello from UART4\nRCC_MC_AHB3ENSETR')));
    assert.match(shown.document.uri.toString(), /AMP(%20| )Console/);
    assert.doesNotMatch(await ampLogText(), /hello from UART4/, 'the firmware\'s console is not the kernel log');
  });

  it('amp.unmodelledAccess: an unmodelled peripheral is the simulator\'s notice in the console (ignore) or a BusFault the firmware sees (fault)', async () => {
    // periph-m4 waits for an IPCC message from the host side, then touches registers no model serves (EXTI, RCC_MP_APB1ENSETR).
    const run = async (unmodelled: string): Promise<string> => {
      const api = await freshSession({ firmware: PERIPH_ELF, unmodelledAccess: unmodelled });
      const from = consoleLength(api, 'm4');
      await act('amp.boot');
      await eventually('the program waiting', () => (consoleSince(api, 'm4', from)?.includes('RCC_MC_AHB3ENSETR') ? true : undefined));
      api.session.run(() => api.session.current!.corePeripherals('m4')!.ipcc!.hostSet(1));
      return eventually('the program\'s end', () => {
        const text = consoleSince(api, 'm4', from) ?? '';
        return /done\n|HardFault\n/.test(text) ? text : undefined;
      });
    };
    const ignored = await run('ignore');
    assert.match(ignored, /^\[simulator\] firmware wrote \S+ at 0x[0-9a-f]{8} \([A-Z0-9]+, not modelled\)$/m);
    assert.match(ignored, /\ndone\n/);
    const faulted = await run('fault');
    assert.match(faulted, /\nHardFault\n/, 'the BusFault escalated to the firmware\'s HardFault handler');
    assert.doesNotMatch(faulted, /\ndone\n/);
  });

  for (const [board, core, elf, cpu] of [['am64x', 'r5f0_0', AM64_ELF, 'cortex-r5f'], ['zynqmp', 'r5_0', ZYNQMP_ELF, 'cortex-r5f']]) {
    it(`a ${board} example runs the labelled stand-in: the tree and the console say so, the kernel log does not`, async () => {
      const api = await freshSession({ board, core, firmware: elf });
      const from = consoleLength(api, core);
      await act('amp.boot');
      const label = `modelled remote: the firmware's code does not run on ${cpu} cores yet`;
      const { core: coreRow, row } = await execution(api);
      assert.equal(row.item.label, label);
      assert.equal(icon(row.item), 'info');
      assert.match(String(coreRow.item.tooltip), new RegExp(`\\n${label}$`));
      assert.match(String(coreRow.item.description), /^running · /);
      await eventually('the label in the console', () => (consoleSince(api, core, from)?.includes(`[simulator] ${label}\n`) ? true : undefined));
      assert.doesNotMatch(await ampLogText(), /modelled remote/);
    });
  }

  it('amp.remoteApp = tty on the stm32mp157: the stand-in\'s label, and the channel is the stand-in\'s', async () => {
    const api = await freshSession({ remoteApp: 'tty' });
    await act('amp.boot');
    const { core, row } = await execution(api);
    assert.equal(row.item.label, 'modelled remote (tty, chosen by the user): the firmware\'s code does not run');
    assert.equal(icon(row.item), 'info');
    const vdev = await child(api, core.node, 'vdev0 (rpmsg)');
    const channels = await eventually('the stand-in\'s channel', async () => (await rows(api, vdev.node)).find((r) => r.item.label === 'rpmsg channels'));
    assert.ok((await rows(api, channels.node)).some((r) => r.item.label === 'rpmsg-tty'));
    const terminals = api.terminals.length;
    await vscode.commands.executeCommand('amp.openTerminal');
    const pty = await eventually('the terminal', () => api.terminals[terminals]);
    await eventually('the terminal saying a stand-in answers', () =>
      (pty.transcript.includes('[AMP] modelled remote (tty, chosen by the user): the firmware\'s code does not run') ? true : undefined));
    await vscode.workspace.getConfiguration('amp').update('remoteApp', 'bogus', vscode.ConfigurationTarget.Global);
    assert.equal(await act('amp.boot'), undefined, 'no boot with a value the setting does not offer');
    await ampLogLine('[error]', 'amp.remoteApp must be one of firmware, echo, tty, tty-channel, client-sample (got "bogus")');
  });

  it('a firmware that faults with no handler: the tree shows where it stopped, with an error icon, while the kernel says running', async () => {
    const api = await freshSession({ firmware: NO_HANDLER_ELF });
    const from = consoleLength(api, 'm4');
    await act('amp.boot');
    const { core, row } = await execution(api, (r) => icon(r.item) === 'error');
    assert.match(String(row.item.label), /^stopped on a fault with no handler at 0x[0-9a-f]{8} \(CFSR 0x[0-9a-f]{8}: [A-Z ]+\)$/);
    assert.equal((row.item.iconPath as vscode.ThemeIcon).color?.id, 'errorForeground');
    assert.equal(core.item.description, 'running · bare-no-handler.elf');
    assert.equal(core.item.contextValue, 'core.running');
    assert.equal((await api.session.shell('cat /sys/class/remoteproc/remoteproc0/state')).out, 'running\n');
    await eventually('the note in the console', () => (consoleSince(api, 'm4', from)?.includes(`[simulator] ${row.item.label}\n`) ? true : undefined));
  });

  it('the amp debugger prints the stand-in\'s label in the debug console, marked as the simulator\'s', async () => {
    const output: { category?: string; output: string }[] = [];
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('amp', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (m: { type: string; event?: string; body?: { category?: string; output: string } }) => {
          if (m.type === 'event' && m.event === 'output' && m.body) output.push(m.body);
        },
      }),
    });
    try {
      const started = await vscode.debug.startDebugging(undefined, {
        type: 'amp', request: 'launch', name: 'AMP stand-in', program: workspaceUri(EXAMPLE_ELF).fsPath, board: 'stm32mp157', remoteApp: 'echo', stopOnEntry: false,
      });
      assert.equal(started, true);
      const line = await eventually('the notice', () => output.find((o) => o.output.startsWith('[simulator] m4: ')), 15000);
      assert.equal(line.output, '[simulator] m4: modelled remote (echo, chosen by the user): the firmware\'s code does not run\n');
      assert.equal(line.category, 'console');
      assert.ok(!output.some((o) => o.category === 'stdout' && o.output.includes('[simulator]')), 'never among the kernel log lines');
    } finally {
      await stopDebugging(await ampApi());
      tracker.dispose();
    }
  });
});
