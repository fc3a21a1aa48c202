// Writes generated cases into a copy of harness.elf: the case table (.oracle_in) and the code slots
// (.oracle_code) are patched in the file's bytes, so no compiler runs per case.
import { ElfFile } from '../../../src/core/elf/elfFile';
import { caseCode, SLOT_HALFWORDS, type SequenceCase } from './sequence';

/** harness.h: HARNESS_MAX_CASES, and the words of one harness_regs_t. */
export const MAX_CASES = 200;
const REGS_WORDS = 13 + 1 + 32 + 1;

export interface Harness {
  readonly bytes: Uint8Array;
  /** r12 of every case: the middle of the 4 KiB scratch buffer. */
  readonly base: number;
  readonly tableOffset: number;
  readonly codeOffset: number;
  readonly codeAddress: number;
}

export function readHarness(bytes: Uint8Array): Harness {
  const elf = ElfFile.parse(bytes);
  const table = elf.section('.oracle_in');
  const code = elf.section('.oracle_code');
  const scratch = elf.symbol('oracle_scratch');
  if (!table || !code || !scratch) throw new Error('harness.elf lacks .oracle_in, .oracle_code or oracle_scratch: rebuild it with make -C test/fixtures');
  if (table.size !== 4 + MAX_CASES * REGS_WORDS * 4 || code.size !== MAX_CASES * SLOT_HALFWORDS * 2) {
    throw new Error('harness.elf does not have the layout of harness.h (sizes of .oracle_in or .oracle_code differ)');
  }
  return { bytes, base: scratch.value + 2048, tableOffset: table.offset, codeOffset: code.offset, codeAddress: code.addr };
}

/** A copy of the harness running `cases` (at most MAX_CASES). */
export function patchHarness(h: Harness, cases: readonly SequenceCase[]): Uint8Array {
  if (cases.length > MAX_CASES) throw new Error(`at most ${MAX_CASES} cases per harness image`);
  const out = new Uint8Array(h.bytes);
  const view = new DataView(out.buffer);
  view.setUint32(h.tableOffset, cases.length, true);
  cases.forEach((c, i) => {
    const words = [...c.regs.r, c.regs.apsr, ...c.regs.s, c.regs.fpscr];
    words.forEach((w, k) => view.setUint32(h.tableOffset + 4 + (i * REGS_WORDS + k) * 4, w >>> 0, true));
    caseCode(c).forEach((hw, k) => view.setUint16(h.codeOffset + (i * SLOT_HALFWORDS + k) * 2, hw, true));
  });
  return out;
}
