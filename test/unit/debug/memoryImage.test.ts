// Records of the board's memory at a stop: reads match the live bytes of that moment, later writes
// do not leak into an earlier record, unchanged pages are shared between records.
import assert from 'assert';
import { findBoard } from '../../../src/core/soc/boardLoader';
import { PAGE_SIZE } from '../../../src/core/soc/physicalMemory';
import { SocMemory } from '../../../src/core/soc/socMemory';
import { MemoryImage } from '../../../src/debug/memoryImage';

describe('memory image', () => {
  const pa = 0x10000000 + PAGE_SIZE - 2; // a write across a page boundary of the M4's SRAM

  it('reads what memory held when it was taken, across pages; later writes stay out', () => {
    const mem = new SocMemory(findBoard('stm32mp157')!);
    mem.host.writeBytes(pa, Uint8Array.of(1, 2, 3, 4));
    const first = MemoryImage.capture(mem.physical);
    mem.host.writeBytes(pa, Uint8Array.of(9, 9, 9, 9));
    const second = MemoryImage.capture(mem.physical, first);
    assert.deepEqual([...first.read(pa - 1, 6)], [0, 1, 2, 3, 4, 0]);
    assert.deepEqual([...second.read(pa, 4)], [9, 9, 9, 9]);
    assert.equal(first.read32(pa), 0x04030201);
    assert.equal(first.read16(pa + 2), 0x0403);
  });

  it('shares a page that did not change and copies one that did', () => {
    const mem = new SocMemory(findBoard('stm32mp157')!);
    mem.host.writeBytes(0x10000000, Uint8Array.of(1));
    mem.host.writeBytes(0x10000000 + 4 * PAGE_SIZE, Uint8Array.of(2));
    const a = MemoryImage.capture(mem.physical);
    mem.host.write8(0x10000000 + 4 * PAGE_SIZE, 3);
    const b = MemoryImage.capture(mem.physical, a);
    const pages = (img: MemoryImage) => (img as unknown as { pages: (Uint8Array | undefined)[][] }).pages.flat().filter((p) => p);
    assert.equal(pages(a).length, 2);
    assert.equal(pages(b)[0], pages(a)[0], 'the unchanged page is the same copy');
    assert.notEqual(pages(b)[1], pages(a)[1]);
    assert.equal(a.read(0x10000000 + 4 * PAGE_SIZE, 1)[0], 2);
    assert.equal(b.read(0x10000000 + 4 * PAGE_SIZE, 1)[0], 3);
  });

  it('outside the board: nothing to read; a range leaving its bank is cut at the end', () => {
    const mem = new SocMemory(findBoard('stm32mp157')!);
    const img = MemoryImage.capture(mem.physical);
    assert.equal(img.read(0x4, 16).length, 0);
    const bank = mem.physical.bankAt(0x10000000)!;
    const end = bank.base + bank.size;
    assert.equal(img.read(end - 8, 64).length, 8);
  });
});
