// Property: malformed DWARF (bytes and words changed in the debug sections, a section replaced by
// random bytes) gives a result or a DwarfError, never another exception, and in bounded time:
// everything the debugger asks is asked (lines, breakpoints, functions, the call stack, globals,
// locals and their children).
import assert from 'assert';
import fc from 'fast-check';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { DwarfError } from '../../../src/core/dwarf/dwarfError';
import { FirmwareDebugInfo } from '../../../src/core/dwarf/firmwareDebugInfo';
import { DEBUG_SECTIONS } from '../../../src/core/dwarf/sections';
import { readFixture } from '../../fixtures/fixtures';

/** The slowest a mutated image may take to be read and asked everything (a real one takes a few ms). */
const MAX_MS = 2000;

function askEverything(bytes: Uint8Array, stackWords: number[]): void {
  const elf = ElfFile.parse(bytes);
  const debug = FirmwareDebugInfo.fromElf(elf);
  const text = elf.section('.text');
  const start = text?.addr ?? 0;
  const size = text?.size ?? 0x100;
  for (let pc = start; pc < start + size; pc += Math.max(2, Math.floor(size / 64))) {
    debug.sourceAt(pc);
    debug.stepRange(pc);
    debug.inlinedAt(pc);
  }
  for (const u of debug.compileUnits()) for (const f of u.files.slice(0, 3)) for (const line of [1, 20, 40, 60]) debug.breakpointAddresses(f, line);
  for (const f of debug.functions.list.slice(0, 20)) {
    debug.functionBreakpoint(f.name);
    debug.declaredAt(f.die);
  }
  const sp = 0xff00;
  const memory = (address: number, n: number): Uint8Array | undefined => {
    if (n > 1 << 20) return undefined;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const a = address + i - sp;
      if (a < 0 || a >= stackWords.length * 4) return undefined;
      out[i] = (stackWords[a >> 2] >>> (8 * (a & 3))) & 0xff;
    }
    return out;
  };
  for (const f of debug.functions.list.slice(0, 8)) {
    const r = [...Array(16).keys()].map((i) => (i === 13 ? sp : i === 15 ? f.low + 2 : stackWords[i % stackWords.length]));
    const frames = debug.callStack({ r, msp: sp, psp: sp + 64 }, memory, 16);
    for (const [i, frame] of frames.entries()) {
      for (const v of debug.locals(frame.frame, i === 0).slice(0, 10)) {
        try {
          debug.view(v, frame.frame, i === 0, memory, frames[i + 1]?.frame);
        } catch (e) {
          if (!(e instanceof DwarfError)) throw e;
        }
      }
    }
  }
  const data = (address: number, n: number) => (n <= 1 << 16 ? new Uint8Array(n).fill(address & 0xff) : undefined);
  for (const g of debug.globals().slice(0, 30)) {
    try {
      const view = debug.view(g, undefined, true, data);
      debug.types.name(g.type);
      debug.childViews(g.type, new Uint8Array(Math.min(view.size, 4096)), view.address, data, 0, 50);
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
    }
  }
}

function resultOrDwarfError(bytes: Uint8Array, stack: number[]): boolean {
  const t0 = process.hrtime.bigint();
  try {
    askEverything(bytes, stack);
  } catch (e) {
    if (!(e instanceof DwarfError)) throw e;
    assert.ok(e.message.startsWith(`${e.section}+0x`), e.message);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.ok(ms < MAX_MS, `took ${ms.toFixed(0)} ms`);
  return true;
}

const NASTY_WORDS = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff];

describe('dwarf property: malformed debug sections give a result or a DwarfError, in bounded time', function () {
  this.timeout(300000);
  for (const name of ['gdb-m4', 'dwarf-o2', 'dwarf-o2-v4', 'rproc-m4-fw']) {
    const original = readFixture(name);
    const elf = ElfFile.parse(original);
    const sections = DEBUG_SECTIONS.map((n) => elf.section(n)).filter((s): s is NonNullable<typeof s> => s !== undefined && s.size > 0);
    const section = fc.constantFrom(...sections);
    const edit = section.chain((s) =>
      fc.oneof(
        fc.record({ at: fc.integer({ min: s.offset, max: s.offset + s.size - 1 }), byte: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ at: fc.integer({ min: s.offset, max: s.offset + s.size - 1 }), word: fc.oneof(fc.constantFrom(...NASTY_WORDS), fc.nat()) }),
      ),
    );
    const stack = fc.array(fc.oneof(fc.nat(), fc.constantFrom(0xfffffff9, 0xffffffed, 0xfffffffd, 0, 0xff00)), { minLength: 8, maxLength: 64 });

    it(`${name}: byte and word mutations in the debug sections`, () => {
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), stack, (edits, words) => {
          const b = original.slice();
          const view = new DataView(b.buffer);
          for (const e of edits) {
            if ('byte' in e) b[e.at] = e.byte;
            else if (e.at + 4 <= b.length) view.setUint32(e.at, e.word >>> 0, true);
          }
          return resultOrDwarfError(b, words);
        }),
        { numRuns: 300, seed: 17 },
      );
    });

    it(`${name}: a debug section replaced by random bytes`, () => {
      fc.assert(
        fc.property(section, fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.integer({ min: 0 }), stack, (s, noise, seed, words) => {
          const b = original.slice();
          for (let i = 0; i < s.size; i++) b[s.offset + i] = noise[(i + seed) % noise.length] ^ (i * 31);
          return resultOrDwarfError(b, words);
        }),
        { numRuns: 100, seed: 17 },
      );
    });
  }
});
