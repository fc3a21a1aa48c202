import assert from 'assert';
import * as path from 'path';
import { findBoard } from '../../../src/core/soc/boardLoader';
import stm32 from '../../../src/core/soc/boards/stm32mp157.json';
import { readFixture } from '../../fixtures/fixtures';
import { ampw, tempDir } from './cliHarness';

// The team's gcc-built fixtures: the stm32mp157 M4 example image, and a variant whose vdev has
// non-zero reserved bytes (rproc_handle_vdev refuses it: fatal on every driver).
const goodFirmware = () => readFixture('rproc-m4-fw');
const brokenFirmware = () => readFixture('rsc-vdev-reserved');

describe('cli: ampw validate', function () {
  let dir: string;
  let remove: () => void;
  before(() => {
    ({ dir, remove } = tempDir({ 'good.elf': goodFirmware(), 'broken.elf': brokenFirmware(), 'sub dir/good copy.elf': goodFirmware() }));
  });
  after(() => remove());
  const run = (args: string[], env: Record<string, string> = {}, isTTY = false) => ampw(args, { cwd: dir, env, isTTY });

  describe('exit status', () => {
    it('0 for firmware the kernel would boot, with a verdict naming board and core', async () => {
      const r = await run(['validate', '--board', 'stm32mp157', 'good.elf']);
      assert.strictEqual(r.code, 0, r.stderr);
      assert.match(r.stdout, /^good\.elf: the kernel would boot it on stm32mp157 m4 \(0 errors, 0 warnings, \d+ notes?\)$/m);
      assert.strictEqual(r.stderr, '');
    });

    it("1 when a finding is an error, with the kernel's message at the file offset and the fix", async () => {
      const r = await run(['validate', '--board', 'stm32mp157', 'broken.elf']);
      assert.strictEqual(r.code, 1);
      assert.match(r.stdout, /^broken\.elf:0x[0-9a-f]+: error: vdev rsc has non zero reserved bytes \[kernel\/vdev_rsc_reserved\]$/m);
      assert.match(r.stdout, /^ {4}entry 2, rproc_handle_vdev, -EINVAL$/m);
      assert.match(r.stdout, /^ {4}fix: \S/m);
      assert.match(r.stdout, /^broken\.elf: the kernel would not boot it on stm32mp157 m4 \(1 error,/m);
    });

    it('1 when any of several files fails, and every file gets its verdict', async () => {
      const r = await run(['validate', '--board', 'stm32mp157', 'good.elf', 'broken.elf']);
      assert.strictEqual(r.code, 1);
      assert.match(r.stdout, /^good\.elf: the kernel would boot it/m);
      assert.match(r.stdout, /^broken\.elf: the kernel would not boot it/m);
    });

    it('2 for a missing file, saying which and why, while still checking the others', async () => {
      const r = await run(['validate', '--board', 'stm32mp157', 'good.elf', 'missing.elf']);
      assert.strictEqual(r.code, 2);
      assert.strictEqual(r.stderr, "ampw validate: cannot read 'missing.elf': No such file or directory\n");
      assert.match(r.stdout, /^good\.elf: the kernel would boot it/m);
    });

    it('2 for a directory given as FILE', async () => {
      const r = await run(['validate', 'sub dir']);
      assert.strictEqual(r.code, 2);
      assert.match(r.stderr, /cannot read 'sub dir': Is a directory/);
    });

    it('2 for an unknown flag, with the usage line', async () => {
      const r = await run(['validate', '--strict', 'good.elf']);
      assert.strictEqual(r.code, 2);
      assert.strictEqual(r.stdout, '');
      assert.match(r.stderr, /^ampw validate: unknown option '--strict'\nUsage: ampw validate \[--board B\]/);
    });

    // rsc-bad-version: find_table() refuses the table, stm32_rproc warns and boots without one.
    it('--fail-on warning fails a table the kernel refuses while the stm32 driver boots anyway; the default does not', async () => {
      const { dir: d, remove: rm } = tempDir({ 'v2.elf': readFixture('rsc-bad-version') });
      try {
        const lenient = await ampw(['validate', '--board', 'stm32mp157', 'v2.elf'], { cwd: d });
        assert.strictEqual(lenient.code, 0, 'the kernel boots it: right by default');
        assert.match(lenient.stdout, /^v2\.elf: the kernel would boot it on stm32mp157 m4 \(0 errors, 2 warnings, 2 notes\)$/m);
        const strict = await ampw(['validate', '--board', 'stm32mp157', '--fail-on', 'warning', 'v2.elf'], { cwd: d });
        assert.strictEqual(strict.code, 1);
        assert.match(strict.stdout, /^v2\.elf: the kernel would boot it on stm32mp157 m4 \(0 errors, 2 warnings, 2 notes\); fails --fail-on warning$/m);
        const doc = JSON.parse((await ampw(['validate', '--board', 'stm32mp157', '--fail-on', 'warning', '--format', 'json', 'v2.elf'], { cwd: d })).stdout);
        assert.deepStrictEqual([doc.failOn, doc.ok, doc.files[0].ok, doc.files[0].failed], ['warning', true, true, true]);
      } finally {
        rm();
      }
    });

    it('--fail-on note fails on a note; --fail-on warning lets notes pass; an error fails at every level', async () => {
      const codes: number[] = [];
      for (const [level, file] of [['note', 'good.elf'], ['warning', 'good.elf'], ['error', 'good.elf'], ['note', 'broken.elf'], ['warning', 'broken.elf'], ['error', 'broken.elf']]) {
        codes.push((await run(['validate', '--board', 'stm32mp157', '--fail-on', level, file])).code);
      }
      assert.deepStrictEqual(codes, [1, 0, 0, 1, 1, 1]);
    });

    it('2 without FILE, for an unknown format, board or core, and for --core without --board', async () => {
      const cases: [string[], RegExp][] = [
        [['validate'], /no FILE given/],
        [['validate', '--format', 'xml', 'good.elf'], /'--format' must be one of text, json, sarif/],
        [['validate', '--fail-on', 'fatal', 'good.elf'], /'--fail-on' must be one of error, warning, note \(got 'fatal'\)/],
        [['validate', '--board', 'rpi4', 'good.elf'], /unknown board 'rpi4' \(known: stm32mp157, am64x, zynqmp;/],
        [['validate', '--board', 'am64x', '--core', 'm4', 'good.elf'], /board 'am64x' has no core 'm4' \(cores: r5f0_0, r5f0_1, r5f1_0, r5f1_1\)/],
        [['validate', '--core', 'm4', 'good.elf'], /'--core' needs '--board'/],
        [['validate', '--board', 'boards/none.json', 'good.elf'], /cannot read board file 'boards\/none\.json': No such file/],
      ];
      for (const [args, message] of cases) {
        const r = await run(args);
        assert.strictEqual(r.code, 2, args.join(' '));
        assert.match(r.stderr, message, args.join(' '));
      }
    });
  });

  describe('board and core', () => {
    it("follows the board's driver: a bad table version is fatal on TI K3 R5F, tolerated on stm32", async () => {
      const { dir: d, remove: rm } = tempDir({ 'v2.elf': readFixture('rsc-bad-version') });
      try {
        const onStm32 = await ampw(['validate', '--board', 'stm32mp157', '--format', 'json', 'v2.elf'], { cwd: d });
        const onK3 = await ampw(['validate', '--board', 'am64x', '--core', 'r5f1_0', '--format', 'json', 'v2.elf'], { cwd: d });
        const sev = (out: string) => JSON.parse(out).files[0].findings.find((f: { message: string }) => f.message === 'unsupported fw ver: 2')?.severity;
        assert.strictEqual(sev(onStm32.stdout), 'warning');
        assert.strictEqual(sev(onK3.stdout), 'error');
        assert.strictEqual(JSON.parse(onK3.stdout).core, 'r5f1_0');
        assert.deepStrictEqual([onStm32.code, onK3.code], [0, 1]);
      } finally {
        rm();
      }
    });

    it('takes a board JSON file by path and a workspace board by id', async () => {
      const mine = { ...JSON.parse(JSON.stringify(stm32)), id: 'lab-mp157' };
      const { dir: d, remove: rm } = tempDir({ 'fw.elf': goodFirmware(), 'boards/lab.json': JSON.stringify(mine), '.amp/boards/lab.json': JSON.stringify(mine) });
      try {
        const byPath = await ampw(['validate', '--board', 'boards/lab.json', 'fw.elf'], { cwd: d });
        assert.strictEqual(byPath.code, 0, byPath.stderr);
        assert.match(byPath.stdout, /would boot it on lab-mp157 m4/);
        const byId = await ampw(['validate', '--board', 'lab-mp157', 'fw.elf'], { cwd: d });
        assert.match(byId.stdout, /would boot it on lab-mp157 m4/);
      } finally {
        rm();
      }
    });

    it('2 with every schema problem of a bad board file, naming the field', async () => {
      const bad = JSON.parse(JSON.stringify(stm32));
      bad.cores[0].memories[2].size = 'big';
      const { dir: d, remove: rm } = tempDir({ 'fw.elf': goodFirmware(), 'bad.json': JSON.stringify(bad) });
      try {
        const r = await ampw(['validate', '--board', 'bad.json', 'fw.elf'], { cwd: d });
        assert.strictEqual(r.code, 2);
        assert.match(r.stderr, /^ampw validate: bad board file:\nbad\.json: cores\[0\]\.memories\[2\]\.size: expected a number/);
      } finally {
        rm();
      }
    });
  });

  describe('colour', () => {
    it('colours severities on a terminal', async () => {
      const r = await run(['validate', '--board', 'stm32mp157', 'broken.elf'], {}, true);
      assert.ok(r.stdout.includes('\x1b[1;31merror\x1b[0m'), r.stdout);
    });

    it('never colours with NO_COLOR set or in a pipe', async () => {
      for (const [env, tty] of [[{ NO_COLOR: '1' }, true], [{}, false]] as const) {
        const r = await run(['validate', '--board', 'stm32mp157', 'broken.elf'], env, tty);
        assert.ok(!r.stdout.includes('\x1b['), JSON.stringify(env));
      }
    });

    it('ignores an empty NO_COLOR, as no-color.org says', async () => {
      const r = await run(['validate', '--board', 'stm32mp157', 'broken.elf'], { NO_COLOR: '' }, true);
      assert.ok(r.stdout.includes('\x1b['));
    });
  });

  describe('--format json', () => {
    it('has the documented shape: schemaVersion, tool, board, core, ok and per-file results', async () => {
      const r = await run(['validate', '--board', 'stm32mp157', '--format', 'json', 'good.elf', 'broken.elf', 'missing.elf']);
      assert.strictEqual(r.code, 2);
      const doc = JSON.parse(r.stdout);
      assert.deepStrictEqual(Object.keys(doc), ['schemaVersion', 'tool', 'board', 'core', 'failOn', 'ok', 'files']);
      assert.strictEqual(doc.schemaVersion, 1);
      assert.deepStrictEqual([doc.tool.name, doc.board, doc.core, doc.failOn, doc.ok], ['ampw', 'stm32mp157', 'm4', 'error', false]);
      const [good, broken, missing] = doc.files;
      assert.deepStrictEqual(Object.keys(good), ['file', 'board', 'core', 'ok', 'failed', 'errors', 'warnings', 'infos', 'table', 'findings']);
      assert.deepStrictEqual([good.file, good.board, good.core, good.ok, good.failed, good.errors], ['good.elf', 'stm32mp157', 'm4', true, false, 0]);
      assert.deepStrictEqual([broken.ok, broken.failed], [false, true]);
      assert.deepStrictEqual(good.table.entries, ['vdev', 'trace']);
      assert.deepStrictEqual([good.table.ver, good.table.num], [1, 2]);
      assert.deepStrictEqual(missing, { file: 'missing.elf', readError: 'No such file or directory' });
      const f = broken.findings.find((x: { severity: string }) => x.severity === 'error');
      assert.deepStrictEqual(
        { rule: f.rule, message: f.message, entry: f.entry, kernelFunction: f.kernelFunction, errno: f.errno },
        { rule: 'kernel/vdev_rsc_reserved', message: 'vdev rsc has non zero reserved bytes', entry: 2, kernelFunction: 'rproc_handle_vdev', errno: 'EINVAL' },
      );
      assert.ok(Number.isInteger(f.offset) && Number.isInteger(f.length) && f.fix && f.explanation);
      for (const x of [...good.findings, ...broken.findings]) assert.ok(!Object.values(x).includes(null), 'optional keys are left out, not null');
    });
  });

  describe('--format sarif', () => {
    it('is a SARIF 2.1.0 log with every property the schema requires', async () => {
      const r = await run(['validate', '--board', 'stm32mp157', '--format', 'sarif', 'good.elf', 'broken.elf']);
      assert.strictEqual(r.code, 1);
      assert.deepStrictEqual(sarifProblems(JSON.parse(r.stdout)), []);
    });

    it('has rules with id, shortDescription and helpUri; results with ruleId, level, message and a byte region', async () => {
      const log = JSON.parse((await run(['validate', '--board', 'stm32mp157', '--format', 'sarif', 'broken.elf'])).stdout);
      const runObj = log.runs[0];
      const { rules } = runObj.tool.driver;
      assert.strictEqual(runObj.tool.driver.name, 'ampw');
      const res = runObj.results.find((x: { level: string }) => x.level === 'error');
      assert.strictEqual(res.ruleId, 'kernel/vdev_rsc_reserved');
      assert.strictEqual(rules[res.ruleIndex].id, res.ruleId);
      assert.ok(rules[res.ruleIndex].shortDescription.text.length > 0);
      assert.strictEqual(rules[res.ruleIndex].helpUri, 'https://elixir.bootlin.com/linux/v6.12/A/ident/rproc_handle_vdev');
      assert.strictEqual(res.message.text, 'vdev rsc has non zero reserved bytes');
      const loc = res.locations[0].physicalLocation;
      assert.deepStrictEqual(loc.artifactLocation, { uri: 'broken.elf', uriBaseId: '%SRCROOT%', index: 0 });
      assert.ok(Number.isInteger(loc.region.byteOffset) && loc.region.byteLength > 0 && loc.region.startLine === 1);
      assert.deepStrictEqual(new Set(runObj.results.map((x: { level: string }) => x.level)), new Set(['error', 'note']));
      assert.strictEqual(new Set(rules.map((x: { id: string }) => x.id)).size, rules.length, 'each rule once');
      assert.ok(runObj.results.every((x: { partialFingerprints: Record<string, string> }) => /^[0-9a-f]{32}$/.test(x.partialFingerprints['ampwFinding/v1'])));
    });

    it('gives every rule its help as text; the only links are the schema and the kernel source', async () => {
      const log = JSON.parse((await run(['validate', '--board', 'stm32mp157', '--format', 'sarif', 'broken.elf'])).stdout);
      const { driver } = log.runs[0].tool;
      assert.strictEqual(driver.informationUri, undefined, 'the project has no home page to name');
      const ampwRule = driver.rules.find((r: { id: string }) => r.id.startsWith('ampw/'));
      assert.ok(ampwRule, 'broken.elf has notes from ampw rules');
      for (const r of driver.rules) {
        assert.ok(r.fullDescription.text.length > 0, `${r.id} has a full description`);
        assert.match(r.help.text, /\n\nFix: \S/, `${r.id} says what to change`);
      }
      const links = JSON.stringify(log).match(/[a-z]+:\/\/[^"\s]+/g) ?? [];
      const foreign = links.filter((u) => !u.startsWith('https://json.schemastore.org/') && !u.startsWith('https://elixir.bootlin.com/linux/v6.12/'));
      assert.deepStrictEqual(foreign, []);
    });

    it('encodes paths as URIs and reports unreadable files as failed execution', async () => {
      const outside = path.join(path.dirname(dir), 'no-such-dir', 'x.elf');
      const log = JSON.parse((await run(['validate', '--format', 'sarif', 'sub dir/good copy.elf', outside])).stdout);
      assert.deepStrictEqual(sarifProblems(log), []);
      const runObj = log.runs[0];
      assert.strictEqual(runObj.artifacts[0].location.uri, 'sub%20dir/good%20copy.elf');
      assert.strictEqual(runObj.invocations[0].executionSuccessful, false);
      const note = runObj.invocations[0].toolExecutionNotifications[0];
      assert.strictEqual(note.level, 'error');
      assert.match(note.message.text, /cannot read .*: No such file or directory/);
      assert.match(note.locations[0].physicalLocation.artifactLocation.uri, /^file:\/\/\//);
    });
  });

  it('checks the real bundled board data: the same firmware fails where its memory is not', async () => {
    assert.ok(findBoard('zynqmp'));
    const r = await run(['validate', '--board', 'zynqmp', '--core', 'r5_1', 'good.elf']);
    assert.strictEqual(r.code, 1, 'an M4 image linked for stm32 SRAM is outside the R5 memory');
    assert.match(r.stdout, /would not boot it on zynqmp r5_1/);
  });
});

type Json = Record<string, unknown>;

/**
 * The properties SARIF 2.1.0 (sarif-schema-2.1.0.json) requires of the objects `ampw` writes, and
 * the value constraints on the ones it uses. Returns every violation as `path: problem`.
 */
export function sarifProblems(log: Json): string[] {
  const out: string[] = [];
  const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
  const need = (o: unknown, p: string, keys: string[]) => {
    if (!isObj(o)) return void out.push(`${p}: not an object`);
    for (const k of keys) if (!(k in o)) out.push(`${p}.${k}: required`);
  };
  const message = (m: unknown, p: string) => {
    need(m, p, []);
    if (isObj(m) && typeof m.text !== 'string' && typeof m.id !== 'string') out.push(`${p}: needs text or id`);
  };
  const mfString = (m: unknown, p: string) => {
    need(m, p, ['text']);
  };
  const intMin = (v: unknown, p: string, min: number) => {
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= min)) out.push(`${p}: must be an integer >= ${min}`);
  };
  const uri = (v: unknown, p: string) => {
    if (typeof v !== 'string' || /\s/.test(v)) out.push(`${p}: not a URI reference`);
  };
  const location = (l: unknown, p: string) => {
    need(l, p, []);
    const pl = isObj(l) ? l.physicalLocation : undefined;
    if (pl === undefined) return;
    need(pl, `${p}.physicalLocation`, []);
    if (!isObj(pl)) return;
    if (!isObj(pl.artifactLocation)) out.push(`${p}.physicalLocation.artifactLocation: GitHub needs it`);
    else {
      uri(pl.artifactLocation.uri, `${p}.physicalLocation.artifactLocation.uri`);
      intMin(pl.artifactLocation.index, `${p}.physicalLocation.artifactLocation.index`, -1);
    }
    if (pl.region !== undefined) {
      const r = pl.region as Json;
      intMin(r.startLine, `${p}.physicalLocation.region.startLine`, 1);
      intMin(r.byteOffset, `${p}.physicalLocation.region.byteOffset`, 0);
      intMin(r.byteLength, `${p}.physicalLocation.region.byteLength`, 0);
    }
  };

  need(log, 'log', ['version', 'runs']);
  if (log.version !== '2.1.0') out.push('log.version: must be "2.1.0"');
  if (typeof log.$schema !== 'string') out.push('log.$schema: should name the 2.1.0 schema');
  if (!Array.isArray(log.runs)) return [...out, 'log.runs: not an array'];
  log.runs.forEach((run: unknown, ri: number) => {
    const rp = `runs[${ri}]`;
    need(run, rp, ['tool']);
    if (!isObj(run)) return;
    need(run.tool, `${rp}.tool`, ['driver']);
    const driver = isObj(run.tool) ? run.tool.driver : undefined;
    need(driver, `${rp}.tool.driver`, ['name']);
    const rules = isObj(driver) && Array.isArray(driver.rules) ? (driver.rules as unknown[]) : [];
    rules.forEach((r, i) => {
      const p = `${rp}.tool.driver.rules[${i}]`;
      need(r, p, ['id']);
      if (!isObj(r)) return;
      mfString(r.shortDescription, `${p}.shortDescription`);
      if (r.fullDescription !== undefined) mfString(r.fullDescription, `${p}.fullDescription`);
      if (r.help !== undefined) mfString(r.help, `${p}.help`);
      if (r.helpUri !== undefined) uri(r.helpUri, `${p}.helpUri`);
    });
    const artifacts = Array.isArray(run.artifacts) ? (run.artifacts as unknown[]) : [];
    artifacts.forEach((a, i) => {
      need(a, `${rp}.artifacts[${i}]`, []);
      intMin(isObj(a) ? a.length : undefined, `${rp}.artifacts[${i}].length`, -1);
    });
    ((run.invocations as unknown[] | undefined) ?? []).forEach((inv, i) => {
      const p = `${rp}.invocations[${i}]`;
      need(inv, p, ['executionSuccessful']);
      if (!isObj(inv)) return;
      ((inv.toolExecutionNotifications as unknown[] | undefined) ?? []).forEach((n, j) => {
        need(n, `${p}.toolExecutionNotifications[${j}]`, ['message']);
        if (isObj(n)) {
          message(n.message, `${p}.toolExecutionNotifications[${j}].message`);
          ((n.locations as unknown[] | undefined) ?? []).forEach((l, k) => location(l, `${p}.toolExecutionNotifications[${j}].locations[${k}]`));
        }
      });
    });
    if (!Array.isArray(run.results)) return void out.push(`${rp}.results: GitHub needs an array`);
    run.results.forEach((res: unknown, i: number) => {
      const p = `${rp}.results[${i}]`;
      need(res, p, ['message']);
      if (!isObj(res)) return;
      message(res.message, `${p}.message`);
      if (!['none', 'note', 'warning', 'error'].includes(res.level as string)) out.push(`${p}.level: not a SARIF level`);
      if (typeof res.ruleId !== 'string') out.push(`${p}.ruleId: GitHub needs it`);
      if (res.ruleIndex !== undefined) {
        intMin(res.ruleIndex, `${p}.ruleIndex`, -1);
        const r = rules[res.ruleIndex as number];
        if (!isObj(r) || r.id !== res.ruleId) out.push(`${p}.ruleIndex: does not point at rule ${String(res.ruleId)}`);
      }
      const locs = Array.isArray(res.locations) ? res.locations : [];
      if (locs.length === 0) out.push(`${p}.locations: GitHub needs one`);
      locs.forEach((l: unknown, k: number) => {
        location(l, `${p}.locations[${k}]`);
        const al = ((l as Json).physicalLocation as Json | undefined)?.artifactLocation as Json | undefined;
        if (al?.index !== undefined && !artifacts[al.index as number]) out.push(`${p}.locations[${k}]: artifact index out of range`);
      });
    });
  });
  return out;
}
