import assert from 'assert';
import { Cfsr, Exc, Hfsr } from '../../../src/core/cpu/armv7m/exceptions';
import { Shcsr } from '../../../src/core/cpu/armv7m/system/scb';
import { INITIAL_SP, handlerOf, makeM4 } from './m4Harness';

const ISER0 = 0xe000e100;
const ISPR0 = 0xe000e200;
const IPR = 0xe000e400;
const AIRCR = 0xe000ed0c;
const SHPR2 = 0xe000ed1c;
const SHCSR = 0xe000ed24;

function irqs(core: ReturnType<typeof makeM4>['core'], prios: Record<number, number>): void {
  for (const [irq, p] of Object.entries(prios)) core.bus.write8(IPR + Number(irq), p);
  core.bus.write32(ISER0, 0xffffffff);
}

describe('cpu/armv7m: priorities, tail-chaining, escalation and lockup', () => {
  it('takes the pending exception of highest priority, the lower number on a tie', () => {
    const { core } = makeM4();
    irqs(core, { 1: 0x40, 2: 0x20, 3: 0x20 });
    core.bus.write32(ISPR0, 0b1110);
    core.run(100);
    assert.strictEqual(core.state.ipsr, 16 + 2);
  });

  it('a higher priority preempts an active handler; an equal group priority does not (PRIGROUP)', () => {
    const { core } = makeM4();
    core.bus.write32(AIRCR, (0x05fa << 16) | (5 << 8)); // group = priority bits [7:6]
    irqs(core, { 0: 0x60, 1: 0x50, 2: 0x20 });
    core.bus.write32(ISPR0, 1);
    core.run(100);
    assert.strictEqual(core.state.ipsr, 16);
    core.bus.write32(ISPR0, 2); // 0x50 is group 0x40 like 0x60: only a subpriority, no preemption
    core.run(100);
    assert.strictEqual(core.state.ipsr, 16);
    core.bus.write32(ISPR0, 4); // 0x20: group 0x00, preempts
    core.run(100);
    assert.strictEqual(core.state.ipsr, 18);
    assert.strictEqual(core.state.r[14] >>> 0, 0xfffffff1, 'nested entry from Handler mode');
  });

  it('PRIMASK, BASEPRI and FAULTMASK hold back exceptions at or below their level', () => {
    const { core } = makeM4();
    irqs(core, { 0: 0x80 });
    core.state.primask = 1;
    core.priorityChanged();
    core.bus.write32(ISPR0, 1);
    core.run(100);
    assert.strictEqual(core.state.ipsr, 0);
    core.state.primask = 0;
    core.state.basepri = 0x80;
    core.priorityChanged();
    core.run(100);
    assert.strictEqual(core.state.ipsr, 0, 'BASEPRI 0x80 masks priority 0x80');
    core.state.basepri = 0x90;
    core.priorityChanged();
    core.run(100);
    assert.strictEqual(core.state.ipsr, 16);
  });

  it('tail-chains: the next handler runs on the frame already stacked, with the same EXC_RETURN', () => {
    const { core } = makeM4();
    irqs(core, { 0: 0x20, 1: 0x40 });
    core.bus.write32(ISPR0, 1);
    core.run(100);
    const frameSp = core.state.msp;
    core.bus.write32(ISPR0, 2); // lower priority: waits
    core.run(100);
    assert.strictEqual(core.state.ipsr, 16);
    core.exceptionReturn(0xfffffff9);
    assert.strictEqual(core.state.ipsr, 17);
    assert.strictEqual(core.state.pc, handlerOf(17));
    assert.strictEqual(core.state.msp, frameSp, 'no unstacking and stacking between the two');
    assert.strictEqual(core.state.r[14] >>> 0, 0xfffffff9);
    core.exceptionReturn(0xfffffff9);
    assert.strictEqual(core.state.ipsr, 0);
    assert.strictEqual(core.state.msp, INITIAL_SP);
  });

  it('late arrival: a fault raised while stacking runs first on the same frame, the first exception stays pending', () => {
    const { core } = makeM4();
    core.bus.write32(SHCSR, Shcsr.BUSFAULTENA);
    irqs(core, { 0: 0x80 });
    core.state.r[13] = 0x00010010; // 16 bytes below the end of RETRAM: the frame's first words are unmapped
    core.bus.write32(ISPR0, 1);
    core.run(100);
    assert.strictEqual(core.state.ipsr, Exc.BusFault);
    assert.ok(core.scb.cfsr & Cfsr.STKERR);
    assert.strictEqual(core.nvic.pending[16], 1);
  });

  it('escalates a disabled UsageFault to HardFault (FORCED)', () => {
    const { core } = makeM4();
    assert.throws(() => core.usageFault('UNDEFINSTR'));
    core.run(100);
    assert.strictEqual(core.state.ipsr, Exc.HardFault);
    assert.strictEqual(core.scb.hfsr, Hfsr.FORCED >>> 0);
    assert.strictEqual(core.scb.cfsr, Cfsr.UNDEFINSTR);
  });

  it('takes an enabled UsageFault itself, and escalates one raised in a handler of equal priority', () => {
    const { core } = makeM4();
    core.bus.write32(SHCSR, Shcsr.USGFAULTENA);
    assert.throws(() => core.usageFault('DIVBYZERO'));
    core.run(100);
    assert.strictEqual(core.state.ipsr, Exc.UsageFault);
    assert.strictEqual(core.scb.hfsr, 0);
    assert.throws(() => core.usageFault('DIVBYZERO'));
    core.run(100);
    assert.strictEqual(core.state.ipsr, Exc.HardFault);
    assert.strictEqual(core.scb.hfsr, Hfsr.FORCED >>> 0);
  });

  it('an SVC that cannot preempt (PRIMASK set) is a HardFault', () => {
    const { core } = makeM4();
    core.state.primask = 1;
    core.priorityChanged();
    core.svc();
    core.run(100);
    assert.strictEqual(core.state.ipsr, Exc.HardFault);
    assert.strictEqual(core.scb.hfsr, Hfsr.FORCED >>> 0);
  });

  it('an SVC is taken after the instruction when SVCall outranks the execution priority', () => {
    const { core } = makeM4();
    core.bus.write32(SHPR2, 0x40 << 24);
    assert.strictEqual(core.nvic.priority[Exc.SVCall], 0x40);
    core.svc();
    assert.strictEqual(core.attention, true);
    core.run(100);
    assert.strictEqual(core.state.ipsr, Exc.SVCall);
  });

  it('a fault in the HardFault handler locks up (PC 0xEFFFFFFE); the reason names the fault', () => {
    const { core } = makeM4();
    assert.throws(() => core.usageFault('UNDEFINSTR'));
    core.run(100);
    assert.strictEqual(core.state.ipsr, Exc.HardFault);
    core.state.pc = 0x1234;
    assert.throws(() => core.usageFault('INVSTATE'));
    const stop = core.run(100);
    assert.strictEqual(stop.kind, 'lockup');
    assert.strictEqual(stop.pc, 0x1234);
    assert.strictEqual(core.state.pc >>> 0, 0xeffffffe);
    assert.strictEqual(core.run(100).kind, 'lockup', 'stays locked up');
  });

  it('NMI preempts HardFault', () => {
    const { core } = makeM4();
    assert.throws(() => core.usageFault('UNDEFINSTR'));
    core.run(100);
    core.bus.write32(0xe000ed04, 1 << 31);
    core.run(100);
    assert.strictEqual(core.state.ipsr, Exc.NMI);
  });

  it('BKPT without a debugger is a HardFault (DEBUGEVT); with one it halts on the BKPT', () => {
    const plain = makeM4({ debuggerAttached: false }).core;
    assert.throws(() => plain.bkpt(1));
    plain.run(100);
    assert.strictEqual(plain.state.ipsr, Exc.HardFault);
    assert.strictEqual(plain.scb.hfsr >>> 0, Hfsr.DEBUGEVT >>> 0);
    const debugged = makeM4({ debuggerAttached: true }).core;
    assert.throws(() => debugged.bkpt(1));
    const stop = debugged.run(100);
    assert.strictEqual(stop.kind, 'halt');
    assert.strictEqual(stop.pc, 0x800);
    assert.strictEqual(debugged.state.ipsr, 0);
  });

  describe('exception return checks (INVPC)', () => {
    it('an EXC_RETURN with a reserved value takes UsageFault (escalated) on the same frame', () => {
      const { core } = makeM4();
      core.bus.write32(0xe000ed04, 1 << 28);
      core.run(100);
      const sp = core.state.msp;
      core.exceptionReturn(0xfffffff5);
      core.run(100);
      assert.strictEqual(core.state.ipsr, Exc.HardFault);
      assert.ok(core.scb.cfsr & Cfsr.INVPC);
      assert.strictEqual(core.state.msp, sp);
      assert.strictEqual(core.state.r[14] >>> 0, 0xfffffff5);
    });

    it('returning to Thread mode with another exception active is INVPC unless NONBASETHRDENA', () => {
      const { core } = makeM4();
      core.bus.write32(SHCSR, Shcsr.USGFAULTENA);
      irqs(core, { 0: 0x80, 1: 0x40 });
      core.bus.write32(ISPR0, 1);
      core.run(100);
      core.bus.write32(ISPR0, 2);
      core.run(100);
      assert.strictEqual(core.state.ipsr, 17);
      core.exceptionReturn(0xfffffff9);
      core.run(100);
      assert.strictEqual(core.state.ipsr, Exc.UsageFault);
      assert.ok(core.scb.cfsr & Cfsr.INVPC);
    });

    it('a frame whose xPSR says Thread while EXC_RETURN says Handler is INVPC', () => {
      const { core } = makeM4();
      core.bus.write32(SHCSR, Shcsr.USGFAULTENA);
      irqs(core, { 0: 0x80 });
      core.bus.write32(ISPR0, 1);
      core.run(100);
      core.exceptionReturn(0xfffffff1);
      core.run(100);
      assert.strictEqual(core.state.ipsr, Exc.UsageFault);
      assert.ok(core.scb.cfsr & Cfsr.INVPC);
    });
  });

  it('a level-sensitive line still high when its handler returns pends the interrupt again', () => {
    const { core } = makeM4();
    irqs(core, { 5: 0 });
    core.setInterrupt(5, true);
    core.run(100);
    assert.strictEqual(core.state.ipsr, 21);
    assert.strictEqual(core.nvic.pending[21], 0);
    core.exceptionReturn(0xfffffff9);
    assert.strictEqual(core.state.ipsr, 21, 'tail-chained into itself');
    core.setInterrupt(5, false);
    core.exceptionReturn(0xfffffff9);
    assert.strictEqual(core.state.ipsr, 0);
  });
});
