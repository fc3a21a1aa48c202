import assert from 'assert';
import { ABORT } from '../../../src/core/cpu/armv7m/cpuBus';
import { Cfsr, Exc } from '../../../src/core/cpu/armv7m/exceptions';
import { MemoryFault } from '../../../src/core/soc/memoryAccess';
import { makeM4 } from './m4Harness';

describe('cpu/armv7m: the system bus', () => {
  it('reads and writes RETRAM and MCU SRAM through the board map', () => {
    const { core } = makeM4();
    core.bus.write32(0x10000100, 0xdeadbeef);
    assert.strictEqual(core.bus.read32(0x10000100), 0xdeadbeef);
    assert.strictEqual(core.bus.read16(0x10000102), 0xdead);
    assert.strictEqual(core.bus.read8(0x10000100), 0xef);
    core.bus.write16(0x2001, 0xabcd);
    assert.strictEqual(core.bus.read16(0x2001), 0xabcd, 'unaligned halfword allowed without UNALIGN_TRP');
  });

  it('an unmapped load or store is a precise BusFault with BFAR', () => {
    const { core } = makeM4();
    assert.throws(() => core.bus.read32(0x20000000), (e) => e === ABORT);
    assert.strictEqual(core.scb.cfsr, Cfsr.PRECISERR | Cfsr.BFARVALID);
    assert.strictEqual(core.scb.bfar, 0x20000000);
    assert.strictEqual(core.nvic.pending[Exc.HardFault], 1, 'BusFault disabled: escalated');
    core.scb.cfsr = 0;
    assert.throws(() => core.bus.write8(0x0fffffff, 1), (e) => e === ABORT);
    assert.strictEqual(core.scb.bfar, 0x0fffffff);
  });

  it('an instruction fetch from nowhere is IBUSERR; from the system space, IACCVIOL (execute never)', () => {
    const { core } = makeM4();
    assert.throws(() => core.bus.fetch16(0x20000000), (e) => e === ABORT);
    assert.strictEqual(core.scb.cfsr, Cfsr.IBUSERR);
    assert.throws(() => core.bus.fetch16(0xe000ed00), (e) => e === ABORT);
    assert.strictEqual(core.scb.cfsr, Cfsr.IBUSERR | Cfsr.IACCVIOL);
    assert.strictEqual(core.bus.fetch16(0x4), 0x0801);
  });

  it('UNALIGN_TRP makes unaligned halfword and word accesses UsageFaults', () => {
    const { core } = makeM4();
    core.bus.write32(0xe000ed14, (1 << 9) | (1 << 3));
    assert.strictEqual(core.bus.read16(0x10), 0x1041, "the MemManage vector, aligned");
    assert.throws(() => core.bus.read32(0x12), (e) => e === ABORT);
    assert.strictEqual(core.scb.cfsr, Cfsr.UNALIGNED);
    assert.throws(() => core.bus.write16(0x13, 0), (e) => e === ABORT);
    assert.strictEqual(core.bus.read8(0x13), 0x00);
  });

  it('maps devices at their addresses; a device error is a BusFault; overlaps are refused', () => {
    const { core } = makeM4();
    const log: string[] = [];
    core.bus.mapDevice(0x4c001000, 0x400, {
      read: (o, n) => {
        if (o === 0x3fc) throw new MemoryFault(0x4c001000 + o, n, 'read', 'reserved');
        log.push(`r${n}@${o}`);
        return 0x1234;
      },
      write: (o, n, v) => void log.push(`w${n}@${o}=${v}`),
    });
    assert.strictEqual(core.bus.read32(0x4c001004), 0x1234);
    core.bus.write8(0x4c001008, 7);
    assert.deepStrictEqual(log, ['r4@4', 'w1@8=7']);
    assert.throws(() => core.bus.read32(0x4c0013fc), (e) => e === ABORT);
    assert.strictEqual(core.scb.bfar, 0x4c0013fc);
    assert.throws(() => core.bus.mapDevice(0x4c001200, 0x100, { read: () => 0, write: () => undefined }), /overlaps/);
    assert.throws(() => core.bus.mapDevice(0xe000e800, 0x10, { read: () => 0, write: () => undefined }), /System Control Space/);
  });

  it('a store into a 64-byte line marked as code moves codeGeneration; stores beside it do not', () => {
    const { core } = makeM4();
    core.bus.markCode(0x800);
    const g = core.bus.codeGeneration;
    core.bus.write32(0x840, 1);
    core.bus.write32(0x7fc, 1);
    core.bus.write32(0x2000, 1);
    assert.strictEqual(core.bus.codeGeneration, g);
    core.bus.write16(0x83f, 1);
    assert.strictEqual(core.bus.codeGeneration, g + 1, 'a halfword whose last byte is in the line');
    core.bus.write8(0x800, 1);
    assert.strictEqual(core.bus.codeGeneration, g + 2);
    core.bus.clearCodeMarks();
    core.bus.write8(0x800, 1);
    assert.strictEqual(core.bus.codeGeneration, g + 2);
  });

  it('LDRT/STRT (accessUnprivileged) are checked as unprivileged: the System Control Space refuses them', () => {
    const { core } = makeM4();
    core.state.accessUnprivileged = true;
    assert.throws(() => core.bus.read32(0xe000ed00), (e) => e === ABORT);
    assert.strictEqual(core.scb.cfsr, Cfsr.PRECISERR | Cfsr.BFARVALID);
  });
});
