// Full validation rate (ELF reader, kernel rules, ampw rules, findings) over real images, and
// whether its cost grows with the file: a 1 MiB and a 64 MiB image made by padding a real one.
// Prints `name: value unit` lines; the bare table decode in the same process is the baseline.
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { PT_LOAD } from '../src/core/elf/constants';
import { ElfFile } from '../src/core/elf/elfFile';
import { decodeResourceTable } from '../src/core/rsc/decode';
import { ValidateOptions, validateFirmware } from '../src/core/rsc/validate';
import { findBoard } from '../src/core/soc/boardLoader';
import { BROKEN_FIXTURES, VALID_FIXTURES, fixture, readFixture } from '../test/fixtures/fixtures';
import { goodFirmware, stm32Board } from '../test/unit/rsc/firmware';

/**
 * Calls `fn` in rounds of about 150 ms and returns the best round, as calls per second of wall
 * time and per second of this process's CPU time: the machine is shared, and the CPU figure is
 * the one that does not move with the neighbours' load.
 */
function rate(fn: () => void, rounds = 5): { wall: number; cpu: number } {
  for (let i = 0; i < 2000; i++) fn(); // warm up the JIT
  let wall = 0;
  let cpu = 0;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    let now = start;
    while (now - start < 150) {
      for (let i = 0; i < 500; i++) fn();
      n += 500;
      now = performance.now();
    }
    const used = process.cpuUsage(cpu0);
    wall = Math.max(wall, (n * 1000) / (now - start));
    cpu = Math.max(cpu, (n * 1e6) / Math.max(1, used.user + used.system));
  }
  return { wall, cpu };
}

/** The team's fixtures, each with the board it is linked for, and this suite's own image. */
function fixtureImages(): { name: string; bytes: Uint8Array; opts: ValidateOptions }[] {
  const list: { name: string; bytes: Uint8Array; opts: ValidateOptions }[] = [{ name: 'rsc-test-m4', bytes: goodFirmware(), opts: {} }];
  for (const f of [...VALID_FIXTURES, ...BROKEN_FIXTURES]) {
    if (!fs.existsSync(fixture(f.name))) continue;
    const board = f.board ? findBoard(f.board) : undefined;
    const core = board?.cores.find((c) => c.id === f.core);
    list.push({ name: f.name, bytes: readFixture(f.name), opts: { board, core } });
  }
  return list;
}

/** The image grown to `size` bytes, its last loadable segment stretched over the new bytes: a big segment, as a big firmware has. */
function padded(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(bytes);
  const last = ElfFile.parse(bytes).programs.filter((p) => p.type === PT_LOAD).pop();
  if (!last) throw new Error('fixture without PT_LOAD');
  const v = new DataView(out.buffer);
  v.setUint32(last.headerOffset + 16, size - last.offset, true); // p_filesz (ELF32)
  v.setUint32(last.headerOffset + 20, size - last.offset, true); // p_memsz
  return out;
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);
const show = (name: string, r: { wall: number; cpu: number }, unit = 'tables/s') => {
  console.log(`${name}: ${fmt(r.wall)} ${unit}`);
  console.log(`${name}.cpu: ${fmt(r.cpu)} ${unit}`);
};
const images = fixtureImages();
console.log(`validate.fixtures.count: ${images.length} images`);

let i = 0;
const all = rate(() => {
  const im = images[i++ % images.length];
  validateFirmware(im.bytes, im.opts);
});
show('validate.fixtures_on_their_boards', all);
const base = images[0].bytes;
const stm = stm32Board();
show('validate.board_stm32', rate(() => validateFirmware(base, stm)));

const small = padded(base, 1 << 20);
const big = padded(base, 64 << 20);
for (const im of [small, big]) if (!validateFirmware(im).ok) throw new Error('padded image does not validate');
const r1 = rate(() => validateFirmware(small));
const r64 = rate(() => validateFirmware(big));
show('validate.1MiB', r1);
show('validate.64MiB', r64);
console.log(`validate.64MiB_vs_1MiB: ${fmt(r64.wall / r1.wall, 3)} ratio`);
console.log(`validate.64MiB_vs_1MiB.cpu: ${fmt(r64.cpu / r1.cpu, 3)} ratio`);

const elf = ElfFile.parse(base);
const s = elf.section('.resource_table');
if (!s) throw new Error('fixture without .resource_table');
const table = base.subarray(s.offset, s.offset + s.size);
const decode = rate(() => decodeResourceTable(table, 'little'));
show('decode.baseline', decode);
show('elf.parse_and_find_table', rate(() => ElfFile.parse(base).section('.resource_table')), 'images/s');
console.log(`validate_vs_decode.cpu: ${fmt(all.cpu / decode.cpu, 3)} ratio`);
