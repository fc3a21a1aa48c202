// The shape of a parsed ELF as the rest of core sees it. Addresses and sizes are plain numbers:
// ELF64 values above 2^53 are rejected by the reader with an ElfError rather than rounded.

export type ElfClass = 32 | 64;
export type Endian = 'little' | 'big';

export interface ElfHeader {
  readonly class: ElfClass;
  readonly endian: Endian;
  readonly osabi: number;
  readonly type: number; // ET_EXEC 2, ET_CORE 4, ...
  readonly machine: number; // EM_ARM 40, EM_AARCH64 183, ...
  readonly version: number;
  readonly entry: number;
  readonly phoff: number;
  readonly shoff: number;
  readonly flags: number;
  readonly ehsize: number;
  readonly phentsize: number;
  readonly phnum: number;
  readonly shentsize: number;
  readonly shnum: number;
  readonly shstrndx: number;
}

export interface ProgramHeader {
  readonly index: number;
  readonly type: number; // PT_LOAD 1, ...
  readonly flags: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly paddr: number;
  readonly filesz: number;
  readonly memsz: number;
  readonly align: number;
  /** File offset of this header itself, for findings that point at it. */
  readonly headerOffset: number;
}

export interface SectionHeader {
  readonly index: number;
  readonly name: string;
  readonly nameOffset: number;
  readonly type: number;
  readonly flags: number;
  readonly addr: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly addralign: number;
  readonly entsize: number;
  readonly headerOffset: number;
}

export interface ElfSymbol {
  readonly name: string;
  readonly value: number;
  readonly size: number;
  readonly type: number; // STT_OBJECT 1, STT_FUNC 2, ...
  readonly bind: number;
  readonly shndx: number;
}

/** A typed error for malformed input: where in the file, and why. */
export class ElfError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(`${message} (at file offset 0x${offset.toString(16)})`);
    this.name = 'ElfError';
  }
}
