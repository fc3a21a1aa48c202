// The remote protocol's framing: checksums, packets split across reads, acknowledgements, interrupts,
// escapes of binary data, and input that is not a well-formed packet.
import assert from 'assert';
import { bytesLatin1, fromHex, latin1Bytes, parseHexNumber, textToHex, toHex } from '../../../src/core/gdb/hexText';
import { checksum, escapeBinary, framePacket, PacketReader, unescapeBinary, type Incoming } from '../../../src/core/gdb/packetFraming';

const push = (reader: PacketReader, ...chunks: string[]): Incoming[] => chunks.flatMap((c) => reader.push(latin1Bytes(c)));

describe('gdb: packet framing', () => {
  it('the checksum is the byte sum modulo 256, two lower-case hex digits on the wire', () => {
    assert.strictEqual(checksum('OK'), 0x9a);
    assert.strictEqual(bytesLatin1(framePacket('OK')), '$OK#9a');
    assert.strictEqual(bytesLatin1(framePacket('')), '$#00');
    assert.strictEqual(bytesLatin1(framePacket('g')), '$g#67');
    assert.strictEqual(checksum('\xff\xff'), 0xfe);
  });

  it('a packet split anywhere across reads comes out whole; acks, naks and Ctrl-C between packets are told apart', () => {
    const wire = '+$m1000,4#8e-\x03$qC#b4';
    for (let cut = 0; cut <= wire.length; cut++) {
      const out = push(new PacketReader(64), wire.slice(0, cut), wire.slice(cut));
      assert.deepStrictEqual(out, [{ kind: 'ack' }, { kind: 'packet', body: 'm1000,4' }, { kind: 'nak' }, { kind: 'interrupt' }, { kind: 'packet', body: 'qC' }], `cut at ${cut}`);
    }
  });

  it('a wrong checksum, a checksum that is not hex and an over-long body are bad; the reader goes on after them', () => {
    const reader = new PacketReader(8);
    const out = push(reader, '$g#68', '$g#zz', '$0123456789#', checksumText('0123456789'), '$g#67');
    assert.deepStrictEqual(out.map((m) => m.kind), ['bad', 'bad', 'bad', 'packet']);
    assert.match((out[0] as { why: string }).why, /checksum 68 where the body sums to 67/);
    assert.match((out[2] as { why: string }).why, /longer than 8 bytes/);
  });

  it('a "$" inside a packet starts a new one; bytes between packets are noise', () => {
    assert.deepStrictEqual(push(new PacketReader(64), 'junk$qCx$g#67 more'), [{ kind: 'packet', body: 'g' }]);
  });

  it('binary data: every byte survives escape and unescape; "#$}*" are escaped; a dangling escape is refused', () => {
    const all = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
    const escaped = escapeBinary(all);
    assert.strictEqual(escaped.length, 256 + 4);
    assert.ok(!/[#$*]/.test(escaped));
    assert.strictEqual(unescapeBinary(escaped), all);
    assert.strictEqual(unescapeBinary('}]'), '}');
    assert.strictEqual(unescapeBinary('ab}'), undefined);
  });

  it('hex text: bytes, numbers of at most 8 digits, UTF-8 console text; anything else refused', () => {
    assert.strictEqual(toHex(new Uint8Array([0, 0x0f, 0xab, 0xff])), '000fabff');
    assert.deepStrictEqual(fromHex('000FabfF'), new Uint8Array([0, 0x0f, 0xab, 0xff]));
    for (const bad of ['0', 'zz', '0x12', '1 2']) assert.strictEqual(fromHex(bad), undefined, bad);
    assert.strictEqual(parseHexNumber('ffffffff'), 0xffffffff);
    for (const bad of ['', '100000000', '-1', 'g']) assert.strictEqual(parseHexNumber(bad), undefined, bad);
    assert.strictEqual(textToHex('µ\n'), 'c2b50a');
  });
});

function checksumText(body: string): string {
  return checksum(body).toString(16).padStart(2, '0');
}
