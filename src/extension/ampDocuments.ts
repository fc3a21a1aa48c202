// Read-only documents over the simulation, which follow it as it runs: `amp:/dmesg` (the host's
// kernel log, language amp-log) and `amp:/remoteprocN/traceM` (a remote's trace buffer as the
// debugfs file reads). An editor scrolled to the end stays at the end as lines arrive.
import * as vscode from 'vscode';
import type { AmpSystem } from '../core/system';
import type { AmpSession } from './session';

export const AMP_SCHEME = 'amp';
export const DMESG_URI = vscode.Uri.from({ scheme: AMP_SCHEME, path: '/dmesg' });

export function traceUri(rproc: string, trace: string): vscode.Uri {
  return vscode.Uri.from({ scheme: AMP_SCHEME, path: `/${rproc}/${trace}` });
}

export class AmpDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly subs: vscode.Disposable[];
  private dmesgPending = false;

  constructor(private readonly session: AmpSession) {
    this.subs = [
      session.onDidLog(() => (this.dmesgPending = true)),
      session.onDidTrace((t) => this.changeEmitter.fire(traceUri(t.rproc, t.trace))),
      // One dmesg update per slice of virtual time, however many lines it logged.
      session.onDidRun(() => {
        if (!this.dmesgPending) return;
        this.dmesgPending = false;
        this.changeEmitter.fire(DMESG_URI);
      }),
      session.onDidChange((c) => {
        // A stopped core has no trace file left: its open documents must say so too.
        for (const doc of vscode.workspace.textDocuments) {
          if (doc.uri.scheme !== AMP_SCHEME) continue;
          const rproc = doc.uri.path.split('/')[1];
          if (c.kind === 'reset' || rproc === 'dmesg' || c.rprocs.has(rproc)) this.changeEmitter.fire(doc.uri);
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => e.document.uri.scheme === AMP_SCHEME && follow(e.document, e.contentChanges)),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const system = this.session.current;
    if (!system) return '';
    if (uri.path === DMESG_URI.path) return system.dmesg();
    const [, rproc, trace] = uri.path.split('/');
    return readTrace(system, rproc, trace) ?? '';
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.changeEmitter.dispose();
  }
}

/** A trace buffer as debugfs reads it (up to its first NUL); undefined when the core has no such trace now. */
export function readTrace(system: AmpSystem, rproc: string, trace: string): string | undefined {
  const path = `/sys/kernel/debug/remoteproc/${rproc}/${trace}`;
  if (!system.files.exists(path)) return undefined;
  const data = system.files.read(path);
  return typeof data === 'string' ? data : new TextDecoder('latin1').decode(data);
}

/** Keeps editors that showed the old last line showing the new one (tail -f). */
function follow(doc: vscode.TextDocument, changes: readonly vscode.TextDocumentContentChangeEvent[]): void {
  const oldEnd = changes.reduce((n, c) => Math.max(n, c.range.end.line), 0);
  for (const editor of vscode.window.visibleTextEditors) {
    if (editor.document !== doc) continue;
    const bottom = editor.visibleRanges.at(-1)?.end.line ?? 0;
    if (bottom >= oldEnd - 1) editor.revealRange(new vscode.Range(doc.lineCount - 1, 0, doc.lineCount - 1, 0), vscode.TextEditorRevealType.Default);
  }
}

/** "AMP: Show Kernel Log": the dmesg document, coloured by the amp-log grammar. */
export async function showKernelLog(session: AmpSession): Promise<vscode.TextEditor> {
  await session.system();
  const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(DMESG_URI), 'amp-log');
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  const end = new vscode.Position(doc.lineCount - 1, 0);
  editor.revealRange(new vscode.Range(end, end));
  return editor;
}

/** Opens a trace buffer as a document. */
export async function openTrace(rproc: string, trace: string): Promise<vscode.TextEditor> {
  const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(traceUri(rproc, trace)), 'amp-log');
  return vscode.window.showTextDocument(doc, { preview: false });
}
