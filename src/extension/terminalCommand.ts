// "AMP: Open RPMsg Terminal": a terminal on a tty or endpoint device of the simulated host, chosen
// from the tree node it was run on, a device path, or a pick of every such device. The host is the
// one the Remote Processors tree shows: the debugged system while the tree follows an `amp` debug
// session, else the session of the settings.
import * as vscode from 'vscode';
import type { AmpSystem } from '../core/system';
import { ampDebugAdapter } from './debug';
import { DebugFeed } from './debugFeed';
import { requireTrust } from './lifecycleCommands';
import type { ProcessorNode, ProcessorsTree } from './processorsTree';
import { RpmsgTerminal } from './rpmsgTerminal';
import { terminalNodes, type TerminalNode } from './rpmsgView';
import type { AmpSession } from './session';
import { settingsFeed, type SimulationFeed } from './simulationFeed';

export function registerTerminalCommand(session: AmpSession, tree: ProcessorsTree, terminals: RpmsgTerminal[]): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('amp.openTerminal', (arg?: ProcessorNode | string) => openTerminal(session, tree, terminals, arg)),
    vscode.window.onDidCloseTerminal((t) => {
      const i = terminals.findIndex((x) => (t.creationOptions as vscode.ExtensionTerminalOptions).pty === x);
      if (i >= 0) terminals.splice(i, 1);
    }),
  );
}

async function openTerminal(session: AmpSession, tree: ProcessorsTree, terminals: RpmsgTerminal[], arg: ProcessorNode | string | undefined): Promise<RpmsgTerminal | undefined> {
  if (!requireTrust()) return undefined;
  const feed = await feedOf(session, tree);
  const system = feed.system;
  const chosen = system && (await chooseNode(system, tree, arg, feed.label));
  if (!chosen) {
    feed.dispose();
    return undefined;
  }
  const pty = new RpmsgTerminal(feed, { rproc: chosen.rproc, node: chosen.node, channel: chosen.channel?.name, device: chosen.device });
  terminals.push(pty);
  const name = `RPMsg ${chosen.node.replace('/dev/', '')} (${system.rproc(chosen.rproc).name})${feed.label ? ` · ${feed.label}` : ''}`;
  vscode.window.createTerminal({ name, pty, iconPath: new vscode.ThemeIcon('radio-tower') }).show();
  return pty;
}

/** The device of the tree node or path given, the only one, or the user's pick; `label` names a debugged system. */
async function chooseNode(system: AmpSystem, tree: ProcessorsTree, arg: ProcessorNode | string | undefined, label: string | undefined): Promise<TerminalNode | undefined> {
  const nodes = terminalNodes(system);
  let wanted: string | undefined;
  if (typeof arg === 'string') wanted = arg;
  else if (arg) wanted = tree.nodeOf(arg)?.node;
  const chosen = wanted ? nodes.find((n) => n.node === wanted) : nodes.length === 1 ? nodes[0] : undefined;
  if (wanted && !chosen) {
    void vscode.window.showErrorMessage(`AMP: ${wanted}: No such file or directory (no rpmsg tty or endpoint device by that name now)`);
    return undefined;
  }
  if (chosen) return chosen;
  if (nodes.length === 0) {
    if (label) {
      void vscode.window.showWarningMessage(`AMP: no /dev/ttyRPMSGn or /dev/rpmsgN on the host ${label} yet: continue until the remote announces an rpmsg-tty or rpmsg-raw channel.`);
      return undefined;
    }
    const boot = 'Boot Remote Processor';
    void vscode.window.showWarningMessage('AMP: no /dev/ttyRPMSGn or /dev/rpmsgN on the simulated host yet: boot a firmware that announces an rpmsg-tty or rpmsg-raw channel.', boot)
      .then((b) => b && vscode.commands.executeCommand('amp.boot'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(nodes.map((n) => ({
    label: n.node,
    description: `${n.channel?.name ?? 'endpoint'} · ${system.rproc(n.rproc).name} (${n.rproc}) · ${n.bus} addr 0x${n.addr.toString(16)}`,
    n,
  })), { placeHolder: 'Device to open a terminal on' });
  return picked?.n;
}

/** The system the tree shows: the followed debug session's, else the settings' (made now if need be). */
async function feedOf(session: AmpSession, tree: ProcessorsTree): Promise<SimulationFeed> {
  const debugSession = tree.debugSession;
  const adapter = debugSession && ampDebugAdapter(debugSession);
  if (debugSession && adapter?.system) return new DebugFeed(debugSession, adapter);
  await session.system();
  return settingsFeed(session);
}
