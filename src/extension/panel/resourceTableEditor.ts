// The custom read-only editor `amp.resourceTable` for *.elf and the command that opens it
// ("AMP: Show Resource Table"). One webview per open editor; each follows its file (a rebuilt ELF
// re-renders) and the board setting. The webview gets a TableView snapshot and nothing else.
import * as vscode from 'vscode';
import type { FromPanel, PanelRendered, PanelTarget, ToPanel } from '../../common/panelMessages';
import { fromPanelProblem, isFromPanel } from '../../common/fromPanelCheck';
import { pickElf } from '../pickElf';
import { loadTableView } from './loadTableView';
import { panelHtml, panelResourceRoots } from './panelHtml';

export const RESOURCE_TABLE_VIEW = 'amp.resourceTable';
/**
 * How long a command waits for the webview to say it rendered. In VS Code for the Web (code-server)
 * a webview closed while it loads can hold up the next one for up to 30 s (they share a service worker).
 */
const RENDER_WAIT_MS = 45000;
/** A build writes an ELF in several steps: render once it has settled. */
const SETTLE_MS = 150;

class ElfDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {
    // Nothing held: every render reads the file again.
  }
}

class ResourceTablePanel implements vscode.Disposable {
  private ready = false;
  private pendingReveal: PanelTarget | undefined;
  private last: PanelRendered | undefined;
  private readonly renderedEvents = new vscode.EventEmitter<PanelRendered>();
  private readonly disposables: vscode.Disposable[] = [this.renderedEvents];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly uri: vscode.Uri, readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, log: vscode.LogOutputChannel) {
    panel.webview.options = { enableScripts: true, localResourceRoots: panelResourceRoots(extensionUri) };
    panel.webview.html = panelHtml(panel.webview, extensionUri);
    this.disposables.push(panel.webview.onDidReceiveMessage((m: unknown) => {
      if (isFromPanel(m)) this.onMessage(m);
      else log.warn(`resource-table panel of ${uri.fsPath}: ignored a message from the webview: ${fromPanelProblem(m)}`);
    }));
    // Hidden, the page is dropped (no retainContextWhenHidden: its state is in getState); shown
    // again it loads afresh and says `ready`.
    this.disposables.push(panel.onDidChangeViewState(() => {
      if (panel.visible) return;
      this.ready = false;
      this.last = undefined;
    }));
    const folder = vscode.Uri.joinPath(uri, '..');
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, uri.path.slice(uri.path.lastIndexOf('/') + 1)));
    const changed = (): void => this.refreshSoon();
    this.disposables.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed));
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('amp.board') || e.affectsConfiguration('amp.core')) this.refreshSoon();
    }));
  }

  /** Selects `target` (after the next render if none happened yet) and resolves with what the page shows. */
  reveal(target: PanelTarget | undefined): Promise<PanelRendered | undefined> {
    const next = this.nextRender();
    if (!this.ready) {
      this.pendingReveal = target;
      return next;
    }
    if (!target) return this.last ? Promise.resolve(this.last) : next;
    this.post({ type: 'reveal', target });
    return next;
  }

  /** The next render the page reports (undefined if it does not within RENDER_WAIT_MS). */
  nextRender(): Promise<PanelRendered | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        sub.dispose();
        resolve(undefined);
      }, RENDER_WAIT_MS);
      const sub = this.renderedEvents.event((r) => {
        clearTimeout(timer);
        sub.dispose();
        resolve(r);
      });
    });
  }

  private onMessage(m: FromPanel): void {
    if (m.type === 'ready') {
      // Also after the webview was recreated (hidden and shown again): it starts empty.
      this.ready = true;
      void this.refresh();
    } else if (m.type === 'rendered') {
      this.last = m.state;
      this.renderedEvents.fire(m.state);
    }
  }

  private refreshSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), SETTLE_MS);
  }

  private async refresh(): Promise<void> {
    const loaded = await loadTableView(this.uri);
    const reveal = this.pendingReveal;
    this.pendingReveal = undefined;
    if ('view' in loaded) this.post({ type: 'snapshot', view: loaded.view, ...(reveal ? { reveal } : {}) });
    else this.post({ type: 'unreadable', file: loaded.file, reason: loaded.reason });
  }

  private post(m: ToPanel): void {
    void this.panel.webview.postMessage(m);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

export class ResourceTableEditors implements vscode.CustomReadonlyEditorProvider<ElfDocument> {
  private readonly panels = new Set<ResourceTablePanel>();
  private readonly opened = new vscode.EventEmitter<ResourceTablePanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  openCustomDocument(uri: vscode.Uri): ElfDocument {
    return new ElfDocument(uri);
  }

  resolveCustomEditor(document: ElfDocument, webviewPanel: vscode.WebviewPanel): void {
    const p = new ResourceTablePanel(document.uri, webviewPanel, this.extensionUri, this.log);
    this.panels.add(p);
    webviewPanel.onDidDispose(() => {
      this.panels.delete(p);
      p.dispose();
    });
    this.opened.fire(p);
  }

  /** Opens (or brings forward) the panel on `uri` and selects `target`; resolves with what it shows. */
  async show(uri: vscode.Uri, target?: PanelTarget): Promise<PanelRendered | undefined> {
    const existing = this.find(uri);
    // A panel found may be one a "close all" is disposing: VS Code then opens a new one. Whichever
    // answers first is the one on screen.
    let sub: vscode.Disposable | undefined;
    const opening = new Promise<ResourceTablePanel>((resolve) => {
      sub = this.opened.event((p) => {
        if (p.uri.toString() === uri.toString()) resolve(p);
      });
    });
    // The panel's first render must be waited for from before the editor opens, or it is missed.
    const firstRender = opening.then((p) => p.reveal(target));
    try {
      await vscode.commands.executeCommand('vscode.openWith', uri, RESOURCE_TABLE_VIEW, existing ? { preview: false, viewColumn: existing.panel.viewColumn } : undefined);
      return await (existing ? Promise.race([firstRender, existing.reveal(target)]) : firstRender);
    } finally {
      sub?.dispose();
    }
  }

  private find(uri: vscode.Uri): ResourceTablePanel | undefined {
    for (const p of this.panels) if (p.uri.toString() === uri.toString()) return p;
    return undefined;
  }

  dispose(): void {
    this.opened.dispose();
    for (const p of this.panels) p.dispose();
  }
}

/** The command's argument: an ELF, or where to go in it (from the tree, a diagnostic, a notification). */
function targetOf(arg: unknown): { uri?: vscode.Uri; target?: PanelTarget } {
  if (arg instanceof vscode.Uri) return { uri: arg };
  if (typeof arg !== 'object' || arg === null) return {};
  const a = arg as { uri?: unknown; resourceUri?: unknown; entry?: unknown; finding?: unknown };
  const raw = a.uri ?? a.resourceUri;
  const uri = raw instanceof vscode.Uri ? raw : typeof raw === 'string' ? vscode.Uri.parse(raw) : undefined;
  const target = typeof a.finding === 'number' ? { finding: a.finding } : typeof a.entry === 'number' ? { entry: a.entry } : undefined;
  return { ...(uri ? { uri } : {}), ...(target ? { target } : {}) };
}

export function registerResourceTable(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
  const editors = new ResourceTableEditors(context.extensionUri, log);
  return vscode.Disposable.from(
    editors,
    vscode.window.registerCustomEditorProvider(RESOURCE_TABLE_VIEW, editors, { supportsMultipleEditorsPerDocument: false }),
    vscode.commands.registerCommand('amp.showResourceTable', async (arg?: unknown) => {
      const { uri, target } = targetOf(arg);
      const elf = uri ?? (await pickElf(undefined));
      return elf ? editors.show(elf, target) : undefined;
    }),
  );
}
