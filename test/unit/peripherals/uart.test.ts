// The USART as firmware prints through it (RM0436 USART registers): reset values, TDR to the console
// only while UE and TE are set, byte lanes, and offsets the model does not serve.
import assert from 'assert';
import { loadBareProgram } from '../../../src/core/cpu/bareProgram';
import { Firmware } from '../../../src/core/remoteproc/firmware';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { Cr1, Isr, Usart, UsartReg } from '../../../src/core/soc/peripherals/uart';
import { readFixture } from '../../fixtures/fixtures';
import { unservedLog } from './unservedLog';

function usart() {
  const out: number[] = [];
  const log = unservedLog('UART4', 0x40010000);
  return { u: new Usart((b) => out.push(b), log.unserved), out, reports: log.reports };
}

describe('peripherals: USART', () => {
  it('resets with CR1 zero and ISR TXE|TC (nothing is ever pending transmission)', () => {
    const { u } = usart();
    assert.strictEqual(u.read(UsartReg.CR1, 4), 0);
    assert.strictEqual(u.read(UsartReg.ISR, 4), Isr.TXE | Isr.TC);
  });

  it('TDR goes to the console only with UE and TE set; TEACK/REACK follow TE/RE', () => {
    const { u, out } = usart();
    u.write(UsartReg.TDR, 4, 0x41);
    u.write(UsartReg.CR1, 4, Cr1.TE);
    u.write(UsartReg.TDR, 4, 0x42);
    assert.deepStrictEqual(out, []);
    u.write(UsartReg.CR1, 4, Cr1.UE | Cr1.TE | Cr1.RE);
    u.write(UsartReg.TDR, 1, 0x143);
    assert.deepStrictEqual(out, [0x43]);
    assert.strictEqual(u.read(UsartReg.ISR, 4), Isr.TXE | Isr.TC | Isr.TEACK | Isr.REACK);
  });

  it('keeps BRR as written, byte lanes included; RDR reads zero', () => {
    const { u } = usart();
    u.write(UsartReg.BRR, 4, 0x22b);
    u.write(UsartReg.BRR + 1, 1, 0x05);
    assert.strictEqual(u.read(UsartReg.BRR, 4), 0x52b);
    assert.strictEqual(u.read(UsartReg.BRR, 1), 0x2b);
    assert.strictEqual(u.read(UsartReg.RDR, 4), 0);
  });

  it('reports an offset it does not serve once, by peripheral and offset, and reads it as zero', () => {
    const { u, reports } = usart();
    assert.strictEqual(u.read(0x3f4, 4), 0);
    u.write(0x3f4, 4, 1);
    assert.deepStrictEqual(reports, ['firmware read UART4+0x3f4 at 0x400103f4 (UART4, not modelled)']);
  });
});

describe('peripherals: the STM32MP157 board USARTs on the M4 bus', () => {
  it("UART7 (Zephyr's console on the DK2) at 0x40018000: TDR writes from the core reach the console, ISR shows TEACK", () => {
    const board = findBoard('stm32mp157');
    assert.ok(board);
    const out: number[] = [];
    const reports: string[] = [];
    const p = loadBareProgram(board, board.cores[0], new Firmware('periph-m4.elf', readFixture('periph-m4')), {
      console: (b) => out.push(...b),
      report: (l) => reports.push(l),
    });
    const UART7 = 0x40018000;
    p.core.bus.write32(UART7 + UsartReg.CR1, Cr1.UE | Cr1.TE);
    assert.strictEqual(p.core.bus.read32(UART7 + UsartReg.ISR) & Isr.TEACK, Isr.TEACK);
    for (const c of Buffer.from('z7\n')) p.core.bus.write32(UART7 + UsartReg.TDR, c);
    assert.strictEqual(Buffer.from(out).toString('latin1'), 'z7\n');
    assert.deepStrictEqual(reports, []);
  });
});
