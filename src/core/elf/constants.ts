// ELF numbers core reads by name (System V gABI, elf.h).

export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;

export const ET_REL = 1;
export const ET_EXEC = 2;

export const EM_ARM = 40;
export const EM_AARCH64 = 183;

export const PT_LOAD = 1;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_NOBITS = 8;

export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;

export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;

export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;

/** Sizes of the fixed structures per class: the kernel steps by these, not by e_phentsize. */
export const EHDR_SIZE = { 32: 52, 64: 64 } as const;
export const PHDR_SIZE = { 32: 32, 64: 56 } as const;
export const SHDR_SIZE = { 32: 40, 64: 64 } as const;
export const SYM_SIZE = { 32: 16, 64: 24 } as const;
