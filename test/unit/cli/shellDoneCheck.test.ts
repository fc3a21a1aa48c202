// The rpmsg issue's acceptance line, typed exactly as on the board, on every board: with no
// --firmware the shell has the shipped example in /lib/firmware, and the tty echoes.
import assert from 'assert';
import * as os from 'os';
import { ampw } from './cliHarness';
import { builtinBoards } from '../../../src/core/soc/boardLoader';

const DONE = 'echo start > /sys/class/remoteproc/remoteproc0/state; sleep 10; echo hi > /dev/ttyRPMSG0; sleep 1; cat /dev/ttyRPMSG0';

describe('ampw shell: the board lines work with the shipped example', () => {
  for (const board of builtinBoards()) {
    it(`${board.id}: echo hi > /dev/ttyRPMSG0 comes back`, async () => {
      const r = await ampw(['shell', '--board', board.id, '-c', DONE], { cwd: os.tmpdir() });
      // where the core's CPU is not modelled the stand-in answers, and stderr says so
      const core = board.cores[0];
      assert.strictEqual(r.stderr, core.cpu === 'cortex-m4' ? '' : `ampw: ${core.id}: modelled remote: the firmware's code does not run on ${core.cpu} cores yet\n`);
      assert.strictEqual(r.stdout, 'hi\n');
      assert.strictEqual(r.code, 0);
    });
  }

  it('names the example in the core firmware attribute and /lib/firmware', async () => {
    const r = await ampw(['shell', '--board', 'stm32mp157', '-c', 'cat /sys/class/remoteproc/remoteproc0/firmware; ls /lib/firmware']);
    assert.strictEqual(r.stdout, 'rproc-m4-fw.elf\nrproc-m4-fw.elf\n');
  });

  it('has no example for a core that ships none: the start fails as on a board without the file', async () => {
    const r = await ampw(['shell', '--board', 'am64x', '--core', 'r5f0_1', '-c', 'ls /lib/firmware; echo start > /sys/class/remoteproc/remoteproc1/state']);
    assert.strictEqual(r.stdout, '');
    assert.match(r.stderr, /echo: write error: No such file or directory/);
    assert.strictEqual(r.code, 1);
  });
});
