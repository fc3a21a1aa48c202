// The code thread over a GDB target: the -O0 gdb fixture run as a bare program on the STM32MP157's
// M4 (BareTarget), driven slice by slice as the session drives the system. Breakpoints with
// conditions, hit counts and log messages, a watchpoint, an instruction step, the fault catch with
// CFSR decoded, and the Registers scope with its named fields.
import assert from 'assert';
import * as path from 'path';
import { BareTarget } from '../../../src/core/gdb/bareTarget';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { Firmware } from '../../../src/core/remoteproc/firmware';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { CodeThread, hitConditionMet, type CodeStop } from '../../../src/debug/codeThread';
import { registerNodes } from '../../../src/debug/coreRegisters';
import type { VarNode } from '../../../src/debug/variables';
import { readFixture } from '../../fixtures/fixtures';

const ELF = 'gdb-m4.elf';

describe('code thread over a GDB target (gdb-m4, -O0)', () => {
  let target: BareTarget;
  let thread: CodeThread;
  let logged: string[];
  const elf = ElfFile.parse(readFixture(ELF));
  const sym = (name: string) => (elf.symbol(name)!.value & ~1) >>> 0;

  beforeEach(() => {
    const board = findBoard('stm32mp157')!;
    target = new BareTarget(board, board.cores.find((c) => c.id === 'm4')!, new Firmware(path.basename(ELF), readFixture(ELF)));
    logged = [];
    thread = new CodeThread(target, (t) => logged.push(t));
  });

  /** Runs the target's slices until the thread stops (as the session's run loop does). */
  function run(kind: Parameters<CodeThread['resume']>[0]): CodeStop {
    thread.resume(kind);
    for (let n = 0; n < 10_000; n++) {
      const stop = thread.check();
      if (stop) return stop;
      target.runSlice();
    }
    assert.fail('no stop');
  }

  const field = (nodes: VarNode[], name: string): VarNode => {
    const n = nodes.find((x) => x.name === name);
    assert.ok(n, `no ${name} in ${nodes.map((x) => x.name).join(', ')}`);
    return n;
  };

  it('stops at an instruction breakpoint with the Registers scope showing pc and xPSR fields', () => {
    thread.setBreakpoints('instruction breakpoint', [{ addr: sym('add'), action: { kind: 'instruction breakpoint', what: 'add' } }]);
    const stop = run('continue');
    assert.equal(stop.reason, 'instruction breakpoint');
    assert.equal(thread.pc, sym('add'));
    const regs = registerNodes(thread.regs);
    assert.equal(field(regs, 'pc').value, `0x${sym('add').toString(16).padStart(8, '0')}`);
    const xpsr = field(regs, 'xPSR').children!();
    assert.equal(field(xpsr, 'T').value, '1');
    assert.equal(field(xpsr, 'exception number').value, '0 (Thread)');
    assert.match(field(field(regs, 'CONTROL').children!(), 'SPSEL').value, /^0 \(MSP/);
    // add(total, table[0]) with total 0: r0 = 0, r1 = 1.
    assert.equal(field(regs, 'r1').value, '0x00000001');
    const fpu = field(regs, 'FPU').children!();
    assert.equal(fpu.length, 33);
    assert.match(field(fpu, 'FPSCR').value, /^0x/);
  });

  it('a condition and a hit count pick the hit; a log message prints and goes on', () => {
    thread.evaluator = {
      value: (e) => {
        const m = /^r1 == (\d+)$/.exec(e);
        if (!m) throw new Error(`cannot read '${e}'`);
        return thread.regs.read('r1') === Number(m[1]) ? 1 : 0;
      },
      text: (e) => String(thread.regs.read(e)),
    };
    const add = sym('add');
    thread.setBreakpoints('breakpoint', [
      { addr: add, action: { kind: 'breakpoint', what: 'gdb.c:13', logMessage: 'add({r0}, {r1})' } },
      { addr: add, action: { kind: 'breakpoint', what: 'gdb.c:13', condition: 'r1 == 13' } },
    ]);
    const stop = run('continue');
    assert.equal(stop.reason, 'breakpoint');
    assert.equal(thread.regs.read('r1'), 13, 'the sixth call: table[5] is 13');
    assert.deepEqual(logged, ['add(0, 1)', 'add(1, 2)', 'add(3, 3)', 'add(6, 5)', 'add(11, 8)', 'add(19, 13)']);
    thread.setBreakpoints('breakpoint', [{ addr: add, action: { kind: 'breakpoint', what: 'gdb.c:13', hitCondition: '2' } }]);
    run('continue');
    assert.equal(thread.regs.read('r1'), 34, 'the second hit from here: table[7]');
  });

  it('an instruction step moves to the next instruction; a watchpoint stops before the write to counter', () => {
    thread.setBreakpoints('function breakpoint', [{ addr: sym('accumulate'), action: { kind: 'function breakpoint', what: 'accumulate' } }]);
    assert.equal(run('continue').reason, 'function breakpoint');
    const pc = thread.pc;
    assert.equal(run('instruction').reason, 'step');
    assert.equal(thread.pc, pc + 2, 'push {r7, lr} is 2 bytes');
    thread.setBreakpoints('function breakpoint', []);
    assert.deepEqual(thread.setWatches([{ addr: sym('counter'), length: 4, access: 'write', what: 'counter' }]), [true]);
    const w = run('continue');
    assert.equal(w.reason, 'data breakpoint');
    assert.equal(w.description, 'counter: write at 0x000004cc');
  });

  it('catches the HardFault the undefined instruction escalates to, with the CFSR decoded', () => {
    // main sets nothing: mode is written after the start-up cleared .bss.
    thread.setBreakpoints('function breakpoint', [{ addr: sym('main'), action: { kind: 'function breakpoint', what: 'main' } }]);
    run('continue');
    thread.setBreakpoints('function breakpoint', []);
    const mode = new Uint8Array(4);
    new DataView(mode.buffer).setUint32(0, 2, true);
    assert.ok(target.writeMemory(sym('mode'), mode));
    thread.setFaultFilters(['hardfault']);
    const stop = run('continue');
    assert.equal(stop.reason, 'exception');
    assert.equal(stop.label, 'HardFault');
    assert.equal(thread.pc, sym('hardfault_handler'));
    assert.match(stop.text!, /^HardFault at PC 0x000003(2[0-9a-f]); HFSR FORCED; CFSR 0x00010000 \(UNDEFINSTR\)$/);
    const pc = Number(/PC (0x[0-9a-f]+)/.exec(stop.text!)![1]);
    assert.ok(pc >= sym('undefined_instruction') && pc < sym('hardfault_handler'), 'the stacked PC is in undefined_instruction');
    assert.equal(field(field(registerNodes(thread.regs), 'xPSR').children!(), 'exception number').value, '3 (HardFault)');
  });

  it('VS Code hit conditions', () => {
    assert.deepEqual([1, 2, 3].map((n) => hitConditionMet('2', n)), [false, true, true]);
    assert.deepEqual([1, 2, 3].map((n) => hitConditionMet('== 2', n)), [false, true, false]);
    assert.deepEqual([1, 2, 3, 4].map((n) => hitConditionMet('% 2', n)), [false, true, false, true]);
    assert.deepEqual([1, 2, 3].map((n) => hitConditionMet('> 2', n)), [false, false, true]);
  });
});
