// Debian's gdb-multiarch in batch mode against `ampw gdbserver --cores` on a board with two modelled
// Cortex-M4 cores (test/fixtures/boards/two-m4.json: the STM32MP157 with a second M4, m4b), the
// example firmware (-O2 -g) booted on both: one server with a thread per core, or a server per
// core; and --host-runs, where the host runs on while the core is halted.
import assert from 'assert';
import * as path from 'path';
import { gdbAvailable, runGdb, startAmpwServer } from '../../oracle/gdbBatch';
import { EXAMPLES_DIR, REPO_ROOT } from '../../fixtures/fixtures';

const DIR = path.join(EXAMPLES_DIR, 'stm32mp157');
const ELF = 'rproc-m4-fw.elf';
const CLI = path.join(REPO_ROOT, 'out/src/cli/main.js');
const TWO_M4 = path.join(REPO_ROOT, 'test/fixtures/boards/two-m4.json');

/** gdb's `print/x $pc` lines, in order. */
const pcs = (gdb: string) => [...gdb.matchAll(/^\$\d+ = (0x[0-9a-f]+)$/gm)].map((m) => m[1]);

describe('gdb: gdb-multiarch against ampw gdbserver on two modelled cores', function () {
  this.timeout(120000);
  before(function () {
    if (!gdbAvailable()) this.skip();
  });

  it('--threads: one server, a thread per core named by its core; a breakpoint stops each thread; a step moves the selected thread alone', async () => {
    const server = await startAmpwServer(CLI, ['--board', TWO_M4, '--cores', 'all', '--threads', '--firmware', ELF], DIR);
    try {
      const gdb = await runGdb(
        server.port,
        ELF,
        [
          'info threads',
          'thread 2',
          'print/x $pc',
          'break main',
          'continue',
          'continue',
          'info threads',
          'thread 1',
          'print/x $pc',
          'thread 2',
          'stepi',
          'print/x $pc',
          'thread 1',
          'print/x $pc',
          'monitor time',
          'kill',
        ],
        DIR,
      );
      const out = gdb.output;
      assert.match(out, /\n\* 1 +Thread 1 \(m4 \(cortex-m4, remoteproc0\)\) +reset_handler \(\) at startup\.c:16\n/, out);
      assert.match(out, /\n {2}2 +Thread 2 \(m4b \(cortex-m4, remoteproc1\)\) +reset_handler \(\) at startup\.c:16\n/);
      assert.match(out, /\n\[Switching to thread 2 \(Thread 2\)\]\n/);
      // every core runs the same image: main is one breakpoint for both, hit by each in turn
      assert.match(out, /\nThread 1 hit Breakpoint 1, main \(\) at main\.c:73\n[^]*\nThread 2 hit Breakpoint 1, main \(\) at main\.c:73\n/);
      assert.match(out, /\n\* 2 +Thread 2 \(m4b \(cortex-m4, remoteproc1\)\) +main \(\) at main\.c:73\n/);
      const [reset2, main1, stepped2, still1] = pcs(out);
      assert.strictEqual(reset2, '0x10000000', 'thread 2 at its reset vector');
      assert.notStrictEqual(stepped2, '0x1000012c', "stepi moved thread 2 off main's breakpoint");
      assert.strictEqual(still1, main1, 'thread 1 stays where it halted while thread 2 steps alone');
      assert.match(out, /\nsystem time \d+ ns; m4: \d+ cycles, \d+ instructions; m4b: \d+ cycles, \d+ instructions\n/);
      assert.strictEqual(await server.exited, 0);
    } finally {
      server.stop();
    }
  });

  it('a server per core (ports N, N+1): each gdb breaks in its own core, and the system runs once both have continued', async () => {
    const server = await startAmpwServer(CLI, ['--board', TWO_M4, '--cores', 'm4,m4b', '--firmware', `m4=${ELF}`, '--firmware', `m4b=${ELF}`], DIR, 2);
    try {
      const commands = ['break rpmsg_serve', 'continue', 'backtrace 1', 'monitor time', 'detach'];
      const [a, b] = await Promise.all(server.ports.map((port) => runGdb(port, ELF, commands, DIR)));
      for (const [gdb, core] of [[a.output, 'm4'], [b.output, 'm4b']] as const) {
        assert.match(gdb, /\nBreakpoint 1, rpmsg_serve \(\) at rpmsg\.c:129\n/, gdb);
        assert.match(gdb, new RegExp(`\\nsystem time \\d+ ns; ${core}: \\d+ cycles`));
        assert.match(gdb, /\[Inferior 1 \(Remote target\) detached\]/);
      }
      assert.strictEqual(await server.exited, 0);
    } finally {
      server.stop();
    }
  });

  it("--host-runs: with the core halted the host's time moves on and the M4's watchdog bites (crash, recovery); without it neither happens", async () => {
    const commands = ['break rpmsg_serve', 'continue', 'monitor time', 'monitor shell sleep 1', 'monitor time', 'monitor log', 'kill'];
    const kernelTimes = (gdb: string) => [...gdb.matchAll(/^system time (\d+) ns/gm)].map((m) => Number(m[1]));
    for (const hostRuns of [true, false]) {
      const server = await startAmpwServer(CLI, ['--board', 'stm32mp157', ...(hostRuns ? ['--host-runs'] : []), '--firmware', ELF], DIR);
      try {
        const gdb = (await runGdb(server.port, ELF, commands, DIR)).output;
        assert.match(gdb, /\nBreakpoint 1, rpmsg_serve \(\) at rpmsg\.c:129\n/, gdb);
        const [before, after] = kernelTimes(gdb);
        const crash = /remoteproc remoteproc0: crash detected in m4: type watchdog\n[^]*remoteproc remoteproc0: recovering m4\n/;
        if (hostRuns) {
          assert.ok(after - before >= 1e9, `time moved on by the host's sleep: ${before} -> ${after}`);
          assert.match(gdb, crash);
        } else {
          assert.strictEqual(after, before, gdb);
          assert.doesNotMatch(gdb, /crash detected/);
        }
      } finally {
        server.stop();
      }
    }
  });
});
