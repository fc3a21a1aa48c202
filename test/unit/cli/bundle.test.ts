// The shipped artefact: dist/cli.js built by scripts/build.mjs, run as a child process like a user would.
import assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readFixture } from '../../fixtures/fixtures';
import { tempDir } from './cliHarness';

const root = path.resolve(__dirname, '../../../..');
const cli = path.join(root, 'dist', 'cli.js');

describe('cli: bundled dist/cli.js', function () {
  this.timeout(120000);
  let dir: string;
  let remove: () => void;
  before(() => {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'pipe' });
    ({ dir, remove } = tempDir({ 'good.elf': readFixture('rproc-m4-fw'), 'broken.elf': readFixture('rsc-vdev-reserved') }));
  });
  after(() => remove());

  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  it('starts with a shebang so npm can link it as `ampw`', () => {
    assert.ok(fs.readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n'));
  });

  it('--help works from the bundle (the boards JSON and the manifest are bundled in)', () => {
    const r = run('--help');
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Usage: ampw <command>/);
    assert.match(run('boards').stdout, /^stm32mp157 {2}/m);
  });

  it('validate exits 0 / 1 / 2 through a real process', () => {
    assert.strictEqual(run('validate', '--board', 'stm32mp157', 'good.elf').status, 0);
    const bad = run('validate', '--board', 'stm32mp157', 'broken.elf');
    assert.strictEqual(bad.status, 1);
    assert.match(bad.stdout, /error: vdev rsc has non zero reserved bytes/);
    const unknown = run('validate', '--bogus');
    assert.strictEqual(unknown.status, 2);
    assert.match(unknown.stderr, /unknown option '--bogus'/);
  });
});
