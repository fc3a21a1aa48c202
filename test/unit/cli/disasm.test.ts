// `ampw disasm`: the listing's instruction lines are objdump -d's, labels where symbols start,
// an address range, A32 runs named, and what is not an ARM ELF.
import assert from 'assert';
import { fixture } from '../../fixtures/fixtures';
import { objdumpListing } from '../disasm/objdumpListing';
import { ampw } from './cliHarness';

/** The "addr:\tbytes\ttext" lines of a listing, by address, bytes unpadded. */
function lines(out: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const l of out.split('\n')) {
    const x = /^ *([0-9a-f]+):\t(.*?) *\t(.*)$/.exec(l);
    if (x) m.set(parseInt(x[1], 16), `${x[2]}\t${x[3]}`);
  }
  return m;
}

describe('cli: ampw disasm', () => {
  it("lists gdb-m4's code line for line as objdump -d, with a label where each function starts", async () => {
    const r = await ampw(['disasm', fixture('gdb-m4')]);
    assert.strictEqual(r.code, 0, r.stderr);
    const ours = lines(r.stdout);
    const theirs = objdumpListing(fixture('gdb-m4'));
    assert.ok(theirs.length > 300);
    for (const t of theirs) assert.strictEqual(ours.get(t.address), `${t.bytes}\t${t.text}`, t.address.toString(16));
    // objdump folds runs of zero bytes into "..."; we list them
    assert.ok(ours.size >= theirs.length);
    assert.match(r.stdout, /^Disassembly of section \.text:$/m);
    assert.match(r.stdout, /^[0-9a-f]{8} <main>:$/m);
  });

  it('--start and --stop keep the lines in between', async () => {
    const r = await ampw(['disasm', '--start', '0x76', '--stop', '7c', fixture('gdb-m4')]);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.deepStrictEqual([...lines(r.stdout).keys()], [0x76, 0x78, 0x7a]);
    const bad = await ampw(['disasm', '--start', 'main', fixture('gdb-m4')]);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.stderr, /--start' wants a hex address/);
  });

  it("names a Cortex-R5's A32 code without disassembling it", async () => {
    const r = await ampw(['disasm', fixture('rproc-r5_0-fw')]);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /A32 code up to [0-9a-f]+: not disassembled/);
  });

  it('refuses what is not an ARM ELF (exit 1) and a file it cannot read (exit 2)', async () => {
    const arm64 = await ampw(['disasm', fixture('aarch64')]);
    assert.strictEqual(arm64.code, 1);
    assert.match(arm64.stderr, /not an ARM ELF/);
    const missing = await ampw(['disasm', fixture('no-such-image')]);
    assert.strictEqual(missing.code, 2);
  });
});
