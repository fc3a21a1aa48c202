// A firmware image or a board file is untrusted text on the user's terminal: escape sequences in
// it must be shown, not obeyed.
import assert from 'assert';
import stm32 from '../../../src/core/soc/boards/stm32mp157.json';
import { printable } from '../../../src/cli/terminalText';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { readFixture } from '../../fixtures/fixtures';
import { ampw, tempDir } from './cliHarness';

/** Escape sequences other than the SGR colour codes `ampw` writes itself. */
const foreignEscapes = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').match(/[\x1b\x07\x9b\r]/g) ?? []; // eslint-disable-line no-control-regex

/** The hostile-names fixture with its carveout name rewritten to retitle the terminal and clear it. */
function escapingFirmware(): Uint8Array {
  const bytes = readFixture('hostile-names');
  const table = ElfFile.parse(bytes).section('.resource_table')!;
  const at = Buffer.from(bytes).indexOf('<img src=x', table.offset);
  assert.ok(at > table.offset && at < table.offset + table.size, 'the carveout name is in the table');
  const evil = Buffer.from('\x1b]0;owned\x07\x1b[2J\r\x9b31m', 'latin1');
  bytes.set(evil, at);
  return bytes;
}

describe('cli: untrusted text on a terminal', () => {
  it('printable() shows C0 and C1 controls as \\xNN and keeps tabs, newlines and text', () => {
    assert.strictEqual(printable('a\x1b[2Jb\x07\r\x9b\x7f\tc\nd é'), 'a\\x1b[2Jb\\x07\\x0d\\x9b\\x7f\tc\nd é');
  });

  it('ampw table shows an escape sequence in a resource name instead of sending it', async () => {
    const { dir, remove } = tempDir({ 'evil.elf': escapingFirmware() });
    try {
      const r = await ampw(['table', 'evil.elf'], { cwd: dir, isTTY: true });
      assert.strictEqual(r.code, 0, r.stderr);
      assert.deepStrictEqual(foreignEscapes(r.stdout), []);
      assert.match(r.stdout, /^ {2}Name \\x1b\]0;owned\\x07\\x1b\[2J\\x0d\\x9b31m/m);
    } finally {
      remove();
    }
  });

  it('ampw validate keeps its own colours but not the image\'s escapes', async () => {
    const { dir, remove } = tempDir({ 'evil.elf': escapingFirmware() });
    try {
      const r = await ampw(['validate', '--board', 'stm32mp157', 'evil.elf'], { cwd: dir, isTTY: true });
      assert.ok(r.stdout.includes('\x1b[1m'), 'colours on a terminal');
      assert.deepStrictEqual(foreignEscapes(r.stdout), []);
    } finally {
      remove();
    }
  });

  it('ampw boards shows escapes in a workspace board file as text', async () => {
    const board = { ...JSON.parse(JSON.stringify(stm32)), id: 'evil', description: 'looks fine\x1b[2J\x1b]0;owned\x07' };
    const { dir, remove } = tempDir({ '.amp/boards/evil.json': JSON.stringify(board) });
    try {
      const r = await ampw(['boards', 'evil'], { cwd: dir, isTTY: true });
      assert.strictEqual(r.code, 0, r.stderr);
      assert.deepStrictEqual(foreignEscapes(r.stdout), []);
      assert.ok(r.stdout.includes('looks fine\\x1b[2J\\x1b]0;owned\\x07'));
    } finally {
      remove();
    }
  });

  it('ampw boards shows escapes in the field names of a bad board file as text', async () => {
    const board = { ...JSON.parse(JSON.stringify(stm32)), ['\x1b[2Jx']: 1 };
    const { dir, remove } = tempDir({ '.amp/boards/t.json': JSON.stringify(board) });
    try {
      const r = await ampw(['boards'], { cwd: dir, isTTY: true });
      assert.strictEqual(r.code, 2);
      assert.match(r.stderr, /t\.json: \\x1b\[2Jx: unknown field/);
      assert.deepStrictEqual(foreignEscapes(r.stderr), []);
    } finally {
      remove();
    }
  });
});
