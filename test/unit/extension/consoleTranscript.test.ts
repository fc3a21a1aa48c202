// A core's remote console: the firmware's bytes untouched, the simulator's notices on lines of their own.
import assert from 'assert';
import { ConsoleTranscript } from '../../../src/extension/consoleTranscript';

describe('remote console transcript', () => {
  it('keeps the firmware\'s text as it came, in pieces, and marks notices as the simulator\'s', () => {
    const t = new ConsoleTranscript();
    assert.strictEqual(t.add('notice', 'modelled remote: the firmware\'s code does not run on cortex-r5f cores yet'), '[simulator] modelled remote: the firmware\'s code does not run on cortex-r5f cores yet\n');
    assert.strictEqual(t.add('console', 'hello '), 'hello ');
    assert.strictEqual(t.add('console', 'from UART4\r\n'), 'from UART4\r\n');
    assert.strictEqual(t.written, '[simulator] modelled remote: the firmware\'s code does not run on cortex-r5f cores yet\nhello from UART4\r\n');
  });

  it('ends an unfinished firmware line before a notice, so the notice is never mistaken for firmware output', () => {
    const t = new ConsoleTranscript();
    t.add('console', 'booting...');
    assert.strictEqual(t.add('notice', 'locked up in HardFault at 0x100002a4 (CFSR 0x00008200: PRECISERR BFARVALID)'), '\n[simulator] locked up in HardFault at 0x100002a4 (CFSR 0x00008200: PRECISERR BFARVALID)\n');
    t.add('console', 'ok\n');
    assert.deepStrictEqual(t.written.split('\n'), ['booting...', '[simulator] locked up in HardFault at 0x100002a4 (CFSR 0x00008200: PRECISERR BFARVALID)', 'ok', '']);
  });

  it('keeps the last MiB for its readers, so a firmware that prints without end costs no more', () => {
    const t = new ConsoleTranscript();
    const line = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < 1100; i++) t.add('console', line);
    assert.strictEqual(t.written.length, 1 << 20);
    assert.ok(t.written.endsWith(line));
    assert.strictEqual(t.add('notice', 'still marked'), '[simulator] still marked\n', 'the line end is still known');
  });
});
