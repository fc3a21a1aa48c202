// The C test programs of test/fixtures/cpu, where make puts them and where their expected output
// (QEMU's, committed) lives.
import * as path from 'path';
import { FIXTURE_BUILD_DIR, REPO_ROOT } from '../fixtures/fixtures';

export const CPU_PROGRAMS = ['integer', 'dsp', 'fp', 'exceptions', 'rtos', 'mpu'] as const;
export type CpuProgram = (typeof CPU_PROGRAMS)[number];

export const CPU_SOURCE_DIR = path.join(REPO_ROOT, 'test/fixtures/cpu');

export function programElf(name: CpuProgram | 'harness'): string {
  return path.join(FIXTURE_BUILD_DIR, 'cpu', `${name}.elf`);
}

/** QEMU's output for the program, committed beside its source. */
export function goldenPath(name: CpuProgram): string {
  return path.join(CPU_SOURCE_DIR, 'expected', `${name}.txt`);
}

/** Enough for every program (the largest runs a few million instructions). */
export const PROGRAM_MAX_INSTRUCTIONS = 200_000_000;
