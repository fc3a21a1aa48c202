// The host's kernel log in the "AMP" log channel (level from dev_err/dev_warn/dev_info, the line
// with its dmesg virtual timestamp), and each remote's trace buffer in its own output channel.
import * as vscode from 'vscode';
import { readTrace } from './ampDocuments';
import type { AmpSession } from './session';

/** An output channel of a remote (its trace, its console): its name and everything appended to it. */
export interface OutputChannelView {
  readonly name: string;
  readonly written: string;
}

export function connectLogChannels(session: AmpSession, log: vscode.LogOutputChannel): vscode.Disposable & { traceChannels(): OutputChannelView[] } {
  const traces = new Map<string, { channel: vscode.OutputChannel; text: string; written: string }>();
  const append = (entry: { channel: vscode.OutputChannel; written: string }, text: string): void => {
    entry.channel.append(text);
    entry.written += text;
  };
  const update = (rproc: string, trace: string, name: string, text: string): void => {
    const key = `${rproc}/${trace}`;
    let entry = traces.get(key);
    if (!entry) {
      if (!text) return;
      entry = { channel: vscode.window.createOutputChannel(`AMP trace: ${name} (${key})`, 'amp-log'), text: '', written: '' };
      traces.set(key, entry);
    }
    if (text === entry.text) return;
    // The buffer grows while the remote logs; a new run starts it again from the top.
    if (entry.text && text.startsWith(entry.text)) append(entry, text.slice(entry.text.length));
    else append(entry, `${entry.written && !entry.written.endsWith('\n') ? '\n' : ''}${text}`);
    entry.text = text;
  };
  const subs = [
    session.onDidLog((l) => {
      if (l.level === 'err') log.error(l.text);
      else if (l.level === 'warn') log.warn(l.text);
      else log.info(l.text);
    }),
    // Trace buffers are read when their core changed (a trace event marks it changed too): a new run
    // whose first lines equal the last run's raises no trace event of its own.
    session.onDidChange((c) => {
      const system = session.current;
      if (c.kind === 'reset' || !system) {
        for (const e of traces.values()) e.text = '';
        return;
      }
      for (const rproc of c.rprocs) {
        const r = system.rproc(rproc);
        for (const [key, e] of traces) if (key.startsWith(`${rproc}/`) && !r.traces.some((t) => key === `${rproc}/${t.name}`)) e.text = '';
        for (const t of r.traces) update(rproc, t.name, r.name, readTrace(system, rproc, t.name) ?? '');
      }
    }),
  ];
  const disposable = new vscode.Disposable(() => {
    for (const s of subs) s.dispose();
    for (const e of traces.values()) e.channel.dispose();
  });
  return Object.assign(disposable, { traceChannels: () => [...traces.values()].map((e) => ({ name: e.channel.name, written: e.written })) });
}
