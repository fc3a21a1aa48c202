// The one error the DWARF reader throws for malformed debug information: which section, where in
// it, and why. Everything else that goes wrong in src/core/dwarf is a bug.

export class DwarfError extends Error {
  constructor(
    readonly section: string,
    readonly offset: number,
    message: string,
  ) {
    super(`${section}+0x${offset.toString(16)}: ${message}`);
    this.name = 'DwarfError';
  }
}
