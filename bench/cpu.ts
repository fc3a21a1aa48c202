// Instruction rate of the Cortex-M4 core on a compiled integer workload of our own
// (test/fixtures/cpu/bench.c: lists, matrix, state machine, CRC), against QEMU's (mps2-an386)
// on the same ELF in the same process. Ours runs on the path `ampw run` takes: the ELF loaded into
// the STM32MP157's memory, the M4 reset from it, its SystemBus, exception model and run loop. The workload is the difference between the ELF built with
// its full iteration count and with one iteration, so start-up costs (ours and QEMU's) cancel.
// Rates are per second of CPU time (this process's, QEMU's user + system): the machine is shared
// and wall time moves with the neighbours' load; the wall-time rate is printed too.
// Prints `name: value unit` lines. Goals: >= 50 Minstr/s and >= 0.1 of QEMU.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { loadBareProgram, runBareProgram } from '../src/core/cpu/bareProgram';
import { Firmware } from '../src/core/remoteproc/firmware';
import { findBoard } from '../src/core/soc/boardLoader';

const BUILD = path.resolve(__dirname, '../../test/fixtures/build');
const FULL = path.join(BUILD, 'cpu', 'bench.elf');
const ONE = path.join(BUILD, 'cpu', 'bench-1.elf');

interface Run { instructions: number; seconds: number; wall: number; out: string }

function ours(elf: string): Run {
  const board = findBoard('stm32mp157');
  const core = board?.cores.find((c) => c.id === 'm4');
  if (!board || !core) throw new Error('the stm32mp157 board and its m4 are missing');
  let out = '';
  const decoder = new TextDecoder();
  const program = loadBareProgram(board, core, new Firmware(path.basename(elf), new Uint8Array(fs.readFileSync(elf))), {
    console: (b) => (out += decoder.decode(b, { stream: true })),
  });
  const m4 = program.core;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const stop = runBareProgram(program, 1e12);
  const c = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / 1000;
  if (stop.kind !== 'exit' || stop.code !== 0) throw new Error(`${elf}: ${stop.kind} ${stop.code ?? ''} ${stop.message ?? ''}`);
  return { instructions: m4.state.instructions, seconds: (c.user + c.system) / 1e6, wall, out };
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
  // QEMU's workload takes a tenth of a second, near the timer's millisecond: more runs to find its best
  const qFull = best(7, () => qemu(FULL));
  const qOne = best(7, () => qemu(ONE));
  if (qFull.out !== full.out) throw new Error(`QEMU printed ${JSON.stringify(qFull.out)}, we printed ${JSON.stringify(full.out)}`);
  const qMips = instructions / Math.max(qFull.seconds - qOne.seconds, 1e-3) / 1e6;
  console.log(`qemu: ${qMips.toFixed(1)} Minstr/s`);
  console.log(`qemu wall: ${(instructions / Math.max(qFull.wall - qOne.wall, 1e-3) / 1e6).toFixed(1)} Minstr/s`);
  console.log(`cpu/qemu: ${(mips / qMips).toFixed(3)} ratio`);
}

main();
