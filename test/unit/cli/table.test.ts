import assert from 'assert';
import { formatResourceTable } from '../../../src/core/rsc/debugfs';
import { goodFirmware, setU32, tableOf, tableSpan } from '../rsc/firmware';
import { ampw, tempDir } from './cliHarness';

describe('cli: ampw table', () => {
  let dir: string;
  let remove: () => void;
  before(() => {
    const truncated = goodFirmware();
    setU32(truncated, tableSpan(truncated).offset + 4, 1000); // num: far more offsets than the section holds
    ({ dir, remove } = tempDir({ 'good.elf': goodFirmware(), 'truncated.elf': truncated, 'text.elf': 'not an ELF at all, only text, but long enough to hold an ELF header\n' }));
  });
  after(() => remove());

  it("prints the table in the kernel's debugfs wording, entry by entry", async () => {
    const r = await ampw(['table', 'good.elf'], { cwd: dir });
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(r.stdout, formatResourceTable(tableOf(goodFirmware())));
    assert.match(r.stdout, /^Entry 0 is of type carveout\n {2}Device Address 0x10030000\n/);
    assert.match(r.stdout, /^Entry 2 is of type vdev\n {2}ID 7\n/m);
    assert.match(r.stdout, /^ {2}Vring 1\n {4}Device Address 0x10041000\n/m);
  });

  it("exits 1 with the kernel's reason on stderr when the table cannot be decoded", async () => {
    const r = await ampw(['table', 'truncated.elf'], { cwd: dir });
    assert.strictEqual(r.code, 1);
    assert.strictEqual(r.stdout, '');
    assert.match(r.stderr, /^ampw table: truncated\.elf: .+ \[kernel\/\w+\]$/m);
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
