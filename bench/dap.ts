// Debug adapter figures over stdio, as a client sees them: `node dist/cli.js dap` (build first), the
// example firmware on stm32mp157. Round trip of `next` = request sent → `stopped` event received,
// median over many steps through the boot (a restart begins the next pass). Goal: < 2 ms.
// Also: launch to the entry stop, and a stop's refresh (stackTrace + scopes + all variables).
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const LAUNCH = { program: path.join(ROOT, 'examples/stm32mp157/rproc-m4-fw.elf'), board: 'stm32mp157', stopOnEntry: true };
const STEPS = 400;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))];
}

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`node scripts/build.mjs\` first`);
  const dc = new DebugClient('node', `"${CLI}" dap`, 'amp', { shell: true, cwd: ROOT });
  await dc.start();
  const t0 = performance.now();
  await Promise.all([dc.configurationSequence(), dc.launch(LAUNCH), dc.waitForEvent('stopped')]);
  const launchMs = performance.now() - t0;

  const next: number[] = [];
  const refresh: number[] = [];
  while (next.length < STEPS) {
    const wait = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    const t = performance.now();
    await dc.nextRequest({ threadId: 1 });
    const stopped = await wait;
    next.push(performance.now() - t);
    if (next.length % 10 === 0) {
      const r = performance.now();
      await dc.stackTraceRequest({ threadId: 1 });
      for (const s of (await dc.scopesRequest({ frameId: 1 })).body.scopes) await dc.variablesRequest({ variablesReference: s.variablesReference });
      refresh.push(performance.now() - r);
    }
    if (stopped.body.reason === 'pause') {
      // Nothing left to run: start the boot over.
      const again = dc.waitForEvent('stopped');
      await dc.restartRequest({});
      await again;
    }
  }
  await dc.stop();
  console.log(`dap launch to entry stop: ${launchMs.toFixed(1)} ms`);
  console.log(`dap next round trip median: ${quantile(next, 0.5).toFixed(3)} ms`);
  console.log(`dap next round trip p90: ${quantile(next, 0.9).toFixed(3)} ms`);
  console.log(`dap stop refresh (stackTrace+scopes+variables) median: ${quantile(refresh, 0.5).toFixed(3)} ms`);
  console.log(`dap next steps measured: ${next.length} steps`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
