// What a face that reads and writes a simulated system's devices (an RPMsg terminal) needs of it,
// whoever runs it: the session of the settings, whose timer runs it in real time, or an `amp` debug
// session, whose runs and stops run it.
import type * as vscode from 'vscode';
import type { AmpSystem } from '../core/system';
import type { ChannelEvent } from './channelEvents';
import type { AmpSession } from './session';

/** Why a system stands still while a core is stopped in a debugger (gdb, or the `amp` session's code thread). */
export const HALTED = 'the whole system is halted: a core stopped for its debugger';

export interface SimulationFeed extends vscode.Disposable {
  /** Which system this is, for titles (`debugging AMP integration`); undefined for the settings' own. */
  readonly label: string | undefined;
  /** The system, while there is one. */
  readonly system: AmpSystem | undefined;
  /** After each slice of virtual time. */
  readonly onDidRun: vscode.Event<void>;
  readonly onDidChangeChannel: vscode.Event<ChannelEvent>;
  /** The system was replaced by another, or is gone for good: why, in words. */
  readonly onDidReplace: vscode.Event<string>;
  /** Why nothing runs the system now; undefined while it runs. */
  readonly held: string | undefined;
  /** Runs `fn` on the simulation, then tells the faces what changed. */
  run<T>(fn: () => T): T;
}

/** The session of the settings: what a terminal opens on unless the tree follows a debug session. */
export function settingsFeed(session: AmpSession): SimulationFeed {
  return {
    label: undefined,
    get system() {
      return session.current;
    },
    onDidRun: session.onDidRun,
    onDidChangeChannel: session.onDidChangeChannel,
    onDidReplace: (listener, thisArg, disposables) =>
      session.onDidChange((c) => c.kind === 'reset' && listener.call(thisArg, 'the simulated system was replaced (settings changed)'), undefined, disposables),
    get held() {
      return session.current?.halted ? HALTED : undefined;
    },
    run: (fn) => session.run(fn),
    dispose: () => undefined,
  };
}
