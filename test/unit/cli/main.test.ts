import assert from 'assert';
import { COMMANDS } from '../../../src/cli/main';
import manifest from '../../../package.json';
import { ampw } from './cliHarness';

describe('cli: ampw', () => {
  it('--help lists every command with its summary (exit 0, stdout)', async () => {
    const r = await ampw(['--help']);
    assert.strictEqual(r.code, 0);
    assert.match(r.stdout, /^Usage: ampw <command> \[options\]/);
    for (const c of COMMANDS) assert.ok(r.stdout.includes(`  ${c.name}`) && r.stdout.includes(c.summary), c.name);
    assert.strictEqual(r.stderr, '');
  });

  it('every command answers --help and -h with its usage, options and exit 0', async () => {
    for (const c of COMMANDS) {
      for (const flag of ['--help', '-h']) {
        const r = await ampw([c.name, flag]);
        assert.strictEqual(r.code, 0, `${c.name} ${flag}`);
        assert.strictEqual(r.stdout, c.usage);
        assert.match(r.stdout, new RegExp(`^Usage: ampw ${c.name} `));
        assert.match(r.stdout, /-h, --help/);
      }
    }
  });

  it('help COMMAND is COMMAND --help', async () => {
    const r = await ampw(['help', 'validate']);
    assert.strictEqual(r.code, 0);
    assert.match(r.stdout, /^Usage: ampw validate \[--board B\] \[--core C\] \[--format text\|json\|sarif\] \[--fail-on error\|warning\|note\] FILE\.\.\./);
    assert.match(r.stdout, /Exit status:\n {2}0 /);
  });

  it('no command is a usage error: usage on stderr, exit 2', async () => {
    const r = await ampw([]);
    assert.strictEqual(r.code, 2);
    assert.strictEqual(r.stdout, '');
    assert.match(r.stderr, /^Usage: ampw/);
  });

  it('an unknown command or top-level flag is a usage error, exit 2', async () => {
    for (const args of [['frobnicate'], ['--verbose'], ['help', 'frobnicate']]) {
      const r = await ampw(args);
      assert.strictEqual(r.code, 2, args.join(' '));
      assert.match(r.stderr, new RegExp(`^ampw: unknown command '${args[args.length - 1]}'`));
    }
  });

  it('--version prints the manifest version', async () => {
    assert.strictEqual((await ampw(['--version'])).stdout, `ampw ${manifest.version}\n`);
  });
});
