// Bundles the faces: extension (node, vscode external) and its debug adapter (a bundle of its own, required by the
// first debug session), CLI (node, shebang), webview (browser).
// `--watch` (npm run watch, the default build task of .vscode/tasks.json) rebuilds on every change and prints
// `[watch] build started` / `[watch] build finished` around each round, the lines the task's problem matcher waits for.
import * as esbuild from 'esbuild';
import { existsSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
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
// Errors as `file:line:column: error: text`, one line each, for the watch task's problem matcher; one
// started/finished pair around the bundles that a change rebuilds (each bundle has its own esbuild context).
let building = 0;
const watchReport = {
  name: 'watch-report',
  setup(build) {
    build.onStart(() => {
      if (building++ === 0) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const e of result.errors) console.log(`${e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}: ` : ''}error: ${e.text}`);
      if (--building === 0) console.log('[watch] build finished');
    });
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
if (watch) {
  const contexts = await Promise.all(built.map((e) => esbuild.context({ ...common, ...e, logLevel: 'silent', plugins: [...(e.plugins ?? []), watchReport] })));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(built.map((e) => esbuild.build({ ...common, ...e })));
}
