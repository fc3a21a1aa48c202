// A gdb session's wall time, as a user waits for it: gdb-multiarch in batch mode connects, breaks
// in main, continues, sets the long loop going (mode 3), breaks in it, backtraces, then 100 `stepi`
// and 100 `step`, against `node dist/cli.js gdbserver` (build first) on test/fixtures' gdb-m4.elf
// and against QEMU's stub (mps2-an386, -S -gdb) on the same ELF, in the same run. Servers are
// started before the clock starts; each figure is the median of RUNS sessions. Goal: <= 2x QEMU.
// QEMU's stub has no range stepping, so gdb steps a source line there one instruction per round
// trip; ours is also timed with range stepping off, which is the like-for-like figure.
// Prints `name: value unit` lines.
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { runGdb, startAmpwServer, startQemuServer, type Server } from '../test/oracle/gdbBatch';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const FIXTURES = path.join(ROOT, 'test/fixtures');
const ELF = 'build/gdb-m4.elf';
const RUNS = 5;
const STEPS = 100;

const script = (rangeStepping: boolean) => [
  `set range-stepping ${rangeStepping ? 'on' : 'off'}`,
  'break main',
  'continue',
  'set var mode = 3',
  'break gdb.c:46',
  'continue',
  'backtrace',
  ...Array<string>(STEPS).fill('stepi'),
  ...Array<string>(STEPS).fill('step'),
];

/** One session's wall time in seconds, after checking it did what the script says. */
async function session(start: () => Promise<Server>, rangeStepping: boolean): Promise<number> {
  const server = await start();
  try {
    const t0 = performance.now();
    const r = await runGdb(server.port, ELF, script(rangeStepping), FIXTURES);
    const seconds = (performance.now() - t0) / 1000;
    const steps = (r.output.match(/^\d+\t.*$/gm) ?? []).length;
    if (!r.output.includes('Breakpoint 2, main () at gdb-m4/gdb.c:46') || steps < STEPS) throw new Error(`the session went wrong:\n${r.output}`);
    return seconds;
  } finally {
    server.stop();
    await server.exited;
  }
}

async function median(start: () => Promise<Server>, rangeStepping = true): Promise<number> {
  const times: number[] = [];
  for (let k = 0; k < RUNS; k++) times.push(await session(start, rangeStepping));
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`node scripts/build.mjs\` first`);
  if (!fs.existsSync(path.join(FIXTURES, ELF))) throw new Error(`${ELF} is missing: run \`make -C test/fixtures\` first`);
  const startOurs = () => startAmpwServer(CLI, ['--board', 'stm32mp157', ELF], FIXTURES);
  const ours = await median(startOurs);
  const oursNoRange = await median(startOurs, false);
  const qemu = await median(() => startQemuServer(ELF, FIXTURES));
  console.log(`gdb session steps: ${2 * STEPS} steps`);
  console.log(`gdb session ampw: ${ours.toFixed(3)} s`);
  console.log(`gdb session ampw without range stepping: ${oursNoRange.toFixed(3)} s`);
  console.log(`gdb session qemu: ${qemu.toFixed(3)} s`);
  console.log(`gdb session ampw/qemu: ${(ours / qemu).toFixed(2)} ratio`);
  console.log(`gdb session ampw without range stepping/qemu: ${(oursNoRange / qemu).toFixed(2)} ratio`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
