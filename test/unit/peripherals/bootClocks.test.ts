// The STM32MP157 board's RCC starts with the clock tree the boot loader (TF-A) leaves before Linux
// starts the M4, so firmware that works out its clock from the RCC (ST's HAL_RCC_GetSystemCoreClockFreq)
// finds the 209 MHz the core runs at, and its SysTick milliseconds are the system's.
import assert from 'assert';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { createPeripherals } from '../../../src/core/soc/peripherals/corePeripherals';
import { Rcc } from '../../../src/core/soc/peripherals/rcc';
import type { Peripheral } from '../../../src/core/soc/board';

const HSE_HZ = 24_000_000; // the DK boards' crystal
const CORE_HZ = 209_000_000;

function m4Peripherals(): readonly Peripheral[] {
  const board = findBoard('stm32mp157');
  assert.ok(board);
  return board.cores[0].peripherals ?? [];
}

/** mcu_ck from the RCC's registers, by RM0436's PLL3 formula (only the sources TF-A picks are worked out). */
function mcuHz(rcc: Rcc): number {
  const word = (offset: number) => rcc.read(offset, 4);
  assert.strictEqual(word(0x048) & 3, 3, 'RCC_MSSCKSELR.MCUSSRC: pll3_p_ck');
  assert.strictEqual(word(0x820) & 3, 1, 'RCC_RCK3SELR.PLL3SRC: hse_ck');
  const cfgr1 = word(0x884);
  const cfgr2 = word(0x888);
  const fracr = word(0x88c);
  const divm = ((cfgr1 >>> 16) & 0x3f) + 1;
  const divn = (cfgr1 & 0x1ff) + 1;
  const fracv = fracr & (1 << 16) ? (fracr >>> 3) & 0x1fff : 0;
  const vco = (HSE_HZ / divm) * (divn + fracv / 8192);
  const divp = (cfgr2 & 0x7f) + 1;
  const mcudiv = word(0x830) & 0xf;
  return vco / divp / 2 ** mcudiv;
}

describe('peripherals: the clock tree the boot loader leaves (RCC bootState)', () => {
  it('gives mcu_ck = PLL3P = 208.88 MHz from HSE, within 0.1% of the core clock, with PLL3 on and ready', () => {
    const { rcc } = createPeripherals(m4Peripherals());
    assert.ok(rcc);
    const hz = mcuHz(rcc);
    assert.ok(Math.abs(hz - 208_877_929) < 1, `mcu_ck ${hz}`);
    assert.ok(Math.abs(hz - CORE_HZ) / CORE_HZ < 0.001);
    assert.strictEqual(rcc.read(0x880, 4) & 0x73, 0x73, 'RCC_PLL3CR: PLLON, PLL3RDY, DIVPEN, DIVQEN, DIVREN');
    assert.strictEqual(rcc.apb1Divider(), 2);
  });

  it('names each register as the RCC model does, and the model keeps each value as written', () => {
    const rcc = m4Peripherals().find((p) => p.model === 'stm32-rcc');
    assert.ok(rcc?.bootState?.length);
    const fresh = new Rcc(() => assert.fail('a bootState register the model does not serve'));
    for (const r of rcc.bootState) {
      assert.strictEqual(Rcc.registerName(r.offset), r.register);
      fresh.write(r.offset, 4, r.value);
      assert.strictEqual(fresh.read(r.offset, 4) & r.value, r.value, r.register);
    }
  });

  it('without a bootState the RCC keeps its reset values: MCU from HSI', () => {
    const bare = m4Peripherals().map(({ bootState: _unused, ...p }) => p);
    const { rcc } = createPeripherals(bare);
    assert.ok(rcc);
    assert.strictEqual(rcc.read(0x048, 4) & 3, 0);
    assert.strictEqual(rcc.apb1Divider(), 1);
  });
});
