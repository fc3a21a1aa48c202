import assert from 'node:assert/strict';
import fc from 'fast-check';
import { VirtqueueError } from '../../../src/core/virtio/virtqueueError';
import { VRING_DESC_F_NEXT, VRING_DESC_F_WRITE, vringLayout } from '../../../src/core/virtio/vringLayout';
import { readVring } from './vringView';
import { BUF_BASE, RING_BASE, ringPair } from './ringHarness';

interface Chain {
  token: number;
  addrs: number[];
  lens: number[];
  outCount: number;
}

type Cmd =
  | { op: 'add'; out: number; in: number; lens: number[] }
  | { op: 'kick' }
  | { op: 'take' }
  | { op: 'return'; pick: number; len: number }
  | { op: 'get' };

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({
    op: fc.constant('add' as const),
    out: fc.integer({ min: 0, max: 3 }),
    in: fc.integer({ min: 0, max: 3 }),
    lens: fc.array(fc.integer({ min: 0, max: 512 }), { minLength: 6, maxLength: 6 }),
  }),
  fc.record({ op: fc.constant('kick' as const) }),
  fc.record({ op: fc.constant('take' as const) }),
  fc.record({ op: fc.constant('return' as const), pick: fc.nat(), len: fc.nat() }),
  fc.record({ op: fc.constant('get' as const) }),
);

describe('split virtqueue', () => {
  it('lays out desc, avail and used exactly as vring_size() for any num and align', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 16 }), (numLog, alignLog) => {
        const num = 1 << numLog;
        const align = 1 << alignLog;
        const l = vringLayout(num, align);
        const kernelSize = (((16 * num + 2 * (3 + num) + align - 1) & ~(align - 1)) >>> 0) + 2 * 3 + 8 * num;
        assert.equal(l.size, kernelSize);
        assert.equal(l.availOffset, 16 * num);
        assert.equal(l.usedOffset % align, 0);
        assert.ok(l.usedOffset >= l.usedEventOffset + 2 && l.usedOffset - (l.usedEventOffset + 2) < align);
      }),
    );
    assert.equal(vringLayout(256, 4096).size, 10246);
    // what vring_init() makes of an align that is not a power of two: 8 * 16 + 2 * (3 + 8) = 150; (150 + 23) & ~23
    assert.equal(vringLayout(8, 24).usedOffset, 168);
    assert.equal(vringLayout(3, 16).usedOffset, 64);
    for (const [num, align] of [
      [0, 16],
      [65536, 16],
      [8, 0],
      [1.5, 16],
    ]) {
      assert.throws(() => vringLayout(num, align), (e: unknown) => e instanceof VirtqueueError && e.fault === 'bad-layout');
    }
  });

  it('matches a plain queue model for any add/kick/take/return/get sequence (both sides, bytes checked)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 4, 8, 16),
        fc.constantFrom(4, 16, 4096),
        fc.boolean(),
        fc.array(cmdArb, { maxLength: 120 }),
        (num, align, eventIdx, cmds) => {
          const { mem, driver, device } = ringPair(num, align, eventIdx);
          const l = vringLayout(num, align);
          const available: Chain[] = [];
          const held = new Map<number, Chain>(); // head -> chain, taken by the device
          const used: { token: number; len: number; count: number }[] = [];
          let nextToken = 0;
          let added = 0;
          let returned = 0;
          let free = num;
          for (const c of cmds) {
            if (c.op === 'add') {
              const n = c.out + c.in;
              const lens = c.lens.slice(0, n);
              const addrs = lens.map((_, i) => BUF_BASE + (nextToken % 64) * 0x1000 + i * 0x200);
              const rc = driver.add(nextToken, addrs, lens, c.out, c.in);
              if (n === 0 || n > free) {
                assert.equal(rc, -28);
                continue;
              }
              assert.equal(rc, 0);
              available.push({ token: nextToken++, addrs, lens, outCount: c.out });
              free -= n;
              added++;
              assert.equal(mem.read16(RING_BASE + l.availOffset + 2), added & 0xffff);
            } else if (c.op === 'kick') {
              driver.kickPrepare();
            } else if (c.op === 'take') {
              const head = device.nextAvail();
              const want = available.shift();
              if (!want) {
                assert.equal(head, -1);
                continue;
              }
              assert.ok(head >= 0 && head < num);
              assert.equal(device.segCount, want.addrs.length);
              let d = head;
              for (let i = 0; i < device.segCount; i++) {
                assert.equal(device.segAddr[i], want.addrs[i]);
                assert.equal(device.segLen[i], want.lens[i]);
                assert.equal(device.segWritable[i], i >= want.outCount ? 1 : 0);
                // the descriptor bytes themselves, as virtio_ring.h documents them
                const at = RING_BASE + 16 * d;
                assert.equal(mem.read32(at), want.addrs[i]);
                assert.equal(mem.read32(at + 4), 0);
                assert.equal(mem.read32(at + 8), want.lens[i]);
                const flags = mem.read16(at + 12);
                assert.equal((flags & VRING_DESC_F_WRITE) !== 0, i >= want.outCount);
                assert.equal((flags & VRING_DESC_F_NEXT) !== 0, i < device.segCount - 1);
                d = mem.read16(at + 14);
              }
              held.set(head, want);
            } else if (c.op === 'return') {
              if (held.size === 0) continue;
              const heads = [...held.keys()];
              const head = heads[c.pick % heads.length];
              const chain = held.get(head)!;
              held.delete(head);
              const writable = chain.lens.slice(chain.outCount).reduce((a, b) => a + b, 0);
              const len = writable === 0 ? 0 : c.len % (writable + 1);
              device.addUsed(head, len);
              returned++;
              used.push({ token: chain.token, len, count: chain.addrs.length });
              const elem = RING_BASE + l.usedOffset + 4 + 8 * ((returned - 1) % num);
              assert.equal(mem.read32(elem), head);
              assert.equal(mem.read32(elem + 4), len);
              assert.equal(mem.read16(RING_BASE + l.usedOffset + 2), returned & 0xffff);
            } else {
              const token = driver.getBuf();
              const want = used.shift();
              if (!want) {
                assert.equal(token, -1);
                continue;
              }
              assert.equal(token, want.token);
              assert.equal(driver.lastLen, want.len);
              free += want.count;
            }
            assert.equal(driver.numFree, free);
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('split virtqueue: bad ring contents', () => {
  const l = vringLayout(8, 16);
  const usedElem = (i: number) => RING_BASE + l.usedOffset + 4 + 8 * i;

  function faultOf(fn: () => unknown): string {
    try {
      fn();
    } catch (e) {
      if (e instanceof VirtqueueError) return `${e.fault}: ${e.message}`;
      throw e;
    }
    return 'none';
  }

  it('driver: used id out of range, not a head, length past the buffer, index jump', () => {
    let p = ringPair(8, 16);
    p.driver.addOne(7, BUF_BASE, 512, true);
    p.mem.write32(usedElem(0), 600);
    p.mem.write16(RING_BASE + l.usedOffset + 2, 1);
    assert.equal(faultOf(() => p.driver.getBuf()), 'desc-index-out-of-range: id 600 out of range');
    assert.equal(p.driver.broken, true);
    assert.equal(p.driver.getBuf(), -1);

    p = ringPair(8, 16);
    p.driver.addOne(7, BUF_BASE, 512, true);
    p.mem.write32(usedElem(0), 3);
    p.mem.write16(RING_BASE + l.usedOffset + 2, 1);
    assert.equal(faultOf(() => p.driver.getBuf()), 'head-not-in-use: id 3 is not a head!');

    p = ringPair(8, 16);
    p.driver.addOne(7, BUF_BASE, 512, true);
    p.mem.write32(usedElem(0), 0);
    p.mem.write32(usedElem(0) + 4, 513);
    p.mem.write16(RING_BASE + l.usedOffset + 2, 1);
    assert.match(faultOf(() => p.driver.getBuf()), /^used-len-past-buffer: used len 513 is past the 512 bytes of id 0/);

    p = ringPair(8, 16);
    p.mem.write16(RING_BASE + l.usedOffset + 2, 9);
    assert.match(faultOf(() => p.driver.getBuf()), /^used-index-jump/);
  });

  it('device: head out of range, chain loop, next out of range, outside memory, indirect, order, twice', () => {
    const avail = RING_BASE + l.availOffset;
    const publish = (p: ReturnType<typeof ringPair>, head: number) => {
      p.mem.write16(avail + 4, head);
      p.mem.write16(avail + 2, 1);
    };
    const desc = (p: ReturnType<typeof ringPair>, i: number, addr: number, len: number, flags: number, next: number) => {
      const at = RING_BASE + 16 * i;
      p.mem.write32(at, addr);
      p.mem.write32(at + 8, len);
      p.mem.write16(at + 12, flags);
      p.mem.write16(at + 14, next);
    };
    let p = ringPair(8, 16);
    publish(p, 8);
    assert.equal(faultOf(() => p.device.nextAvail()), 'desc-index-out-of-range: avail ring head 8 out of range');

    p = ringPair(8, 16);
    desc(p, 0, BUF_BASE, 16, VRING_DESC_F_NEXT, 1);
    desc(p, 1, BUF_BASE, 16, VRING_DESC_F_NEXT, 0);
    publish(p, 0);
    assert.equal(faultOf(() => p.device.nextAvail()), 'desc-chain-loop: descriptor chain from 0 loops');

    p = ringPair(8, 16);
    desc(p, 0, BUF_BASE, 16, VRING_DESC_F_NEXT, 42);
    publish(p, 0);
    assert.equal(faultOf(() => p.device.nextAvail()), 'desc-index-out-of-range: descriptor 0 next 42 out of range');

    p = ringPair(8, 16);
    desc(p, 0, BUF_BASE, 0x100000, 0, 0);
    publish(p, 0);
    assert.match(faultOf(() => p.device.nextAvail()), /^desc-outside-memory: descriptor 0 buffer 0x10100000\+1048576/);

    p = ringPair(8, 16);
    desc(p, 0, BUF_BASE, 16, 4, 0);
    publish(p, 0);
    assert.match(faultOf(() => p.device.nextAvail()), /^desc-indirect/);

    p = ringPair(8, 16);
    desc(p, 0, BUF_BASE, 16, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
    desc(p, 1, BUF_BASE, 16, 0, 0);
    publish(p, 0);
    assert.match(faultOf(() => p.device.nextAvail()), /^desc-order/);

    p = ringPair(8, 16);
    desc(p, 0, BUF_BASE, 16, 0, 0);
    p.mem.write16(avail + 4, 0);
    p.mem.write16(avail + 6, 0);
    p.mem.write16(avail + 2, 2);
    assert.equal(p.device.nextAvail(), 0);
    assert.equal(faultOf(() => p.device.nextAvail()), 'head-in-use: head 0 made available twice');
    assert.match(faultOf(() => p.device.addUsed(5, 0)), /^head-not-in-use/);
  });

  it('never follows garbage: any bytes in the ring give chains or VirtqueueError, and always stop', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: l.size, maxLength: l.size }), (garbage) => {
        const p = ringPair(8, 16);
        p.mem.bytes.set(garbage, 0);
        for (let i = 0; i < 20; i++) {
          try {
            if (p.device.nextAvail() < 0) break;
            assert.ok(p.device.segCount >= 1 && p.device.segCount <= 8);
          } catch (e) {
            assert.ok(e instanceof VirtqueueError, String(e));
            break;
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('notification suppression: flags and event index', () => {
    const p = ringPair(8, 16);
    p.driver.addOne(1, BUF_BASE, 16, false);
    assert.equal(p.driver.kick(), true);
    p.device.setNotify(false);
    p.driver.addOne(2, BUF_BASE, 16, false);
    assert.equal(p.driver.kick(), false);
    const e = ringPair(8, 16, true);
    e.driver.addOne(1, BUF_BASE, 16, false);
    assert.equal(e.driver.kick(), true); // avail_event 0 passed by idx 0 -> 1
    e.driver.addOne(2, BUF_BASE, 16, false);
    assert.equal(e.driver.kick(), false); // device has not taken anything: avail_event still 0
    e.device.nextAvail();
    e.device.nextAvail();
    e.driver.addOne(3, BUF_BASE, 16, false);
    assert.equal(e.driver.kick(), true);
    e.driver.disableCb();
    e.device.addUsed(0, 0);
    assert.equal(e.device.needsInterrupt(), true); // used_event still 0
    e.driver.getBuf();
    e.device.addUsed(1, 0);
    assert.equal(e.device.needsInterrupt(), false); // callbacks off: used_event not moved
  });
});

describe('vring view', () => {
  it('reads back what both sides wrote, field by field', () => {
    const p = ringPair(4, 16);
    p.driver.add(9, [BUF_BASE, BUF_BASE + 0x200], [16, 64], 1, 1);
    p.driver.addOne(10, BUF_BASE + 0x400, 512, true);
    const head = p.device.nextAvail();
    p.device.addUsed(head, 40);
    const v = readVring(p.mem, RING_BASE, 4, 16);
    assert.deepEqual(v.desc.slice(0, 3), [
      { addr: BUF_BASE, len: 16, flags: 1, next: 1 },
      { addr: BUF_BASE + 0x200, len: 64, flags: 2, next: 2 },
      { addr: BUF_BASE + 0x400, len: 512, flags: 2, next: 3 },
    ]);
    assert.deepEqual([v.avail.idx, v.avail.ring.slice(0, 2)], [2, [0, 2]]);
    assert.deepEqual([v.used.idx, v.used.ring[0]], [1, { id: 0, len: 40 }]);
  });
});
