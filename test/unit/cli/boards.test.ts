import assert from 'assert';
import stm32 from '../../../src/core/soc/boards/stm32mp157.json';
import { builtinBoards } from '../../../src/core/soc/boardLoader';
import { ampw, tempDir } from './cliHarness';

describe('cli: ampw boards', () => {
  it('lists every board and core with driver, firmware and memory windows', async () => {
    const r = await ampw(['boards'], { cwd: '/' });
    assert.strictEqual(r.code, 0, r.stderr);
    for (const b of builtinBoards()) {
      assert.match(r.stdout, new RegExp(`^${b.id}  `, 'm'));
      for (const c of b.cores) assert.match(r.stdout, new RegExp(`^  ${c.id}  ${c.name.replace('.', '\\.')}  ${c.cpu}  driver ${c.driver}  firmware ${c.defaultFirmware}$`, 'm'));
    }
    assert.match(r.stdout, /^ {6}retram {9}da 0x00000000 {2}pa 0x38000000 {4}64 KiB {2}retram rwx$/m);
    assert.match(r.stdout, /^ {6}btcm {11}da 0x41010000 {2}pa 0x78100000 {4}32 KiB {2}tcm rwx$/m);
    assert.match(r.stdout, /memory-region: memory@3ef00000 \(256 KiB\), vdev0buffer@3ef48000 \(1 MiB\)/);
    assert.match(r.stdout, /mailbox: vq0, vq1, shutdown, detach on ipcc/);
  });

  it('shows only the boards asked for, as JSON when asked', async () => {
    const r = await ampw(['boards', '--format', 'json', 'zynqmp'], { cwd: '/' });
    assert.strictEqual(r.code, 0);
    const boards = JSON.parse(r.stdout);
    assert.deepStrictEqual(boards.map((b: { id: string }) => b.id), ['zynqmp']);
    assert.strictEqual(boards[0].cores[1].memories[0].pa, 0xffe90000);
  });

  it("adds the workspace's .amp/boards and reports one that does not load (exit 2)", async () => {
    const mine = { ...JSON.parse(JSON.stringify(stm32)), id: 'lab-mp157' };
    const { dir, remove } = tempDir({ '.amp/boards/lab.json': JSON.stringify(mine), '.amp/boards/broken.json': '{' });
    try {
      const r = await ampw(['boards'], { cwd: dir });
      assert.strictEqual(r.code, 2);
      assert.match(r.stdout, /^lab-mp157 {2}/m);
      assert.match(r.stderr, /^ampw boards: .*broken\.json: not valid JSON/m);
    } finally {
      remove();
    }
  });

  it('2 for an unknown board id or flag', async () => {
    assert.match((await ampw(['boards', 'rpi4'])).stderr, /unknown board 'rpi4'/);
    assert.strictEqual((await ampw(['boards', '--core', 'm4'])).code, 2);
  });

  it('colours board and core ids only on a terminal without NO_COLOR', async () => {
    assert.ok((await ampw(['boards'], { isTTY: true, cwd: '/' })).stdout.includes('\x1b[1mstm32mp157\x1b[0m'));
    assert.ok(!(await ampw(['boards'], { isTTY: true, env: { NO_COLOR: 'yes' }, cwd: '/' })).stdout.includes('\x1b['));
  });
});
