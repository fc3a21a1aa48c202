// `ampw validate` over every fixture the team builds from C: each valid image boots on the board it
// is linked for, each broken one gives the kernel's own sentence with the kernel's severity.
import assert from 'assert';
import * as path from 'path';
import { BROKEN_FIXTURES, EXAMPLES, EXAMPLES_DIR, FIXTURE_BUILD_DIR, VALID_FIXTURES } from '../../fixtures/fixtures';
import { ampw } from './cliHarness';

const validate = (file: string, board?: string, core?: string) =>
  ampw(['validate', ...(board ? ['--board', board] : []), ...(core ? ['--core', core] : []), file], { cwd: FIXTURE_BUILD_DIR });

describe('cli: ampw validate on the fixtures', () => {
  for (const f of VALID_FIXTURES) {
    const where = f.board ? `${f.board} ${f.core}` : 'no board';
    if (f.kernelMessage) {
      it(`${f.name} (${where}): exit 1 with "${f.kernelMessage}"`, async () => {
        const r = await validate(`${f.name}.elf`, f.board, f.core);
        assert.strictEqual(r.code, 1, r.stdout);
        assert.match(r.stdout, new RegExp(`^${f.name}\\.elf:0x[0-9a-f]+: error: ${escape(f.kernelMessage!)} \\[kernel/`, 'm'));
      });
    } else {
      it(`${f.name} (${where}): exit 0, the kernel would boot it`, async () => {
        const r = await validate(`${f.name}.elf`, f.board, f.core);
        assert.strictEqual(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, new RegExp(`^${f.name}\\.elf: the kernel would boot it${f.board ? ` on ${f.board} ${f.core}` : ''} \\(0 errors`, 'm'));
      });
    }
  }

  for (const f of BROKEN_FIXTURES) {
    it(`${f.name}: ${f.severity} "${f.message}" from ${f.kernelFunction}`, async () => {
      const r = await validate(`${f.name}.elf`, f.board, f.core);
      const label = f.severity === 'error' ? 'error' : 'warning';
      assert.match(r.stdout, new RegExp(`^${f.name}\\.elf(:0x[0-9a-f]+)?: ${label}: ${escape(f.message)} \\[kernel/\\w+\\]$`, 'm'), r.stdout);
      // The exit status follows the findings: 1 exactly when some line is an error.
      assert.strictEqual(r.code, /^\S+: error: /m.test(r.stdout) ? 1 : 0);
      if (f.severity === 'error') assert.strictEqual(r.code, 1);
    });
  }

  for (const e of EXAMPLES) {
    it(`the shipped example ${e.dir ?? e.board}/${e.elf} boots on ${e.board} ${e.core}, and its table prints`, async () => {
      const file = path.join(EXAMPLES_DIR, e.dir ?? e.board, e.elf);
      const v = await ampw(['validate', '--board', e.board, '--core', e.core, file]);
      assert.strictEqual(v.code, 0, v.stdout);
      const t = await ampw(['table', file]);
      assert.strictEqual(t.code, 0, t.stderr);
      assert.match(t.stdout, /^Entry 0 is of type \w+\n/);
    });
  }
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
