// `npm run fuzz [-- COUNT [SEED]]`: millions of mutations of real images through validateFirmware
// and decodeResourceTable. Anything but findings or an RscError is a bug: the input is written to
// fuzz-crash-<n>.elf and the run fails. Not part of `make test` (it runs for minutes).
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ElfFile } from '../src/core/elf/elfFile';
import { decodeResourceTable } from '../src/core/rsc/decode';
import { RscError } from '../src/core/rsc/types';
import { ValidateOptions, validateFirmware } from '../src/core/rsc/validate';
import { goodFirmware, stm32Board } from './unit/rsc/firmware';

const count = Number(process.argv[2] ?? 2_000_000);
let seed = Number(process.argv[3] ?? 1) >>> 0 || 1;
/** xorshift32: the same seed gives the same run. */
function rnd(n: number): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed % n;
}

function images(): Uint8Array[] {
  const list = [goodFirmware()];
  const dir = path.join(__dirname, '..', '..', 'test', 'fixtures', 'build');
  const walk = (d: string): void => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.elf')) list.push(new Uint8Array(fs.readFileSync(p)));
    }
  };
  walk(dir);
  return list;
}

/** Where the checks are: the ELF header, the program and section headers, the table. */
function hotSpots(b: Uint8Array): [number, number][] {
  const spots: [number, number][] = [[0, Math.min(64, b.length)]];
  try {
    const elf = ElfFile.parse(b);
    const ph = elf.programs;
    if (ph.length) spots.push([ph[0].headerOffset, ph.length * (elf.header.class === 64 ? 56 : 32)]);
    const s = elf.section('.resource_table');
    if (s && s.size) spots.push([s.offset, Math.min(s.size, b.length - s.offset)], [s.headerOffset, elf.header.class === 64 ? 64 : 40]);
  } catch {
    // Broken fixtures are fuzzed too, just without aim.
  }
  return spots.filter(([o, n]) => n > 0 && o + n <= b.length);
}

const INTERESTING = [0, 1, 2, 3, 4, 7, 15, 16, 0x7f, 0x80, 0xff, 0x100, 0x1000, 0xffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

function mutate(base: Uint8Array, spots: [number, number][]): Uint8Array {
  let b = base.slice();
  const edits = 1 + rnd(4);
  for (let k = 0; k < edits; k++) {
    const [o, n] = rnd(4) ? spots[rnd(spots.length)] : [0, b.length];
    const at = o + rnd(n);
    switch (rnd(4)) {
      case 0:
        b[at] = rnd(256);
        break;
      case 1:
        b[at] ^= 1 << rnd(8);
        break;
      case 2:
        if (at + 4 <= b.length) new DataView(b.buffer).setUint32(at - (at % 4), INTERESTING[rnd(INTERESTING.length)], rnd(2) === 0);
        break;
      default:
        b = b.slice(0, rnd(b.length + 1));
    }
  }
  return b;
}

const bases = images();
const spots = bases.map(hotSpots);
const boards: ValidateOptions[] = [{}, stm32Board(), stm32Board({ driver: 'k3_r5_rproc', tableRequired: true }), stm32Board({ driver: 'zynqmp_r5_remoteproc' }), { iommu: true }];
const rules = new Map<string, number>();
let rscErrors = 0;
let tables = 0;
let crashes = 0;
const start = performance.now();
let lastReport = start;

for (let n = 1; n <= count; n++) {
  const i = rnd(bases.length);
  const b = mutate(bases[i], spots[i]);
  try {
    const v = validateFirmware(b, boards[rnd(boards.length)]);
    for (const f of v.findings) rules.set(f.rule, (rules.get(f.rule) ?? 0) + 1);
    if (v.tableSection && v.tableSection.offset + v.tableSection.size <= b.length) {
      try {
        decodeResourceTable(b.subarray(v.tableSection.offset, v.tableSection.offset + v.tableSection.size), 'little');
        tables++;
      } catch (e) {
        if (!(e instanceof RscError)) throw e;
        rscErrors++;
      }
    }
  } catch (e) {
    crashes++;
    const file = `fuzz-crash-${crashes}.elf`;
    fs.writeFileSync(file, b);
    console.error(`crash on mutation ${n} (seed ${process.argv[3] ?? 1}), input in ${file}:`, e);
    if (crashes >= 5) break;
  }
  const now = performance.now();
  if (now - lastReport > 5000) {
    console.log(`fuzz.progress: ${n} mutations, ${Math.round((n * 1000) / (now - start))} mutations/s`);
    lastReport = now;
  }
}
const secs = (performance.now() - start) / 1000;
console.log(`fuzz.images: ${bases.length} images`);
console.log(`fuzz.mutations: ${count} mutations`);
console.log(`fuzz.rate: ${Math.round(count / secs)} mutations/s`);
console.log(`fuzz.tables_decoded: ${tables} tables`);
console.log(`fuzz.rsc_errors: ${rscErrors} errors`);
console.log(`fuzz.distinct_rules: ${rules.size} rules`);
for (const [r, c] of [...rules].sort((a, b) => b[1] - a[1])) console.log(`fuzz.rule.${r}: ${c} findings`);
console.log(`fuzz.crashes: ${crashes} crashes`);
process.exitCode = crashes ? 1 : 0;
