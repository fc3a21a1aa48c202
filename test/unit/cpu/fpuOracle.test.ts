// fpMath against QEMU, bit for bit: results and cumulative FPSCR flags of every FPv4-SP operation
// in every FPSCR mode, over the operands test/fixtures/fpu/fpu_oracle.c draws. The committed
// qemu-expected.txt (scripts/fpu-oracle.sh) holds QEMU's per-block hashes of the full run; a fresh
// QEMU run of the short program checks that QEMU still agrees and shows differing cases one by one.
import assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURE_BUILD_DIR, REPO_ROOT } from '../../fixtures/fixtures';
import { BLOCK, CASES, OPS, modeName, runMode } from './fpuCases';

const EXPECTED = path.join(REPO_ROOT, 'test/fixtures/fpu/qemu-expected.txt');

/** "op mode" -> the line's data (hashes, or per-case results and flags). */
function parseOutput(text: string): Map<string, string> {
  const lines = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^(\d+) (\d+) ([0-9a-f]*)$/.exec(line);
    if (m) lines.set(`${m[1]} ${m[2]}`, m[3]);
  }
  return lines;
}

function hex(v: number, digits = 8): string {
  return v.toString(16).padStart(digits, '0');
}

function hasQemu(): boolean {
  try {
    execFileSync('qemu-system-arm', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('cpu/fpu: bit-exact with QEMU', () => {
  const expected = parseOutput(fs.readFileSync(EXPECTED, 'utf8'));

  OPS.forEach((op, n) => {
    it(`${op.name}: ${(CASES * op.modes).toLocaleString('en')} cases in ${op.modes} FPSCR modes give QEMU's results and flags`, () => {
      const differing: string[] = [];
      for (let mode = 0; mode < op.modes; mode++) {
        const want = expected.get(`${n} ${mode}`);
        assert.ok(want, `qemu-expected.txt has no line for op ${n} mode ${mode}: run scripts/fpu-oracle.sh`);
        runMode(n, mode, CASES).forEach((h, block) => {
          if (want.substring(block * 8, block * 8 + 8) !== hex(h)) differing.push(`${modeName(mode)}: cases ${block * BLOCK}-${block * BLOCK + BLOCK - 1}`);
        });
      }
      assert.deepStrictEqual(differing, [], 'blocks that differ from QEMU (the first 1024 cases of each mode show case by case in the QEMU test)');
    });
  });

  it('a fresh QEMU run agrees with the committed results, and fpMath with it case by case', function () {
    if (!hasQemu()) this.skip(); // setup.sh installs qemu-system-arm
    this.timeout(300000);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ampw-fpu-')), 'cases.txt');
    execFileSync('bash', [path.join(REPO_ROOT, 'scripts/fpu-oracle.sh'), path.join(FIXTURE_BUILD_DIR, 'fpu-oracle-cases.elf'), out]);
    const fresh = parseOutput(fs.readFileSync(out, 'utf8'));
    fs.rmSync(path.dirname(out), { recursive: true });
    const differing: string[] = [];
    let cases = 0;
    OPS.forEach((op, n) => {
      for (let mode = 0; mode < op.modes; mode++) {
        const data = fresh.get(`${n} ${mode}`) ?? '';
        assert.strictEqual(data.length, BLOCK * 10, `QEMU printed ${data.length / 10} cases for ${op.name} ${modeName(mode)}`);
        let h = 0x811c9dc5;
        runMode(n, mode, BLOCK, (i, a, b, c, r, flags) => {
          const qr = parseInt(data.substring(i * 10, i * 10 + 8), 16);
          const qf = parseInt(data.substring(i * 10 + 8, i * 10 + 10), 16);
          h = Math.imul(Math.imul(h ^ qr, 0x01000193) ^ qf, 0x01000193);
          cases++;
          if ((qr !== r || qf !== flags) && differing.length < 20) {
            differing.push(`${op.name} ${modeName(mode)} (${hex(a)}, ${hex(b)}, ${hex(c)}): QEMU ${hex(qr)} flags ${hex(qf, 2)}, fpMath ${hex(r)} flags ${hex(flags, 2)}`);
          }
        });
        assert.strictEqual(hex(h >>> 0), expected.get(`${n} ${mode}`)?.substring(0, 8), `QEMU's ${op.name} ${modeName(mode)} changed since qemu-expected.txt was made`);
      }
    });
    assert.deepStrictEqual(differing, []);
    assert.strictEqual(cases, OPS.reduce((s, o) => s + o.modes, 0) * BLOCK);
  });
});
