// Problems: the validator's findings for every ELF of the workspace that matches `amp.validate.glob`,
// as diagnostics on the ELF and, where the table is defined in a workspace C file, on that source
// (the entry's `.name = "..."` line, else the variable's). Refreshed by a file watcher when a
// build writes an ELF, and when the board settings change. Each diagnostic's code links to the
// resource-table panel at its finding.
import * as vscode from 'vscode';
import { ElfFile } from '../../core/elf/elfFile';
import { FindingView, TableView } from '../../core/rsc/tableView';
import { entryFieldValueSpot, entryNameSpot, TextSpot } from '../../core/rsc/tableSource';
import { loadTableView } from '../panel/loadTableView';
import { TableSourceFile, TableSourceLocator } from './tableSourceLocator';

const DEFAULT_GLOB = '**/*.elf';
const EXCLUDE_GLOB = '**/{node_modules,.git,.vscode-test}/**';
const MAX_ELFS = 2000;
/** Kinds of findings put on the C source too: info there would be noise on every build. */
const ON_SOURCE = new Set(['error', 'warning']);

/** A mechanical fix as a text edit of the C source, for the code action. */
export interface SourceFix {
  readonly title: string;
  readonly uri: vscode.Uri;
  readonly range: vscode.Range;
  readonly newText: string;
}

interface ElfResult {
  readonly elf: vscode.Diagnostic[];
  /** Source file URI -> its diagnostics for this ELF. */
  readonly sources: Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>;
  /** Link of a diagnostic -> the mechanical fix of its finding in the C source. */
  readonly fixes: Map<string, SourceFix>;
}

const SEVERITY: Record<FindingView['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** The link from a diagnostic to the panel at its finding (a command URI, opened by the Problems view). */
export function panelLink(elf: vscode.Uri, finding: number): vscode.Uri {
  return vscode.Uri.parse(`command:amp.showResourceTable?${encodeURIComponent(JSON.stringify([{ uri: elf.toString(), finding }]))}`);
}

export class FirmwareDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('amp');
  private readonly results = new Map<string, ElfResult>();
  private readonly locator = new TableSourceLocator();
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private watchers: vscode.FileSystemWatcher[] = [];
  private scanning: Promise<void> = Promise.resolve();

  constructor() {
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('amp.validate.glob')) this.watch();
      if (e.affectsConfiguration('amp.validate.glob') || e.affectsConfiguration('amp.board') || e.affectsConfiguration('amp.core')) this.rescan().catch(() => undefined);
    }), vscode.workspace.onDidChangeWorkspaceFolders(() => {
      this.watch();
      this.rescan().catch(() => undefined);
    }));
    this.watch();
  }

  /** Validates every matching ELF again; resolves when the diagnostics are set. */
  rescan(): Promise<void> {
    return this.enqueue(async () => {
      this.locator.reset();
      const uris = await vscode.workspace.findFiles(glob(), EXCLUDE_GLOB, MAX_ELFS);
      const keep = new Set(uris.map((u) => u.toString()));
      for (const key of [...this.results.keys()]) if (!keep.has(key)) this.results.delete(key);
      for (const uri of uris) await this.validate(uri);
      this.publish();
    });
  }

  /** Scans run one after another; a failed one (a search that failed) does not stop the next. */
  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.scanning.then(work);
    this.scanning = next.catch(() => undefined);
    return next;
  }

  /** The fix a code action offers for the diagnostic whose code links to `link`. */
  fixFor(link: string): SourceFix | undefined {
    for (const r of this.results.values()) {
      const fix = r.fixes.get(link);
      if (fix) return fix;
    }
    return undefined;
  }

  private watch(): void {
    for (const w of this.watchers) w.dispose();
    const refresh = (uri: vscode.Uri): void => {
      this.enqueue(async () => {
        this.locator.reset();
        await this.validate(uri);
        this.publish();
      }).catch(() => undefined);
    };
    // One RelativePattern watcher per folder: a plain glob string relies on the workspace's own
    // watcher, which code-server here does not feed to extensions (measured: no events at all).
    this.watchers = (vscode.workspace.workspaceFolders ?? []).map((folder) => {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob()));
      w.onDidCreate(refresh);
      w.onDidChange(refresh);
      w.onDidDelete((uri) => {
        this.results.delete(uri.toString());
        this.publish();
      });
      return w;
    });
  }

  private async validate(uri: vscode.Uri): Promise<void> {
    const loaded = await loadTableView(uri);
    if (!('view' in loaded)) {
      const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), loaded.reason, vscode.DiagnosticSeverity.Error);
      d.source = 'amp';
      this.results.set(uri.toString(), { elf: [d], sources: new Map(), fixes: new Map() });
      return;
    }
    const { view, bytes } = loaded;
    const source = await this.sourceOf(view, bytes);
    const result: ElfResult = { elf: [], sources: new Map(), fixes: new Map() };
    for (const f of view.findings) {
      const link = panelLink(uri, f.id);
      const d = diagnostic(new vscode.Range(0, 0, 0, 0), f.message, f, link);
      result.elf.push(d);
      if (!source || !ON_SOURCE.has(f.severity) || (f.entry === undefined && !f.tableRange)) continue;
      const entry = f.entry !== undefined ? view.entries[f.entry] : undefined;
      const at = (entry?.name !== undefined && entryNameSpot(source.text, source.definition, entry.name)) || source.definition.name;
      const onSource = diagnostic(rangeOf(at), `${f.message} (${view.file})`, f, link);
      onSource.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, new vscode.Position(0, 0)), `${view.file}${f.entry !== undefined ? `: entry #${f.entry}` : ''}`)];
      const key = source.uri.toString();
      if (!result.sources.has(key)) result.sources.set(key, { uri: source.uri, diagnostics: [] });
      result.sources.get(key)?.diagnostics.push(onSource);
      const m = f.mechanical;
      const value = m?.entryName !== undefined ? entryFieldValueSpot(source.text, source.definition, m.entryName, m.field) : undefined;
      if (m && value) result.fixes.set(link.toString(), { title: m.title, uri: source.uri, range: rangeOf(value), newText: `0x${m.value.toString(16)}` });
    }
    this.results.set(uri.toString(), result);
  }

  private async sourceOf(view: TableView, bytes: Uint8Array): Promise<TableSourceFile | undefined> {
    if (!view.section) return undefined;
    try {
      const elf = ElfFile.parse(bytes);
      const section = elf.section(view.section.name);
      const names = view.entries.flatMap((e) => (e.name !== undefined ? [e.name] : []));
      return section ? await this.locator.locate(elf, section, bytes, names) : undefined;
    } catch {
      return undefined;
    }
  }

  private publish(): void {
    this.collection.clear();
    const bySource = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
    for (const [key, r] of this.results) {
      this.collection.set(vscode.Uri.parse(key), r.elf);
      for (const [s, v] of r.sources) {
        const all = bySource.get(s) ?? { uri: v.uri, diagnostics: [] };
        all.diagnostics.push(...v.diagnostics);
        bySource.set(s, all);
      }
    }
    for (const { uri, diagnostics } of bySource.values()) this.collection.set(uri, diagnostics);
  }

  dispose(): void {
    for (const w of this.watchers) w.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function glob(): string {
  return vscode.workspace.getConfiguration('amp').get<string>('validate.glob', DEFAULT_GLOB) || DEFAULT_GLOB;
}

function diagnostic(range: vscode.Range, message: string, f: FindingView, link: vscode.Uri): vscode.Diagnostic {
  const d = new vscode.Diagnostic(range, message, SEVERITY[f.severity]);
  d.source = 'amp';
  d.code = { value: f.rule, target: link };
  return d;
}

function rangeOf(s: TextSpot): vscode.Range {
  return new vscode.Range(s.line, s.character, s.line, s.character + s.length);
}
