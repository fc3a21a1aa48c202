// Runs inside the real VS Code extension host (code-server), loaded as the extensionTestsPath of
// `npm run bench:extension`: times our activation as the API sees it (activate() to the first
// command answering) and a full refresh of the Remote Processors tree's provider over eight running
// cores with 256 rpmsg endpoints each (bench/eightCoreSystem.ts).
// Prints `bench <name>: <value> <unit>` lines for the driver, then `1 passed, 0 failed`.
import * as fs from 'fs';
import { Module } from 'module';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';
import { registerFirmwareDiagnostics } from '../src/extension/diagnostics/codeActions';
import type { AmpDebugStateChange } from '../src/extension/debug';
import type { AmpApi } from '../src/extension/extension';
import { ProcessorsTree, type ProcessorNode } from '../src/extension/processorsTree';
import type { AmpSession, SessionChange } from '../src/extension/session';
import { eightCoreSystem } from './eightCoreSystem';
import { registerResourceTable } from '../src/extension/panel/resourceTableEditor';

const ID = 'amp-workbench.amp-workbench';
const ROOT = process.env.AMP_BENCH_ROOT ?? path.resolve(__dirname, '../..');
const ENDPOINTS = Number(process.env.AMP_BENCH_ENDPOINTS ?? 256);
const ROUNDS = 50;
const ACTIVATIONS = 20;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const print = (name: string, value: number, unit: string, note?: string): void =>
  console.log(`bench ${name}: ${Number(value.toFixed(3))} ${unit}${note ? ` (${note})` : ''}`);

/** Every node of the tree, as VS Code asks for them: children, and the item for each. */
function walk(tree: ProcessorsTree): number {
  let n = 0;
  const visit = (parent?: ProcessorNode): void => {
    for (const child of tree.getChildren(parent)) {
      tree.getTreeItem(child);
      n++;
      visit(child);
    }
  };
  visit();
  return n;
}

type Compilable = Module & { filename: string; paths: string[]; _compile(source: string, file: string): void };

/**
 * The bundle read, compiled and run as the extension host's require() does, as a module of its
 * own path (so its `require('vscode')` gets our extension's API). The source differs at each
 * load: V8 would otherwise reuse the code it compiled for the last one, and only the first load
 * would be cold.
 */
function loadCold(bundle: string, i: number): { activate(c: unknown): unknown } {
  const m = new Module(bundle, module) as Compilable;
  m.filename = bundle;
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(bundle));
  m._compile(`${fs.readFileSync(bundle, 'utf8')}\n// load ${i}\n`, bundle);
  return m.exports as { activate(c: unknown): unknown };
}

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<AmpApi>(ID);
  if (!ext) throw new Error(`${ID} is not loaded`);
  if (ext.isActive) throw new Error('already active: the bench workspace must not trigger activation');

  // Our own code, cold: loading the bundle and running activate() with the real API. The context
  // has what activate() uses; what it registers is disposed again before VS Code activates it.
  const bundle = path.join(ext.extensionPath, ext.packageJSON.main as string);
  const subscriptions: { dispose(): unknown }[] = [];
  const context = { subscriptions, extensionUri: ext.extensionUri, extensionPath: ext.extensionPath, logUri: vscode.Uri.file(path.join(ROOT, 'out/bench/logs')) };
  const loads: number[] = [];
  const activations: number[] = [];
  for (let i = 0; i < ACTIVATIONS; i++) {
    const t0 = performance.now();
    const main = loadCold(bundle, i);
    const t1 = performance.now();
    main.activate(context);
    const t2 = performance.now();
    for (const d of subscriptions.splice(0)) d.dispose();
    loads.push(t1 - t0);
    activations.push(t2 - t1);
  }
  print('own code: load dist/extension.js, first', loads[0], 'ms');
  print('own code: activate(), first', activations[0], 'ms');
  print('activation, own code (load + activate(), cold)', median(loads.map((l, i) => l + activations[i])), 'ms', `median of ${ACTIVATIONS}`);

  // This part's share of activate(): the resource-table editor and the Problems diagnostics, from
  // their compiled modules (the first scan of the workspace runs after activation, not timed here).
  const shares: number[] = [];
  const panelLog = vscode.window.createOutputChannel('AMP bench', { log: true });
  for (let i = 0; i < ACTIVATIONS; i++) {
    const s = performance.now();
    subscriptions.push(registerResourceTable(context as unknown as vscode.ExtensionContext, panelLog), registerFirmwareDiagnostics());
    shares.push(performance.now() - s);
    for (const d of subscriptions.splice(0)) d.dispose();
  }
  panelLog.dispose();
  print(`own code: panel + Problems registration in activate(), median of ${ACTIVATIONS}`, median(shares), 'ms');

  // The same through VS Code, as a user's first command sees it.
  const t3 = performance.now();
  const api = await ext.activate();
  const t4 = performance.now();
  if (api.session.current) throw new Error('activation made a simulated system: it must wait for the first use');
  const validated = await vscode.commands.executeCommand<{ ok: boolean } | undefined>('amp.validate', vscode.Uri.file(path.join(ROOT, 'examples/stm32mp157/rproc-m4-fw.elf')));
  if (!validated?.ok) throw new Error('amp.validate did not answer for the example');
  const t5 = performance.now();
  print('VS Code ext.activate() (its own bookkeeping included)', t4 - t3, 'ms');
  print('ext.activate() to first command answered (amp.validate on the example)', t5 - t3, 'ms');
  const t6 = performance.now();
  await vscode.commands.executeCommand('amp.validate', vscode.Uri.file(path.join(ROOT, 'examples/stm32mp157/rproc-m4-fw.elf')));
  print('amp.validate on the example again (warm)', performance.now() - t6, 'ms');
  if (api.session.current) throw new Error('validating made a simulated system');

  // The tree's provider over eight running cores with ENDPOINTS endpoints each, refreshed as after
  // the session's change event for all eight cores, then walked as VS Code walks an expanded tree.
  const system = eightCoreSystem(ROOT, ENDPOINTS);
  const changes = new vscode.EventEmitter<SessionChange>();
  const session = { current: system, onDidChange: changes.event } as unknown as AmpSession;
  // No debug session to follow: an event that never fires.
  const tree = new ProcessorsTree(session, new vscode.EventEmitter<AmpDebugStateChange>().event);
  const all: SessionChange = { kind: 'cores', rprocs: new Set(system.rprocs.map((r) => r.devName)) };
  const c0 = performance.now();
  let nodes = walk(tree);
  const cold = performance.now() - c0;
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const s = performance.now();
    changes.fire(all);
    nodes = walk(tree);
    times.push(performance.now() - s);
  }
  tree.dispose();
  changes.dispose();
  print(`tree nodes 8x${ENDPOINTS}`, nodes, 'nodes');
  print(`tree first read + walk 8x${ENDPOINTS}`, cold, 'ms');
  print(`tree refresh 8x${ENDPOINTS}`, median(times), 'ms', `median of ${ROUNDS}`);
  console.log('1 passed, 0 failed');
}
