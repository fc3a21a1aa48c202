// The status-bar item `board / core: state` (opens the board picker), and the context keys the
// menus' `when` clauses read: amp.state (state of amp.core), amp.active (a system exists).
import * as vscode from 'vscode';
import { boardFromSettings } from './boardSetting';
import type { AmpSession } from './session';

/** What the status bar shows and the context keys it set last (read by the integration tests). */
export interface StatusView {
  readonly text: string;
  readonly state: string | undefined;
  readonly active: boolean | undefined;
}

export function createStatusBar(session: AmpSession): vscode.Disposable & { view(): StatusView } {
  const item = vscode.window.createStatusBarItem('amp.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'AMP Remote Processor';
  item.command = 'amp.selectBoard';
  let shown: string | undefined = '';
  let active: boolean | undefined;
  const update = (): void => {
    const system = session.current;
    const target = session.target;
    let text: string;
    let state: string | undefined;
    if (system && target) {
      const r = system.rproc(target.core.id);
      state = r.state;
      text = `${target.board.id} / ${target.core.id}: ${state}`;
      item.tooltip = `${target.board.name}: ${r.name} is ${state} (${r.devName}, firmware ${r.firmware}). Click to choose the board and core.`;
    } else {
      const choice = boardFromSettings();
      // Before the first use nothing is simulated: every core is as the kernel probes it.
      state = 'error' in choice || vscode.workspace.getConfiguration('amp').get<boolean>('earlyBoot') ? undefined : 'offline';
      text = 'error' in choice ? 'no board' : `${choice.board.id} / ${choice.core.id}`;
      item.tooltip = 'error' in choice ? choice.error : 'AMP Workbench: click to choose the board and core';
    }
    item.text = `$(circuit-board) ${text}`;
    item.backgroundColor = state === 'crashed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    if (state !== shown) {
      shown = state;
      void vscode.commands.executeCommand('setContext', 'amp.state', state);
    }
    if (!!system !== active) {
      active = !!system;
      void vscode.commands.executeCommand('setContext', 'amp.active', active);
    }
  };
  update();
  item.show();
  const disposable = vscode.Disposable.from(
    item,
    session.onDidChange(update),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('amp') && update()),
  );
  return Object.assign(disposable, { view: (): StatusView => ({ text: item.text, state: shown, active }) });
}
