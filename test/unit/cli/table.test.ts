import assert from 'assert';
import { formatResourceTable } from '../../../src/core/rsc/debugfs';
import { ElfFile } from '../../../src/core/elf/elfFile';
import { decodeResourceTable } from '../../../src/core/rsc/decode';
import { readFixture } from '../../fixtures/fixtures';
import { ampw, tempDir } from './cliHarness';

function tableOf(bytes: Uint8Array) {
  const s = ElfFile.parse(bytes).section('.resource_table')!;
  return decodeResourceTable(bytes.subarray(s.offset, s.offset + s.size), 'little');
}

describe('cli: ampw table', () => {
  let dir: string;
  let remove: () => void;
  before(() => {
    ({ dir, remove } = tempDir({ 'good.elf': readFixture('rsc-full'), 'truncated.elf': readFixture('rsc-vdev-vrings-truncated'), 'none.elf': readFixture('rsc-none'), 'text.elf': 'not an ELF at all, only text, but long enough to hold an ELF header\n' }));
  });
  after(() => remove());

  it("prints the table in the kernel's debugfs wording, entry by entry", async () => {
    const r = await ampw(['table', 'good.elf'], { cwd: dir });
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(r.stdout, formatResourceTable(tableOf(readFixture('rsc-full'))));
    assert.match(r.stdout, /^Entry 0 is of type carveout\n {2}Device Address 0x[0-9a-f]+\n {2}Physical Address 0x[0-9a-f]+\n {2}Length 0x[0-9a-f]+ Bytes\n/);
    assert.match(r.stdout, /^Entry \d is of type vdev\n {2}ID 7\n {2}Notify ID \d+\n/m);
    assert.match(r.stdout, /^ {2}Vring 1\n {4}Device Address 0x[0-9a-f]+\n {4}Alignment \d+\n/m);
  });

  it('says "No resource table found" like debugfs for an image without one (exit 0)', async () => {
    const r = await ampw(['table', 'none.elf'], { cwd: dir });
    assert.deepStrictEqual([r.code, r.stdout], [0, 'No resource table found\n']);
  });

  it("exits 1 with the kernel's reason on stderr when the table cannot be decoded", async () => {
    const r = await ampw(['table', 'truncated.elf'], { cwd: dir });
    assert.strictEqual(r.code, 1);
    assert.strictEqual(r.stdout, '');
    assert.match(r.stderr, /^ampw table: truncated\.elf: vdev rsc is truncated \[kernel\/\w+\]$/m);
  });

  it('exits 1 for a file that is not an ELF, saying why', async () => {
    const r = await ampw(['table', 'text.elf'], { cwd: dir });
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /Image is corrupted \(bad magic\)/);
  });

  it('exits 2 for a missing file, no file, two files or an unknown flag', async () => {
    for (const [args, message] of [
      [['table', 'nope.elf'], /cannot read 'nope\.elf': No such file or directory/],
      [['table'], /no FILE given/],
      [['table', 'good.elf', 'good.elf'], /give exactly one FILE/],
      [['table', '--board', 'stm32mp157', 'good.elf'], /unknown option '--board'/],
    ] as const) {
      const r = await ampw([...args], { cwd: dir });
      assert.strictEqual(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
  });
});
