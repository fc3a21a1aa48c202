import assert from 'node:assert/strict';
import { pageAlign, vringSize } from '../../../src/core/rsc/vringSize';

describe('rsc vring_size', () => {
  it('matches the uapi formula for the sizes firmware uses', () => {
    assert.equal(vringSize(16, 16, 32), 438); // ST's OpenAMP: 16 buffers, align 16
    assert.equal(vringSize(256, 4096, 64), 10246); // OpenAMP default
    assert.equal(pageAlign(vringSize(256, 4096, 64)), 0x3000);
    assert.equal(pageAlign(438), 0x1000);
  });
  it('rounds with `& ~(align - 1)` even for an alignment that is not a power of two', () => {
    assert.equal(vringSize(16, 24, 64), 430);
  });
  it('wraps to 32 bits like the unsigned the kernel returns', () => {
    assert.equal(vringSize(0xffffffff, 4096, 64), Number((((16n * 0xffffffffn + 2n * (3n + 0xffffffffn) + 4095n) & ~4095n) + 6n + 8n * 0xffffffffn) & 0xffffffffn));
  });
});
