// The "Remote Processors" tree's data provider: the rows of processorsModel.ts as TreeItems,
// refreshed per changed core from the session's events (no polling).
import * as vscode from 'vscode';
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
  private readonly sub: vscode.Disposable;

  constructor(session: AmpSession) {
    this.model = new ProcessorsModel(() => session.current);
    this.sub = session.onDidChange((c) => {
      if (c.kind === 'reset') {
        this.model.clear();
        this.changeEmitter.fire(undefined);
      } else this.refresh(c.rprocs);
    });
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
    if (row.contextValue) item.contextValue = row.contextValue;
    if (row.accessibility) item.accessibilityInformation = { label: row.accessibility };
    if (row.trace) {
      item.command = { command: 'amp.openTrace', title: 'Open Trace Buffer', arguments: [row.trace] };
      item.resourceUri = traceUri(row.trace.rproc, row.trace.trace);
    }
    return item;
  }

  /** The device node a channel or endpoint node stands for, for the terminal command. */
  nodeOf(node: ProcessorNode): { rproc: string; node: string | undefined } | undefined {
    return this.model.nodeOf(node);
  }

  dispose(): void {
    this.sub.dispose();
    this.changeEmitter.dispose();
  }
}
