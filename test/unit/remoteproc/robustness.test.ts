import fc from 'fast-check';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { KernelError } from '../../../src/core/kernel/errno';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { createSystem } from '../../../src/core/system';
import { BoardId, EXAMPLE, exampleImage, recordingDriver } from './helpers';

/**
 * Boots `image`, lets it run, crashes and recovers it: anything but a KernelError is a simulator
 * bug. The host side here is remoteproc's alone (a minimal virtio driver, the trace program), so a
 * failure points at this layer; the rpmsg stack has its own robustness suite.
 */
function exercise(board: BoardId, image: Uint8Array, early: boolean): void {
  const core = EXAMPLE[board].core;
  const sys = createSystem({
    board: findBoard(board)!,
    seed: 3,
    firmware: early ? undefined : { name: 'fw.elf', data: image, core },
    earlyBoot: early ? [{ core, name: 'fw.elf', data: image }] : undefined,
  });
  sys.registerVirtioDriver(7, recordingDriver([]));
  const state = `/sys/class/remoteproc/${sys.rproc(core).devName}/state`;
  const write = (path: string, text: string) => {
    try {
      sys.files.write(path, text);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
    }
  };
  write(`/sys/class/remoteproc/${sys.rproc(core).devName}/recovery`, 'enabled\n');
  write(state, 'start\n');
  sys.runFor(5e6);
  write(`/sys/kernel/debug/remoteproc/${sys.rproc(core).devName}/crash`, '1\n');
  sys.runFor(5e6);
  for (const f of ['resource_table', 'carveout_memories', 'trace0']) {
    const p = `/sys/kernel/debug/remoteproc/${sys.rproc(core).devName}/${f}`;
    if (sys.files.exists(p)) sys.files.read(p);
  }
  write(state, 'stop\n');
  write(state, 'detach\n');
}

describe('remoteproc/robustness: mutated images never break the simulator', () => {
  for (const board of ['stm32mp157', 'am64x', 'zynqmp'] as const) {
    it(`${board}: random bytes in the resource table and the headers give kernel errors or a boot, never an exception`, () => {
      const image = exampleImage(board);
      const elf = ElfFile.parse(image);
      const rsc = elf.section('.resource_table')!;
      const hot = [
        { from: rsc.offset, len: rsc.size },
        { from: 0, len: 52 },
        { from: elf.header.phoff, len: elf.header.phnum * 32 },
      ];
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(hot.length - 1), fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 8 }),
          fc.boolean(),
          (muts, early) => {
            const img = image.slice();
            for (const [which, at, v] of muts) img[hot[which].from + (at % hot[which].len)] = v;
            try {
              exercise(board, img, early);
            } catch (e) {
              // An early-boot image the boot loader itself cannot place is refused before Linux runs.
              if (early && e instanceof Error && e.name === 'ElfError') return;
              throw e;
            }
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  it('32-bit table fields at their extremes (num, offsets, lengths, vring sizes) are refused or handled', () => {
    const image = exampleImage('stm32mp157');
    const rsc = ElfFile.parse(image).section('.resource_table')!;
    fc.assert(
      fc.property(fc.nat(Math.floor(rsc.size / 4) - 1), fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff), (word, v) => {
        const img = image.slice();
        new DataView(img.buffer).setUint32(rsc.offset + 4 * word, v, true);
        exercise('stm32mp157', img, false);
      }),
      { numRuns: 60 },
    );
  });
});
