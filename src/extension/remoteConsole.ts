// The remote console: what each core's firmware printed (UART, semihosting) in an output channel of
// its own, "AMP Console: m4", made when the core first prints or the simulator first says something
// about it (a stand-in runs, the core locked up), or when the user asks to see it. Nothing of this
// goes to the kernel log channel, and nothing of the kernel log comes here.
import * as vscode from 'vscode';
import { boardFromSettings } from './boardSetting';
import { ConsoleTranscript } from './consoleTranscript';
import type { OutputChannelView } from './logChannels';
import type { AmpSession } from './session';

interface ConsoleChannel {
  readonly channel: vscode.OutputChannel;
  readonly transcript: ConsoleTranscript;
}

export function connectRemoteConsole(session: AmpSession): vscode.Disposable & { consoleChannels(): OutputChannelView[] } {
  const consoles = new Map<string, ConsoleChannel>();
  const channelOf = (core: string): ConsoleChannel => {
    let c = consoles.get(core);
    if (!c) consoles.set(core, (c = { channel: vscode.window.createOutputChannel(`AMP Console: ${core}`), transcript: new ConsoleTranscript() }));
    return c;
  };
  const subs = [
    session.onDidRemoteOutput((o) => {
      if (!o.text) return;
      const c = channelOf(o.core);
      c.channel.append(c.transcript.add(o.kind, o.text));
    }),
    // From the tree's core (or execution) row, or the palette: the configured core.
    vscode.commands.registerCommand('amp.showConsole', (node?: { rproc: string }) => {
      const core = (node && session.current?.rprocs.find((r) => r.devName === node.rproc)?.core.id) ?? settingsCore();
      if (core) channelOf(core).channel.show(true);
    }),
  ];
  const disposable = new vscode.Disposable(() => {
    for (const s of subs) s.dispose();
    for (const c of consoles.values()) c.channel.dispose();
  });
  return Object.assign(disposable, {
    consoleChannels: () => [...consoles.values()].map((c) => ({ name: c.channel.name, written: c.transcript.written })),
  });
}

function settingsCore(): string | undefined {
  const choice = boardFromSettings();
  if (!('error' in choice)) return choice.core.id;
  void vscode.window.showErrorMessage(`AMP: no remote console to show: ${choice.error}`);
  return undefined;
}
