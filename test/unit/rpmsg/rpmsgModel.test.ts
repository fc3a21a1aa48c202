// Model-based: any interleaving of sends on both sides (blocking or not, any size 0..496), doorbells
// and virtual time over small rings delivers exactly what each side accepted, once, in order.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LoopbackLink } from './loopbackLink';
import { RPMSG_ERR_NO_BUFF, RPMSG_SEND_QUEUED } from '../../../src/core/remote/remoteRpmsg';
import { RPMSG_SEND_WAITING } from '../../../src/core/rpmsg/virtioRpmsgBus';

type Op =
  | { op: 'host'; len: number; wait: boolean }
  | { op: 'remote'; len: number; wait: boolean }
  | { op: 'pump' }
  | { op: 'time'; ns: number };

// Sends outnumber doorbells so that rings fill and blocked senders pile up.
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('host' as const), len: fc.integer({ min: 0, max: 496 }), wait: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('remote' as const), len: fc.integer({ min: 0, max: 496 }), wait: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('pump' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('time' as const), ns: fc.integer({ min: 0, max: 3_000_000 }) }) },
);

/** A message whose bytes say who sent it and its number, to any length (0 carries only the length). */
function message(seq: number, len: number): Uint8Array {
  const m = new Uint8Array(len);
  for (let i = 0; i < len; i++) m[i] = (seq * 31 + i) & 0xff;
  return m;
}

describe('rpmsg both ways, model-based', () => {
  it('delivers every accepted message once, in order, with its bytes; refused ones never (flags or event index)', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2, 4, 8), fc.boolean(), fc.array(opArb, { maxLength: 150 }), (num, eventIdx, ops) => {
        // with VIRTIO_RING_F_EVENT_IDX offered, both sides suppress notifications by event index
        const dfeatures = 1 | (eventIdx ? 1 << 29 : 0);
        const l = new LoopbackLink({ num, align: 16, services: [], dfeatures }).start();
        assert.equal(l.mem.read32(0x10000000 + 24 + 16), dfeatures);
        const remote = l.program.rpmsg!;
        const atRemote: Uint8Array[] = [];
        const rept = remote.createEndpoint('sink', (d, len) => atRemote.push(d.slice(0, len)))!;
        l.pump();
        const bus = l.bus!;
        const rpdev = bus.devices.find((d) => d.name === 'sink')!;
        const atHost: Uint8Array[] = [];
        const hept = bus.createEndpoint(rpdev, (d, len) => atHost.push(d.slice(0, len)), 0xffffffff)!;
        rept.dest = hept.addr;
        const hostAccepted: Uint8Array[] = [];
        const remoteAccepted: Uint8Array[] = [];
        let seq = 0;
        for (const o of ops) {
          if (o.op === 'host') {
            const m = message(seq++, o.len);
            const rc = bus.send(rpdev, hept.addr, rpdev.dst, m, 0, o.len, o.wait, (r) => assert.equal(r, 0));
            if (rc === 0 || rc === RPMSG_SEND_WAITING) hostAccepted.push(m);
            else assert.equal(rc, -12);
          } else if (o.op === 'remote') {
            const m = message(seq++, o.len);
            const rc = remote.send(rept, m, 0, o.len, o.wait, (r) => assert.equal(r, 0));
            if (rc === 0 || rc === RPMSG_SEND_QUEUED) remoteAccepted.push(m);
            else assert.equal(rc, RPMSG_ERR_NO_BUFF);
          } else if (o.op === 'pump') {
            l.pump();
          } else {
            l.advance(o.ns);
          }
        }
        l.advance(100_000_000);
        assert.deepEqual(atRemote, hostAccepted);
        assert.deepEqual(atHost, remoteAccepted);
      }),
      { numRuns: 200 },
    );
  });
});
