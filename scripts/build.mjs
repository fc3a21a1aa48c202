// Bundles the faces: extension (node, vscode external) and its debug adapter (a bundle of its own, required by the
// first debug session), CLI (node, shebang), webview (browser).
import * as esbuild from 'esbuild';
import { existsSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const common = { bundle: true, minify: production, sourcemap: !production, logLevel: 'warning' };
// Each `import * as vscode` of an external would get its own __toESM copy of the whole API object
// (~200 getters, once per file, 20+ files) while the bundle loads: one shared namespace instead.
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (a) => (a.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' }));
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: 'export * from "vscode";', loader: 'js' }));
  },
};
const entries = [
  // The debug adapter is its own bundle, required by the first debug session (src/extension/debug.ts).
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode', './debugAdapter'], target: 'node20', plugins: [vscodeOnce] },
  { entryPoints: ['src/debug/ampDebugSession.ts'], outfile: 'dist/debugAdapter.js', platform: 'node', format: 'cjs', target: 'node20' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['media/panel/main.ts'], outfile: 'dist/webview/panel.js', platform: 'browser', format: 'iife', target: 'es2022' },
];
const built = entries.filter((e) => existsSync(e.entryPoints[0]));
// A production bundle has no map: the development build's maps would describe other code.
if (production) for (const e of built) rmSync(`${e.outfile}.map`, { force: true });
await Promise.all(built.map((e) => esbuild.build({ ...common, ...e })));
