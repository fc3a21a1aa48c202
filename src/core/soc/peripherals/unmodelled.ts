// Accesses to the peripheral region that no model serves (issue 13): reported once per peripheral,
// by register name where it is known, else by peripheral and offset; they read as zero and writes
// are ignored, as firmware probing a block it does not need expects, or they are a BusFault.
import type { MappedDevice } from '../../cpu/armv7m/system/systemBus';
import { MemoryFault } from '../memoryAccess';

export type UnmodelledPolicy = 'ignore' | 'fault';

/** What a model does with an offset it does not serve: a read's value (zero), or a throw (BusFault). */
export type Unserved = (offset: number, size: number, write: boolean) => number;

/** A device no model serves: every access goes to `unserved`. */
export function unservedDevice(unserved: Unserved): MappedDevice {
  return { read: (o, s) => unserved(o, s, false), write: (o, s) => void unserved(o, s, true) };
}

const hex8 = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/** The reports of one core's bus: once per peripheral, in `policy`'s way. */
export class UnmodelledAccesses {
  private readonly reported = new Set<string>();

  constructor(
    private readonly policy: UnmodelledPolicy,
    private readonly report: (line: string) => void,
  ) {}

  /** The handler of a peripheral's unserved offsets; `registerName` names its registers where known. */
  forPeripheral(name: string, base: number, registerName: (offset: number) => string | undefined = () => undefined): Unserved {
    return (offset, size, write) => {
      const addr = (base + offset) >>> 0;
      if (!this.reported.has(name)) {
        this.reported.add(name);
        const register = registerName(offset) ?? `${name}+0x${offset.toString(16)}`;
        this.report(`firmware ${write ? 'wrote' : 'read'} ${register} at ${hex8(addr)} (${name}, not modelled)`);
      }
      return this.outcome(addr, size, write, `${name} is not modelled`);
    };
  }

  /** The handler of a stretch of the peripheral region the board's map has nothing at, from `base`: reported once per 1 KiB block. */
  forGap(base: number): Unserved {
    return (offset, size, write) => {
      const addr = (base + offset) >>> 0;
      const block = hex8(addr & ~(GAP_BLOCK - 1));
      if (!this.reported.has(block)) {
        this.reported.add(block);
        this.report(`firmware ${write ? 'wrote' : 'read'} ${hex8(addr)} (no peripheral at ${block} in the board's map, not modelled)`);
      }
      return this.outcome(addr, size, write, `no peripheral at ${block}`);
    };
  }

  private outcome(addr: number, size: number, write: boolean, why: string): number {
    if (this.policy === 'fault') throw new MemoryFault(addr, size, write ? 'write' : 'read', why);
    return 0;
  }
}

/** The unit a gap is reported in: the STM32's peripherals sit on 1 KiB boundaries. */
const GAP_BLOCK = 0x400;
