// An AM64x with eight R5F cores for the tree-refresh figure of `npm run bench:extension`: the
// bundled board's four cores plus four more, each with its own TCM, DDR windows and reserved
// memory (as a second pair of clusters would have), every core running the AM64x example firmware
// linked at its own memory-region (built here from examples/am64x, as the fixtures relink it) and
// carrying `endpoints` exported rpmsg endpoints. No vscode: the extension host and plain node use it.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Board, CoreDesc, ReservedMemory } from '../src/core/soc/board';
import { findBoard, parseBoard } from '../src/core/soc/boardLoader';
import { Shell } from '../src/core/shell/shell';
import { KernelError } from '../src/core/kernel/errno';
import { createSystem, type AmpSystem } from '../src/core/system';
import { attachRpmsg } from '../src/core/rpmsg/attachRpmsg';

const CORES = 8;
/** Offset of core n+4's addresses from core n's: past the four cores' TCMs and DDR regions. */
const TCM_STEP = 0x800000;
const DDR_STEP = 0x4000000;

const hex = (n: number): string => `0x${n.toString(16)}`;

/** The am64x board with its four cores doubled to eight (ids r5f2_0..r5f3_1, names 78800000.r5f...). */
export function eightCoreBoard(): Board {
  const am64x = findBoard('am64x');
  if (!am64x) throw new Error('no am64x board');
  const more = am64x.cores.map((c, i): { core: CoreDesc; reserved: ReservedMemory[] } => {
    const id = `r5f${2 + (i >> 1)}_${i & 1}`;
    const moved = (name: string): string => name.replace(/r5fss(\d)/, (_, n: string) => `r5fss${Number(n) + 2}`);
    const reserved = am64x.reservedMemory.filter((r) => c.memoryRegions.includes(r.name)).map((r) => ({ ...r, name: moved(r.name), pa: r.pa + DDR_STEP }));
    const core: CoreDesc = {
      ...c,
      id,
      name: `${(0x78000000 + TCM_STEP + i * 0x200000).toString(16)}.r5f`,
      defaultFirmware: `am64-main-${id}-fw`,
      memories: c.memories.map((m) => m.kind === 'tcm' ? { ...m, pa: m.pa + TCM_STEP } : { ...m, da: m.da + DDR_STEP, pa: m.pa + DDR_STEP }),
      memoryRegions: c.memoryRegions.map(moved),
      mailbox: c.mailbox.map((m) => ({ ...m, name: moved(m.name) })),
    };
    return { core, reserved };
  });
  // Through the schema check, as any user's board file goes.
  const json = JSON.parse(JSON.stringify({
    ...am64x,
    id: 'am64x-8',
    name: 'AM642 EVM with eight R5F cores (bench)',
    reservedMemory: [...am64x.reservedMemory, ...more.flatMap((m) => m.reserved)],
    cores: [...am64x.cores, ...more.map((m) => m.core)],
  })) as unknown;
  return parseBoard(json, 'bench:am64x-8');
}

/** The example firmware linked at `core`'s memory-region: from the fixtures, or built into `dir`. */
function firmwareFor(root: string, core: CoreDesc, dir: string): { name: string; data: Uint8Array } {
  const name = `${core.defaultFirmware}.elf`;
  const fixture = path.join(root, 'test/fixtures/build', name);
  if (fs.existsSync(fixture)) return { name, data: fs.readFileSync(fixture) };
  const base = core.memories.find((m) => m.name === 'memory');
  if (!base) throw new Error(`${core.id} has no memory-region`);
  fs.mkdirSync(dir, { recursive: true });
  // make rebuilds it when the example's sources changed, and does nothing otherwise.
  execFileSync('make', ['-s', '-C', path.join(root, 'examples/am64x'), `OUT=${dir}`, `FW=${name}`,
    `EXTRA_CFLAGS=-DBOARD_NAME='"am64x ${core.id}"'`, `EXTRA_LDFLAGS=-Wl,--defsym=DDR_RSC_BASE=${hex(base.da)}`], { stdio: 'inherit' });
  return { name, data: fs.readFileSync(path.join(dir, name)) };
}

/**
 * Eight cores booted with their firmware and `endpoints` endpoints exported on each core's rpmsg
 * bus through the shell's `rpmsg_export_ept`, after a virtual second for the channels to come up.
 */
export function eightCoreSystem(root: string, endpoints: number): AmpSystem {
  const board = eightCoreBoard();
  if (board.cores.length !== CORES) throw new Error(`${board.cores.length} cores`);
  const system = createSystem({ board });
  attachRpmsg(system);
  const fwDir = path.join(root, 'out/bench/firmware');
  board.cores.forEach((core, i) => {
    const fw = firmwareFor(root, core, fwDir);
    system.files.write(`/lib/firmware/${fw.name}`, fw.data);
    system.files.write(`/sys/class/remoteproc/remoteproc${i}/firmware`, fw.name);
    system.files.write(`/sys/class/remoteproc/remoteproc${i}/state`, 'start\n');
  });
  system.runFor(1e9);
  let err = '';
  const noDisk = { readFile: (): Uint8Array => { throw new KernelError('ENOENT'); } };
  const shell = new Shell(system, noDisk, { out: () => undefined, err: (t) => (err += t) });
  for (let c = 0; c < CORES; c++) {
    const running = system.rprocs[c].state;
    if (running !== 'running') throw new Error(`${system.rprocs[c].devName} is ${running}: ${system.dmesg().split('\n').slice(-5).join('\n')}`);
    for (let e = 0; e < endpoints; e++) {
      if (shell.run(`rpmsg_export_ept /dev/rpmsg_ctrl${c} bench${e}`) !== 0) throw new Error(`rpmsg_export_ept on rpmsg_ctrl${c}: ${err}`);
    }
  }
  system.runFor(1e8);
  return system;
}
