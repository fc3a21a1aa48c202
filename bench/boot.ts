// Boot figures on the simulated SoC: wall time from writing `start` to the core's sysfs state to
// "remote processor ... is now up" for each board's example firmware (median of many boots), the
// time to build a whole system, and the memory a system with a 1 GiB DDR region costs once a
// firmware has booted in it (the DDR is paged in lazily). Goals: < 20 ms per boot, < 20 MB.
// On the STM32MP157 the example's own code runs on the M4: from `echo start` to the kernel's
// "creating channel" line its firmware's name-service announcement causes. Goal: < 100 ms.
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { performance } from 'perf_hooks';
import { findBoard } from '../src/core/soc/boardLoader';
import type { Board } from '../src/core/soc/board';
import { createSystem, type AmpSystem } from '../src/core/system';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLES = [
  { board: 'stm32mp157', core: 'm4', elf: 'examples/stm32mp157/rproc-m4-fw.elf' },
  { board: 'am64x', core: 'r5f0_0', elf: 'examples/am64x/am64-main-r5f0_0-fw.elf' },
  { board: 'zynqmp', core: 'r5_0', elf: 'examples/zynqmp/rproc-r5_0-fw.elf' },
];

function system(board: Board, core: string, image: Uint8Array): AmpSystem {
  return createSystem({ board, seed: 1, firmware: { name: 'fw.elf', data: image, core } });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function bootTimes(board: Board, core: string, image: Uint8Array, runs: number): { boot: number; create: number } {
  const boot: number[] = [];
  const create: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const sys = system(board, core, image);
    const r = sys.rproc(core);
    const t1 = performance.now();
    sys.files.write(`/sys/class/remoteproc/${r.devName}/state`, 'start\n');
    const t2 = performance.now();
    if (!sys.log.lines.some((l) => l.message.endsWith('is now up'))) throw new Error(`${board.id}: the example did not come up`);
    create.push(t1 - t0);
    boot.push(t2 - t1);
  }
  return { boot: median(boot), create: median(create) };
}

/** `start`, then the system event by event until the firmware's channel is created: wall ms, median. */
function startToChannel(board: Board, core: string, image: Uint8Array, runs: number): { ms: number; virtualMs: number } {
  const wall: number[] = [];
  let virtualMs = 0;
  for (let i = 0; i < runs; i++) {
    const sys = system(board, core, image);
    const t0 = performance.now();
    sys.files.write(`/sys/class/remoteproc/${sys.rproc(core).devName}/state`, 'start\n');
    while (!sys.log.lines.some((l) => l.message.includes('creating channel'))) {
      if (!sys.step()) throw new Error(`${board.id}: the firmware announced no channel`);
    }
    wall.push(performance.now() - t0);
    virtualMs = sys.now() / 1e6;
  }
  return { ms: median(wall), virtualMs };
}

function main(): void {
  // The STM32MP157 with its host RAM grown to 1 GiB: the system and a booted M4 should stay small.
  const stm = findBoard('stm32mp157')!;
  const big: Board = { ...stm, host: { ...stm.host, memory: [{ name: 'memory@c0000000', pa: 0xc0000000, size: 0x40000000 }] } };
  const image = new Uint8Array(fs.readFileSync(path.join(ROOT, EXAMPLES[0].elf)));
  gc();
  gc();
  const before = process.memoryUsage();
  const sys = system(big, 'm4', image);
  sys.files.write('/sys/class/remoteproc/remoteproc0/state', 'start\n');
  sys.runFor(1e9);
  gc();
  gc();
  const after = process.memoryUsage();
  const used = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
  console.log(`memory of a 1 GiB DDR system after boot: ${(used / (1 << 20)).toFixed(2)} MB`);
  console.log(`simulated memory paged in: ${(sys.memory.physical.allocatedBytes / (1 << 20)).toFixed(2)} MB`);
  for (const ex of EXAMPLES) {
    const board = findBoard(ex.board)!;
    const image = new Uint8Array(fs.readFileSync(path.join(ROOT, ex.elf)));
    bootTimes(board, ex.core, image, 20); // warm-up
    const t = bootTimes(board, ex.core, image, 200);
    console.log(`boot start->up ${ex.board}: ${t.boot.toFixed(3)} ms`);
    console.log(`system create ${ex.board}: ${t.create.toFixed(3)} ms`);
  }

  startToChannel(stm, 'm4', image, 5); // warm-up
  const channel = startToChannel(stm, 'm4', image, 50);
  console.log(`echo start -> creating channel, stm32mp157 (firmware on the M4): ${channel.ms.toFixed(3)} ms`);
  console.log(`virtual time from start to the channel, stm32mp157: ${channel.virtualMs.toFixed(3)} ms`);

  if (sys.rprocs.length === 0) throw new Error('unreachable: keeps the system alive until measured');

  // The hot path every ring access takes: 16/32-bit reads and writes through the remote's view.
  const m4 = sys.memory.remote('m4');
  const base = 0x10040000;
  const n = 5_000_000;
  let sum = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const a = base + ((i * 4) & 0xfff);
    m4.write32(a, i);
    sum += m4.read32(a) + m4.read16(a + 2);
  }
  const ms = performance.now() - t0;
  if (sum === -1) throw new Error('unreachable');
  console.log(`memory accesses through an address space: ${((3 * n) / ms / 1000).toFixed(1)} M/s`);
}

main();
