// npm run bench:extension — the extension's figures: size of the production bundle and of the
// .vsix (built with `npm run package`), and, in a real VS Code running that production bundle (code-server + Chromium, the
// integration test bed), activation time of our code and the Remote Processors tree's refresh
// over eight cores with 256 rpmsg endpoints each (bench/extensionHost.ts). Goals (printed beside
// their figures): activation < 20 ms, dist/extension.js < 400 KB, .vsix < 1 MB, tree refresh < 16 ms.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');
/** The issue's goals, beside the figures they are for. */
const GOALS: Record<string, string> = {
  'dist/extension.js (production)': '< 400 KiB',
  '.vsix': '< 1024 KiB',
  'activation, own code (load + activate(), cold)': '< 20 ms',
  'tree refresh 8x256': '< 16 ms',
};
const line = (name: string, value: number | string, unit: string, note?: string): void => {
  const beside = [note, GOALS[name] && `goal ${GOALS[name]}`].filter(Boolean).join('; ');
  console.log(`${name}: ${value} ${unit}${beside ? ` (${beside})` : ''}`);
};
const kib = (file: string): string => (fs.statSync(path.join(ROOT, file)).size / 1024).toFixed(1);

execFileSync('npm', ['run', '-s', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
line('dist/extension.js (production)', kib('dist/extension.js'), 'KiB');
line('dist/debugAdapter.js (production, loaded by the first debug session)', kib('dist/debugAdapter.js'), 'KiB');
line('dist/webview/panel.js (production)', kib('dist/webview/panel.js'), 'KiB');
line('.vsix', kib('dist/amp-workbench.vsix'), 'KiB');
// An empty workspace: nothing activates the extension before the bench asks for it.
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'amp-bench-ws-'));
const script = `source test/integration/codeServer.sh; ensure_vscode_test; start_code_server "$WS"
  NODE_PATH="$VSCODE_TEST_DIR/node_modules" PORT=$PORT EXT="$ROOT" WS="$WS" TESTS="$ROOT/out/bench/extensionHost.js" VERBOSE=1 TIMEOUT_S=240 node test/integration/drive.js`;
const r = spawnSync('bash', ['-c', script], { cwd: ROOT, env: { ...process.env, ROOT, WS: ws, AMP_BENCH_ROOT: ROOT }, encoding: 'utf8', maxBuffer: 64 << 20 });
fs.rmSync(ws, { recursive: true, force: true });
// The activation figures are the production bundle's; back to the development build the tests use.
execFileSync('node', ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
const figures = (r.stdout ?? '').split('\n').map((l) => /^bench (.+?): ([\d.]+) (\S+)(?: \((.+)\))?$/.exec(l.trim())).filter((m): m is RegExpExecArray => m !== null);
for (const m of figures) line(m[1], m[2], m[3], m[4]);
if (r.status !== 0 || figures.length === 0) {
  console.error((r.stdout ?? '').split('\n').filter((l) => /Error|failed|bench/.test(l)).slice(-20).join('\n'));
  console.error(r.stderr?.slice(-2000));
  process.exit(1);
}
