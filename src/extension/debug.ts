// The `type: amp` debugger in VS Code: the adapter runs inline in the extension host, F5 on a
// firmware ELF works without a launch.json, and the session's `amp/state` events are re-published
// for the views that follow it.
import * as vscode from 'vscode';
import type { AmpSystem } from '../core/system';
import type * as DebugAdapter from '../debug/ampDebugSession';
import { pickElf } from './pickElf';

export const DEBUG_TYPE = 'amp';

/** Body of the adapter's `amp/state` event: where the life cycle of the debugged core is. */
export interface AmpDebugState {
  readonly rproc: string;
  readonly core: string;
  readonly name: string;
  readonly state: string;
  readonly line: number;
  readonly phase: string;
  readonly frame: string;
  readonly timeNs: number;
  readonly live: boolean;
}

export interface AmpDebugStateChange {
  readonly session: vscode.DebugSession;
  readonly state: AmpDebugState;
  /** The session's simulated system (its adapter runs inline, in this extension host). */
  readonly system: AmpSystem | undefined;
}

const stateEmitter = new vscode.EventEmitter<AmpDebugStateChange>();
/** Fires at each stop of an `amp` session (the Remote Processors tree follows it). */
export const onDidChangeAmpDebugState = stateEmitter.event;

/** The inline adapters of the running `amp` sessions, by session id. */
const adapters = new Map<string, DebugAdapter.AmpDebugSession>();

/** The adapter of an `amp` session, while it runs (a terminal on its system reads and writes through it). */
export function ampDebugAdapter(session: vscode.DebugSession): DebugAdapter.AmpDebugSession | undefined {
  return adapters.get(session.id);
}

export function registerDebugger(): vscode.Disposable {
  return vscode.Disposable.from(
    stateEmitter,
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      createDebugAdapterDescriptor: (session) => {
        const adapter = new (loadAdapter().AmpDebugSession)({ cwd: session.workspaceFolder?.uri.fsPath ?? process.cwd() });
        adapters.set(session.id, adapter);
        return new vscode.DebugAdapterInlineImplementation(adapter);
      },
    }),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new AmpConfigurationProvider()),
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.type === DEBUG_TYPE && e.event === 'amp/state') stateEmitter.fire({ session: e.session, state: e.body as AmpDebugState, system: adapters.get(e.session.id)?.system });
    }),
    vscode.debug.onDidTerminateDebugSession((s) => adapters.delete(s.id)),
  );
}

/**
 * The adapter (with @vscode/debugadapter) is a bundle of its own, dist/debugAdapter.js (see
 * scripts/build.mjs), loaded by the first debug session: at activation it was a third of the load time.
 */
function loadAdapter(): typeof DebugAdapter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, on purpose
  return require('./debugAdapter') as typeof DebugAdapter;
}

class AmpConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [{ type: DEBUG_TYPE, request: 'launch', name: 'AMP: debug the remote life cycle', program: '${workspaceFolder}/build/firmware.elf', board: setting('board') ?? 'stm32mp157', stopOnEntry: true }];
  }

  /** F5 without a launch.json, or one without `program`: the ELF in the active tab (or a picked one); board, core, remoteApp and unmodelledAccess from the settings. */
  async resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    if (!config.type && !config.request && !config.name) config = { type: DEBUG_TYPE, request: 'launch', name: 'AMP: debug the remote life cycle', stopOnEntry: true };
    if (!config.program) {
      const elf = await pickElf(undefined);
      if (!elf) return undefined; // cancelled: VS Code opens launch.json instead
      config.program = elf.fsPath;
    }
    config.board ??= setting('board');
    config.core ??= setting('core');
    config.remoteApp ??= setting('remoteApp');
    config.unmodelledAccess ??= setting('unmodelledAccess');
    return config;
  }
}

function setting(name: 'board' | 'core' | 'remoteApp' | 'unmodelledAccess'): string | undefined {
  return vscode.workspace.getConfiguration('amp').get<string>(name) || undefined;
}
