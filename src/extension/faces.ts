// Wires the session-backed faces: life-cycle and selection commands, the Remote Processors tree,
// RPMsg terminals, the kernel log and trace documents, the remote console, the status bar. Nothing here touches the
// simulation at activation: the system is made on first use.
import * as vscode from 'vscode';
import { AmpDocuments, AMP_SCHEME, openTrace, showKernelLog } from './ampDocuments';
import { onDidChangeAmpDebugState } from './debug';
import { registerExampleCommand } from './exampleCommand';
import { registerGdbServerCommand } from './gdbServerCommand';
import { registerLifecycleCommands } from './lifecycleCommands';
import { connectLogChannels, type OutputChannelView } from './logChannels';
import { ProcessorsTree } from './processorsTree';
import { connectRemoteConsole } from './remoteConsole';
import type { RpmsgTerminal } from './rpmsgTerminal';
import { registerSelectCommands } from './selectCommands';
import { AmpSession } from './session';
import { createStatusBar, type StatusView } from './statusBar';
import { registerTerminalCommand } from './terminalCommand';

/** The parts of the API the integration tests read. */
export interface Faces {
  readonly session: AmpSession;
  /** The "Remote Processors" tree's data provider. */
  readonly processors: ProcessorsTree;
  readonly processorsView: vscode.TreeView<unknown>;
  /** Open RPMsg terminals, oldest first. */
  readonly terminals: readonly RpmsgTerminal[];
  /** The status-bar item's text and the context keys amp.state / amp.active as last set. */
  readonly status: () => StatusView;
  /** The remotes' trace output channels and what was written to each. */
  readonly traceChannels: () => OutputChannelView[];
  /** The remotes' console output channels ("AMP Console: m4") and what was written to each. */
  readonly consoleChannels: () => OutputChannelView[];
}

export function registerFaces(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Faces {
  const session = new AmpSession();
  const processors = new ProcessorsTree(session, onDidChangeAmpDebugState);
  const processorsView = vscode.window.createTreeView('amp.processors', { treeDataProvider: processors, showCollapseAll: true });
  const describeView = processors.onDidChangeTreeData(() => (processorsView.description = processors.description));
  const documents = new AmpDocuments(session);
  const terminals: RpmsgTerminal[] = [];
  const statusBar = createStatusBar(session);
  const logChannels = connectLogChannels(session, log);
  const remoteConsole = connectRemoteConsole(session);
  context.subscriptions.push(
    statusBar,
    logChannels,
    remoteConsole,
    session,
    processors,
    processorsView,
    describeView,
    documents,
    vscode.workspace.registerTextDocumentContentProvider(AMP_SCHEME, documents),
    registerLifecycleCommands(session, log),
    registerSelectCommands(),
    registerExampleCommand(context.extensionUri),
    registerTerminalCommand(session, processors, terminals),
    registerGdbServerCommand(session, log),
    vscode.commands.registerCommand('amp.showLog', () => showKernelLog(session)),
    vscode.commands.registerCommand('amp.openTrace', (node?: { rproc: string; trace: string }) => node && openTrace(node.rproc, node.trace)),
  );
  return { session, processors, processorsView, terminals, status: () => statusBar.view(), traceChannels: () => logChannels.traceChannels(), consoleChannels: () => remoteConsole.consoleChannels() };
}
