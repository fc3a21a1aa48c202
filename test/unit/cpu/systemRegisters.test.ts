import assert from 'assert';
import { ABORT } from '../../../src/core/cpu/armv7m/cpuBus';
import { Cfsr, Exc } from '../../../src/core/cpu/armv7m/exceptions';
import { CONTROL_NPRIV } from '../../../src/core/cpu/armv7m/state';
import { makeM4 } from './m4Harness';

const SCS = 0xe000e000;
type Core = ReturnType<typeof makeM4>['core'];
const rd = (c: Core, o: number) => c.bus.read32(SCS + o);
const wr = (c: Core, o: number, v: number) => c.bus.write32(SCS + o, v);

describe('cpu/armv7m: NVIC, SCB, SysTick and MPU registers', () => {
  it('NVIC: ISER/ICER, ISPR/ICPR, IABR, IPR with 4 priority bits, STIR, ICTR', () => {
    const { core } = makeM4();
    assert.strictEqual(rd(core, 0x004), 4, '150 lines: 5 blocks of 32');
    wr(core, 0x100 + 4 * 4, 0xffffffff);
    assert.strictEqual(rd(core, 0x100 + 4 * 4), 0x3fffff, 'lines 128-149 only');
    wr(core, 0x180 + 4 * 4, 1 << 3);
    assert.strictEqual(rd(core, 0x180 + 4 * 4), 0x3ffff7, 'ICER reads the enables too');
    core.bus.write8(SCS + 0x400 + 7, 0xff);
    assert.strictEqual(core.bus.read8(SCS + 0x400 + 7), 0xf0, 'the low 4 bits are not implemented');
    assert.strictEqual(rd(core, 0x404), 0xf0000000);
    core.state.primask = 1;
    core.priorityChanged();
    wr(core, 0xf00, 33);
    assert.strictEqual(rd(core, 0x204), 2, 'STIR pends interrupt 33');
    wr(core, 0x284, 2);
    assert.strictEqual(rd(core, 0x204), 0);
    wr(core, 0x100, 1);
    wr(core, 0x200, 1);
    core.state.primask = 0;
    core.priorityChanged();
    core.run(100);
    assert.strictEqual(rd(core, 0x300), 1, 'IABR: interrupt 0 active');
  });

  it('SCB: CPUID, ICSR set/clear and VECTPENDING/RETTOBASE/ISRPENDING, VTOR, AIRCR key, CCR, CFSR write-one-to-clear', () => {
    const { core } = makeM4();
    assert.strictEqual(rd(core, 0xd00), 0x410fc241);
    core.state.primask = 1;
    core.priorityChanged();
    wr(core, 0xd04, (1 << 28) | (1 << 26));
    assert.strictEqual(rd(core, 0xd04), (1 << 28) | (1 << 26) | (Exc.PendSV << 12), "equal priorities: the lower number");
    wr(core, 0xd04, 1 << 25);
    assert.strictEqual(rd(core, 0xd04), (1 << 28) | (Exc.PendSV << 12));
    wr(core, 0xd04, 1 << 27);
    wr(core, 0x200, 1 << 4);
    assert.strictEqual(rd(core, 0xd04), (1 << 22) | (0 << 12), 'ISRPENDING, VECTPENDING of a disabled line is 0');
    wr(core, 0xd08, 0x12345);
    assert.strictEqual(rd(core, 0xd08), 0x12300);
    wr(core, 0xd0c, 3 << 8);
    assert.strictEqual(rd(core, 0xd0c), 0xfa050000, 'no VECTKEY: ignored');
    wr(core, 0xd0c, (0x05fa << 16) | (3 << 8));
    assert.strictEqual(rd(core, 0xd0c), 0xfa050300);
    assert.strictEqual(rd(core, 0xd14), 1 << 9, 'STKALIGN at reset');
    core.scb.cfsr = Cfsr.INVSTATE | Cfsr.PRECISERR | Cfsr.BFARVALID;
    core.bus.write8(SCS + 0xd29, 0x02);
    assert.strictEqual(rd(core, 0xd28), Cfsr.INVSTATE | Cfsr.BFARVALID);
    wr(core, 0xd28, 0xffffffff);
    assert.strictEqual(rd(core, 0xd28), 0);
    assert.throws(() => core.bus.write16(SCS + 0xd08, 0), (e) => e === ABORT, 'VTOR is word-only');
  });

  it('SCB: a handler in Handler mode sees VECTACTIVE and RETTOBASE; SHCSR shows it active', () => {
    const { core } = makeM4();
    wr(core, 0xd04, 1 << 28);
    core.run(100);
    assert.strictEqual(rd(core, 0xd04) & 0xfff, (1 << 11) | Exc.PendSV);
    assert.strictEqual(rd(core, 0xd24), 1 << 10);
  });

  it('AIRCR.SYSRESETREQ stops the run with a reset request', () => {
    const { core } = makeM4();
    wr(core, 0xd0c, (0x05fa << 16) | 4);
    assert.strictEqual(core.attention, true);
    assert.strictEqual(core.run(100).kind, 'reset');
  });

  it('the System Control Space is privileged: an unprivileged access is a precise BusFault', () => {
    const { core } = makeM4();
    core.state.control = CONTROL_NPRIV;
    assert.throws(() => rd(core, 0xd00), (e) => e === ABORT);
    assert.strictEqual(core.scb.cfsr, Cfsr.PRECISERR | Cfsr.BFARVALID);
    assert.strictEqual(core.scb.bfar >>> 0, 0xe000ed00);
    core.scb.ccr |= 1 << 1; // USERSETMPEND: STIR is then allowed
    wr(core, 0xf00, 2);
    assert.strictEqual(core.nvic.pending[18], 1);
  });

  it('SysTick counts core cycles: CVR, COUNTFLAG, the wrap pends SysTick', () => {
    const { core } = makeM4();
    const s = core.state;
    wr(core, 0x014, 99);
    wr(core, 0x018, 0);
    wr(core, 0x010, 0b011);
    assert.strictEqual(rd(core, 0x010), 0b111, 'CLKSOURCE reads as 1');
    assert.strictEqual(rd(core, 0x01c) >>> 0, 0xc0000000);
    s.cycles += 1;
    assert.strictEqual(rd(core, 0x018), 99);
    s.cycles += 50;
    assert.strictEqual(rd(core, 0x018), 49);
    assert.strictEqual(core.sysTick.nextWrap, s.cycles + 49);
    s.cycles += 49;
    assert.strictEqual(rd(core, 0x018), 0);
    assert.strictEqual(rd(core, 0x010) >>> 16, 1, 'COUNTFLAG');
    assert.strictEqual(rd(core, 0x010) >>> 16, 0, 'cleared by the read');
    assert.strictEqual(core.nvic.pending[Exc.SysTick], 1);
    s.cycles += 1;
    assert.strictEqual(rd(core, 0x018), 99);
    wr(core, 0x010, 0);
    s.cycles += 1000;
    assert.strictEqual(rd(core, 0x018), 99, 'stopped');
  });

  it('the run loop ends a slice at a SysTick wrap and sleeps in WFI until it', () => {
    const { core } = makeM4();
    wr(core, 0x014, 999);
    wr(core, 0x010, 0b011);
    const start = core.state.cycles;
    core.wfi();
    assert.strictEqual(core.state.sleeping, true);
    core.run(100000);
    assert.strictEqual(core.state.ipsr, Exc.SysTick);
    assert.strictEqual(core.state.sleeping, false);
    assert.strictEqual(core.state.cycles - start, 1000 + 12 + 1, 'skipped to the wrap, then 12 cycles of entry and the handler BKPT');
  });

  it('WFI with nothing to wake the core reports sleep, its clock where it fell asleep; an interrupt raised by the owner wakes it', () => {
    const { core } = makeM4();
    wr(core, 0x100, 1);
    core.wfi();
    const stop = core.run(5000);
    assert.strictEqual(stop.kind, 'sleep');
    assert.strictEqual(core.state.cycles, 0, 'the owner moves the clock on from its own time');
    core.pulseInterrupt(0);
    core.run(100);
    assert.strictEqual(core.state.ipsr, 16);
  });

  it('WFE returns at once when the event register is set, and SEV sets it', () => {
    const { core } = makeM4();
    core.sev();
    core.wfe();
    assert.strictEqual(core.state.sleeping, false);
    core.wfe();
    assert.strictEqual(core.state.sleeping, true);
  });

  describe('MPU', () => {
    const RBAR = 0xd9c;
    const RASR = 0xda0;
    const CTRL = 0xd94;
    // RASR: AP in 26:24, SIZE in 5:1 (region of 2^(SIZE+1) bytes), SRD in 15:8, XN bit 28, ENABLE bit 0.
    const rasr = (ap: number, sizeLog2: number, extra = 0) => (ap << 24) | ((sizeLog2 - 1) << 1) | 1 | extra;

    it('TYPE says 8 regions; RBAR with VALID selects the region; the aliases reach the same registers', () => {
      const { core } = makeM4();
      assert.strictEqual(rd(core, 0xd90), 8 << 8);
      wr(core, RBAR, 0x2000 | 0x10 | 5);
      assert.strictEqual(rd(core, 0xd98), 5);
      wr(core, 0xda8, rasr(3, 12));
      assert.strictEqual(rd(core, RASR), rasr(3, 12));
      assert.strictEqual(rd(core, 0xdb4), 0x2005);
    });

    it('checks permissions by privilege and raises MemManage with DACCVIOL and MMFAR', () => {
      const { core } = makeM4();
      wr(core, RBAR, 0x0 | 0x10 | 0);
      wr(core, RASR, rasr(3, 16)); // RETRAM: full access
      wr(core, RBAR, 0x4000 | 0x10 | 1);
      wr(core, RASR, rasr(2, 12)); // 0x4000-0x4fff: privileged RW, unprivileged read-only
      wr(core, CTRL, 1);
      wr(core, 0xd24, 1 << 16); // MEMFAULTENA
      core.state.control = CONTROL_NPRIV;
      assert.strictEqual(core.bus.read32(0x4000), 0);
      assert.throws(() => core.bus.write32(0x4010, 1), (e) => e === ABORT);
      assert.strictEqual(core.scb.cfsr, Cfsr.DACCVIOL | Cfsr.MMARVALID);
      assert.strictEqual(core.scb.mmfar, 0x4010);
      assert.strictEqual(core.nvic.pending[Exc.MemManage], 1);
      core.state.control = 0;
      core.bus.write32(0x4010, 1);
      assert.strictEqual(core.bus.read32(0x4010), 1);
    });

    it('a disabled subregion falls through to the region below; PRIVDEFENA gives privileged code the default map', () => {
      const { core } = makeM4();
      wr(core, RBAR, 0x0 | 0x10 | 0);
      wr(core, RASR, rasr(3, 16));
      wr(core, RBAR, 0x8000 | 0x10 | 1);
      wr(core, RASR, rasr(0, 15, 0x02 << 8)); // no access, except subregion 1 (0x9000-0x9fff) disabled
      wr(core, CTRL, 1);
      assert.strictEqual(core.bus.read32(0x9000), 0, 'region 0 applies in the disabled subregion');
      assert.throws(() => core.bus.read32(0xa000), (e) => e === ABORT);
      assert.throws(() => core.bus.read32(0x10000000), (e) => e === ABORT, 'no region, no PRIVDEFENA');
      wr(core, CTRL, 0b101);
      assert.strictEqual(core.bus.read32(0x10000000), 0);
    });

    it('XN regions fault instruction fetches with IACCVIOL', () => {
      const { core } = makeM4();
      wr(core, RBAR, 0x0 | 0x10 | 0);
      wr(core, RASR, rasr(3, 16, 1 << 28));
      wr(core, CTRL, 1);
      assert.throws(() => core.bus.fetch16(0x800), (e) => e === ABORT);
      assert.strictEqual(core.scb.cfsr, Cfsr.IACCVIOL);
    });

    it('in HardFault the MPU is off unless HFNMIENA', () => {
      const { core } = makeM4();
      wr(core, RBAR, 0x0 | 0x10 | 0);
      wr(core, RASR, rasr(0, 16));
      wr(core, CTRL, 1);
      core.state.faultmask = 1;
      core.priorityChanged();
      assert.strictEqual(core.bus.read32(0x100), 0x1000 + 0x10 * 64 + 1);
      wr(core, CTRL, 3);
      assert.throws(() => core.bus.read32(0x100), (e) => e === ABORT);
      assert.strictEqual(core.state.lockedUp, true, 'a MemManage at priority -1 cannot be taken');
    });
  });
});
