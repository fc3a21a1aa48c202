// The hardware semaphores (RM0436 HSEM): two-step write lock and one-step read lock with the M4's
// COREID, unlock by the owner only, unlock status, and HSEM_CR's key-guarded clear.
import assert from 'assert';
import { Hsem, HSEM_LOCK, HsemReg, M4_CORE_ID } from '../../../src/core/soc/peripherals/hsem';
import { unservedLog } from './unservedLog';

const M4 = M4_CORE_ID << 8;
const hsem = () => new Hsem(M4_CORE_ID, unservedLog('HSEM', 0x4c000000).unserved);

describe('peripherals: HSEM', () => {
  it('resets with every semaphore free; a write lock with our COREID takes it, another COREID does not', () => {
    const h = hsem();
    assert.strictEqual(h.read(HsemReg.R + 8, 4), 0);
    h.write(HsemReg.R + 8, 4, HSEM_LOCK | (1 << 8) | 7);
    assert.strictEqual(h.read(HsemReg.R + 8, 4), 0);
    h.write(HsemReg.R + 8, 4, HSEM_LOCK | M4 | 7);
    assert.strictEqual(h.read(HsemReg.R + 8, 4), (HSEM_LOCK | M4 | 7) >>> 0);
    h.write(HsemReg.R + 8, 4, HSEM_LOCK | M4 | 9); // taken: the PROCID stays
    assert.strictEqual(h.read(HsemReg.R + 8, 4) & 0xff, 7);
  });

  it('only the owning PROCID frees it, which sets its bit in both cores’ status', () => {
    const h = hsem();
    h.write(HsemReg.R + 8, 4, HSEM_LOCK | M4 | 7);
    h.write(HsemReg.R + 8, 4, M4 | 6);
    assert.ok(h.read(HsemReg.R + 8, 4) & HSEM_LOCK);
    h.write(HsemReg.R + 8, 4, M4 | 7);
    assert.strictEqual(h.read(HsemReg.R + 8, 4), 0);
    assert.strictEqual(h.read(HsemReg.C2ISR, 4), 1 << 2);
    assert.strictEqual(h.read(HsemReg.C2MISR, 4), 0);
    h.write(HsemReg.C2IER, 4, 1 << 2);
    assert.strictEqual(h.read(HsemReg.C2MISR, 4), 1 << 2);
    h.write(HsemReg.C2ICR, 4, 1 << 2);
    assert.strictEqual(h.read(HsemReg.C2ISR, 4), 0);
    assert.strictEqual(h.read(HsemReg.C1ISR, 4), 1 << 2);
  });

  it('a read of RLRx takes a free semaphore with PROCID 0 and gives the owner when taken', () => {
    const h = hsem();
    assert.strictEqual(h.read(HsemReg.RLR + 4 * 5, 4), (HSEM_LOCK | M4) >>> 0);
    assert.strictEqual(h.semaphores[5], (HSEM_LOCK | M4) >>> 0);
    assert.strictEqual(h.read(HsemReg.RLR + 4 * 5, 4), (HSEM_LOCK | M4) >>> 0);
  });

  it('HSEM_CR frees a COREID’s semaphores only with the HSEM_KEYR key', () => {
    const h = hsem();
    h.read(HsemReg.RLR, 4);
    h.read(HsemReg.RLR + 4, 4);
    h.write(HsemReg.KEYR, 4, 0x5a5a0000);
    h.write(HsemReg.CR, 4, 0x12340000 | M4);
    assert.strictEqual(h.semaphores[0], (HSEM_LOCK | M4) >>> 0);
    h.write(HsemReg.CR, 4, 0x5a5a0000 | M4);
    assert.deepStrictEqual([h.semaphores[0], h.semaphores[1]], [0, 0]);
  });
});
