// The unwinder against gdb-multiarch's `backtrace` on programs stopped under `ampw gdbserver`: the
// same frames, pcs and sps, through functions' call frame information, through exception entry
// (`<signal handler called>`) on MSP with a basic frame, and on PSP with an extended (FP) frame and
// the alignment pad, and through an assembly function's CFI.
import assert from 'assert';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { FirmwareDebugInfo } from '../../../src/core/dwarf/firmwareDebugInfo';
import { gdbAvailable } from '../../oracle/gdbBatch';
import { readFixture } from '../../fixtures/fixtures';
import { dumpedMemory, gdbStop, MAIN_STACK, type GdbStop } from './gdbStop';

function ourStack(elf: string, stop: GdbStop) {
  const debug = FirmwareDebugInfo.fromElf(ElfFile.parse(readFixture(elf)));
  const r = [...Array(16).keys()].map((i) => stop.registers.get(i === 13 ? 'sp' : i === 14 ? 'lr' : i === 15 ? 'pc' : `r${i}`) ?? 0);
  return debug.callStack({ r, msp: stop.registers.get('msp'), psp: stop.registers.get('psp') }, dumpedMemory(stop));
}

/** gdb's frames as ours would print them: `name pc sp`, the exception frame as gdb names it. */
function compare(elf: string, stop: GdbStop): void {
  const ours = ourStack(elf, stop);
  const theirs = stop.frames.map((f) => `${/<signal handler called>/.test(f.line) ? '<signal handler called>' : (/ in (\w+) \(|^#\d+\s+(\w+) \(/.exec(f.line)?.slice(1).find(Boolean) ?? '?')} 0x${f.pc.toString(16)} 0x${f.sp.toString(16)}`);
  const mine = ours.slice(0, theirs.length).map((f) => `${f.frame.kind === 'exception' ? '<signal handler called>' : (f.function?.name ?? '?')} 0x${f.frame.pc.toString(16)} 0x${(f.frame.registers[13] ?? 0).toString(16)}`);
  assert.ok(theirs.length >= 3, stop.transcript);
  assert.deepStrictEqual(mine, theirs);
}

describe('dwarf unwinder: the frames gdb-multiarch shows', function () {
  this.timeout(120000);
  before(function () {
    if (!gdbAvailable()) this.skip();
  });

  it('-O0: add ← accumulate ← main, at a breakpoint inside add and at its first instruction', async () => {
    const stop = await gdbStop('gdb-m4', ['break gdb.c:14', 'continue'], [MAIN_STACK], 3);
    compare('gdb-m4', stop);
    const entry = await gdbStop('gdb-m4', ['break *add', 'continue'], [MAIN_STACK], 3);
    compare('gdb-m4', entry);
  });

  it('-O0: a HardFault handler on MSP, a basic frame: <signal handler called>, then the faulting function and main', async () => {
    const stop = await gdbStop('gdb-m4', ['break main', 'continue', 'set var mode = 2', 'break hardfault_handler', 'continue'], [MAIN_STACK], 4);
    assert.match(stop.frames[1].line, /<signal handler called>/);
    compare('gdb-m4', stop);
  });

  it('-O2: SysTick on PSP with an FP context and the alignment pad, through spin_misaligned (assembly with CFI) to main', async () => {
    const stop = await gdbStop('dwarf-o2', ['break tick_work', 'continue'], [MAIN_STACK, { at: '$psp', words: 40 }], 5);
    assert.strictEqual(stop.registers.get('lr'), 0xffffffed, 'EXC_RETURN: thread mode, PSP, FP context');
    compare('dwarf-o2', stop);
  });
});
