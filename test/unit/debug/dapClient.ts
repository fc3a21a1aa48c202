// The DAP test client over `node dist/cli.js dap`, one adapter per test: the suites of the `amp`
// adapter (life cycle, firmware code) drive it as VS Code or any other client drives `ampw dap`.
import { execFileSync } from 'child_process';
import * as path from 'path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { REPO_ROOT } from '../../fixtures/fixtures';

const CLI = path.join(REPO_ROOT, 'dist/cli.js');

/** Registers the suite's hooks: the CLI is built once, each test gets a fresh adapter. Returns the current client. */
export function useAdapter(timeoutMs: number): () => DebugClient {
  let dc: DebugClient | undefined;
  before(() => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  });
  beforeEach(async () => {
    // DebugClient spawns `runtime executable`; through a shell that is `node dist/cli.js dap`.
    dc = new DebugClient('node', `"${CLI}" dap`, 'amp', { shell: true, cwd: REPO_ROOT });
    dc.defaultTimeout = timeoutMs;
    await dc.start();
  });
  afterEach(async () => {
    await dc?.stop();
  });
  return () => dc!;
}
