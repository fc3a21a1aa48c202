// The "Remote Processors" tree's data provider: the rows of processorsModel.ts as TreeItems,
// refreshed per changed core from the session's events (no polling). While an `amp` debug session
// runs, the tree follows it instead: it shows that session's system, re-read at each stop.
import * as vscode from 'vscode';
import type { AmpSystem } from '../core/system';
import type { AmpDebugStateChange } from './debug';
import type { AmpSession } from './session';
import { ProcessorsModel, type ProcessorNode } from './processorsModel';
import { traceUri } from './ampDocuments';

export type { ProcessorNode } from './processorsModel';

const EXPAND = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
} as const;

export class ProcessorsTree implements vscode.TreeDataProvider<ProcessorNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ProcessorNode | ProcessorNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly model: ProcessorsModel;
  private readonly subs: vscode.Disposable[];
  private followed: { readonly session: vscode.DebugSession; readonly system: AmpSystem } | undefined;

  constructor(session: AmpSession, debugState: vscode.Event<AmpDebugStateChange>) {
    this.model = new ProcessorsModel(() => this.followed?.system ?? session.current);
    this.subs = [
      session.onDidChange((c) => {
        if (this.followed) return;
        if (c.kind === 'reset') this.reload();
        else this.refresh(c.rprocs);
      }),
      debugState((e) => {
        if (!e.system) return;
        this.followed = { session: e.session, system: e.system };
        this.reload();
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (s !== this.followed?.session) return;
        this.followed = undefined;
        this.reload();
      }),
    ];
  }

  /** The debug session the tree shows, if it follows one. */
  get debugSession(): vscode.DebugSession | undefined {
    return this.followed?.session;
  }

  /** The view's description: which system the rows are of. */
  get description(): string | undefined {
    return this.followed && `debugging ${this.followed.session.name}`;
  }

  private reload(): void {
    this.model.clear();
    this.changeEmitter.fire(undefined);
  }

  /** Re-reads the given cores and tells VS Code about those nodes only. */
  refresh(rprocs: Iterable<string>): void {
    const changed = this.model.reread(rprocs);
    if (changed.length) this.changeEmitter.fire(changed);
  }

  getChildren(parent?: ProcessorNode): ProcessorNode[] {
    return this.model.children(parent);
  }

  getParent(node: ProcessorNode): ProcessorNode | undefined {
    return this.model.parent(node);
  }

  getTreeItem(node: ProcessorNode): vscode.TreeItem {
    const row = this.model.row(node);
    const item = new vscode.TreeItem(row.label, EXPAND[row.expand]);
    item.id = node.id;
    if (row.description !== undefined) item.description = row.description;
    if (row.tooltip !== undefined) item.tooltip = row.tooltip;
    if (row.icon) item.iconPath = new vscode.ThemeIcon(row.icon, row.colour ? new vscode.ThemeColor(row.colour) : undefined);
    // The life-cycle and trace actions act on the session of the settings; a terminal opens on the system shown.
    if (row.contextValue && (!this.followed || row.contextValue.endsWith('.terminal'))) item.contextValue = row.contextValue;
    if (row.accessibility) item.accessibilityInformation = { label: row.accessibility };
    if (row.trace && !this.followed) {
      item.command = { command: 'amp.openTrace', title: 'Open Trace Buffer', arguments: [row.trace] };
      item.resourceUri = traceUri(row.trace.rproc, row.trace.trace);
    }
    if (row.console && !this.followed) item.command = { command: 'amp.showConsole', title: 'Show Remote Console', arguments: [row.console] };
    return item;
  }

  /** The device node a channel or endpoint node stands for, for the terminal command. */
  nodeOf(node: ProcessorNode): { rproc: string; node: string | undefined } | undefined {
    return this.model.nodeOf(node);
  }

  dispose(): void {
    for (const d of this.subs) d.dispose();
    this.changeEmitter.dispose();
  }
}
