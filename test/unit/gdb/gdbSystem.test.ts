// Debian's gdb-multiarch in batch mode against `ampw gdbserver --firmware` (the compiled CLI, a
// process of its own): the example firmware (-O2 -g) on the STM32MP157's M4 inside the whole
// system, booted by the host through remoteproc, the host driven from gdb's monitor commands.
import assert from 'assert';
import * as path from 'path';
import { gdbAvailable, runGdb, startAmpwServer, type GdbSignal } from '../../oracle/gdbBatch';
import { EXAMPLES_DIR, REPO_ROOT } from '../../fixtures/fixtures';

const DIR = path.join(EXAMPLES_DIR, 'stm32mp157');
const ELF = 'rproc-m4-fw.elf';
const CLI = path.join(REPO_ROOT, 'out/src/cli/main.js');

async function session(commands: readonly string[], signal?: GdbSignal): Promise<{ gdb: string; status: number | null }> {
  const server = await startAmpwServer(CLI, ['--board', 'stm32mp157', '--firmware', ELF], DIR);
  try {
    // gdb inserts breakpoints and watchpoints when it resumes the core unless told to keep them in:
    // a host write made from `monitor shell` while halted is caught only with them in
    const gdb = await runGdb(server.port, ELF, ['set breakpoint always-inserted on', ...commands], DIR, signal);
    return { gdb: gdb.output, status: await server.exited };
  } finally {
    server.stop();
  }
}

const times = (gdb: string) => [...gdb.matchAll(/^system time (\d+) ns; m4: (\d+) cycles/gm)].map((m) => `${m[1]}/${m[2]}`);

function hasLines(transcript: string, lines: readonly string[]): void {
  const all = transcript.split('\n');
  for (const l of lines) assert.ok(all.includes(l), `missing line ${JSON.stringify(l)} in:\n${transcript}`);
}

describe('gdb: gdb-multiarch against ampw gdbserver --firmware (the whole system)', function () {
  this.timeout(120000);
  before(function () {
    if (!gdbAvailable()) this.skip();
  });

  it('break on main and a C line, bt, locals and globals at -O2, x/8wx, next, step, finish, a watchpoint the host fires, the fault handler; time stands still while halted', async () => {
    const r = await session([
      'break main',
      'continue',
      'break rpmsg_serve',
      'continue',
      'monitor time',
      'monitor shell sleep 2',
      'monitor time',
      'monitor shell echo hello > /dev/ttyRPMSG0',
      'delete 2',
      'break rpmsg.c:142',
      'continue',
      'backtrace',
      'info locals',
      'print from_host',
      'print state',
      'x/8wx 0x10040000',
      'next',
      'step',
      'delete',
      'break ipcc_notify',
      'continue',
      'finish',
      'delete',
      'watch -location from_host.avail->idx',
      'monitor shell echo again > /dev/ttyRPMSG0',
      'continue',
      'delete',
      'break rpmsg_serve',
      'continue',
      'delete',
      'break fault_handler',
      'set var $pc = 0xe0100000',
      'continue',
      'backtrace',
      'print/x $xpsr',
      'x/wx 0xe000ed28',
    ]);
    hasLines(r.gdb, [
      'Breakpoint 1, main () at main.c:73',
      'Breakpoint 2, rpmsg_serve () at rpmsg.c:129',
      'Breakpoint 3, vring_put_used (len=<optimized out>, id=<optimized out>, vr=<optimized out>) at rpmsg.c:142',
      // the echo's buffer is put in the host's rx ring, from rpmsg_serve, in the IPCC interrupt taken in main's WFI
      '#1  rpmsg_serve () at rpmsg.c:142',
      '#2  <signal handler called>',
      '#4  main () at main.c:83',
      // -O2: what the inlined call's arguments were is gone, the firmware's globals are all there
      'e = <optimized out>',
      '$1 = {num = 16, desc = 0x10041000, avail = 0x10041100, used = 0x10041130, last_avail = 0, used_idx = 0}',
      '$2 = ANNOUNCED',
      // vring0's first descriptors: the host's rx buffers in vdev0buffer, 512 bytes each, device-writable
      '0x10040000:\t0x10042000\t0x00000000\t0x00000200\t0x00100002',
      '0x10040010:\t0x10042200\t0x00000000\t0x00000200\t0x00020002',
      'Breakpoint 4, ipcc_notify (ch=ch@entry=0) at ipcc.c:47',
      // the host wrote its tx ring's avail->idx while the system was halted: reported as gdb resumes
      'Hardware watchpoint 5: -location from_host.avail->idx',
      'Old value = 1',
      'New value = 2',
      // ...and the firmware serves the message once the system runs
      'Breakpoint 6, rpmsg_serve () at rpmsg.c:129',
      'Breakpoint 7, fault_handler () at startup.c:28',
      '#2  0xe0100000 in ?? ()',
      // IACCVIOL: the instruction fetch from the Private Peripheral Bus's execute-never range
      '0xe000ed28:\t0x00000001',
    ]);
    assert.match(r.gdb, /\n146\t+vring_put_used\(&from_host, in_id, size\);\n/, 'next');
    assert.match(r.gdb, /\n\$3 = 0x[0-9a-f]1000003\n/, 'xPSR: in HardFault (IPSR 3), Thumb');
    assert.match(r.gdb, /\n0x[0-9a-f]+ in rpmsg_serve \(\) at rpmsg\.c:150\n/, 'finish returns into rpmsg_serve');
    const [before, after] = times(r.gdb);
    assert.ok(before, r.gdb);
    assert.strictEqual(after, before, "the host's sleep does not move a halted system's time");
    assert.strictEqual(r.status, 0);
  });

  it("rwatch on the used ring of the host's rx vring fires when the host reads it, after the firmware's echo", async () => {
    const r = await session([
      'break rpmsg_serve',
      'continue',
      'delete',
      'rwatch -location to_host.used->idx',
      'monitor shell echo hi > /dev/ttyRPMSG0',
      'continue',
      'monitor shell cat /dev/ttyRPMSG0',
    ]);
    hasLines(r.gdb, [
      'Hardware read watchpoint 2: -location to_host.used->idx',
      // the firmware put its echo in the host's rx ring (index 1 after the announcement) and rang the
      // host; the host's virtio read the index and took the echo in that interrupt, then the system halted
      'Value = 2',
      'hi',
    ]);
    assert.doesNotMatch(r.gdb.split('Value = 2')[0], /Value = /, 'the firmware and gdb itself read the index before: no stop on them');
    assert.strictEqual(r.status, 0);
  });

  it('monitor reset resets the core alone; monitor stop and boot drive remoteproc through sysfs; monitor log prints dmesg; Ctrl-C halts a running system', async () => {
    const r = await session(
      ['break main', 'continue', 'monitor reset', 'delete', 'monitor stop', 'monitor boot', 'maintenance flush register-cache', 'print $pc', 'monitor log', 'continue', 'backtrace 1', 'monitor time'],
      { after: /announced rpmsg-tty/, signal: 'SIGINT' },
    );
    assert.match(r.gdb, /\nm4: reset, pc 0x10000000, sp 0x10040000\n/);
    assert.match(r.gdb, /\nm4: offline\n/);
    assert.match(r.gdb, /\nm4: out of reset, halted at its reset vector 0x10000000\n/);
    assert.match(r.gdb, /\$1 = \(void \(\*\)\(\)\) 0x10000000 <reset_handler>\n/);
    assert.match(r.gdb, /remoteproc remoteproc0: stopped remote processor m4\n/);
    assert.strictEqual(r.gdb.match(/remoteproc remoteproc0: remote processor m4 is now up\n/g)?.length, 2, r.gdb);
    assert.match(r.gdb, /\nProgram received signal SIGINT, Interrupt\.\n/);
    assert.match(r.gdb, /\n#0 {2}.* at (main\.c|stm32mp157\.h):\d+\n/);
  });
});
