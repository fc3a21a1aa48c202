// The STM32MP157's inter-processor communication controller (RM0436, "Inter-processor communication
// controller (IPCC)"): six channels each way. Processor 1 is the A7 (the host, st,proc-id 0), processor
// 2 the M4. A processor sets its own channel flag (CxSCR.CHnS: "occupied", a message for the other)
// and the other clears it (CxSCR.CHnC: "free" again). Each processor's interrupts, per its CxCR and
// CxMR: RX occupied while a flag of the other's is set and unmasked, TX free while one of its own is
// clear and unmasked. The M4's lines go to its NVIC; the host drives its side through the API below.
import type { MappedDevice } from '../../cpu/armv7m/system/systemBus';
import { laneOf } from './registerAccess';
import type { Unserved } from './unmodelled';

export const IPCC_CHANNELS = 6;
const CHANNEL_MASK = (1 << IPCC_CHANNELS) - 1;

/** Register offsets of processor 1's bank; processor 2's is at +0x10 (RM0436, IPCC register map). */
export const IpccReg = { CR: 0x00, MR: 0x04, SCR: 0x08, TOSR: 0x0c, HWCFGR: 0x3f0, VERR: 0x3f4, IPIDR: 0x3f8, SIDR: 0x3fc } as const;
export const C2_BANK = 0x10;
export const IpccCr = { RXOIE: 1 << 0, TXFIE: 1 << 16 } as const;
/** MR's reset value: every channel's occupied (bits 0-5) and free (bits 16-21) interrupt masked. */
export const IPCC_MR_RESET = (CHANNEL_MASK << 16) | CHANNEL_MASK;
/** Identification registers' reset values (RM0436, IPCC register map). */
const ID_REGS: ReadonlyMap<number, number> = new Map([
  [IpccReg.HWCFGR, IPCC_CHANNELS],
  [IpccReg.VERR, 0x10],
  [IpccReg.IPIDR, 0x100071],
  [IpccReg.SIDR, 0xa3c5dd01],
]);

/** One processor's bank: its control and mask, and its own channel flags (CxTOCySR). */
interface Bank {
  cr: number;
  mr: number;
  flags: number;
}

/** The interrupt lines of one processor: RX occupied and TX free. */
export interface IpccLines {
  rx(high: boolean): void;
  tx(high: boolean): void;
}

export class Ipcc implements MappedDevice {
  private readonly banks: [Bank, Bank] = [
    { cr: 0, mr: IPCC_MR_RESET, flags: 0 },
    { cr: 0, mr: IPCC_MR_RESET, flags: 0 },
  ];
  /** Told of each channel the M4 sets (a message for the host) or clears (the host's message taken). */
  onRemoteSet?: (channel: number) => void;
  onRemoteClear?: (channel: number) => void;
  private readonly lines: [IpccLines | undefined, IpccLines | undefined] = [undefined, undefined];

  constructor(private readonly unserved: Unserved) {}

  /** Connects processor `p`'s (1 the host, 2 the M4) interrupt outputs and drives them to their levels. */
  connect(p: 1 | 2, lines: IpccLines): void {
    this.lines[p - 1] = lines;
    this.update();
  }

  /** The host sets its channel `ch` (C1SCR.CHnS): a message for the M4. */
  hostSet(ch: number): void {
    this.scr(0, 1 << (16 + this.channel(ch)));
  }

  /** The host clears the M4's channel `ch` (C1SCR.CHnC): it took the M4's message. */
  hostClear(ch: number): void {
    this.scr(0, 1 << this.channel(ch));
  }

  /** Whether processor `p`'s own channel `ch` is occupied (C1TOC2SR for 1, C2TOC1SR for 2). */
  occupied(p: 1 | 2, ch: number): boolean {
    return ((this.banks[p - 1].flags >>> this.channel(ch)) & 1) === 1;
  }

  read(offset: number, size: number): number {
    const word = offset & ~3;
    if (word < 2 * C2_BANK) {
      const b = this.banks[word >> 4];
      const reg = word & 0xf;
      const v = reg === IpccReg.CR ? b.cr : reg === IpccReg.MR ? b.mr : reg === IpccReg.TOSR ? b.flags : 0; // SCR reads as zero
      return laneOf(v, offset, size);
    }
    const id = ID_REGS.get(word);
    return id === undefined ? this.unserved(offset, size, false) : laneOf(id, offset, size);
  }

  write(offset: number, size: number, value: number): void {
    const word = offset & ~3;
    if (word >= 2 * C2_BANK) {
      if (!ID_REGS.has(word)) this.unserved(offset, size, true);
      return;
    }
    if (size !== 4) {
      this.unserved(offset, size, true); // only word writes are modelled: the ones the HAL and the kernel make
      return;
    }
    const p = word >> 4;
    const b = this.banks[p];
    switch (word & 0xf) {
      case IpccReg.CR:
        b.cr = value & (IpccCr.RXOIE | IpccCr.TXFIE);
        break;
      case IpccReg.MR:
        b.mr = value & IPCC_MR_RESET;
        break;
      case IpccReg.SCR:
        this.scr(p, value);
        return;
      default:
        return; // CxTOCySR is read-only
    }
    this.update();
  }

  /** CxSCR of processor index `p`: CHnS (bits 16-21) sets its own flags, CHnC (bits 0-5) clears the other's. */
  private scr(p: number, value: number): void {
    const set = (value >>> 16) & CHANNEL_MASK & ~this.banks[p].flags;
    const clear = value & CHANNEL_MASK & this.banks[1 - p].flags;
    this.banks[p].flags |= set;
    this.banks[1 - p].flags &= ~clear;
    this.update();
    if (p === 1) {
      for (let ch = 0; ch < IPCC_CHANNELS; ch++) if (set & (1 << ch)) this.onRemoteSet?.(ch);
      for (let ch = 0; ch < IPCC_CHANNELS; ch++) if (clear & (1 << ch)) this.onRemoteClear?.(ch);
    }
  }

  /** Drives each processor's RX-occupied and TX-free lines to their levels. */
  private update(): void {
    for (let p = 0; p < 2; p++) {
      const b = this.banks[p];
      const incoming = this.banks[1 - p].flags & ~b.mr & CHANNEL_MASK;
      const free = ~b.flags & ~(b.mr >>> 16) & CHANNEL_MASK;
      this.lines[p]?.rx((b.cr & IpccCr.RXOIE) !== 0 && incoming !== 0);
      this.lines[p]?.tx((b.cr & IpccCr.TXFIE) !== 0 && free !== 0);
    }
  }

  private channel(ch: number): number {
    if (!Number.isInteger(ch) || ch < 0 || ch >= IPCC_CHANNELS) throw new RangeError(`no IPCC channel ${ch} (the IPCC has ${IPCC_CHANNELS})`);
    return ch;
  }
}
