import assert from 'assert';
import fc from 'fast-check';
import { AddressSpace } from '../../../src/core/soc/addressSpace';
import { MemoryFault } from '../../../src/core/soc/memoryAccess';
import { MemoryBank, PAGE_SIZE, PhysicalMemory } from '../../../src/core/soc/physicalMemory';
import { SocMemory } from '../../../src/core/soc/socMemory';
import { findBoard } from '../../../src/core/soc/boardLoader';

function space(size: number, writable = true): { bank: MemoryBank; as: AddressSpace } {
  const bank = new MemoryBank(0x1000_0000, size, ['test']);
  return { bank, as: new AddressSpace('t', [{ name: 'w', start: 0x2000_0000, size, bank, bankOffset: 0, writable }]) };
}

describe('soc/memory', () => {
  it('a 1 GiB bank allocates nothing until written, then one page per page touched', () => {
    const { bank, as } = space(1 << 30);
    assert.strictEqual(bank.allocatedBytes, 0);
    assert.strictEqual(as.read32(0x2000_0000 + 0x1234_5678), 0);
    as.fill(0x2000_0000, 1 << 20, 0); // zeros on fresh pages stay unallocated
    assert.strictEqual(bank.allocatedBytes, 0);
    as.write32(0x2000_0000 + 0x1234_5678, 0xdeadbeef);
    assert.strictEqual(bank.allocatedBytes, PAGE_SIZE);
    assert.strictEqual(as.read32(0x2000_0000 + 0x1234_5678), 0xdeadbeef);
  });

  it('reads and writes little-endian across page boundaries', () => {
    const { as } = space(4 * PAGE_SIZE);
    const a = 0x2000_0000 + PAGE_SIZE - 2;
    as.write32(a, 0x11223344);
    assert.strictEqual(as.read8(a), 0x44);
    assert.strictEqual(as.read16(a + 2), 0x1122);
    assert.strictEqual(as.read32(a), 0x11223344);
    as.write16(a + 1, 0xaabb);
    assert.strictEqual(as.read32(a), 0x11aabb44);
  });

  it('faults outside the mapping, on a window end, and on read-only windows, changing nothing', () => {
    const { as } = space(PAGE_SIZE);
    assert.throws(() => as.read32(0x1fff_fffc), MemoryFault);
    assert.throws(() => as.read32(0x2000_0000 + PAGE_SIZE - 2), /crosses the end/);
    assert.throws(() => as.writeBytes(0x2000_0000 + PAGE_SIZE - 2, new Uint8Array(4).fill(9)), MemoryFault);
    assert.strictEqual(as.read16(0x2000_0000 + PAGE_SIZE - 2), 0);
    const ro = space(PAGE_SIZE, false).as;
    assert.throws(() => ro.write8(0x2000_0000, 1), /read-only/);
    assert.strictEqual(ro.read8(0x2000_0000), 0);
  });

  it('behaves like a plain byte array for any sequence of accesses (model check)', () => {
    const size = 3 * PAGE_SIZE;
    const op = fc.oneof(
      fc.record({ k: fc.constantFrom(1, 2, 4), off: fc.integer({ min: 0, max: size - 4 }), v: fc.integer({ min: 0, max: 0xffffffff }) }),
      fc.record({ k: fc.constant(0), off: fc.integer({ min: 0, max: size - 64 }), v: fc.integer({ min: 0, max: 255 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const { as } = space(size);
        const model = new Uint8Array(size);
        const base = 0x2000_0000;
        for (const o of ops) {
          if (o.k === 0) {
            as.fill(base + o.off, 64, o.v);
            model.fill(o.v, o.off, o.off + 64);
            continue;
          }
          const v = o.k === 4 ? o.v >>> 0 : o.v & ((1 << (8 * o.k)) - 1);
          if (o.k === 1) as.write8(base + o.off, v);
          else if (o.k === 2) as.write16(base + o.off, v);
          else as.write32(base + o.off, v);
          for (let i = 0; i < o.k; i++) model[o.off + i] = (v >>> (8 * i)) & 0xff;
          const got = o.k === 1 ? as.read8(base + o.off) : o.k === 2 ? as.read16(base + o.off) : as.read32(base + o.off);
          assert.strictEqual(got, v);
        }
        assert.deepStrictEqual(as.readBytes(base, size), model);
      }),
      { numRuns: 200 },
    );
  });

  it('readInto/writeFrom copy like readBytes/writeBytes, across pages, small and large, allocated or not (model check)', () => {
    const size = 3 * PAGE_SIZE;
    const base = 0x2000_0000;
    const op = fc.record({ write: fc.boolean(), off: fc.integer({ min: 0, max: size - 1 }), len: fc.integer({ min: 0, max: 3000 }), at: fc.nat(40), v: fc.nat(255) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const { as } = space(size);
        const model = new Uint8Array(size);
        for (const o of ops) {
          const len = Math.min(o.len, size - o.off);
          const buf = new Uint8Array(len + 80).map((_, i) => (i * 7 + o.v) & 0xff);
          if (o.write) {
            as.writeFrom(base + o.off, buf, o.at, len);
            model.set(buf.subarray(o.at, o.at + len), o.off);
          } else {
            const out = new Uint8Array(len + 80).fill(0xee);
            as.readInto(base + o.off, out, o.at, len);
            assert.deepStrictEqual(out.subarray(o.at, o.at + len), model.subarray(o.off, o.off + len));
            assert.ok(out.subarray(0, o.at).every((x) => x === 0xee) && out.subarray(o.at + len).every((x) => x === 0xee));
          }
        }
        assert.deepStrictEqual(as.readBytes(base, size), model);
      }),
      { numRuns: 150 },
    );
    const { as } = space(PAGE_SIZE);
    assert.throws(() => as.readInto(base + PAGE_SIZE - 4, new Uint8Array(8), 0, 8), MemoryFault);
    assert.throws(() => space(PAGE_SIZE, false).as.writeFrom(base, new Uint8Array(8), 0, 8), MemoryFault);
  });

  it('a watched range counts exactly the writes that touch it, by every write path', () => {
    const { bank, as } = space(2 * PAGE_SIZE);
    const base = 0x2000_0000;
    bank.watch(PAGE_SIZE - 8, 16);
    const writes: [string, () => void, boolean][] = [
      ['write8 before', () => as.write8(base + PAGE_SIZE - 9, 1), false],
      ['write8 in', () => as.write8(base + PAGE_SIZE - 8, 1), true],
      ['write32 straddling the start', () => as.write32(base + PAGE_SIZE - 10, 1), true],
      ['write16 after', () => as.write16(base + PAGE_SIZE + 8, 1), false],
      ['write16 across the page end', () => as.write16(base + PAGE_SIZE - 1, 1), true],
      ['writeBytes in', () => as.writeBytes(base + PAGE_SIZE + 7, new Uint8Array(1)), true],
      ['fill past', () => as.fill(base, PAGE_SIZE - 8, 3), false],
      ['writeFrom over', () => as.writeFrom(base + PAGE_SIZE - 100, new Uint8Array(300), 0, 300), true],
      ['writeFrom after', () => as.writeFrom(base + PAGE_SIZE + 8, new Uint8Array(4), 0, 4), false],
    ];
    for (const [what, write, hits] of writes) {
      const before = bank.watchGen;
      write();
      assert.strictEqual(bank.watchGen - before, hits ? 1 : 0, what);
    }
    bank.unwatchAll();
    const before = bank.watchGen;
    as.write8(base + PAGE_SIZE, 1);
    assert.strictEqual(bank.watchGen, before);
  });

  it('a read observer is told once of exactly the reads through its view that touch its range, by every read path', () => {
    const { bank, as } = space(2 * PAGE_SIZE);
    const other = new AddressSpace('o', as.windows);
    const base = 0x2000_0000;
    as.write32(base + PAGE_SIZE - 4, 0x11223344);
    // read once through the fast path, so the view caches the window before the observer comes
    assert.strictEqual(as.read32(base + PAGE_SIZE - 4), 0x11223344);
    const told: [number, number][] = [];
    const stop = as.observeReads(bank, PAGE_SIZE - 2, 4, (off, len) => told.push([off, len]));
    const reads: [string, () => unknown, [number, number] | undefined][] = [
      ['read32 straddling the start', () => assert.strictEqual(as.read32(base + PAGE_SIZE - 4), 0x11223344), [PAGE_SIZE - 4, 4]],
      ['read8 before', () => as.read8(base + PAGE_SIZE - 3), undefined],
      ['read16 across the page end', () => as.read16(base + PAGE_SIZE - 1), [PAGE_SIZE - 1, 2]],
      ['read32 after', () => as.read32(base + PAGE_SIZE + 2), undefined],
      ['readBytes over', () => as.readBytes(base, PAGE_SIZE + 16), [0, PAGE_SIZE + 16]],
      ['readInto in', () => as.readInto(base + PAGE_SIZE, new Uint8Array(2), 0, 2), [PAGE_SIZE, 2]],
      ['the same bank through another view', () => other.read32(base + PAGE_SIZE), undefined],
      ['a write', () => as.write32(base + PAGE_SIZE, 5), undefined],
      ['unobserved', () => as.unobserved(() => as.read32(base + PAGE_SIZE)), undefined],
    ];
    for (const [what, read, hit] of reads) {
      told.length = 0;
      read();
      assert.deepStrictEqual(told, hit ? [hit] : [], what);
    }
    stop();
    told.length = 0;
    assert.strictEqual(as.read32(base + PAGE_SIZE), 5);
    assert.deepStrictEqual(told, []);
  });

  it('merges overlapping board ranges into one bank, so aliases share bytes', () => {
    const pm = new PhysicalMemory([
      { name: 'a', pa: 0x1000, size: 0x2000 },
      { name: 'b', pa: 0x2000, size: 0x2000 },
      { name: 'c', pa: 0x10000, size: 0x1000 },
    ]);
    assert.deepStrictEqual(
      pm.banks.map((b) => [b.base, b.size]),
      [
        [0x1000, 0x3000],
        [0x10000, 0x1000],
      ],
    );
  });

  it("STM32MP157: the M4's RETRAM at da 0 is the host's 0x38000000; DDR is not in the M4's view", () => {
    const soc = new SocMemory(findBoard('stm32mp157')!);
    const m4 = soc.remote('m4');
    soc.host.write32(0x3800_0010, 0xcafef00d);
    assert.strictEqual(m4.read32(0x10), 0xcafef00d);
    m4.write32(0x1004_0000, 0x12345678);
    assert.strictEqual(soc.host.read32(0x1004_0000), 0x12345678);
    assert.throws(() => m4.read32(0xc000_0000), MemoryFault);
    assert.strictEqual(soc.host.read32(0xc000_0000), 0); // host RAM exists for the host
  });
});
