// The RCC as the M4 sees it (RM0436 RCC registers): MCU enable set/clear pairs that read back, ready
// flags that read as ready, and the MPU's own enables reported by name.
import assert from 'assert';
import { MemoryFault } from '../../../src/core/soc/memoryAccess';
import { Rcc, RccResetFlag } from '../../../src/core/soc/peripherals/rcc';
import { unservedLog } from './unservedLog';

const MC_AHB3ENSETR = 0xaa0;
const MC_AHB3ENCLRR = 0xaa4;
const MP_APB1ENSETR = 0xa00;
const PLL3CR = 0x880;
const APB1DIVR = 0x834;
const MC_RSTSCLRR = 0xc00;

describe('peripherals: RCC', () => {
  it('resets with every MCU enable clear; SETR sets, CLRR clears, both read the enables', () => {
    const rcc = new Rcc(unservedLog('RCC', 0x50000000).unserved);
    assert.strictEqual(rcc.read(MC_AHB3ENSETR, 4), 0);
    rcc.write(MC_AHB3ENSETR, 4, (1 << 12) | (1 << 11));
    rcc.write(MC_AHB3ENSETR, 4, 1 << 5);
    assert.strictEqual(rcc.read(MC_AHB3ENSETR, 4), (1 << 12) | (1 << 11) | (1 << 5));
    rcc.write(MC_AHB3ENCLRR, 4, (1 << 5) | (1 << 11));
    assert.strictEqual(rcc.read(MC_AHB3ENCLRR, 4), 1 << 12);
    assert.ok(rcc.enabled('AHB3', 12));
    assert.ok(!rcc.enabled('AHB3', 11));
  });

  it('a PLL reads as ready whatever was written; the written bits read back', () => {
    const rcc = new Rcc(unservedLog('RCC', 0x50000000).unserved);
    assert.strictEqual(rcc.read(PLL3CR, 4), 1 << 1);
    rcc.write(PLL3CR, 4, 1);
    assert.strictEqual(rcc.read(PLL3CR, 4), 3);
  });

  it("names the MPU's enables it does not serve, once; with the fault policy they are a bus error", () => {
    const log = unservedLog('RCC', 0x50000000, 'ignore', Rcc.registerName);
    const rcc = new Rcc(log.unserved);
    rcc.write(MP_APB1ENSETR, 4, 1 << 16);
    assert.strictEqual(rcc.read(MP_APB1ENSETR, 4), 0);
    assert.deepStrictEqual(log.reports, ['firmware wrote RCC_MP_APB1ENSETR at 0x50000a00 (RCC, not modelled)']);
    const strict = new Rcc(unservedLog('RCC', 0x50000000, 'fault', Rcc.registerName).unserved);
    assert.throws(() => strict.read(MP_APB1ENSETR + 4, 4), MemoryFault);
    assert.strictEqual(Rcc.registerName(0xaac), 'RCC_MC_AHB4ENCLRR');
  });

  it('RCC_MC_RSTSCLRR: the power-on flags at reset, a recorded WWDG1 reset, write 1 to clear', () => {
    const rcc = new Rcc(unservedLog('RCC', 0x50000000).unserved);
    assert.strictEqual(rcc.read(MC_RSTSCLRR, 4), 0x15); // PORRSTF, PADRSTF, VCORERSTF
    rcc.recordReset(RccResetFlag.WWDG1RSTF);
    assert.strictEqual(rcc.read(MC_RSTSCLRR, 4), 0x415);
    assert.strictEqual(rcc.read(MC_RSTSCLRR + 1, 1), 0x04);
    rcc.write(MC_RSTSCLRR, 4, RccResetFlag.PORRSTF);
    assert.strictEqual(rcc.read(MC_RSTSCLRR, 4), 0x414);
    rcc.write(MC_RSTSCLRR, 4, 0xffffffff);
    assert.strictEqual(rcc.read(MC_RSTSCLRR, 4), 0);
    assert.strictEqual(Rcc.registerName(MC_RSTSCLRR), 'RCC_MC_RSTSCLRR');
  });

  it('the APB1 prescaler: mcu_ck / 1 at reset (RCC_APB1DIVR 0x80000000), / 2^APB1DIV, / 16 from APB1DIV 4', () => {
    const rcc = new Rcc(unservedLog('RCC', 0x50000000).unserved);
    assert.deepStrictEqual([rcc.read(APB1DIVR, 4), rcc.apb1Divider()], [0x80000000, 1]);
    rcc.write(APB1DIVR, 4, 1);
    assert.strictEqual(rcc.apb1Divider(), 2);
    rcc.write(APB1DIVR, 4, 7);
    assert.strictEqual(rcc.apb1Divider(), 16);
  });

  it("what the HAL reads to work out the MCU's clock reads its reset values and keeps what is written", () => {
    const rcc = new Rcc(unservedLog('RCC', 0x50000000).unserved);
    const HSICFGR = 0x018;
    const RCK3SELR = 0x820;
    const PLL3CFGR1 = 0x884;
    const PLL3CFGR2 = 0x888;
    const PLL3FRACR = 0x88c;
    assert.deepStrictEqual([HSICFGR, RCK3SELR, PLL3CFGR1, PLL3CFGR2, PLL3FRACR].map((o) => rcc.read(o, 4)), [0, 0x80000000, 0x00010031, 0x00010101, 0]);
    rcc.write(RCK3SELR, 4, 1); // HSE
    rcc.write(PLL3CFGR1, 4, 0x00010021);
    assert.deepStrictEqual([rcc.read(RCK3SELR, 4), rcc.read(PLL3CFGR1, 4)], [0x80000001, 0x00010021]);
    assert.strictEqual(Rcc.registerName(PLL3FRACR), 'RCC_PLL3FRACR');
  });
});
