// Which board's core a firmware is linked for, when `ampw validate` has no --board: the cores whose
// memory holds every loadable segment at its p_paddr, the device address rproc_elf_load_segments()
// copies it to. Boards in their listed order, then cores in theirs; the first that fits is used.
import { PT_LOAD } from '../core/elf/constants';
import { ElfFile } from '../core/elf/elfFile';
import { ElfError, ProgramHeader } from '../core/elf/types';
import { kernelModel } from '../core/rsc/kernelModel';
import { insideAny } from '../core/rsc/rules/ampwContext';
import type { Board } from '../core/soc/board';
import type { BoardChoice } from './boardOption';

export interface TargetInference {
  /** Every core that holds the image, in order; the first is the one used. */
  readonly fits: readonly BoardChoice[];
  /** The image has no loadable segment to place (or no program headers the reader takes). */
  readonly nothingToPlace: boolean;
}

function loadableSegments(bytes: Uint8Array): ProgramHeader[] {
  try {
    return ElfFile.parse(bytes).programs.filter((p) => p.type === PT_LOAD && p.memsz > 0);
  } catch (e) {
    // The validator reports what is wrong with the image; here it only has nothing to place.
    if (e instanceof ElfError) return [];
    throw e;
  }
}

export function inferTarget(bytes: Uint8Array, boards: readonly Board[]): TargetInference {
  const loads = loadableSegments(bytes);
  if (loads.length === 0) return { fits: [], nothingToPlace: true };
  const fits = boards.flatMap((board) =>
    board.cores
      .filter((core) => {
        const ranges = kernelModel(board, core).memoryRanges;
        return loads.every((p) => insideAny(ranges, p.paddr, p.memsz));
      })
      .map((core) => ({ board, core })),
  );
  return { fits, nothingToPlace: false };
}

const name = (c: BoardChoice) => `${c.board.id} ${c.core.id}`;

/** One sentence: what was inferred and why, or why the generic checks are all there is. */
export function describeInference(i: TargetInference): string {
  const [first, ...others] = i.fits;
  if (!first) {
    return i.nothingToPlace
      ? 'no loadable segment to place on a board: generic remoteproc checks only'
      : "no known board's core holds every loadable segment: generic remoteproc checks only";
  }
  if (others.length === 0) return `inferred ${name(first)}, the only core whose memory holds every loadable segment`;
  return `${i.fits.length} cores hold every loadable segment (${i.fits.map(name).join(', ')}): using the first, ${name(first)}; --board chooses another`;
}
