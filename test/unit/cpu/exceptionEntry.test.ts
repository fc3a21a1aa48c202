import assert from 'assert';
import { ABORT } from '../../../src/core/cpu/armv7m/cpuBus';
import { Cfsr, Exc, Hfsr } from '../../../src/core/cpu/armv7m/exceptions';
import { CONTROL_FPCA, CONTROL_SPSEL } from '../../../src/core/cpu/armv7m/state';
import { Fpccr } from '../../../src/core/cpu/armv7m/system/scb';
import { INITIAL_SP, RESET_PC, handlerOf, makeM4, words } from './m4Harness';

const ICSR = 0xe000ed04;
const PENDSVSET = 1 << 28;

function setRegisters(core: ReturnType<typeof makeM4>['core']): void {
  const s = core.state;
  for (let i = 0; i < 13; i++) s.r[i] = 0x11111111 * (i + 1);
  s.r[14] = 0x0badc0de;
  s.pc = 0x2468;
  s.n = 1;
  s.c = 1;
  s.ge = 0xa;
}

describe('cpu/armv7m: exception entry and return', () => {
  it('reset takes SP and PC from the vector table at 0', () => {
    const { core } = makeM4();
    assert.strictEqual(core.state.msp, INITIAL_SP);
    assert.strictEqual(core.state.pc, RESET_PC);
    assert.strictEqual(core.state.thumb, 1);
    assert.strictEqual(core.state.ipsr, 0);
  });

  it('stacks R0-R3, R12, LR, PC, xPSR byte for byte on MSP and returns to them with 0xFFFFFFF9', () => {
    const { core } = makeM4();
    setRegisters(core);
    core.state.r[13] = 0x7ffc; // 4 mod 8: STKALIGN aligns the frame down and records it in xPSR bit 9
    core.bus.write32(ICSR, PENDSVSET);
    const stop = core.run(1000);
    assert.strictEqual(stop.kind, 'halt');
    const s = core.state;
    assert.strictEqual(s.pc, handlerOf(Exc.PendSV));
    assert.strictEqual(s.ipsr, Exc.PendSV);
    assert.strictEqual(s.r[14] >>> 0, 0xfffffff9);
    assert.strictEqual(s.msp, 0x7fd8);
    const xpsr = (1 << 31) | (1 << 29) | (1 << 24) | (0xa << 16) | (1 << 9);
    assert.deepStrictEqual(words(core, 0x7fd8, 8), [0x11111111, 0x22222222, 0x33333333, 0x44444444, 0xdddddddd, 0x0badc0de, 0x2468, xpsr >>> 0]);
    // the handler's own changes are undone by the return
    s.r[0] = 0;
    s.n = 0;
    core.exceptionReturn(0xfffffff9);
    assert.strictEqual(s.ipsr, 0);
    assert.strictEqual(s.pc, 0x2468);
    assert.strictEqual(s.r[0], 0x11111111);
    assert.strictEqual(s.n, 1);
    assert.strictEqual(s.r[13], 0x7ffc);
    assert.strictEqual(core.nvic.active[Exc.PendSV], 0);
  });

  it('entry and return clear the exclusive monitor; return sets the event register', () => {
    const { core } = makeM4();
    const s = core.state;
    s.exclusive = 0x2000;
    core.bus.write32(ICSR, PENDSVSET);
    core.run(100);
    assert.strictEqual(s.exclusive, -1);
    s.exclusive = 0x2000;
    s.event = 0;
    core.exceptionReturn(0xfffffff9);
    assert.deepStrictEqual([s.exclusive, s.event], [-1, 1]);
  });

  it('SLEEPONEXIT: returning to Thread mode goes to sleep', () => {
    const { core } = makeM4();
    core.bus.write32(0xe000ed10, 1 << 1);
    core.bus.write32(ICSR, PENDSVSET);
    core.run(100);
    core.exceptionReturn(0xfffffff9);
    assert.strictEqual(core.state.sleeping, true);
    assert.strictEqual(core.run(100).kind, 'sleep');
  });

  it('stacks on PSP from Thread mode with SPSEL and returns with 0xFFFFFFFD', () => {
    const { core } = makeM4();
    const s = core.state;
    s.psp = 0x6000;
    s.setModeAndControl(0, CONTROL_SPSEL);
    s.pc = 0x300;
    core.bus.write32(ICSR, PENDSVSET);
    core.run(1000);
    assert.strictEqual(s.r[14] >>> 0, 0xfffffffd);
    assert.strictEqual(s.psp, 0x6000 - 0x20);
    assert.strictEqual(s.msp, INITIAL_SP, 'the handler runs on MSP');
    assert.strictEqual(core.bus.space.read32(0x6000 - 0x20 + 0x18), 0x300);
    core.exceptionReturn(0xfffffffd);
    assert.strictEqual(s.psp, 0x6000);
    assert.strictEqual(s.control & CONTROL_SPSEL, CONTROL_SPSEL);
    assert.strictEqual(s.pc, 0x300);
  });

  it('stacks S0-S15 and FPSCR in an extended frame when FPCA is set and lazy stacking is off', () => {
    const { core } = makeM4();
    const s = core.state;
    core.scb.fpccr = Fpccr.ASPEN;
    s.control = CONTROL_FPCA;
    for (let i = 0; i < 32; i++) s.s[i] = 0x3f800000 + i;
    s.fpscr = 0x03000000;
    core.bus.write32(ICSR, PENDSVSET);
    core.run(1000);
    assert.strictEqual(s.r[14] >>> 0, 0xffffffe9);
    assert.strictEqual(s.control & CONTROL_FPCA, 0, 'a handler starts without FP context');
    const frame = INITIAL_SP - 0x68;
    assert.strictEqual(s.msp, frame);
    assert.deepStrictEqual(words(core, frame + 0x20, 17), [...Array.from({ length: 16 }, (_, i) => 0x3f800000 + i), 0x03000000]);
    for (let i = 0; i < 16; i++) s.s[i] = 0;
    s.fpscr = 0;
    core.exceptionReturn(0xffffffe9);
    assert.strictEqual(s.s[5], 0x3f800005);
    assert.strictEqual(s.fpscr, 0x03000000);
    assert.strictEqual(s.control & CONTROL_FPCA, CONTROL_FPCA);
    assert.strictEqual(s.msp, INITIAL_SP);
  });

  it('reserves the FP area with lazy stacking and fills it at the first FP instruction (FPCAR, LSPACT)', () => {
    const { core } = makeM4();
    const s = core.state;
    s.control = CONTROL_FPCA;
    s.s[0] = 0x40490fdb;
    s.fpscr = 0x00400000;
    core.bus.write32(ICSR, PENDSVSET);
    core.run(1000);
    const frame = INITIAL_SP - 0x68;
    assert.strictEqual(core.scb.fpcar, frame + 0x20);
    assert.strictEqual(core.scb.fpccr & Fpccr.LSPACT, Fpccr.LSPACT);
    assert.strictEqual(core.bus.space.read32(frame + 0x20), 0, 'nothing written yet');
    core.scb.fpdscr = 0x02000000;
    core.fpPreserve();
    assert.strictEqual(core.bus.space.read32(frame + 0x20) >>> 0, 0x40490fdb);
    assert.strictEqual(core.bus.space.read32(frame + 0x60) >>> 0, 0x00400000);
    assert.strictEqual(core.scb.fpccr & Fpccr.LSPACT, 0);
    assert.strictEqual(s.fpscr, 0x02000000, 'the handler FP context starts from FPDSCR');
    assert.strictEqual(s.control & CONTROL_FPCA, CONTROL_FPCA);
  });

  describe('a lazy preservation that faults (B1.5.7 PreserveFPState)', () => {
    const MPU_CTRL = 0xe000ed94;
    const MPU_RBAR = 0xe000ed9c;
    const MPU_RASR = 0xe000eda0;
    const SHCSR = 0xe000ed24;
    const MEMFAULTENA = 1 << 16;

    /** RETRAM full access but 0x7f80-0x7fff, the FP area of the frame PendSV stacks below SP 0x7fc8. */
    function lazyIntoNoAccess(shcsr: number): ReturnType<typeof makeM4>['core'] {
      const { core } = makeM4();
      core.bus.write32(MPU_RBAR, 0x0 | 0x10 | 0);
      core.bus.write32(MPU_RASR, (3 << 24) | (15 << 1) | 1);
      core.bus.write32(MPU_RBAR, 0x7f80 | 0x10 | 1);
      core.bus.write32(MPU_RASR, (0 << 24) | (6 << 1) | 1);
      core.bus.write32(MPU_CTRL, 1);
      core.bus.write32(SHCSR, shcsr);
      core.state.r[13] = 0x7fc8;
      core.state.control = CONTROL_FPCA;
      core.bus.write32(ICSR, PENDSVSET);
      core.run(1000);
      assert.strictEqual(core.scb.fpcar, 0x7f80);
      return core;
    }

    it('abandons the FP instruction with LSPACT still set and pends MemManage when MMRDY says it could', () => {
      const core = lazyIntoNoAccess(MEMFAULTENA);
      assert.strictEqual(core.scb.fpccr & (Fpccr.MMRDY | Fpccr.MONRDY), Fpccr.MMRDY, 'DebugMonitor is off (DEMCR.MON_EN resets to 0)');
      assert.throws(() => core.fpPreserve(), (e) => e === ABORT);
      assert.strictEqual(core.scb.cfsr, Cfsr.MLSPERR);
      assert.strictEqual(core.scb.fpccr & Fpccr.LSPACT, Fpccr.LSPACT, 'the retried instruction preserves again');
      assert.strictEqual(core.nvic.pending[Exc.MemManage], 1);
      assert.strictEqual(core.scb.hfsr, 0);
    });

    it('escalates to HardFault when MemManage could not be pended at the stacking (MMRDY clear, HFRDY set)', () => {
      const core = lazyIntoNoAccess(0);
      assert.strictEqual(core.scb.fpccr & (Fpccr.MMRDY | Fpccr.HFRDY), Fpccr.HFRDY);
      assert.throws(() => core.fpPreserve(), (e) => e === ABORT);
      assert.strictEqual(core.scb.cfsr, Cfsr.MLSPERR);
      assert.strictEqual(core.scb.hfsr, Hfsr.FORCED);
      assert.strictEqual(core.nvic.pending[Exc.HardFault], 1);
      assert.strictEqual(core.nvic.pending[Exc.MemManage], 0);
    });
  });

  it('returning with LSPACT still set leaves the FP registers as they are', () => {
    const { core } = makeM4();
    const s = core.state;
    s.control = CONTROL_FPCA;
    s.s[3] = 0x12345678;
    core.bus.write32(ICSR, PENDSVSET);
    core.run(1000);
    core.bus.space.write32(INITIAL_SP - 0x68 + 0x2c, 0x11); // not the registers' copy: never read
    core.exceptionReturn(0xffffffe9);
    assert.strictEqual(s.s[3], 0x12345678);
    assert.strictEqual(core.scb.fpccr & Fpccr.LSPACT, 0);
  });

  it('a stacking error escalates but the exception is still entered, with the frame lost (STKERR)', () => {
    const { core } = makeM4({}, (t) => (t[0] = 0x80000000));
    core.state.thumb = 0;
    const stop = core.run(1000);
    assert.strictEqual(stop.kind, 'halt');
    assert.strictEqual(core.state.ipsr, Exc.HardFault);
    assert.strictEqual(core.scb.cfsr, Cfsr.STKERR | Cfsr.INVSTATE);
    assert.strictEqual(core.scb.hfsr >>> 0, Hfsr.FORCED >>> 0);
    assert.strictEqual(core.state.msp >>> 0, 0x80000000 - 0x20);
  });

  it('a stacking error while entering from HardFault locks up', () => {
    const { core } = makeM4();
    assert.throws(() => core.usageFault('UNDEFINSTR'));
    core.run(100);
    assert.strictEqual(core.state.ipsr, Exc.HardFault);
    core.state.r[13] = 0x80000000;
    core.bus.write32(0xe000ed04, 1 << 31); // NMI preempts; its stacking fails, which HardFault cannot take
    const stop = core.run(100);
    assert.strictEqual(stop.kind, 'lockup');
    assert.strictEqual(core.state.pc >>> 0, 0xeffffffe);
    assert.match(stop.message ?? '', /^lockup at PC 0x00001030; HFSR FORCED; CFSR 0x00011000 \(STKERR UNDEFINSTR\)$/);
  });
});
