// The firmware's functions by the ELF's symbol table: what a function breakpoint names, and what
// a frame is called where the debug information says nothing (a start-up file in assembly).
import { STB_WEAK, STT_FUNC } from '../core/elf/constants';
import type { ElfFile } from '../core/elf/elfFile';
import { lastAtOrBefore } from '../core/sortedSearch';

export interface FunctionSymbol {
  readonly name: string;
  /** The entry address, without the Thumb bit. */
  readonly addr: number;
  readonly size: number;
}

export class FirmwareSymbols {
  private readonly all: FunctionSymbol[];
  /** One per address, by address; a symbol of size 0 covers up to the next one. */
  private readonly functions: FunctionSymbol[];

  constructor(elf: ElfFile) {
    let symbols: ReturnType<ElfFile['symbols']>;
    try {
      symbols = elf.symbols();
    } catch {
      // A symbol table that cannot be read names nothing.
      symbols = [];
    }
    const funcs = symbols
      .filter((s) => s.type === STT_FUNC && s.shndx !== 0 && s.name)
      // A weak alias shares its target's address: the strong name comes first.
      .sort((a, b) => a.value - b.value || Number(a.bind === STB_WEAK) - Number(b.bind === STB_WEAK) || a.name.localeCompare(b.name));
    this.all = funcs.map((s) => ({ name: s.name, addr: (s.value & ~1) >>> 0, size: s.size }));
    this.functions = this.all.filter((f, i) => i === 0 || this.all[i - 1].addr !== f.addr);
  }

  find(name: string): FunctionSymbol | undefined {
    return this.all.find((f) => f.name === name);
  }

  /** The function `pc` is in, with the offset into it. */
  at(pc: number): { fn: FunctionSymbol; offset: number } | undefined {
    const best = this.functions[lastAtOrBefore(this.functions, (f) => f.addr, pc)];
    if (!best || (best.size > 0 && pc >= best.addr + best.size)) return undefined;
    return { fn: best, offset: pc - best.addr };
  }

  /** "rpmsg_serve+0x1c", or the address alone. */
  describe(pc: number): string {
    const at = this.at(pc);
    if (!at) return `0x${pc.toString(16).padStart(8, '0')}`;
    return at.offset ? `${at.fn.name}+0x${at.offset.toString(16)}` : at.fn.name;
  }
}
