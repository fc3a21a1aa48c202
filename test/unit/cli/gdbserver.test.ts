// `ampw gdbserver`: what it refuses before it listens, and a port it cannot take. The protocol and
// gdb sessions themselves are in test/unit/gdb/.
import assert from 'assert';
import * as net from 'net';
import * as path from 'path';
import { FIXTURE_BUILD_DIR, REPO_ROOT } from '../../fixtures/fixtures';
import { ampw } from './cliHarness';

const gdbserver = (...args: string[]) => ampw(['gdbserver', ...args], { cwd: FIXTURE_BUILD_DIR });

describe('cli: ampw gdbserver', () => {
  it('usage errors: no board, a core whose CPU is not modelled, a bad port, no FILE (status 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['gdb-m4.elf'], /option '--board' is required/],
      [['--board', 'am64x', 'gdb-m4.elf'], /is a cortex-r5f, whose CPU is not modelled: ampw gdbserver serves cortex-m4 cores/],
      [['--board', 'stm32mp157', '--port', '65536', 'gdb-m4.elf'], /option '--port' needs a port number 0-65535 \(got '65536'\)/],
      [['--board', 'stm32mp157', '--port', '-1', 'gdb-m4.elf'], /--port/],
      [['--board', 'stm32mp157'], /no FILE given/],
    ];
    for (const [args, message] of cases) {
      const r = await gdbserver(...args);
      assert.strictEqual(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
  });

  it('a FILE that cannot be loaded on the core: status 2 with the loader\'s reason', async () => {
    const r = await gdbserver('--board', 'stm32mp157', 'aarch64.elf');
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /^ampw gdbserver: aarch64\.elf: not a little-endian 32-bit ARM ELF/);
  });

  it('--firmware: an image the host cannot boot ends the server with status 1 and the kernel\'s log; FILE with it is a usage error', async () => {
    const r = await gdbserver('--board', 'stm32mp157', '--port', '0', '--firmware', 'aarch64.elf');
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /^ampw gdbserver: echo: write error: /);
    assert.match(r.stderr, /remoteproc remoteproc0: Boot failed: -\d+\n/);
    const both = await gdbserver('--board', 'stm32mp157', '--firmware', 'rproc-m4-fw.elf', 'gdb-m4.elf');
    assert.strictEqual(both.code, 2);
    assert.match(both.stderr, /unexpected argument 'gdb-m4\.elf' \(with --firmware, FILE is the option's\)/);
  });

  it('several cores: --cores names modelled cores once each, --firmware gives each one image; --cores all leaves out, with a notice, cores whose CPU is not modelled (status 2)', async () => {
    const twoM4 = path.join(REPO_ROOT, 'test/fixtures/boards/two-m4.json');
    const cases: [string[], RegExp][] = [
      [['--board', 'am64x', '--cores', 'all', '--firmware', 'rproc-m4-fw.elf'], /^ampw gdbserver: r5f0_0 left out: its CPU \(cortex-r5f\) is not modelled\n[^]*no core of am64x has a modelled CPU \(cortex-m4\)/],
      [['--board', 'am64x', '--cores', 'r5f0_1', '--firmware', 'rproc-m4-fw.elf'], /core 'r5f0_1' of am64x is a cortex-r5f, whose CPU is not modelled/],
      [['--board', twoM4, '--core', 'm4', '--cores', 'all', '--firmware', 'rproc-m4-fw.elf'], /give '--core' or '--cores', not both/],
      [['--board', twoM4, '--cores', 'm4,m4', '--firmware', 'rproc-m4-fw.elf'], /option '--cores' names a core twice \(m4,m4\)/],
      [['--board', twoM4, '--cores', 'm4,m5', '--firmware', 'rproc-m4-fw.elf'], /board 'two-m4' has no core 'm5' \(cores: m4, m4b\)/],
      [['--board', twoM4, '--cores', 'all', '--firmware', 'm4=rproc-m4-fw.elf'], /no firmware for core m4b \(--firmware FILE, or --firmware m4b=FILE\)/],
      [['--board', twoM4, '--core', 'm4', '--firmware', 'm4b=rproc-m4-fw.elf'], /option '--firmware m4b=rproc-m4-fw\.elf': core m4b is not served/],
      [['--board', twoM4, '--cores', 'all', '--firmware', 'a.elf', '--firmware', 'b.elf'], /give one '--firmware FILE' for every core/],
      [['--board', 'stm32mp157', '--threads', 'gdb-m4.elf'], /option '--threads' needs '--firmware'/],
      [['--board', twoM4, '--cores', 'all', '--port', '65535', '--firmware', 'rproc-m4-fw.elf'], /option '--port': 2 servers need ports 65535-65536/],
    ];
    for (const [args, message] of cases) {
      const r = await gdbserver(...args);
      assert.strictEqual(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
  });

  it('a port already taken: status 1, saying so', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      const r = await gdbserver('--board', 'stm32mp157', '--port', String(port), 'gdb-m4.elf');
      assert.strictEqual(r.code, 1);
      assert.match(r.stderr, new RegExp(`^ampw gdbserver: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
    } finally {
      taken.close();
    }
  });
});
