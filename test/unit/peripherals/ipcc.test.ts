// The IPCC at register level (RM0436 IPCC): reset values, set/clear through CxSCR from both sides,
// the M4's RX-occupied and TX-free lines per CR and MR, and the host-side API.
import assert from 'assert';
import { C2_BANK, Ipcc, IPCC_MR_RESET, IpccCr, IpccReg } from '../../../src/core/soc/peripherals/ipcc';
import { unservedLog } from './unservedLog';

function ipcc() {
  const lines = { rx: false, tx: false };
  const set: number[] = [];
  const cleared: number[] = [];
  const i = new Ipcc(unservedLog('IPCC', 0x4c001000).unserved);
  i.connect(2, { rx: (h) => (lines.rx = h), tx: (h) => (lines.tx = h) });
  i.onRemoteSet = (ch) => set.push(ch);
  i.onRemoteClear = (ch) => cleared.push(ch);
  return { i, lines, set, cleared };
}

describe('peripherals: IPCC', () => {
  it('resets with CR 0, MR all masked, no flags, and its identification registers', () => {
    const { i, lines } = ipcc();
    for (const bank of [0, C2_BANK]) {
      assert.strictEqual(i.read(bank + IpccReg.CR, 4), 0);
      assert.strictEqual(i.read(bank + IpccReg.MR, 4), IPCC_MR_RESET);
      assert.strictEqual(i.read(bank + IpccReg.TOSR, 4), 0);
    }
    assert.strictEqual(i.read(IpccReg.HWCFGR, 4), 6);
    assert.deepStrictEqual(lines, { rx: false, tx: false });
  });

  it("the host's set raises the M4's RX line only when RXOIE is set and the channel unmasked; the M4's clear lowers it", () => {
    const { i, lines, cleared } = ipcc();
    i.hostSet(1);
    assert.strictEqual(i.read(IpccReg.TOSR, 4), 1 << 1); // C1TOC2SR
    i.write(C2_BANK + IpccReg.CR, 4, IpccCr.RXOIE);
    assert.strictEqual(lines.rx, false);
    i.write(C2_BANK + IpccReg.MR, 4, IPCC_MR_RESET & ~(1 << 1));
    assert.strictEqual(lines.rx, true);
    i.write(C2_BANK + IpccReg.SCR, 4, 1 << 1); // C2SCR.CH2C
    assert.strictEqual(lines.rx, false);
    assert.strictEqual(i.occupied(1, 1), false);
    assert.deepStrictEqual(cleared, [1]);
  });

  it("the M4's set reaches the host; TX free follows the M4's own flags and free masks", () => {
    const { i, lines, set } = ipcc();
    i.write(C2_BANK + IpccReg.CR, 4, IpccCr.TXFIE);
    assert.strictEqual(lines.tx, false); // every free interrupt masked
    i.write(C2_BANK + IpccReg.MR, 4, IPCC_MR_RESET & ~(1 << 16));
    assert.strictEqual(lines.tx, true);
    i.write(C2_BANK + IpccReg.SCR, 4, 1 << 16); // CH1S: channel 0 occupied
    assert.deepStrictEqual(set, [0]);
    assert.strictEqual(i.read(C2_BANK + IpccReg.TOSR, 4), 1); // C2TOC1SR
    assert.strictEqual(lines.tx, false);
    i.hostClear(0);
    assert.strictEqual(lines.tx, true);
    assert.strictEqual(i.occupied(2, 0), false);
  });

  it('TOCxSR is read-only, SCR reads zero, and a channel past the sixth is a RangeError', () => {
    const { i } = ipcc();
    i.write(IpccReg.TOSR, 4, 0x3f);
    i.write(IpccReg.SCR, 4, 1 << 16);
    assert.strictEqual(i.read(IpccReg.TOSR, 4), 1);
    assert.strictEqual(i.read(IpccReg.SCR, 4), 0);
    assert.throws(() => i.hostSet(6), RangeError);
  });
});
