// `ampw validate` without --board: each file is checked on the board and core whose memory holds
// every loadable segment, says which (or which several fit, or that none does), and --board wins.
import assert from 'assert';
import stm32 from '../../../src/core/soc/boards/stm32mp157.json';
import { readFixture } from '../../fixtures/fixtures';
import { ampw, tempDir } from './cliHarness';
import { sarifProblems } from './validate.test';

describe('cli: ampw validate without --board', function () {
  let dir: string;
  let remove: () => void;
  before(() => {
    ({ dir, remove } = tempDir({
      'm4.elf': readFixture('rproc-m4-fw'),
      'r5f0_1.elf': readFixture('am64-main-r5f0_1-fw'),
      'r5_0.elf': readFixture('rproc-r5_0-fw'),
      'a53.elf': readFixture('aarch64'),
      'v2.elf': readFixture('rsc-bad-version'),
    }));
  });
  after(() => remove());
  const run = (args: string[], cwd = dir) => ampw(args, { cwd });

  it('infers each file its own board and core, one stderr line per file, and checks it there', async () => {
    const r = await run(['validate', 'm4.elf', 'r5f0_1.elf', 'r5_0.elf']);
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    assert.strictEqual(
      r.stderr,
      'ampw validate: m4.elf: no --board: inferred stm32mp157 m4, the only core whose memory holds every loadable segment\n' +
        'ampw validate: r5f0_1.elf: no --board: inferred am64x r5f0_1, the only core whose memory holds every loadable segment\n' +
        'ampw validate: r5_0.elf: no --board: inferred zynqmp r5_0, the only core whose memory holds every loadable segment\n',
    );
    assert.match(r.stdout, /^m4\.elf: the kernel would boot it on stm32mp157 m4 \(/m);
    assert.match(r.stdout, /^r5f0_1\.elf: the kernel would boot it on am64x r5f0_1 \(/m);
    assert.match(r.stdout, /^r5_0\.elf: the kernel would boot it on zynqmp r5_0 \(/m);
  });

  it("judges with the inferred core's driver, exactly as --board would: stm32_rproc boots a refused table", async () => {
    const inferred = await run(['validate', 'v2.elf']);
    const named = await run(['validate', '--board', 'stm32mp157', 'v2.elf']);
    assert.strictEqual(inferred.stdout, named.stdout);
    assert.strictEqual(inferred.code, 0, 'a warning on stm32, where the generic core would make it an error');
    assert.strictEqual(named.stderr, '', '--board wins: nothing is inferred');
    assert.strictEqual((await run(['validate', '--fail-on', 'warning', 'v2.elf'])).code, 1);
  });

  it('keeps the generic checks when no core holds the image, and says so', async () => {
    const r = await run(['validate', 'a53.elf']);
    assert.strictEqual(r.code, 0, r.stdout);
    assert.strictEqual(r.stderr, "ampw validate: a53.elf: no --board: no known board's core holds every loadable segment: generic remoteproc checks only\n");
    assert.match(r.stdout, /^a53\.elf: the kernel would boot it \(0 errors/m);
  });

  it('names every core that fits when several do, and uses the first (builtin boards before the workspace)', async () => {
    const lab = { ...JSON.parse(JSON.stringify(stm32)), id: 'lab-mp157' };
    const { dir: d, remove: rm } = tempDir({ 'm4.elf': readFixture('rproc-m4-fw'), '.amp/boards/lab.json': JSON.stringify(lab), '.amp/boards/bad.json': '{ "id": 1 }' });
    try {
      const r = await run(['validate', 'm4.elf'], d);
      assert.strictEqual(r.code, 0, r.stdout + r.stderr);
      const lines = r.stderr.trimEnd().split('\n');
      assert.strictEqual(lines[0], 'ampw validate: bad board file, left out of the inference:');
      assert.match(lines[1], /bad\.json: /);
      assert.strictEqual(lines[lines.length - 1], 'ampw validate: m4.elf: no --board: 2 cores hold every loadable segment (stm32mp157 m4, lab-mp157 m4): using the first, stm32mp157 m4; --board chooses another');
      assert.match(r.stdout, /^m4\.elf: the kernel would boot it on stm32mp157 m4 \(/m);
      const json = JSON.parse((await run(['validate', '--format', 'json', 'm4.elf'], d)).stdout);
      assert.deepStrictEqual(json.files[0].inferred.fits, [
        { board: 'stm32mp157', core: 'm4' },
        { board: 'lab-mp157', core: 'm4' },
      ]);
    } finally {
      rm();
    }
  });

  it('carries the inference in JSON (per file, stdout only) and SARIF (artifact and result properties)', async () => {
    const j = await run(['validate', '--format', 'json', 'r5f0_1.elf', 'a53.elf']);
    assert.strictEqual(j.stderr, '', 'machine formats keep stderr for failures');
    const doc = JSON.parse(j.stdout);
    assert.deepStrictEqual([doc.board, doc.core], [null, null], 'no --board given');
    const [r5, a53] = doc.files;
    assert.deepStrictEqual(Object.keys(r5).slice(0, 5), ['file', 'board', 'core', 'inferred', 'ok']);
    assert.deepStrictEqual([r5.board, r5.core, r5.inferred.fits], ['am64x', 'r5f0_1', [{ board: 'am64x', core: 'r5f0_1' }]]);
    assert.strictEqual(r5.inferred.message, 'inferred am64x r5f0_1, the only core whose memory holds every loadable segment');
    assert.deepStrictEqual([a53.board, a53.core, a53.inferred.fits], [null, null, []]);

    const log = JSON.parse((await run(['validate', '--format', 'sarif', 'm4.elf'])).stdout);
    assert.deepStrictEqual(sarifProblems(log), []);
    const run0 = log.runs[0];
    assert.deepStrictEqual([run0.artifacts[0].properties.board, run0.artifacts[0].properties.core], ['stm32mp157', 'm4']);
    assert.strictEqual(run0.artifacts[0].properties.inferred.message, 'inferred stm32mp157 m4, the only core whose memory holds every loadable segment');
    assert.ok(run0.results.length > 0, 'the m4 example has notes');
    for (const res of run0.results) assert.deepStrictEqual([res.properties.board, res.properties.core, res.properties.boardInferred], ['stm32mp157', 'm4', true]);
  });
});
