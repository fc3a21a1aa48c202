import assert from 'assert';
import { makeM4 } from './m4Harness';

const BLOCK = 0x3000;
const DATA = 0x3100;

function call(bench: ReturnType<typeof makeM4>, op: number, r1: number): number {
  const s = bench.core.state;
  s.r[0] = op;
  s.r[1] = r1;
  bench.core.bkpt(0xab);
  return s.r[0] >>> 0;
}

function put(bench: ReturnType<typeof makeM4>, addr: number, text: string): void {
  bench.core.bus.space.writeBytes(addr, new TextEncoder().encode(text + '\0'));
}

function block(bench: ReturnType<typeof makeM4>, ...values: number[]): number {
  values.forEach((v, i) => bench.core.bus.space.write32(BLOCK + 4 * i, v));
  return BLOCK;
}

describe('cpu/armv7m: semihosting', () => {
  it('SYS_WRITEC, SYS_WRITE0 and SYS_WRITE to the console', () => {
    const b = makeM4();
    put(b, DATA, 'hello\nworld');
    assert.strictEqual(call(b, 0x03, DATA), 0);
    assert.strictEqual(call(b, 0x04, DATA), 0);
    assert.strictEqual(call(b, 0x05, block(b, 2, DATA + 6, 5)), 0, 'all bytes written');
    assert.deepStrictEqual(b.console.join(''), 'hhello\nworldworld');
    assert.strictEqual(call(b, 0x05, block(b, 7, DATA, 5)), 5, 'not a console handle: nothing written');
  });

  it('SYS_OPEN of ":tt" gives the console by mode; any other name fails with ENOENT (SYS_ERRNO)', () => {
    const b = makeM4();
    put(b, DATA, ':tt');
    assert.strictEqual(call(b, 0x01, block(b, DATA, 0, 3)), 1);
    assert.strictEqual(call(b, 0x01, block(b, DATA, 4, 3)), 2);
    assert.strictEqual(call(b, 0x01, block(b, DATA, 8, 3)), 3);
    put(b, DATA, 'a.txt');
    assert.strictEqual(call(b, 0x01, block(b, DATA, 0, 5)), 0xffffffff);
    assert.strictEqual(call(b, 0x13, 0), 2);
    assert.strictEqual(call(b, 0x09, block(b, 2)), 1, 'SYS_ISTTY');
  });

  it('SYS_READC and SYS_READ: the console has nothing to read', () => {
    const b = makeM4();
    assert.strictEqual(call(b, 0x07, 0), 0xffffffff);
    assert.strictEqual(call(b, 0x06, block(b, 1, DATA, 10)), 10, '10 bytes not read: end of file');
  });

  it('SYS_CLOCK, SYS_TIME, SYS_ELAPSED and SYS_TICKFREQ come from virtual time at 209 MHz', () => {
    const b = makeM4();
    b.core.state.cycles = 209_000_000 * 3 + 2_090_000 * 5;
    assert.strictEqual(call(b, 0x10, 0), 305);
    assert.strictEqual(call(b, 0x11, 0), 3);
    assert.strictEqual(call(b, 0x30, DATA), 0);
    assert.deepStrictEqual([b.core.bus.space.read32(DATA), b.core.bus.space.read32(DATA + 4)], [637_450_000, 0]);
    assert.strictEqual(call(b, 0x31, 0), 209_000_000);
    assert.strictEqual(b.core.nanoseconds, 3_050_000_000);
  });

  it('SYS_HEAPINFO fills the four words with zeros (unknown)', () => {
    const b = makeM4();
    b.core.bus.space.fill(DATA, 16, 0xaa);
    block(b, DATA);
    assert.strictEqual(call(b, 0x16, BLOCK), 0);
    assert.deepStrictEqual([0, 1, 2, 3].map((i) => b.core.bus.space.read32(DATA + 4 * i)), [0, 0, 0, 0]);
  });

  it('SYS_EXIT: ApplicationExit is status 0, another reason 1; SYS_EXIT_EXTENDED gives its code', () => {
    const cases: [number, () => number, number][] = [
      [0x18, () => 0x20026, 0],
      [0x18, () => 0x20023, 1],
    ];
    for (const [op, r1, status] of cases) {
      const b = makeM4();
      b.core.state.pc = 0x812;
      call(b, op, r1());
      const stop = b.core.run(100);
      assert.deepStrictEqual([stop.kind, stop.code, stop.pc], ['exit', status, 0x812]);
    }
    const b = makeM4();
    call(b, 0x20, block(b, 0x20026, 42));
    assert.strictEqual(b.core.run(100).code, 42);
    const c = makeM4();
    call(c, 0x20, block(c, 0x20024, 42));
    assert.strictEqual(c.core.run(100).code, 1);
  });

  it('a parameter block in unmapped memory gives -1 and EFAULT, not a fault; an unknown operation ENOSYS', () => {
    const b = makeM4();
    assert.strictEqual(call(b, 0x05, 0x20000000), 0xffffffff);
    assert.strictEqual(call(b, 0x13, 0), 14);
    assert.strictEqual(b.core.scb.cfsr, 0);
    assert.strictEqual(call(b, 0x99, 0), 0xffffffff);
    assert.strictEqual(call(b, 0x13, 0), 88);
  });
});

describe('cpu/armv7m: semihosting on wild parameters', () => {
  it('a SYS_WRITE of 0xFFFFFFFF bytes is refused with EFAULT, without allocating it', () => {
    const b = makeM4();
    assert.strictEqual(call(b, 0x05, block(b, 2, 0x100, 0xffffffff)), 0xffffffff);
    assert.strictEqual(call(b, 0x13, 0), 14);
    assert.deepStrictEqual(b.console, []);
  });
});
