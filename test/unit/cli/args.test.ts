import assert from 'assert';
import { UsageError, describeFlags, parseArgs } from '../../../src/cli/args';

const specs = {
  board: { value: true, meta: 'B', help: 'the board' },
  format: { value: true, choices: ['text', 'json'], help: 'output' },
  quiet: { help: 'say less' },
  command: { value: true, short: 'c', meta: 'CMD', help: 'run CMD' },
} as const;

describe('cli: argument parser', () => {
  it('takes values after the flag or after =, switches, and positionals in any order', () => {
    const a = parseArgs(['x.elf', '--board', 'stm32mp157', '--format=json', '--quiet', 'y.elf'], specs);
    assert.deepStrictEqual([...a.flags], [['board', 'stm32mp157'], ['format', 'json'], ['quiet', true]]);
    assert.deepStrictEqual(a.positional, ['x.elf', 'y.elf']);
    assert.strictEqual(a.help, false);
  });

  it('keeps every value of a repeat flag in order, the last in flags; other flags keep no list', () => {
    const a = parseArgs(['--firmware', 'm4=a.elf', '--board', 'x', '--firmware=m4b=b.elf', '--board', 'y'], { ...specs, firmware: { value: true, repeat: true, help: 'an image' } });
    assert.deepStrictEqual(a.lists.get('firmware'), ['m4=a.elf', 'm4b=b.elf']);
    assert.strictEqual(a.flags.get('firmware'), 'm4b=b.elf');
    assert.strictEqual(a.lists.has('board'), false);
  });

  it('treats everything after -- as files, even names that look like flags', () => {
    const a = parseArgs(['--', '--board', '-h'], specs);
    assert.deepStrictEqual(a.positional, ['--board', '-h']);
    assert.strictEqual(a.help, false);
  });

  it('recognises -h and --help anywhere', () => {
    assert.strictEqual(parseArgs(['x', '-h'], specs).help, true);
    assert.strictEqual(parseArgs(['--help'], specs).help, true);
  });

  it('rejects unknown flags, short flags, missing values, values on switches and values outside the choices', () => {
    const cases: [string[], RegExp][] = [
      [['--bored', 'x'], /unknown option '--bored'/],
      [['-b', 'x'], /unknown option '-b'/],
      [['-cx'], /unknown option '-cx'/],
      [['-c'], /'--command' needs a value/],
      [['--board'], /'--board' needs a value/],
      [['--board='], /'--board' needs a value/],
      [['--quiet=yes'], /'--quiet' takes no value/],
      [['--format', 'xml'], /'--format' must be one of text, json \(got 'xml'\)/],
      [['--constructor', 'x'], /unknown option '--constructor'/],
    ];
    for (const [args, message] of cases) assert.throws(() => parseArgs(args, specs), (e: Error) => e instanceof UsageError && message.test(e.message), args.join(' '));
  });

  it('takes one-letter aliases for the flags that declare one', () => {
    const a = parseArgs(['-c', 'echo hi; ls', 'x'], specs);
    assert.deepStrictEqual([...a.flags], [['command', 'echo hi; ls']]);
    assert.deepStrictEqual(a.positional, ['x']);
  });

  it('lets a lone - through as a file name', () => {
    assert.deepStrictEqual(parseArgs(['-'], specs).positional, ['-']);
  });

  it('describes the flags in aligned columns with their choices', () => {
    assert.strictEqual(
      describeFlags(specs),
      '  --board B          the board\n' +
        '  --format VALUE     output (text|json)\n' +
        '  --quiet            say less\n' +
        '  -c, --command CMD  run CMD\n' +
        '  -h, --help         show this help\n',
    );
  });
});
