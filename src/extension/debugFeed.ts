// An `amp` debug session's simulated system as a feed for the faces that read and write its devices
// (an RPMsg terminal opened while the Remote Processors tree follows the session). Its adapter runs
// inline in this extension host: the runtime's slices of virtual time are heard directly, a restart
// brings a new system, and the session's end takes the system away.
import * as vscode from 'vscode';
import type { AmpSystem } from '../core/system';
import type { AmpDebugSession } from '../debug/ampDebugSession';
import { watchChannels, type ChannelEvent } from './channelEvents';
import { HALTED, type SimulationFeed } from './simulationFeed';

export class DebugFeed implements SimulationFeed {
  readonly label: string;
  private readonly runEmitter = new vscode.EventEmitter<void>();
  private readonly channelEmitter = new vscode.EventEmitter<ChannelEvent>();
  private readonly replaceEmitter = new vscode.EventEmitter<string>();
  readonly onDidRun = this.runEmitter.event;
  readonly onDidChangeChannel = this.channelEmitter.event;
  readonly onDidReplace = this.replaceEmitter.event;
  private ended = false;
  private unwatch: () => void;
  private readonly offSimulation: () => void;
  private readonly terminated: vscode.Disposable;

  constructor(session: vscode.DebugSession, private readonly adapter: AmpDebugSession) {
    this.label = `debugging ${session.name}`;
    this.unwatch = this.watch();
    this.offSimulation = adapter.simulation.on((e) => {
      if (e === 'ran') return this.runEmitter.fire();
      this.unwatch();
      this.unwatch = this.watch();
      this.replaceEmitter.fire('the debug session restarted with a new simulated system');
    });
    this.terminated = vscode.debug.onDidTerminateDebugSession((s) => {
      if (s.id !== session.id || this.ended) return;
      this.ended = true;
      this.unwatch();
      this.replaceEmitter.fire('the debug session ended');
    });
  }

  get system(): AmpSystem | undefined {
    return this.ended ? undefined : this.adapter.system;
  }

  get held(): string | undefined {
    const system = this.system;
    if (!system || this.adapter.running) return undefined;
    return system.halted ? HALTED : 'the debug session is paused';
  }

  run<T>(fn: () => T): T {
    try {
      return fn();
    } finally {
      this.runEmitter.fire();
    }
  }

  private watch(): () => void {
    const system = this.adapter.system;
    return system ? watchChannels(system, (e) => this.channelEmitter.fire(e)) : () => undefined;
  }

  dispose(): void {
    this.unwatch();
    this.offSimulation();
    this.terminated.dispose();
    for (const e of [this.runEmitter, this.channelEmitter, this.replaceEmitter]) e.dispose();
  }
}
