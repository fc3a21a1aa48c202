// The host's kernel log in the "AMP" log channel (level from dev_err/dev_warn/dev_info, the line
// with its dmesg virtual timestamp), and each remote's trace buffer in its own output channel.
import * as vscode from 'vscode';
import type { AmpSession } from './session';

/** A remote's trace channel: its name and everything appended to it. */
export interface TraceChannelView {
  readonly name: string;
  readonly written: string;
}

export function connectLogChannels(session: AmpSession, log: vscode.LogOutputChannel): vscode.Disposable & { traceChannels(): TraceChannelView[] } {
  const traces = new Map<string, { channel: vscode.OutputChannel; text: string; written: string }>();
  const append = (entry: { channel: vscode.OutputChannel; written: string }, text: string): void => {
    entry.channel.append(text);
    entry.written += text;
  };
  const subs = [
    session.onDidLog((l) => {
      if (l.level === 'err') log.error(l.text);
      else if (l.level === 'warn') log.warn(l.text);
      else log.info(l.text);
    }),
    session.onDidTrace((t) => {
      const key = `${t.rproc}/${t.trace}`;
      let entry = traces.get(key);
      if (!entry) {
        const name = session.current?.rproc(t.rproc).name ?? t.rproc;
        entry = { channel: vscode.window.createOutputChannel(`AMP trace: ${name} (${key})`, 'amp-log'), text: '', written: '' };
        traces.set(key, entry);
      }
      // The buffer grows while the remote logs; a new run starts it again from the top.
      if (t.text.startsWith(entry.text)) append(entry, t.text.slice(entry.text.length));
      else append(entry, `${entry.text ? '\n' : ''}${t.text}`);
      entry.text = t.text;
    }),
    session.onDidChange((c) => {
      if (c.kind !== 'reset') return;
      for (const e of traces.values()) e.text = '';
    }),
  ];
  const disposable = new vscode.Disposable(() => {
    for (const s of subs) s.dispose();
    for (const e of traces.values()) e.channel.dispose();
  });
  return Object.assign(disposable, { traceChannels: () => [...traces.values()].map((e) => ({ name: e.channel.name, written: e.written })) });
}
