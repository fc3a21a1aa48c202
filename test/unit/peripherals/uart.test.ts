// The USART as firmware prints through it (RM0436 USART registers): reset values, TDR to the console
// only while UE and TE are set, byte lanes, and offsets the model does not serve.
import assert from 'assert';
import { Cr1, Isr, Usart, UsartReg } from '../../../src/core/soc/peripherals/uart';
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
