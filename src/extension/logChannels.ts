// The host's kernel log in the "AMP" log channel (level from dev_err/dev_warn/dev_info, the line
// with its dmesg virtual timestamp), and each remote's trace buffer in its own output channel.
import * as vscode from 'vscode';
import type { AmpSession } from './session';

export function connectLogChannels(session: AmpSession, log: vscode.LogOutputChannel): vscode.Disposable {
  const traces = new Map<string, { channel: vscode.OutputChannel; text: string }>();
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
        entry = { channel: vscode.window.createOutputChannel(`AMP trace: ${name} (${key})`, 'amp-log'), text: '' };
        traces.set(key, entry);
      }
      // The buffer grows while the remote logs; a new run starts it again from the top.
      if (t.text.startsWith(entry.text)) entry.channel.append(t.text.slice(entry.text.length));
      else entry.channel.append(`${entry.text ? '\n' : ''}${t.text}`);
      entry.text = t.text;
    }),
    session.onDidChange((c) => {
      if (c.kind !== 'reset') return;
      for (const e of traces.values()) e.text = '';
    }),
  ];
  return new vscode.Disposable(() => {
    for (const s of subs) s.dispose();
    for (const e of traces.values()) e.channel.dispose();
  });
}
