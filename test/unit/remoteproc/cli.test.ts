import assert from 'assert';
import * as path from 'path';
import { Readable } from 'stream';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import * as fs from 'fs';
import { REPO_ROOT, fixture } from '../../fixtures/fixtures';

async function ampw(args: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    isTTY: false,
    env: {},
    cwd: REPO_ROOT,
    readFile: async (p) => new Uint8Array(await fs.promises.readFile(path.resolve(REPO_ROOT, p))),
    stdin: stdin === undefined ? undefined : Object.assign(Readable.from([stdin]), { isTTY: false }),
  };
  const code = await main(args, io);
  return { code, out, err };
}

describe('ampw boot and ampw shell', () => {
  it('ampw boot prints the kernel log up to "is now up" and the trace, exit 0', async () => {
    const r = await ampw(['boot', 'examples/stm32mp157/rproc-m4-fw.elf', '--board', 'stm32mp157']);
    assert.strictEqual(r.code, 0, r.err);
    assert.ok(r.out.includes(`remoteproc remoteproc0: Booting fw image rproc-m4-fw.elf, size ${fs.statSync(path.join(REPO_ROOT, 'examples/stm32mp157/rproc-m4-fw.elf')).size}\n`), r.out);
    assert.match(r.out, /remoteproc remoteproc0: remote processor m4 is now up\n/);
    assert.match(r.out, /# cat \/sys\/kernel\/debug\/remoteproc\/remoteproc0\/trace0\n/);
  });

  it('ampw boot of an image the kernel refuses: the log says why, exit 1', async () => {
    const r = await ampw(['boot', 'test/fixtures/build/rsc-too-many-vrings.elf', '--board', 'stm32mp157']);
    assert.strictEqual(r.code, 1);
    assert.match(r.out, /too many vrings: 3\n.*Failed to process resources: -22\n.*Boot failed: -22\n/);
    assert.strictEqual(r.err, 'ampw boot: remoteproc0 is offline (start: Invalid argument)\n');
  });

  it('ampw boot: usage errors and unreadable files are exit 2', async () => {
    assert.strictEqual((await ampw(['boot', 'x.elf'])).code, 2);
    assert.strictEqual((await ampw(['boot', '--board', 'stm32mp157'])).code, 2);
    const missing = await ampw(['boot', 'nope.elf', '--board', 'stm32mp157']);
    assert.strictEqual(missing.code, 2);
    assert.strictEqual(missing.err, 'ampw boot: nope.elf: No such file or directory\n');
  });

  it('ampw boot --early-boot attaches to the running core: ZynqMP on `start`, after both cores probed', async () => {
    const r = await ampw(['boot', 'examples/zynqmp/rproc-r5_0-fw.elf', '--board', 'zynqmp', '--early-boot']);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.out, /remoteproc1: ffe90000\.r5f is available\n.*attaching to ffe00000\.r5f\n(.*\n)*.*remote processor ffe00000\.r5f is now attached\n/);
  });

  it('ampw boot --auto-boot on ZynqMP is a usage error: its driver never boots at probe', async () => {
    const r = await ampw(['boot', 'examples/zynqmp/rproc-r5_0-fw.elf', '--board', 'zynqmp', '--auto-boot']);
    assert.deepStrictEqual([r.code, r.out], [2, '']);
    assert.match(r.err, /option '--auto-boot': zynqmp_r5_remoteproc clears auto_boot, the kernel never boots or attaches r5_0 at probe \(write start instead\)/);
  });

  it('ampw boot --early-boot: a ZynqMP attach that fails is tried once', async () => {
    const r = await ampw(['boot', fixture('r5-be'), '--board', 'zynqmp', '--early-boot']);
    assert.strictEqual(r.code, 1);
    assert.strictEqual(r.out.match(/attaching to/g)?.length, 1, r.out);
    assert.match(r.out, /Failed to process resources: -22\n.*Boot failed: -22\n$/);
    assert.strictEqual(r.err, "ampw: r5_0: modelled remote: the firmware's code does not run on cortex-r5f cores yet\nampw boot: remoteproc0 is detached (start: Invalid argument)\n");
  });

  it('ampw shell -c runs the lines; the exit status says a command failed', async () => {
    const ok = await ampw(['shell', '--board', 'stm32mp157', '--firmware', 'examples/stm32mp157/rproc-m4-fw.elf', '-c', 'echo start > /sys/class/remoteproc/remoteproc0/state; cat /sys/class/remoteproc/remoteproc0/state']);
    assert.deepStrictEqual([ok.code, ok.out, ok.err], [0, 'running\n', '']);
    const busy = await ampw(['shell', '--board', 'stm32mp157', '--firmware', 'examples/stm32mp157/rproc-m4-fw.elf', '-c', 'echo start > /sys/class/remoteproc/remoteproc0/state; echo x > /sys/class/remoteproc/remoteproc0/firmware; echo done']);
    assert.deepStrictEqual([busy.code, busy.out, busy.err], [1, 'done\n', 'echo: write error: Device or resource busy\n']);
  });

  it('ampw shell reads a script from stdin', async () => {
    const r = await ampw(['shell', '--board', 'zynqmp'], 'cat /sys/class/remoteproc/remoteproc1/name\ncat /sys/class/remoteproc/remoteproc1/state\n');
    assert.deepStrictEqual([r.code, r.out], [0, 'ffe90000.r5f\noffline\n']);
  });

  it('same seed, same output; --seed is checked', async () => {
    const args = ['shell', '--board', 'stm32mp157', '--firmware', 'examples/stm32mp157/rproc-m4-fw.elf', '--seed', '5', '-c', 'echo start > /sys/class/remoteproc/remoteproc0/state; sleep 1; cat /sys/kernel/debug/remoteproc/remoteproc0/carveout_memories; dmesg'];
    assert.strictEqual((await ampw(args)).out, (await ampw(args)).out);
    assert.strictEqual((await ampw(['shell', '--board', 'stm32mp157', '--seed', 'x', '-c', 'true'])).code, 2);
  });
});
