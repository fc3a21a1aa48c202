// Runs generated cases through harness.elf on a runner (QEMU or our core), in images of at most
// MAX_CASES cases each, and compares two runners case by case.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ProgramRun } from '../programRun';
import { disassemble } from './disassemble';
import { MAX_CASES, patchHarness, type Harness } from './harnessImage';
import { caseCode, type SequenceCase } from './sequence';

export type Runner = (elfPath: string) => Promise<ProgramRun>;

/** The harness's line for every case, in order ("c <index> r0 … r12 apsr s0 … s31 fpscr sum" or "c <index> fault …"). */
export async function runCases(h: Harness, cases: readonly SequenceCase[], run: Runner): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ampw-oracle-'));
  try {
    const lines: string[] = [];
    for (let first = 0; first < cases.length; first += MAX_CASES) {
      const batch = cases.slice(first, first + MAX_CASES);
      const file = path.join(dir, `harness-${first}.elf`);
      fs.writeFileSync(file, patchHarness(h, batch));
      const result = await run(file);
      const got = result.stdout.split('\n').filter((l) => l.startsWith('c'));
      if (result.exitCode !== 0 || got.length !== batch.length) {
        throw new Error(`harness run of cases ${first}-${first + batch.length - 1}: exit ${result.exitCode} (${result.reason}), ${got.length} of ${batch.length} cases reported`);
      }
      // Case numbers restart in every image: report them as indexes into `cases`.
      lines.push(...got.map((l, i) => l.replace(/^c [0-9a-f]{8}/, `c ${hex(first + i)}`)));
    }
    return lines;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const NAMES = [...Array.from({ length: 13 }, (_, i) => `r${i}`), 'apsr', ...Array.from({ length: 32 }, (_, i) => `s${i}`), 'fpscr', 'scratch'];

function hex(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}

/** A readable account of one case: its code, its inputs and where two runs' lines differ. */
export function describeCase(c: SequenceCase, index: number, expected: string, actual: string): string {
  const e = expected.split(' ');
  const a = actual.split(' ');
  const diffs: string[] = [];
  // "c", the index, then the values in NAMES' order (or "fault" and its status registers).
  if (e[2] === 'fault' || a[2] === 'fault') diffs.push(`expected: ${expected}`, `actual:   ${actual}`);
  else for (let i = 2; i < e.length; i++) if (e[i] !== a[i]) diffs.push(`${NAMES[i - 2]}: expected ${e[i]}, got ${a[i]}`);
  const r = c.regs;
  return [
    `case ${index}:`,
    ...disassemble(caseCode(c)).map((l) => `  ${l}`),
    `in: ${r.r.map((v, i) => `r${i}=${hex(v)}`).join(' ')} apsr=${hex(r.apsr)} fpscr=${hex(r.fpscr)}`,
    `    ${r.s.map((v, i) => `s${i}=${hex(v)}`).join(' ')}`,
    ...diffs,
  ].join('\n');
}

/** The first case whose lines differ, described; undefined when all agree. */
export function firstDifference(cases: readonly SequenceCase[], expected: readonly string[], actual: readonly string[]): string | undefined {
  for (let i = 0; i < cases.length; i++) if (expected[i] !== actual[i]) return describeCase(cases[i], i, expected[i] ?? '(missing)', actual[i] ?? '(missing)');
  return undefined;
}
