// Instruction rate of the Cortex-M4 core on a compiled integer workload of our own
// (test/fixtures/cpu/bench.c: lists, matrix, state machine, CRC), against QEMU's (mps2-an386)
// on the same ELF in the same process. The workload is the difference between the ELF built with
// its full iteration count and with one iteration, so start-up costs (ours and QEMU's) cancel.
// Rates are per second of CPU time (this process's, QEMU's user + system): the machine is shared
// and wall time moves with the neighbours' load; the wall-time rate is printed too.
// Prints `name: value unit` lines. Goals: >= 50 Minstr/s and >= 0.1 of QEMU.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { loadElf, machine, runUntilStop } from '../test/unit/cpu/testMachine';

const BUILD = path.resolve(__dirname, '../../test/fixtures/build');
const FULL = path.join(BUILD, 'cpu', 'bench.elf');
const ONE = path.join(BUILD, 'cpu', 'bench-1.elf');

interface Run { instructions: number; seconds: number; wall: number; out: string }

function ours(elf: string): Run {
  const m = machine();
  loadElf(m, elf);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  runUntilStop(m, 1e10);
  const c = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / 1000;
  if (m.hooks.stop !== 'exit') throw new Error(`${elf}: stopped by ${m.hooks.stop}`);
  return { instructions: m.state.instructions, seconds: (c.user + c.system) / 1e6, wall, out: m.hooks.output };
}

/** QEMU under bash's `time`, whose `@@user sys` line follows the semihosting output on stderr. */
function qemu(elf: string): Run {
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', 'TIMEFORMAT="@@%3U %3S"; time qemu-system-arm -M mps2-an386 -nographic -semihosting-config enable=on,target=native -kernel "$0" 2>&1', elf], { encoding: 'utf8' });
  const wall = (performance.now() - t0) / 1000;
  const m = /@@([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`qemu-system-arm failed: ${r.stdout}${r.stderr}`);
  return { instructions: 0, seconds: Number(m[1]) + Number(m[2]), wall, out: r.stdout };
}

/** The best (fastest) of `n` runs: the machine is shared. */
function best(n: number, f: () => Run): Run {
  let b: Run | undefined;
  for (let k = 0; k < n; k++) {
    const r = f();
    if (!b || r.seconds < b.seconds) b = r;
  }
  return b as Run;
}

function main(): void {
  if (!fs.existsSync(FULL) || !fs.existsSync(ONE)) throw new Error('build the fixtures first: make -C test/fixtures');
  ours(FULL); // warm up the JIT
  const full = best(3, () => ours(FULL));
  const one = best(3, () => ours(ONE));
  const instructions = full.instructions - one.instructions;
  const mips = instructions / (full.seconds - one.seconds) / 1e6;
  console.log(`cpu instructions: ${instructions} instr`);
  console.log(`cpu: ${mips.toFixed(1)} Minstr/s`);
  console.log(`cpu wall: ${(instructions / (full.wall - one.wall) / 1e6).toFixed(1)} Minstr/s`);
  const qFull = best(3, () => qemu(FULL));
  const qOne = best(3, () => qemu(ONE));
  if (qFull.out !== full.out) throw new Error(`QEMU printed ${JSON.stringify(qFull.out)}, we printed ${JSON.stringify(full.out)}`);
  const qMips = instructions / Math.max(qFull.seconds - qOne.seconds, 1e-3) / 1e6;
  console.log(`qemu: ${qMips.toFixed(1)} Minstr/s`);
  console.log(`qemu wall: ${(instructions / Math.max(qFull.wall - qOne.wall, 1e-3) / 1e6).toFixed(1)} Minstr/s`);
  console.log(`cpu/qemu: ${(mips / qMips).toFixed(3)} ratio`);
}

main();
