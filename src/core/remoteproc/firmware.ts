// A firmware image as request_firmware() hands it over: the name asked for and the file's bytes.
import { ElfFile } from '../elf/elfFile';
import { ElfError } from '../elf/types';

export class Firmware {
  private parsed: ElfFile | ElfError | undefined;

  constructor(
    readonly name: string,
    readonly data: Uint8Array,
  ) {}

  get size(): number {
    return this.data.length;
  }

  /** The ELF view, or the reader's error (only reached after the kernel's sanity check passed). */
  elf(): ElfFile | ElfError {
    if (!this.parsed) {
      try {
        this.parsed = ElfFile.parse(this.data);
      } catch (e) {
        if (!(e instanceof ElfError)) throw e;
        this.parsed = e;
      }
    }
    return this.parsed;
  }
}
