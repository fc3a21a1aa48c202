// An STM32 USART as firmware uses it to print (RM0436, "Universal synchronous/asynchronous receiver transmitter (USART/UART)"): TDR writes go to the
// console while CR1.UE and CR1.TE are set; a character leaves at once, so ISR.TXE and ISR.TC always
// read set, and TEACK/REACK follow TE/RE. Nothing is ever received.
import type { MappedDevice } from '../../cpu/armv7m/system/systemBus';
import { laneOf, withLane } from './registerAccess';
import type { Unserved } from './unmodelled';

/** Register offsets (RM0436, USART register map). */
export const UsartReg = {
  CR1: 0x00,
  CR2: 0x04,
  CR3: 0x08,
  BRR: 0x0c,
  GTPR: 0x10,
  RTOR: 0x14,
  RQR: 0x18,
  ISR: 0x1c,
  ICR: 0x20,
  RDR: 0x24,
  TDR: 0x28,
  PRESC: 0x2c,
} as const;

export const Cr1 = { UE: 1 << 0, RE: 1 << 2, TE: 1 << 3 } as const;
export const Isr = { TC: 1 << 6, TXE: 1 << 7, TEACK: 1 << 21, REACK: 1 << 22 } as const;

/** Registers kept as written (reset value 0); RQR and ICR are write-only and read as zero. */
const STORED = [UsartReg.CR1, UsartReg.CR2, UsartReg.CR3, UsartReg.BRR, UsartReg.GTPR, UsartReg.RTOR, UsartReg.PRESC];

export class Usart implements MappedDevice {
  private readonly regs = new Map<number, number>(STORED.map((r) => [r, 0]));

  constructor(
    private readonly console: (byte: number) => void,
    private readonly unserved: Unserved,
  ) {}

  read(offset: number, size: number): number {
    const word = offset & ~3;
    const stored = this.regs.get(word);
    let v: number;
    if (stored !== undefined) v = stored;
    else if (word === UsartReg.ISR) v = this.isr();
    else if (word === UsartReg.RQR || word === UsartReg.ICR || word === UsartReg.RDR || word === UsartReg.TDR) v = 0;
    else return this.unserved(offset, size, false);
    return laneOf(v, offset, size);
  }

  write(offset: number, size: number, value: number): void {
    const word = offset & ~3;
    const stored = this.regs.get(word);
    if (stored !== undefined) {
      this.regs.set(word, withLane(stored, offset, size, value));
      return;
    }
    if (word === UsartReg.TDR) {
      const cr1 = this.regs.get(UsartReg.CR1) ?? 0;
      if ((cr1 & (Cr1.UE | Cr1.TE)) === (Cr1.UE | Cr1.TE)) this.console(value & 0xff);
      return;
    }
    if (word === UsartReg.RQR || word === UsartReg.ICR || word === UsartReg.ISR || word === UsartReg.RDR) return; // read-only or write-only with nothing to clear
    this.unserved(offset, size, true);
  }

  private isr(): number {
    const cr1 = this.regs.get(UsartReg.CR1) ?? 0;
    return Isr.TXE | Isr.TC | (cr1 & Cr1.TE ? Isr.TEACK : 0) | (cr1 & Cr1.RE ? Isr.REACK : 0);
  }
}
