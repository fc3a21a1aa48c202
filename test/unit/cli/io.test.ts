import assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { MAX_INPUT_BYTES, fileErrorReason, processIO } from '../../../src/cli/io';
import { tempDir } from './cliHarness';

describe('cli: process I/O', () => {
  let dir: string;
  let remove: () => void;
  before(() => ({ dir, remove } = tempDir({ 'small.bin': new Uint8Array([1, 2, 3]) })));
  after(() => remove());

  it('reads a regular file whole', async () => {
    assert.deepStrictEqual(await processIO().readFile(path.join(dir, 'small.bin')), new Uint8Array([1, 2, 3]));
  });

  it('refuses a file over the input bound before reading it (sparse, so the test costs nothing)', async () => {
    const big = path.join(dir, 'big.bin');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, MAX_INPUT_BYTES + 1);
    await assert.rejects(processIO().readFile(big), (e: NodeJS.ErrnoException) => e.code === 'EFBIG' && /^File too large \(over 256 MiB\)$/.test(fileErrorReason(e)));
  });

  it('says what is wrong in the shell\'s words', async () => {
    await assert.rejects(processIO().readFile(dir), (e) => fileErrorReason(e) === 'Is a directory');
    await assert.rejects(processIO().readFile(path.join(dir, 'none')), (e) => fileErrorReason(e) === 'No such file or directory');
  });
});
