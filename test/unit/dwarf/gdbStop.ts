// gdb-multiarch's view of a program stopped under `ampw gdbserver`: the core's registers, the bytes
// of the stacks, and gdb's backtrace with each frame's pc and sp, for the unwinder's tests.
import * as path from 'path';
import { runGdb, startAmpwServer } from '../../oracle/gdbBatch';
import { REPO_ROOT } from '../../fixtures/fixtures';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures');
const CLI = path.join(REPO_ROOT, 'out/src/cli/main.js');

export interface GdbFrame {
  /** The backtrace line: `#1  <signal handler called>`. */
  readonly line: string;
  readonly pc: number;
  readonly sp: number;
}

export interface GdbStop {
  readonly registers: Map<string, number>;
  /** Words gdb read with `x/Nwx`, by address. */
  readonly memory: Map<number, number>;
  readonly frames: GdbFrame[];
  /** What each of the queries printed. */
  readonly answers: string[];
  readonly transcript: string;
}

/**
 * Runs `setup` (breakpoints, continue...), then reads the registers, `words` 32-bit words at each
 * of `dumps` (gdb expressions), and the pc and sp of `levels` frames.
 */
export async function gdbStop(elf: string, setup: readonly string[], dumps: readonly { at: string; words: number }[], levels: number, queries: readonly string[] = []): Promise<GdbStop> {
  const commands = [
    ...setup,
    ...queries.flatMap((q, i) => [`echo @@answer ${i}\\n`, q]),
    'echo @@bt\\n',
    'backtrace',
    'echo @@regs\\n',
    'info registers',
    ...dumps.flatMap((d) => ['echo @@mem\\n', `x/${d.words}wx ${d.at}`]),
    ...Array.from({ length: levels }, (_, i) => [`echo @@frame ${i}\\n`, `frame ${i}`, 'echo @@pcsp\\n', 'printf "%u %u\\n", $pc, $sp']).flat(),
  ];
  const server = await startAmpwServer(CLI, ['--board', 'stm32mp157', `build/${elf}.elf`], FIXTURES);
  let transcript: string;
  try {
    transcript = (await runGdb(server.port, `build/${elf}.elf`, commands, FIXTURES)).output;
  } finally {
    server.stop();
  }
  const registers = new Map<string, number>();
  const memory = new Map<number, number>();
  const bt: string[] = [];
  const frames: GdbFrame[] = [];
  const answers = queries.map(() => '');
  let part = '';
  let frame = -1;
  for (const line of transcript.split('\n')) {
    // gdb ends a dump cut short by unreadable memory with no newline: a marker may end such a line.
    const marker = /@@(\w+)(?: (\d+))?$/.exec(line);
    if (marker) {
      part = marker[1];
      if (part === 'frame' || part === 'answer') frame = Number(marker[2]);
      continue;
    }
    let m: RegExpExecArray | null;
    if (part === 'answer') answers[frame] += `${line}\n`;
    else if (part === 'bt' && /^#\d+/.test(line)) bt.push(line);
    else if (part === 'regs' && (m = /^(\w+)\s+(0x[0-9a-f]+)\s/.exec(line))) registers.set(m[1], parseInt(m[2], 16));
    else if (part === 'mem' && (m = /^(0x[0-9a-f]+)(?: <[^>]*>)?:\s+(.*)$/.exec(line))) {
      const base = parseInt(m[1], 16);
      m[2].split(/\s+/).forEach((w, i) => memory.set(base + 4 * i, parseInt(w, 16)));
    } else if (part === 'pcsp' && (m = /^(\d+) (\d+)$/.exec(line)) && frame >= 0 && frame < bt.length && frames.length === frame) {
      frames.push({ line: bt[frame], pc: Number(m[1]), sp: Number(m[2]) });
    }
  }
  return { registers, memory, frames, answers, transcript };
}

/**
 * The top 256 bytes of RAM, where the fixtures' main stack is (cpu/cpu.ld puts its top at 0x10000):
 * a dump that ran past it would have gdb's error interleave with the transcript.
 */
export const MAIN_STACK = { at: '0xff00', words: 64 };

/** A memory reader over the words gdb dumped (and nothing else). */
export function dumpedMemory(stop: GdbStop): (address: number, size: number) => Uint8Array | undefined {
  return (address, size) => {
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      const a = address + i;
      const word = stop.memory.get(a - (a % 4));
      if (word === undefined) return undefined;
      out[i] = (word >>> (8 * (a % 4))) & 0xff;
    }
    return out;
  };
}
