// The rpmsg stack against hostile shared memory: any bytes written anywhere in the vrings, the
// buffers or the table while traffic flows give typed errors (logged by the host, traced by the
// remote) or keep working; never an exception, never a hang.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LoopbackLink } from './loopbackLink';

describe('rpmsg robustness: hostile bytes in shared memory', () => {
  it('random writes into rings, buffers and the table during echo traffic never break either side', () => {
    const region = fc.constantFrom(
      { from: 0x10000000, len: 0x100 }, // the table (status, features, vring addresses)
      { from: 0x10010000, len: 0x1000 }, // vring0
      { from: 0x10018000, len: 0x1000 }, // vring1
      { from: 0x10040000, len: 16 * 512 }, // buffers
    );
    fc.assert(
      fc.property(
        fc.constantFrom(4, 8, 16),
        fc.array(fc.tuple(region, fc.nat(), fc.nat(255), fc.nat(3)), { minLength: 1, maxLength: 12 }),
        (num, writes) => {
          const l = new LoopbackLink({ num, align: 16, services: ['rpmsg-openamp-demo-channel', 'rpmsg-tty'] }).start();
          for (const [r, at, v, burst] of writes) {
            l.mem.write8(r.from + (at % r.len), v);
            for (let i = 0; i <= burst; i++) if (l.files.exists('/dev/ttyRPMSG0')) {
              try {
                l.files.write('/dev/ttyRPMSG0', 'x'.repeat(1 + ((at + i) % 600)));
              } catch (e) {
                assert.equal((e as Error).name, 'KernelError');
              }
            }
            l.advance(2_000_000);
          }
          if (l.files.exists('/dev/ttyRPMSG0')) l.files.read('/dev/ttyRPMSG0');
          l.removeHost();
          l.advance(20_000_000_000);
        },
      ),
      { numRuns: 150 },
    );
  });
});
