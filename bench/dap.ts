// Debug adapter figures over stdio, as a client sees them: `node dist/cli.js dap` (build first), the
// example firmware on stm32mp157. Round trip of `next` = request sent → `stopped` event received,
// median over many steps through the boot (a restart begins the next pass). Goal: < 2 ms.
// Also: launch to the entry stop, and a stop's refresh (stackTrace + scopes + all variables).
// The firmware's code thread: a source-line step (`next` on the M4's thread through rpmsg_start, a
// restart when the steps leave it), median round trip (goal < 5 ms); and the wall time
// of a continue to a C breakpoint the scheduler example reaches after millions of instructions
// (counted in-process on the same deterministic run; goal < 0.5 s for 10 M).
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ElfFile } from '../src/core/elf/elfFile';
import { FirmwareDebugInfo } from '../src/core/dwarf/firmwareDebugInfo';
import { findBoard } from '../src/core/soc/boardLoader';
import { createSystem } from '../src/core/system';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const LAUNCH = { program: path.join(ROOT, 'examples/stm32mp157/rproc-m4-fw.elf'), board: 'stm32mp157', stopOnEntry: true };
const STEPS = 400;
const CODE_STEPS = 100;
const CODE_THREAD = 1001;
const SCHEDULER = path.join(ROOT, 'examples/stm32mp157-scheduler');
const SCHEDULER_ELF = path.join(SCHEDULER, 'm4-scheduler.elf');
/** The line primes() reaches once it has counted them all. */
const FOUND_TEXT = 'say("primes", "found "';

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
  const code = await codeSteps();
  const far = await farBreakpoint();
  console.log(`dap launch to entry stop: ${launchMs.toFixed(1)} ms`);
  console.log(`dap next round trip median: ${quantile(next, 0.5).toFixed(3)} ms`);
  console.log(`dap next round trip p90: ${quantile(next, 0.9).toFixed(3)} ms`);
  console.log(`dap stop refresh (stackTrace+scopes+variables) median: ${quantile(refresh, 0.5).toFixed(3)} ms`);
  console.log(`dap next steps measured: ${next.length} steps`);
  console.log(`dap firmware source-line step round trip median: ${quantile(code, 0.5).toFixed(3)} ms`);
  console.log(`dap firmware source-line step round trip p90: ${quantile(code, 0.9).toFixed(3)} ms`);
  console.log(`dap firmware source-line steps measured: ${code.length} steps`);
  console.log(`dap firmware breakpoint hit after: ${(far.instructions / 1e6).toFixed(2)} M instructions`);
  console.log(`dap firmware breakpoint hit wall time: ${far.ms.toFixed(1)} ms`);
  console.log(`dap firmware breakpoint hit wall time per 10 M instructions: ${((far.ms * 10e6) / far.instructions).toFixed(1)} ms`);
}

async function start(): Promise<DebugClient> {
  const dc = new DebugClient('node', `"${CLI}" dap`, 'amp', { shell: true, cwd: ROOT });
  dc.defaultTimeout = 60000;
  await dc.start();
  return dc;
}

/** `next` on the code thread through rpmsg_start, over and over (past its end the steps would reach main's WFI loop, which a step never leaves). */
async function codeSteps(): Promise<number[]> {
  const dc = await start();
  const out: number[] = [];
  await Promise.all([
    dc.waitForEvent('initialized').then(() => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'rpmsg_start' }] })).then(() => dc.configurationDoneRequest()),
    dc.launch({ ...LAUNCH, stopOnEntry: false }),
    dc.waitForEvent('stopped'),
  ]);
  while (out.length < CODE_STEPS) {
    const wait = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    const t = performance.now();
    await dc.nextRequest({ threadId: CODE_THREAD });
    const stopped = await wait;
    out.push(performance.now() - t);
    const top = (await dc.stackTraceRequest({ threadId: CODE_THREAD, levels: 1 })).body.stackFrames[0];
    if (stopped.body.reason !== 'step' || top.name !== 'rpmsg_start') {
      const again = dc.waitForEvent('stopped');
      await dc.restartRequest({});
      await again;
    }
  }
  await dc.stop();
  return out;
}

/** Continue from the entry stop to the line primes() reaches at the end of its count: wall time, and the instructions the core ran. */
async function farBreakpoint(): Promise<{ ms: number; instructions: number }> {
  const main = path.join(SCHEDULER, 'main.c');
  const line = fs.readFileSync(main, 'utf8').split('\n').findIndex((l) => l.includes(FOUND_TEXT)) + 1;
  const dc = await start();
  await Promise.all([dc.configurationSequence(), dc.launch({ program: SCHEDULER_ELF, board: 'stm32mp157', stopOnEntry: true }), dc.waitForEvent('stopped')]);
  const set = await dc.setBreakpointsRequest({ source: { path: main }, breakpoints: [{ line }] });
  if (!set.body.breakpoints[0].verified) throw new Error(`main.c:${line}: ${set.body.breakpoints[0].message}`);
  const wait = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  const t = performance.now();
  await dc.continueRequest({ threadId: 1 });
  const stopped = await wait;
  const ms = performance.now() - t;
  await dc.stop();
  if (stopped.body.reason !== 'breakpoint') throw new Error(`the run stopped for ${stopped.body.reason}: ${stopped.body.description}`);
  return { ms, instructions: instructionsTo(line) };
}

/** The same run in-process: the instructions the M4 has executed when it first reaches `line` of main.c. */
function instructionsTo(line: number): number {
  const data = new Uint8Array(fs.readFileSync(SCHEDULER_ELF));
  const board = findBoard('stm32mp157')!;
  const addrs = FirmwareDebugInfo.fromElf(ElfFile.parse(data)).breakpointAddresses('main.c', line).addresses;
  const system = createSystem({ board, firmware: { name: path.basename(SCHEDULER_ELF), data, core: 'm4' } });
  const debug = system.debug('m4');
  debug.setBreakpoints(addrs);
  system.files.write('/sys/class/remoteproc/remoteproc0/state', 'start\n');
  while (!system.halted && system.step());
  const core = debug.core;
  if (!core || debug.lastStop?.kind !== 'breakpoint') throw new Error('the in-process run did not reach the breakpoint');
  return core.state.instructions;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
